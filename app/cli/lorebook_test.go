package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/npcstudio/npcstudio/backend/secrets"
)

var worldInfo = filepath.Join("..", "..", "testdata", "lore", "worldinfo")

// A World Info file goes into the lore library as a lorebook, exports as it came, attaches
// to a persona; persona import refuses it and says where it goes.
func TestLoreBookCommands(t *testing.T) {
	dir := t.TempDir()
	sec := secrets.NewMemory()
	do := func(args ...string) result { return run(t, sec, "", append([]string{"--data-dir", dir}, args...)...) }
	saltmere := filepath.Join(worldInfo, "saltmere_st.json")

	r := do("persona", "import", saltmere)
	if r.code == ExitOK || !strings.Contains(r.stderr, "saltmere_st.json") || !strings.Contains(r.stderr, "World Info") ||
		!strings.Contains(r.stderr, "npcstudio lore book import") {
		t.Fatalf("persona import of a world file: %+v", r)
	}
	if r = do("lore", "book", "import", saltmere, filepath.Join(worldInfo, "ashfall_v3.json")); r.code != ExitOK ||
		!strings.Contains(r.stdout, "imported   saltmere_st.json as lorebook saltmere_st (st-world, 4 entries)") ||
		!strings.Contains(r.stdout, "lorebook Ashfall Glossary (lorebook_v3, 2 entries)") {
		t.Fatalf("import: %+v", r)
	}
	if r = do("lore", "book", "list", "--json"); r.code != ExitOK {
		t.Fatalf("list: %+v", r)
	}
	var books []struct {
		File    string `json:"file"`
		Entries int    `json:"entries"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &books); err != nil || len(books) != 2 || books[1].File != "saltmere_st.json" {
		t.Fatalf("list --json: %v %s", err, r.stdout)
	}
	out := filepath.Join(t.TempDir(), "out.json")
	if r = do("lore", "book", "export", "saltmere_st.json", out); r.code != ExitOK {
		t.Fatalf("export: %+v", r)
	}
	a, _ := os.ReadFile(saltmere)
	b, _ := os.ReadFile(out)
	if !bytes.Equal(a, b) {
		t.Fatal("exported world file differs from the one imported")
	}

	if r = do("persona", "create", "--name", "Mira"); r.code != ExitOK {
		t.Fatalf("create: %+v", r)
	}
	if r = do("lore", "book", "attach", "saltmere_st.json", "--persona", "Mira"); r.code != ExitOK || !strings.Contains(r.stdout, "attached saltmere_st.json to Mira") {
		t.Fatalf("attach: %+v", r)
	}
	card := filepath.Join(t.TempDir(), "mira.json")
	if r = do("persona", "export", "Mira", "--format", "ccv2", "--out", card); r.code != ExitOK {
		t.Fatalf("export card: %+v", r)
	}
	raw, _ := os.ReadFile(card)
	var exported struct {
		Data struct {
			Book struct {
				Entries []struct {
					Content    string         `json:"content"`
					Position   string         `json:"position"`
					Extensions map[string]any `json:"extensions"`
				} `json:"entries"`
			} `json:"character_book"`
		} `json:"data"`
	}
	if err := json.Unmarshal(raw, &exported); err != nil || len(exported.Data.Book.Entries) != 4 {
		t.Fatalf("card book: %v %s", err, raw)
	}
	keeper := exported.Data.Book.Entries[1]
	if !strings.HasPrefix(keeper.Content, "Old Oren") || keeper.Position != "after_char" || keeper.Extensions["selectiveLogic"] != 3.0 ||
		keeper.Extensions["probability"] != 75.0 || keeper.Extensions["group"] != "keepers" || keeper.Extensions["group_weight"] != 50.0 ||
		keeper.Extensions["position"] != 1.0 {
		t.Errorf("attached entry %+v", keeper)
	}
}

// lore add takes a LaTeX PDF whose words search finds, a World Info file in a folder as a
// lorebook, and says "1 file that is" for the one file it skips.
func TestLoreAddPDFAndFolder(t *testing.T) {
	dir := t.TempDir()
	src := t.TempDir()
	for _, f := range []string{filepath.Join("..", "..", "testdata", "lore", "pdf", "guion_es.pdf"), filepath.Join(worldInfo, "saltmere_st.json")} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(src, filepath.Base(f)), b, 0o644)
	}
	os.WriteFile(filepath.Join(src, "cover.png"), []byte("\x89PNG\r\n"), 0o644)
	r := run(t, nil, "", "--data-dir", dir, "lore", "add", src)
	if r.code != ExitOK || !strings.Contains(r.stdout, "added      guion_es.pdf") ||
		!strings.Contains(r.stdout, "lorebook   saltmere_st.json (st-world, 4 entries)") ||
		!strings.Contains(r.stdout, "skipped    1 file that is not lore") || strings.Contains(r.stdout, "warning") {
		t.Fatalf("add: %+v", r)
	}
	r = run(t, nil, "", "--data-dir", dir, "lore", "search", "director", "--json")
	var res struct {
		Results []struct {
			Doc string `json:"doc"`
		} `json:"results"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil || len(res.Results) == 0 || res.Results[0].Doc != "guion_es.pdf" {
		t.Fatalf("search director: %v %+v", err, r)
	}
}
