package warehouse

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestTablesFromTheContract pins the columns the contract (through
// ingest.Schema and ingest.RejectSchema) gives the tables a load fills:
// a person kind's pseudonym, birth date and kön instead of the
// personnummer, extens Kon merged into kon and Skyddad not stored, a
// Dated kind's extract_date, and the rejects' not-null columns.
func TestTablesFromTheContract(t *testing.T) {
	ctx := context.Background()
	w, err := Open(ctx, filepath.Join(t.TempDir(), "t.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	for table, want := range map[string]string{
		"ingest_reject": "file_id VARCHAR NO, path VARCHAR NO, line INTEGER NO, rule VARCHAR NO, field VARCHAR YES, value VARCHAR YES",
		"raw_extens": "file_id VARCHAR YES, kommunkod VARCHAR YES, line INTEGER YES, person VARCHAR YES, fodelsedatum DATE YES, kon VARCHAR YES, " +
			"extract_date DATE YES, postnummer VARCHAR YES, grundskola VARCHAR YES, gymnasieskola VARCHAR YES, program VARCHAR YES, " +
			"inskriven BOOLEAN YES, avgangsdatum DATE YES, avgangstyp VARCHAR YES, examen BOOLEAN YES",
		"raw_tidsstudie": "file_id VARCHAR YES, kommunkod VARCHAR YES, line INTEGER YES, datum DATE YES, coach VARCHAR YES, " +
			"kategori VARCHAR YES, minuter BIGINT YES, kon VARCHAR YES, alder BIGINT YES",
		"raw_omradesstatistik": "file_id VARCHAR YES, kommunkod VARCHAR YES, line INTEGER YES, omrade VARCHAR YES, ar BIGINT YES, " +
			"befolkning0_19 BIGINT YES, befolkning BIGINT YES, andelforgymnasial DOUBLE YES, andeloppetarbetslosa DOUBLE YES, " +
			"andelekonomisktbistand DOUBLE YES, medianinkomst DOUBLE YES, ohalsotal DOUBLE YES, sjalvskattadhalsa DOUBLE YES",
		"raw_deltagare": "file_id VARCHAR YES, kommunkod VARCHAR YES, line INTEGER YES, person VARCHAR YES, fodelsedatum DATE YES, kon VARCHAR YES, " +
			"inskriven DATE YES, utskriven DATE YES, sysvidavslut VARCHAR YES, anvisadstodinsats BOOLEAN YES, coach VARCHAR YES",
	} {
		rows, err := w.Query(ctx, `select column_name, data_type, is_nullable from information_schema.columns
			where table_name = ? order by ordinal_position`, table)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for rows.Next() {
			var name, typ, null string
			if err := rows.Scan(&name, &typ, &null); err != nil {
				t.Fatal(err)
			}
			got = append(got, name+" "+typ+" "+null)
		}
		rows.Close()
		if g := strings.Join(got, ", "); g != want {
			t.Errorf("%s:\n got %s\nwant %s", table, g, want)
		}
	}
}
