package source

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	d := func(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 0, 0, 0, 0, time.UTC) }
	ok := []struct {
		in   string
		want time.Time
	}{
		{"2024-06-15", d(2024, 6, 15)},
		{"20240615", d(2024, 6, 15)},
		{"240615", d(2024, 6, 15)},
		{"000101", d(2000, 1, 1)},
		{"991231", d(2099, 12, 31)}, // YYMMDD is always 20YY
		{" 2024-06-15 ", d(2024, 6, 15)},
		{"2000-02-29", d(2000, 2, 29)},
		{"20240229", d(2024, 2, 29)},
		{"240229", d(2024, 2, 29)},
		{"1899-12-31", d(1899, 12, 31)},
	}
	for _, tt := range ok {
		got, err := ParseDate(tt.in)
		if err != nil || !got.Equal(tt.want) || got.Location() != time.UTC {
			t.Errorf("ParseDate(%q) = %v, %v; want %v UTC", tt.in, got, err, tt.want)
		}
	}
	for _, in := range []string{
		"", "2024-6-15", "2024/06/15", "15-06-2024", "2024-06-15T00:00", "2024-13-01", "2024-00-10",
		"2024-06-00", "2024-06-31", "2023-02-29", "1900-02-29", "20230229", "230229", "0000-01-01",
		"2024-0a-15", "2024 06 15", "2024615", "+024-06-15", "2024-06-1５", "24-06-15", "2024-06--1",
	} {
		if got, err := ParseDate(in); !errors.Is(err, ErrDate) || err.Error() != "bad date" {
			t.Errorf("ParseDate(%q) = %v, %v; want ErrDate", in, got, err)
		}
	}
}

func TestParseDecimal(t *testing.T) {
	ok := map[string]float64{
		"12": 12, "12,5": 12.5, "12.5": 12.5, "-0,25": -0.25, "-3": -3, "0": 0, " 7,125 ": 7.125,
		"007,50": 7.5, "123456789,123": 123456789.123,
	}
	for in, want := range ok {
		if got, err := ParseDecimal(in); err != nil || got != want {
			t.Errorf("ParseDecimal(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{
		"", "-", "1 000", "1 000,5", "1.000,5", "1,000.5", "1,2,3", "1e5", "1E5", "NaN", "Inf", "-Inf",
		"+1", ",5", ".5", "5,", "5.", "--1", "12a", "0x10", "1_000", "١٢", strings.Repeat("9", 400),
	} {
		if got, err := ParseDecimal(in); !errors.Is(err, ErrDecimal) {
			t.Errorf("ParseDecimal(%q) = %v, %v; want ErrDecimal", in, got, err)
		}
	}
}

func TestParseYesNo(t *testing.T) {
	for in, want := range map[string]bool{
		"J": true, "j": true, "Ja": true, "JA": true, "ja": true, "1": true, " J ": true,
		"N": false, "n": false, "Nej": false, "NEJ": false, "nej": false, "0": false,
	} {
		if got, err := ParseYesNo(in); err != nil || got != want {
			t.Errorf("ParseYesNo(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "Y", "Yes", "No", "true", "false", "2", "Jaa", "Nejj", "JN", "01"} {
		if _, err := ParseYesNo(in); !errors.Is(err, ErrYesNo) {
			t.Errorf("ParseYesNo(%q) error = %v, want ErrYesNo", in, err)
		}
	}
}

func TestParseInt(t *testing.T) {
	for in, want := range map[string]int64{
		"12": 12, "-3": -3, "0": 0, "007": 7, " 45 ": 45, "9223372036854775807": math.MaxInt64,
	} {
		if got, err := ParseInt(in); err != nil || got != want {
			t.Errorf("ParseInt(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for in, wantErr := range map[string]error{
		"12,0": ErrWhole, "12.5": ErrWhole, "12,": ErrWhole, "1 000": ErrWhole, "+3": ErrWhole,
		"": ErrWhole, "-": ErrWhole, "abc": ErrWhole, "1e3": ErrWhole, "--1": ErrWhole,
		"9223372036854775808": ErrRange, "-99999999999999999999": ErrRange,
	} {
		_, err := ParseInt(in)
		if !errors.Is(err, wantErr) {
			t.Errorf("ParseInt(%q) error = %v, want %v", in, err, wantErr)
		}
	}
	if ErrWhole.Error() != "not a whole number" || ErrDate.Error() != "bad date" {
		t.Error("rule texts changed")
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2024-06-15", "20240229", "240229", "2023-02-29", "0000-01-01", "9999-12-31", "", "2024-6-1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil {
			if !errors.Is(err, ErrDate) {
				t.Fatalf("error %v is not ErrDate", err)
			}
			return
		}
		if d.Location() != time.UTC || d.Hour() != 0 || d.Minute() != 0 || d.Second() != 0 || d.Nanosecond() != 0 {
			t.Fatalf("ParseDate(%q) = %v, not UTC midnight", s, d)
		}
		iso := d.Format("2006-01-02")
		if d2, err := ParseDate(iso); err != nil || !d2.Equal(d) {
			t.Fatalf("round trip of %q via %q: %v, %v", s, iso, d2, err)
		}
		// The written digits are the date's.
		digits := strings.ReplaceAll(strings.TrimSpace(s), "-", "")
		if !strings.HasSuffix(d.Format("20060102"), digits) {
			t.Fatalf("ParseDate(%q) = %s", s, iso)
		}
	})
}

var decimalRE = regexp.MustCompile(`^-?[0-9]+([.,][0-9]+)?$`)

func FuzzParseDecimal(f *testing.F) {
	for _, s := range []string{"12", "12,5", "-0.25", "1 000", "1e5", "NaN", ",5", "", "-"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseDecimal(s)
		trimmed := strings.TrimSpace(s)
		if !decimalRE.MatchString(trimmed) {
			if err == nil {
				t.Fatalf("ParseDecimal(%q) = %v, want an error", s, v)
			}
			return
		}
		want, perr := strconv.ParseFloat(strings.Replace(trimmed, ",", ".", 1), 64)
		if perr != nil || math.IsInf(want, 0) {
			if err == nil {
				t.Fatalf("ParseDecimal(%q) = %v, want an error (out of range)", s, v)
			}
			return
		}
		if err != nil || v != want {
			t.Fatalf("ParseDecimal(%q) = %v, %v; want %v", s, v, err, want)
		}
	})
}

// benchData is a synthetic extens-like file of n rows.
func benchData(n int) []byte {
	var b bytes.Buffer
	b.Grow(n * 110)
	b.WriteString("Personnummer;Kon;Postnummer;Skyddad;Grundskola;Gymnasieskola;Program;Inskriven;Avgangsdatum;Avgangstyp;Examen\n")
	schools := []string{"Höglundaskolan", "Sidsjö", "\"Nacksta; norra\"", "Kvarnbacken"}
	for i := range n {
		fmt.Fprintf(&b, "2007%02d%02d%04d;%c;852 %02d;N;%s;Hedbergska;%s;J;2024-06-%02d;AVBROTT;N\n",
			1+i%12, 1+i%28, i%10000, "KM"[i%2], i%100, schools[i%4], []string{"NA", "IMA", "TE"}[i%3], 1+i%28)
	}
	return b.Bytes()
}

func BenchmarkReader(b *testing.B) {
	const rows = 1_000_000
	data := benchData(rows)
	columns := []string{"Personnummer", "Kon", "Postnummer", "Skyddad", "Grundskola", "Gymnasieskola",
		"Program", "Inskriven", "Avgangsdatum", "Avgangstyp", "Examen"}
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	cpu0 := cpuTime()
	for b.Loop() {
		rd, err := Open(bytes.NewReader(data), "bench.csv", columns, columns[:1], Options{})
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for {
			_, err := rd.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != rows {
			b.Fatalf("read %d rows, want %d", n, rows)
		}
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	if cpu := cpuTime() - cpu0; cpu > 0 {
		b.ReportMetric(float64(rows)*float64(b.N)/cpu.Seconds(), "rows/cpu-s")
	}
}
