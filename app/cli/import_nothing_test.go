package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/npcstudio/npcstudio/backend/secrets"
)

// A file that gives no record exits 3, says why by line, leaves no dataset or version behind,
// and quotes nothing of a file that is no dataset.
func TestImportOfNothingExitsThreeAndLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	sec := secrets.NewMemory()
	ws := []string{"--data-dir", filepath.Join(dir, "ws")}
	cli := func(args ...string) result {
		t.Helper()
		return run(t, sec, "", append(ws, args...)...)
	}
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	secret := "root:x:0:0:root:/root:/bin/bash\nwriter:hunter2-very-private:1000:1000::/home/writer:/bin/sh\n"
	files := map[string]string{
		"skipped.jsonl": `{"prompt": "bad json",}` + "\n" + `{"neither": "record"}` + "\n",
		"deep.jsonl":    strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + "\n" + strings.Repeat(`{"a":`, 20000) + "1" + strings.Repeat("}", 20000) + "\n",
		"empty.jsonl":   "\n\n",
		"passwd.jsonl":  secret,
		"header.csv":    "prompt,completion\n",
	}
	for name, text := range files {
		t.Run(name, func(t *testing.T) {
			path := write(name, text)
			r := cli("dataset", "import", "From "+name, path, "--base-model", haiku, "--json")
			if r.code != ExitInvalid {
				t.Fatalf("want exit 3, got %+v", r)
			}
			var e struct {
				Error struct {
					Code    string `json:"code"`
					Message string `json:"message"`
				} `json:"error"`
			}
			if err := json.Unmarshal([]byte(r.stdout), &e); err != nil || e.Error.Message == "" {
				t.Fatalf("--json: %v %q", err, r.stdout)
			}
			if !strings.Contains(e.Error.Message, name) {
				t.Errorf("message does not name the file: %q", e.Error.Message)
			}
			for _, leak := range []string{"root", "hunter2", "/bin/", "writer"} {
				if strings.Contains(r.stdout+r.stderr, leak) {
					t.Errorf("output quotes the file (%q): %s%s", leak, r.stdout, r.stderr)
				}
			}
			if list := cli("dataset", "list", "--json"); strings.Contains(list.stdout, "From "+name) {
				t.Fatalf("an empty dataset was left behind: %s", list.stdout)
			}
		})
	}

	// A file whose first line is no CSV header is refused for want of columns, by field,
	// without showing the line, and leaves no dataset either.
	r := cli("dataset", "import", "From passwd", write("passwd.csv", secret), "--base-model", haiku, "--json")
	if r.code != ExitError || !strings.Contains(r.stdout, `"field":"columns.prompt"`) || strings.Contains(r.stdout, "root") || strings.Contains(r.stdout, "hunter2") {
		t.Fatalf("passwd.csv: %+v", r)
	}
	if list := cli("dataset", "list", "--json"); strings.Contains(list.stdout, "From passwd") {
		t.Fatalf("an empty dataset was left behind: %s", list.stdout)
	}

	// Into an existing dataset: exit 3, no new version, the dataset stays.
	good := write("good.jsonl", `{"prompt":"Who keeps the light?","completion":"I do."}`+"\n")
	if r := cli("dataset", "import", "Ada", good, "--base-model", haiku); r.code != ExitOK {
		t.Fatalf("import: %+v", r)
	}
	r = cli("dataset", "import", "Ada", filepath.Join(dir, "skipped.jsonl"))
	if r.code != ExitInvalid || !strings.Contains(r.stderr, "skipped.jsonl: nothing imported: 2 lines skipped; line 1:") {
		t.Fatalf("import of nothing into Ada: %+v", r)
	}
	if v := cli("dataset", "versions", "Ada", "--json"); strings.Count(v.stdout, `"number"`) != 1 {
		t.Fatalf("a version was made of nothing: %s", v.stdout)
	}
}

// lore add of a folder with no lore file in it imported nothing: exit 3, as a failed file.
func TestLoreAddOfNothingExitsThree(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(t.TempDir(), "notes")
	os.MkdirAll(src, 0o755)
	os.WriteFile(filepath.Join(src, "keys.bin"), []byte("not lore"), 0o644)
	os.WriteFile(filepath.Join(src, ".hidden.md"), []byte("# hidden"), 0o644)
	r := run(t, secrets.NewMemory(), "", "--data-dir", dir, "lore", "add", src)
	if r.code != ExitInvalid || !strings.Contains(r.stdout, "skipped    2 files") || !strings.Contains(r.stdout, "0 added, 0 updated, 0 unchanged, 0 failed") {
		t.Fatalf("lore add of nothing: %+v", r)
	}
}

// File names with control or bidirectional characters are printed escaped, in the report
// and in messages.
func TestFileNamesWithControlCharactersArePrintedEscaped(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(t.TempDir(), "names")
	os.MkdirAll(src, 0o755)
	disguised := "report\u202egpj.md"
	os.WriteFile(filepath.Join(src, disguised), []byte("# The Ember Court\n\nThe court meets at dusk.\n"), 0o644)
	empty := "clear\x1b[2J.md"
	os.WriteFile(filepath.Join(src, empty), nil, 0o644)
	r := run(t, secrets.NewMemory(), "", "--data-dir", dir, "lore", "add", src)
	if !strings.Contains(r.stdout, `added      "report\u202egpj.md"`) || !strings.Contains(r.stdout, `clear\x1b[2J.md": the document has no text`) {
		t.Fatalf("names not escaped: %+v", r)
	}
	for _, raw := range []string{"\u202e", "\x1b"} {
		if strings.Contains(r.stdout+r.stderr, raw) {
			t.Fatalf("raw %q printed: %q", raw, r.stdout+r.stderr)
		}
	}
	list := run(t, secrets.NewMemory(), "", "--data-dir", dir, "lore", "list")
	if !strings.Contains(list.stdout, `"report\u202egpj.md"`) || strings.Contains(list.stdout, "\u202e") {
		t.Fatalf("list: %q", list.stdout)
	}
	// An error about the file, as JSON: escaped in the message too.
	r = run(t, secrets.NewMemory(), "", "--data-dir", dir, "dataset", "import", "X", filepath.Join(src, disguised+".jsonl"), "--base-model", haiku, "--json")
	if r.code == ExitOK || strings.Contains(r.stdout, "\u202e") || !strings.Contains(r.stdout, `report\\u202egpj.md.jsonl`) {
		t.Fatalf("error message: %+v", r)
	}
}
