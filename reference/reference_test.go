package reference

import (
	"strings"
	"testing"
)

func TestKommuner(t *testing.T) {
	all := Kommuner()
	if len(all) != 290 {
		t.Fatalf("%d kommuner, want 290", len(all))
	}
	perLan := map[string]int{}
	for _, k := range all {
		perLan[k.Lanskod]++
	}
	// SCB: 21 län; kommuner per län
	want := map[string]int{"01": 26, "03": 8, "04": 9, "05": 13, "06": 13, "07": 8, "08": 12, "09": 1, "10": 5, "12": 33,
		"13": 6, "14": 49, "17": 16, "18": 12, "19": 10, "20": 15, "21": 10, "22": 7, "23": 8, "24": 15, "25": 14}
	for l, n := range want {
		if perLan[l] != n {
			t.Errorf("län %s: %d kommuner, want %d", l, perLan[l], n)
		}
	}
	if len(perLan) != len(want) {
		t.Errorf("%d län, want %d", len(perLan), len(want))
	}
	for kod, name := range map[string]string{
		"0114": "Upplands Väsby", "0180": "Stockholm", "0330": "Knivsta", "0980": "Gotland", "1280": "Malmö",
		"1402": "Partille", "1480": "Göteborg", "2023": "Malung-Sälen", "2260": "Ånge", "2262": "Timrå",
		"2280": "Härnösand", "2281": "Sundsvall", "2284": "Örnsköldsvik", "2313": "Strömsund", "2584": "Kiruna",
	} {
		if k, ok := LookupKommun(kod); !ok || k.Namn != name {
			t.Errorf("%s = %+v, want %s", kod, k, name)
		}
	}
	if got := KommunLabel("2281"); got != "Sundsvall (2281)" {
		t.Errorf("KommunLabel(2281) = %q", got)
	}
	if got := KommunLabel("3001"); got != "Kommun 3001" {
		t.Errorf("KommunLabel(3001) = %q", got)
	}
	if k, _ := LookupKommun("2281"); k.Lan != "Västernorrlands län" {
		t.Errorf("2281 län = %q", k.Lan)
	}
}

func TestParseKommunerErrors(t *testing.T) {
	for in, want := range map[string]string{
		"kod;namn\n": "header",
		"kommunkod;kommun;lanskod;lan\n2281;Sundsvall\n":                                                               ":2: want 4 fields",
		"kommunkod;kommun;lanskod;lan\n2281;Sundsvall;22;Västernorrlands län\n2281;Sundsvall;22;Västernorrlands län\n": ":3: kommunkod 2281 twice",
		"kommunkod;kommun;lanskod;lan\n2281;Sundsvall;23;Jämtlands län\n":                                              ":2: bad row",
	} {
		if _, err := parseKommuner(in); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: err = %v, want %q", in, err, want)
		}
	}
}
