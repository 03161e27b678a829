package sql_test

import (
	"strings"
	"testing"

	"github.com/kaa-uppfoljning/kaa/pipeline/config"
)

// s10Kohorter returns the distinct kohorter of s10_utfall in row order.
func s10Kohorter(f *fixture, scope string) string {
	f.t.Helper()
	tb := f.table("s10_utfall", scope)
	var out []string
	for _, r := range tb.Rows {
		if k := texts(r)[0]; len(out) == 0 || out[len(out)-1] != k {
			out = append(out, k)
		}
	}
	return strings.Join(out, " ")
}

func s10Build(f *fixture, asOf string) {
	f.t.Helper()
	zero := 0
	// S1's dates must lie before as_of; S10 does not use them.
	from, to, cutoff := mustDate("2018-01-01"), mustDate("2018-06-30"), mustDate("2018-12-31")
	f.build(asOf, config.Overrides{"suppress_below": zero, "s1.from": from, "s1.to": to, "s1.cutoff": cutoff})
}

// TestS10Maturity pins which kohorter are shown: from the first with an
// aktualisering to the last mature one (last day + 1 year on or before the
// report date), none skipped, every S1 status in each; the start is the
// first Aktualiserad over all periods, not only an S1 window.
func TestS10Maturity(t *testing.T) {
	f := newFixture(t)
	f.add("kaa_individer", "person, fodelsedatum, kon, aktualiserad, avaktualiserad, avaktualiseringsorsak",
		"('a', '2003-01-01', 'M', '2019-01-15', null, null)",              // 2019H1
		"('b', '2002-01-01', 'K', '2018-03-01', '2018-05-01', 'FLYTTAT')", // start 2018H1 …
		"('b', '2002-01-01', 'K', '2019-09-01', null, null)",              // … not this later period
		"('c', '2003-01-01', 'M', '2019-12-31', null, null)",              // 2019H2, on its last day
		"('d', '2003-01-01', 'M', '2020-03-01', null, null)",              // 2020H1: not mature
	)
	f.add("kaa_sysselsattning", "person, fodelsedatum, kon, datum, sysselsattning",
		"('a', '2003-01-01', 'M', '2019-06-01', 'KOMVUX')",
		"('c', '2003-01-01', 'M', '2020-12-31', 'ARBETE')", // on c's cutoff
	)

	// 2019H2 ends 2019-12-31; + 1 year = 2020-12-31 = the report date: shown.
	s10Build(f, "2020-12-31")
	if got, want := s10Kohorter(f, "2281"), "2018H1 2018H2 2019H1 2019H2"; got != want {
		t.Fatalf("kohorter %q, want %q\n%s", got, want, dump(f.table("s10_utfall", "2281")))
	}
	tb := f.table("s10_utfall", "2281")
	if got := strings.SplitN(dump(tb), "\n", 2)[0]; got != "kohort;status;antal;andel;andel_lag;andel_hog;" {
		t.Errorf("columns %s", got)
	}
	if len(tb.Rows) != 20 || texts(tb.Rows[0])[1] != "EXAMEN" || texts(tb.Rows[4])[1] != "INGEN_UPPGIFT" {
		t.Errorf("want the five statuses in the spec's order for each of four kohorter\n%s", dump(tb))
	}
	// b: cutoff 2019-03-01, the first period closed before it, the second
	// not begun: INGEN_UPPGIFT; 1 of 1 → interval 0.2065–1.
	wantCell(t, tb, "antal", "1", "2018H1", "INGEN_UPPGIFT")
	wantCell(t, tb, "andel", "1", "2018H1", "INGEN_UPPGIFT")
	wantCell(t, tb, "andel_lag", "0.2065", "2018H1", "INGEN_UPPGIFT")
	wantCell(t, tb, "andel_hog", "1", "2018H1", "INGEN_UPPGIFT")
	wantCell(t, tb, "andel_lag", "0", "2018H1", "STUDIER")
	wantCell(t, tb, "andel_hog", "0.7935", "2018H1", "STUDIER")
	// 2018H2 has nobody: shown, 0, shares and intervals blank
	wantCell(t, tb, "antal", "0", "2018H2", "STUDIER")
	wantCell(t, tb, "andel", "", "2018H2", "STUDIER")
	wantCell(t, tb, "andel_lag", "", "2018H2", "STUDIER")
	wantCell(t, tb, "antal", "1", "2019H1", "STUDIER")
	// c: the observation on the cutoff counts
	wantCell(t, tb, "antal", "1", "2019H2", "ARBETE")

	// one day earlier 2019H2 is not mature
	s10Build(f, "2020-12-30")
	if got, want := s10Kohorter(f, "2281"), "2018H1 2018H2 2019H1"; got != want {
		t.Errorf("as of 2020-12-30: kohorter %q, want %q", got, want)
	}
}

// TestS10LeapDayAndScopes: a start on 29 February is followed up on 28
// February a year later; each scope starts at its own first kohort.
func TestS10LeapDayAndScopes(t *testing.T) {
	f := newFixture(t)
	f.add("kaa_individer", "person, fodelsedatum, kon, aktualiserad, avaktualiserad, avaktualiseringsorsak",
		"('skott', '2003-01-01', 'M', '2020-02-29', '2020-06-01', 'FLYTTAT')",
		"('ex', '2003-01-01', 'K', '2020-01-10', null, null)",
		"('kvar', '2003-01-01', 'K', '2020-04-01', null, null)",
	)
	f.add("kaa_sysselsattning", "person, fodelsedatum, kon, datum, sysselsattning",
		"('skott', '2003-01-01', 'M', '2021-02-28', 'ARBETE')", // on the cutoff 2021-02-28
		"('skott', '2003-01-01', 'M', '2021-03-01', 'KOMVUX')", // a day after: not seen
		"('kvar', '2003-01-01', 'K', '2021-04-02', 'KOMVUX')",  // after kvar's cutoff
	)
	f.add("extens", "person, fodelsedatum, kon, extract_date, examen",
		"('ex', '2003-01-01', 'K', '2021-01-10', true)") // examen on ex's cutoff
	f.add("kaa_individer", "file_id, kommunkod, person, fodelsedatum, kon, aktualiserad",
		"('kaa_individer_2262', '2262', 'tidig', '2003-01-01', 'M', '2019-08-01')")
	s10Build(f, "2021-06-30")

	tb := f.table("s10_utfall", "2281")
	if got := s10Kohorter(f, "2281"); got != "2020H1" {
		t.Fatalf("2281 kohorter %q, want 2020H1 (2020H2 is not mature)\n%s", got, dump(tb))
	}
	wantCell(t, tb, "antal", "1", "2020H1", "ARBETE")
	wantCell(t, tb, "antal", "0", "2020H1", "STUDIER")
	wantCell(t, tb, "antal", "1", "2020H1", "EXAMEN")
	wantCell(t, tb, "antal", "1", "2020H1", "KVAR_I_KAA")
	wantCell(t, tb, "andel", "0.3333", "2020H1", "KVAR_I_KAA")
	// 2262's only person starts in 2019H2; 2020H1 is mature and shown empty
	if got := s10Kohorter(f, "2262"); got != "2019H2 2020H1" {
		t.Errorf("2262 kohorter %q, want 2019H2 2020H1", got)
	}
	if got := s10Kohorter(f, "region"); got != "2019H2 2020H1" {
		t.Errorf("region kohorter %q, want 2019H2 2020H1", got)
	}
	re := f.table("s10_utfall", "region")
	wantCell(t, re, "antal", "1", "2019H2", "KVAR_I_KAA")
	wantCell(t, re, "antal", "1", "2020H1", "ARBETE")
}
