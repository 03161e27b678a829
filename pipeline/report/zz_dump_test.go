package report

import (
	"os"
	"testing"
)

func TestZZDump(t *testing.T) {
	if err := RenderFS(sampleFS(nil), "/tmp/kaa-render", sampleSite()); err != nil {
		t.Fatal(err)
	}
	_ = os.Stdout
}
