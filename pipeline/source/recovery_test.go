package source

import (
	"reflect"
	"testing"
)

// TestStrayQuoteRecovery: a stray quote may join lines into one quoted
// field; the malformed record costs its first line only, and every later
// line is read again as a record of its own — no row vanishes inside a
// reject.
func TestStrayQuoteRecovery(t *testing.T) {
	columns := []string{"A", "B", "C"}
	tests := []struct {
		name string
		data string
		want []Record
		errs []string
	}{
		{
			name: "stray quote closed by the opening quote of a later field",
			data: "A;B;C\n1;\"x;y\n2;3;4\n5;6;\"z\"w\n7;8;9\n",
			want: []Record{{3, []string{"2", "3", "4"}}, {5, []string{"7", "8", "9"}}},
			errs: []string{"f.csv:2: unterminated quoted field", "f.csv:4: unexpected character after closing quote"},
		},
		{
			name: "stray quote closed by a quote at the start of a line",
			data: "A;B;C\n1;\"x;y\n\"2\"x;3;4\n5;6;7\n",
			want: []Record{{4, []string{"5", "6", "7"}}},
			errs: []string{"f.csv:2: unterminated quoted field", "f.csv:3: unexpected character after closing quote"},
		},
		{
			name: "stray quote closed by a quote inside a later field",
			data: "A;B;C\n1;\"x;y\n2;3;4\n5;12\" screen;6\n7;8;9\n",
			want: []Record{{3, []string{"2", "3", "4"}}, {5, []string{"7", "8", "9"}}},
			errs: []string{"f.csv:2: unterminated quoted field", `f.csv:4: bare " in unquoted field`},
		},
		{
			name: "two stray quotes make a well-formed field over three lines",
			data: "A;B;C\n1;\"x;y\n2;3;4\n5;6;\"\n7;8;9\n",
			want: []Record{{3, []string{"2", "3", "4"}}, {5, []string{"7", "8", "9"}}},
			errs: []string{"f.csv:2: wrong number of fields (2, header has 3)", "f.csv:4: unterminated quoted field"},
		},
		{
			name: "a legitimate multi-line field is kept",
			data: "A;B;C\n1;\"two\nlines\";3\n4;5;6\n",
			want: []Record{{2, []string{"1", "two\nlines", "3"}}, {4, []string{"4", "5", "6"}}},
		},
	}
	for _, tt := range tests {
		for how, r := range readers([]byte(tt.data)) {
			t.Run(tt.name+"/"+how, func(t *testing.T) {
				_, res := readAll(t, r(), columns, columns, Options{})
				if !reflect.DeepEqual(res.recs, tt.want) {
					t.Errorf("records:\n got %v\nwant %v", res.recs, tt.want)
				}
				if !reflect.DeepEqual(res.errs, tt.errs) {
					t.Errorf("row errors:\n got %q\nwant %q", res.errs, tt.errs)
				}
			})
		}
	}
}
