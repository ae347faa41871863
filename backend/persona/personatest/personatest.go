// Package personatest puts the repository's test personas (testdata/persona/personas) in
// a workspace, for the tests of the areas that speak as them.
package personatest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/npcstudio/npcstudio/backend/persona"
)

// Dir is the folder of the test personas.
func Dir() string {
	_, here, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(here), "..", "..", "..", "testdata", "persona", "personas")
}

// Add creates the persona of file (e.g. "mira.json") in repo, written by Ana Writer.
func Add(t testing.TB, repo *persona.Repository, file string) persona.PersonaVersion {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(Dir(), file))
	if err != nil {
		t.Fatal(err)
	}
	var p persona.Persona
	if err := json.Unmarshal(raw, &p); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	p.ID = ""
	v, err := repo.Create(p, "Ana Writer")
	if err != nil {
		t.Fatal(err)
	}
	return v
}
