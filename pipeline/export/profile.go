package export

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
)

// profileKinds are the file kinds a mapping profile may configure. They
// mirror the kinds of pipeline/contract; this package only uses the names
// to reject misspelt tables.
var profileKinds = []string{
	"extens", "gruus", "kaa_individer", "kaa_sysselsattning", "kaa_atgarder",
	"deltagare", "tidsstudie", "omraden", "omradesstatistik", "grundskolor", "skolalias",
}

// ProfileKinds returns the file-kind names accepted as tables in
// mapping.toml.
func ProfileKinds() []string { return slices.Clone(profileKinds) }

// Profile is a kommun's mapping profile (mapping.toml). The zero Profile
// maps nothing and detects encoding and delimiter.
type Profile struct {
	// Encoding, if set, forces the encoding of every file of the kommun
	// ("utf-8" or "windows-1252").
	Encoding string
	// Delimiter, if not 0, forces the delimiter of every file.
	Delimiter rune
	// Kinds holds the per-kind mappings, keyed by file kind.
	Kinds map[string]KindProfile
}

// KindProfile is the mapping of one file kind.
type KindProfile struct {
	// Columns: canonical column name → header name in this kommun's export.
	Columns map[string]string `toml:"columns"`
	// Values: canonical column name → (export value → canonical value).
	Values map[string]map[string]string `toml:"values"`
}

// Options returns the Options for reading a file of the given kind. An
// unconfigured kind gets only the profile-wide encoding and delimiter.
func (p Profile) Options(kind string) Options {
	k := p.Kinds[kind]
	return Options{
		Encoding:  p.Encoding,
		Delimiter: p.Delimiter,
		Rename:    k.Columns,
		Recode:    k.Values,
	}
}

// LoadProfile reads a mapping profile (see the package documentation for
// the format). A file that does not exist gives the zero Profile and no
// error. Unknown keys, unknown kinds, an unknown encoding or an unusable
// delimiter are errors naming the file and the key.
func LoadProfile(path string) (Profile, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return Profile{}, nil
	}
	if err != nil {
		return Profile{}, err
	}
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	fail := func(format string, args ...any) (Profile, error) {
		return Profile{}, fmt.Errorf("%s: %s", path, fmt.Sprintf(format, args...))
	}

	var top map[string]toml.Primitive
	md, err := toml.Decode(string(data), &top)
	if err != nil {
		return fail("%v", err)
	}
	var p Profile
	keys := make([]string, 0, len(top))
	for k := range top {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, key := range keys {
		prim := top[key]
		switch {
		case key == "encoding":
			var s string
			if err := md.PrimitiveDecode(prim, &s); err != nil {
				return fail("encoding: %v", err)
			}
			enc, ok := normEncoding(s)
			if !ok {
				return fail("unknown encoding %q (use utf-8 or windows-1252)", s)
			}
			p.Encoding = enc
		case key == "delimiter":
			var s string
			if err := md.PrimitiveDecode(prim, &s); err != nil {
				return fail("delimiter: %v", err)
			}
			r, size := utf8.DecodeRuneInString(s)
			if size == 0 || size != len(s) || r >= utf8.RuneSelf || strings.ContainsRune("\" \r\n", r) {
				return fail("delimiter must be one ASCII character such as \";\", \",\" or \"\\t\", not %q", s)
			}
			p.Delimiter = r
		case slices.Contains(profileKinds, key):
			var k KindProfile
			if err := md.PrimitiveDecode(prim, &k); err != nil {
				return fail("%s: %v", key, err)
			}
			if p.Kinds == nil {
				p.Kinds = make(map[string]KindProfile)
			}
			p.Kinds[key] = k
		default:
			var v any
			if md.PrimitiveDecode(prim, &v) == nil {
				if _, table := v.(map[string]any); table {
					return fail("unknown kind [%s] (kinds: %s)", key, strings.Join(profileKinds, ", "))
				}
			}
			return fail("unknown key %q", key)
		}
	}
	if un := md.Undecoded(); len(un) > 0 {
		return fail("unknown key %q", un[0].String())
	}
	return p, nil
}
