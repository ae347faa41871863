package lore

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var worldInfoDir = filepath.Join("..", "..", "testdata", "lore", "worldinfo")

// sharedWorldInfo are real World Info files kept outside the repository (their licences
// differ from the project's); they are tested when present.
const sharedWorldInfo = "/work/shared/fixtures/real/worldinfo"

func worldInfoFiles(t *testing.T) []string {
	files, _ := filepath.Glob(filepath.Join(worldInfoDir, "*.json"))
	shared, _ := filepath.Glob(filepath.Join(sharedWorldInfo, "*.json"))
	if len(files) < 3 {
		t.Fatalf("world info fixtures: %v", files)
	}
	return append(files, shared...)
}

func decodeJSON(t *testing.T, b []byte) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

// A World Info file imported into the library exports with every field it had, known or
// not, and its entries read as a lorebook.
func TestWorldInfoRoundTrip(t *testing.T) {
	lib := newLibrary(t, Options{})
	for _, path := range worldInfoFiles(t) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			orig, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			book, err := lib.AddBook(path)
			if err != nil {
				t.Fatal(err)
			}
			_, out, err := lib.BookFile(book.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(orig, out) {
				t.Errorf("exported bytes differ from the file imported")
			}
			if diff := cmp.Diff(decodeJSON(t, orig), decodeJSON(t, out)); diff != "" {
				t.Errorf("(-imported +exported):\n%s", diff)
			}
			_, lb, err := lib.Book(book.File)
			if err != nil || len(lb.Entries) != book.Entries || book.Entries == 0 {
				t.Fatalf("entries %d/%d: %v", len(lb.Entries), book.Entries, err)
			}
		})
	}
}

// The fields of SillyTavern's entries are read with their meaning.
func TestWorldInfoEntryFields(t *testing.T) {
	data, _ := os.ReadFile(filepath.Join(worldInfoDir, "saltmere_st.json"))
	lb, kind, err := ParseWorldFile("saltmere_st.json", data)
	if err != nil || kind != BookSTWorld || len(lb.Entries) != 4 {
		t.Fatalf("%s %d %v", kind, len(lb.Entries), err)
	}
	keeper, smugglers := lb.Entries[1], lb.Entries[3]
	if keeper.SelectiveLogic != AndAll || !keeper.Selective || keeper.InsertionOrder != 90 || keeper.Position != "after_char" ||
		!cmp.Equal(keeper.SecondaryKeys, []string{"keeper", "Oren"}) {
		t.Errorf("keeper %+v", keeper)
	}
	if smugglers.ID != 10 || smugglers.Enabled || smugglers.SelectiveLogic != NotAny || !smugglers.ExcludeRecursion {
		t.Errorf("smugglers (entry \"10\", after \"2\") %+v", smugglers)
	}
	act := Activate(lb, []string{"Who keeps the lighthouse? Oren, the keeper?"})
	// The keeper (order 90, both secondary keys present) and the constant Tam (order 100).
	if len(act.Fired) != 2 || act.Fired[0].Comment != "The keeper" || act.Fired[1].Comment != "Tam" {
		t.Errorf("fired %+v", act.Fired)
	}

	v3, _ := os.ReadFile(filepath.Join(worldInfoDir, "ashfall_v3.json"))
	lb, kind, err = ParseWorldFile("ashfall_v3.json", v3)
	if err != nil || kind != BookLorebookV3 || lb.Name != "Ashfall Glossary" || len(lb.Entries) != 2 || lb.Entries[0].Priority != 5 {
		t.Fatalf("%s %+v %v", kind, lb, err)
	}
}

// A folder import takes World Info files as lorebooks, not as skipped files; a card or
// any other JSON stays skipped; a malformed world file fails naming the file.
func TestFolderImportTakesWorldInfo(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"saltmere_st.json", "ashfall_v3.json"} {
		b, _ := os.ReadFile(filepath.Join(worldInfoDir, name))
		os.WriteFile(filepath.Join(dir, name), b, 0o644)
	}
	os.WriteFile(filepath.Join(dir, "card.json"), []byte(`{"spec":"chara_card_v2","data":{"name":"x"}}`), 0o644)
	os.WriteFile(filepath.Join(dir, "notes.md"), []byte("# Notes\n\nThe harbour."), 0o644)
	os.WriteFile(filepath.Join(dir, "broken.json"), []byte(`{"entries": {"0": {"key": "not a list"}}}`), 0o644)
	lib := newLibrary(t, Options{})
	rep, err := lib.Add(context.Background(), []string{dir}, AddOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, b := range rep.Books {
		names = append(names, b.File)
	}
	if !cmp.Equal(names, []string{"ashfall_v3.json", "saltmere_st.json"}) || len(rep.Added) != 1 {
		t.Errorf("books %v, documents %d", names, len(rep.Added))
	}
	if len(rep.Skipped) != 1 || filepath.Base(rep.Skipped[0]) != "card.json" {
		t.Errorf("skipped %v", rep.Skipped)
	}
	if len(rep.Failed) != 1 || !strings.Contains(rep.Failed[0].Message, "broken.json") || !strings.Contains(rep.Failed[0].Message, "entries.0") {
		t.Errorf("failed %+v", rep.Failed)
	}
	books, _ := lib.Books()
	if len(books) != 2 {
		t.Errorf("library books %+v", books)
	}
	// The card named on its own is a problem, not a file passed over.
	rep, err = lib.Add(context.Background(), []string{filepath.Join(dir, "card.json")}, AddOptions{})
	if err != nil || len(rep.Skipped) != 0 || len(rep.Failed) != 1 || !strings.Contains(rep.Failed[0].Message, "World Info") {
		t.Errorf("card.json alone: %+v %v", rep, err)
	}
}

// A World Info file either reads or fails with a WorldFileError naming the file.
func FuzzParseWorldFile(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join(worldInfoDir, "*.json"))
	for _, p := range files {
		b, _ := os.ReadFile(p)
		f.Add(b)
	}
	f.Add([]byte(`{"entries": {"x": {"uid": "7", "key": null, "order": 1.5}}}`))
	f.Add([]byte(`{"spec": "lorebook_v3", "data": {"entries": [{"id": "a", "keys": "k"}]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		lb, kind, err := ParseWorldFile("fuzz.json", data)
		if err != nil {
			var we *WorldFileError
			if !errors.As(err, &we) || we.File != "fuzz.json" || we.Reason == "" {
				t.Fatalf("error %T %v", err, err)
			}
			return
		}
		if kind == "" || lb.Entries == nil {
			t.Fatalf("kind %q entries %v", kind, lb.Entries)
		}
		for _, e := range lb.Entries {
			if e.Keys == nil {
				t.Fatal("nil keys")
			}
		}
	})
}
