package persona

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// FuzzImportCard feeds the card parser arbitrary bytes. The seeds are every card fixture,
// good and bad; crashers found by `go test -fuzz=FuzzImportCard` are kept as regression
// seeds in testdata/fuzz/FuzzImportCard beside this file. A card either fails with a
// *CardError naming the file, or exports and imports back to the same persona. Export adds
// the keys the spec requires, which come back as kept zero values, so the bookkeeping of
// kept keys may change once; after that, export and import are a fixed point.
func FuzzImportCard(f *testing.F) {
	for _, dir := range []string{"cards", "bad"} {
		entries, err := os.ReadDir(filepath.Join(testdata, dir))
		if err != nil {
			f.Fatal(err)
		}
		for _, e := range entries {
			f.Add(readFile(f, filepath.Join(dir, e.Name())))
		}
	}
	f.Add([]byte(`{"name":"x"}`))
	f.Add([]byte(`{"spec":"chara_card_v2","data":{"name":"x","extensions":{"npcstudio":{"role":"r"}}}}`))
	f.Add(append(bytes.Clone(pngSignature), 0, 0, 0, 13, 'I', 'H', 'D', 'R'))

	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := ImportCard("fuzz.card", bytes.NewReader(data))
		if err != nil {
			var ce *CardError
			if !errors.As(err, &ce) || ce.File != "fuzz.card" || ce.Reason == "" {
				t.Fatalf("error is not a CardError naming the file: %T %v", err, err)
			}
			return
		}
		format := res.Format
		if format == CardV1 {
			format = CardV2
		}
		var out bytes.Buffer
		if err := ExportCard(res.Persona, format, res.PNG, &out); err != nil {
			t.Fatalf("export of an imported card: %v", err)
		}
		first := bytes.Clone(out.Bytes())
		again, err := ImportCard("again", &out)
		if err != nil {
			t.Fatalf("re-import of an exported card: %v\n%s", err, first)
		}
		if res.Format != CardV1 {
			kept := cmpopts.IgnoreFields(Persona{}, "Card")
			extra := cmpopts.IgnoreFields(Lorebook{}, "Extra")
			entryExtra := cmpopts.IgnoreFields(LoreEntry{}, "Extra")
			if diff := cmp.Diff(res.Persona, again.Persona, kept, extra, entryExtra); diff != "" {
				t.Fatalf("round trip changed the persona (-imported +re-imported):\n%s", diff)
			}
		}
		out.Reset()
		if err := ExportCard(again.Persona, format, again.PNG, &out); err != nil {
			t.Fatalf("second export: %v", err)
		}
		if !bytes.Equal(first, out.Bytes()) {
			t.Fatalf("second export differs:\n%s\n%s", first, out.Bytes())
		}
	})
}
