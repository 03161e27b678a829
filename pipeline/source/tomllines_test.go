package source

import (
	"testing"

	"github.com/BurntSushi/toml"
)

// FuzzKeyLines: on any text the TOML decoder accepts, the key scanner
// ends and finds a line for every key the decoder saw (keys under arrays
// of tables aside: a profile has none).
func FuzzKeyLines(f *testing.F) {
	for _, s := range []string{
		"a = 1\n[b]\nc = { d = [1, { e = 'x' }] }\n",
		"[extens.columns]\nKon = { header = \"Kön\", values = { Kvinna = \"K\" } }\n",
		"m = \"\"\"\nx\n\"\"\"\n'k.1' = '''\ny'''\n[t]\nq = 2\n",
		"\"a\\u00e5\" = 1\nd.e.f = true # c\n",
		"s = 'a#b' # c\n[x.\"y.z\"]\nw = [\n 1, # one\n 2,\n]\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		var v map[string]any
		md, err := toml.Decode(src, &v)
		if err != nil {
			return
		}
		lines := keyLines(src)
	keys:
		for _, k := range md.Keys() {
			for i := 1; i <= len(k); i++ {
				if md.Type(k[:i]...) == "ArrayHash" {
					continue keys
				}
			}
			if _, ok := lines[pathKey(k)]; !ok {
				t.Fatalf("no line for key %q in %q (lines %v)", k, src, lines)
			}
		}
	})
}
