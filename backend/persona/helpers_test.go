package persona

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/persona")

// testdata is the repository's testdata/persona directory.
var testdata = filepath.Join("..", "..", "testdata", "persona")

func readFile(t testing.TB, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(testdata, rel))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func loadJSON(t testing.TB, rel string, v any) {
	t.Helper()
	if err := json.Unmarshal(readFile(t, rel), v); err != nil {
		t.Fatalf("%s: %v", rel, err)
	}
}

func loadPersona(t testing.TB, name string) Persona {
	t.Helper()
	var p Persona
	loadJSON(t, filepath.Join("personas", name+".json"), &p)
	return p
}

// golden compares got with the golden file rel, or rewrites it with -update.
func golden(t *testing.T, rel string, got []byte) {
	t.Helper()
	path := filepath.Join(testdata, rel)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, append(bytes.TrimRight(got, "\n"), '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(bytes.TrimRight(want, "\n")), string(bytes.TrimRight(got, "\n"))); diff != "" {
		t.Errorf("%s differs (-want +got):\n%s", rel, diff)
	}
}

// jsonValue decodes JSON keeping numbers exact, for structural comparison.
func jsonValue(t testing.TB, b []byte) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("decode: %v\n%s", err, b)
	}
	return v
}
