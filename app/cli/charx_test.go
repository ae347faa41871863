package cli

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/npcstudio/npcstudio/backend/secrets"
)

// A RisuAI CHARX card imports with its image, and the persona exports as CHARX again.
func TestPersonaCHARX(t *testing.T) {
	dir := t.TempDir()
	do := func(args ...string) result {
		return run(t, secrets.NewMemory(), "", append([]string{"--data-dir", dir}, args...)...)
	}
	src := filepath.Join(personaData, "realcards", "tk_test_character_with_lorebook.charx")
	if r := do("persona", "import", src); r.code != ExitOK || !strings.Contains(r.stdout, "Lorebook Test Character") {
		t.Fatalf("import: %+v", r)
	}
	out := filepath.Join(t.TempDir(), "out.charx")
	if r := do("persona", "export", "Lorebook Test Character", "--format", "charx", "--out", out); r.code != ExitOK {
		t.Fatalf("export: %+v", r)
	}
	icon := func(path string) []byte {
		zr, err := zip.OpenReader(path)
		if err != nil {
			t.Fatal(err)
		}
		defer zr.Close()
		for _, f := range zr.File {
			if strings.HasSuffix(f.Name, ".png") {
				rc, _ := f.Open()
				b, _ := io.ReadAll(rc)
				rc.Close()
				return b
			}
		}
		return nil
	}
	if a, b := icon(src), icon(out); len(a) == 0 || !bytes.Equal(a, b) {
		t.Errorf("exported icon (%d bytes) is not the imported one (%d bytes)", len(b), len(a))
	}
	if _, err := os.Stat(out); err != nil {
		t.Fatal(err)
	}
}
