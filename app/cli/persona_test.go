package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/npcstudio/npcstudio/backend/secrets"
)

// personaData is the repository's testdata/persona.
var personaData = filepath.Join("..", "..", "testdata", "persona")

type cliError struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Field   string `json:"field"`
		Line    int    `json:"line"`
	} `json:"error"`
}

func decode[T any](t *testing.T, r result) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(r.stdout), &v); err != nil {
		t.Fatalf("not JSON: %v\n%+v", err, r)
	}
	return v
}

// personaCLI runs commands against one workspace.
func personaCLI(t *testing.T) (dir string, do func(args ...string) result) {
	dir = t.TempDir()
	sec := secrets.NewMemory()
	run(t, sec, "", "--data-dir", dir, "settings", "set", "--author", "Ana Writer")
	return dir, func(args ...string) result {
		t.Helper()
		return run(t, sec, "", append([]string{"--data-dir", dir}, args...)...)
	}
}

func writeJSON(t *testing.T, v any) string {
	t.Helper()
	raw, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "persona.json")
	if err := os.WriteFile(path, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestPersonaCreateShowListSaveHistoryDiffRestore(t *testing.T) {
	_, do := personaCLI(t)
	mira := filepath.Join(personaData, "personas", "mira.json")
	r := do("persona", "create", "--from-file", mira)
	if r.code != ExitOK || !strings.Contains(r.stdout, "created persona Mira Saltwhistle") {
		t.Fatalf("create: %+v", r)
	}
	if r = do("persona", "create", "--name", "Bren Harrow"); r.code != ExitOK {
		t.Fatalf("create empty: %+v", r)
	}

	type page struct {
		Items []struct{ ID, Name, UpdatedBy string } `json:"items"`
		Total int                                    `json:"total"`
	}
	list := decode[page](t, do("persona", "list", "--json"))
	if list.Total != 2 || list.Items[0].Name != "Bren Harrow" || list.Items[1].UpdatedBy != "Ana Writer" {
		t.Fatalf("list: %+v", list)
	}
	if q := decode[page](t, do("persona", "list", "--query", "smith", "--json")); q.Total != 1 {
		t.Fatalf("list --query smith: %+v", q)
	}
	if r = do("persona", "list"); !strings.Contains(r.stdout, "the harbour blacksmith of Saltmere") {
		t.Fatalf("list: %+v", r)
	}

	r = do("persona", "show", "mira saltwhistle")
	for _, want := range []string{"version 1 by Ana Writer", "Speech style", "Lore collections", "- saltmere", "Safety notes"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("show lacks %q:\n%s", want, r.stdout)
		}
	}
	type version struct {
		PersonaID string         `json:"personaId"`
		N         int            `json:"n"`
		Persona   map[string]any `json:"persona"`
	}
	v1 := decode[version](t, do("persona", "show", "Mira Saltwhistle", "--json"))

	// Save an edit from the file show --json printed: version 2.
	v1.Persona["personality"] = "Gruff, loyal and very curious. Warms up to people who work with their hands."
	edited := writeJSON(t, v1)
	if r = do("persona", "save", "Mira Saltwhistle", "--from-file", edited); r.code != ExitOK || !strings.Contains(r.stdout, "version 2") {
		t.Fatalf("save: %+v", r)
	}
	if r = do("persona", "save", "Mira Saltwhistle", "--from-file", edited); !strings.Contains(r.stdout, "unchanged (version 2)") {
		t.Fatalf("identical save made a version: %+v", r)
	}

	r = do("persona", "history", "Mira Saltwhistle")
	if r.code != ExitOK || !strings.Contains(r.stdout, "VERSION") || strings.Count(r.stdout, "Ana Writer") != 2 {
		t.Fatalf("history: %+v", r)
	}
	r = do("persona", "diff", "Mira Saltwhistle", "1", "2")
	if r.code != ExitOK || !strings.Contains(r.stdout, "personality (changed)") || !strings.Contains(r.stdout, "{+very +}curious") {
		t.Fatalf("diff: %+v", r)
	}
	type diff struct {
		Fields []struct {
			Field    string `json:"field"`
			Segments []struct{ Op, Text string }
		} `json:"fields"`
	}
	d := decode[diff](t, do("persona", "diff", v1.PersonaID, "v1", "v2", "--json"))
	if len(d.Fields) != 1 || d.Fields[0].Field != "personality" {
		t.Fatalf("diff --json: %+v", d)
	}

	if r = do("persona", "restore", "Mira Saltwhistle", "1"); r.code != ExitOK || !strings.Contains(r.stdout, "restored version 1 of Mira Saltwhistle as version 3") {
		t.Fatalf("restore: %+v", r)
	}
	if r = do("persona", "diff", "Mira Saltwhistle", "1", "3"); !strings.Contains(r.stdout, "no differences") {
		t.Fatalf("restored version differs from version 1: %+v", r)
	}
	if r = do("persona", "history", "Mira Saltwhistle"); !strings.Contains(r.stdout, "restored from version 1") {
		t.Fatalf("history after restore: %+v", r)
	}

	if r = do("persona", "copy", "Mira Saltwhistle", "Mira (winter)", "--version", "2"); r.code != ExitOK {
		t.Fatalf("copy: %+v", r)
	}
	if c := decode[version](t, do("persona", "show", "Mira (winter)", "--json")); !strings.Contains(c.Persona["personality"].(string), "very curious") {
		t.Fatalf("copy of version 2: %+v", c)
	}
	if r = do("persona", "delete", "Mira (winter)"); r.code != ExitOK {
		t.Fatalf("delete: %+v", r)
	}
	if r = do("persona", "show", "Mira (winter)", "--json"); r.code != ExitError || decode[cliError](t, r).Error.Code != "not_found" {
		t.Fatalf("show deleted: %+v", r)
	}
}

func TestPersonaRenderEveryFamily(t *testing.T) {
	_, do := personaCLI(t)
	do("persona", "create", "--from-file", filepath.Join(personaData, "personas", "mira.json"))
	tests := []struct {
		family string
		keys   []string
	}{
		{"bedrock-converse", []string{"system", "messages", "inferenceConfig"}},
		{"claude-messages", []string{"anthropic_version", "max_tokens", "system", "messages"}},
		{"titan-text", []string{"inputText", "textGenerationConfig"}},
		{"llama3", []string{"prompt", "max_gen_len"}},
		{"openai-chat", []string{"model", "messages", "max_tokens"}},
	}
	for _, tt := range tests {
		for _, mode := range []string{"base", "rag"} {
			t.Run(tt.family+"/"+mode, func(t *testing.T) {
				r := do("persona", "render", "Mira Saltwhistle", "--family", tt.family, "--mode", mode, "--message", "Who stole the oil?")
				if r.code != ExitOK {
					t.Fatalf("%+v", r)
				}
				var body map[string]any
				if err := json.Unmarshal([]byte(r.stdout), &body); err != nil {
					t.Fatalf("stdout is not the JSON body: %v\n%s", err, r.stdout)
				}
				for _, k := range tt.keys {
					if _, ok := body[k]; !ok {
						t.Errorf("body lacks %q: %s", k, r.stdout)
					}
				}
				if !strings.Contains(r.stdout, "Who stole the oil?") || !strings.HasPrefix(r.stdout, "{\n  \"") {
					t.Errorf("body is not the pretty request with the message:\n%s", r.stdout)
				}
				if got := strings.Contains(r.stdout, "Saltmere lives on salt"); got != (mode == "rag") {
					t.Errorf("sample lore in %s mode: %v", mode, got)
				}
				if !strings.Contains(r.stderr, "tokens") {
					t.Errorf("no token estimate on stderr: %q", r.stderr)
				}
			})
		}
	}
	r := do("persona", "render", "Mira Saltwhistle", "--family", "openai-chat", "--json")
	var rendered struct {
		Body   string `json:"body"`
		Tokens int    `json:"tokens"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &rendered); err != nil || rendered.Tokens == 0 || !json.Valid([]byte(rendered.Body)) {
		t.Fatalf("render --json: %v %+v", err, r)
	}
	for _, args := range [][]string{
		{"persona", "render", "Mira Saltwhistle"},
		{"persona", "render", "Mira Saltwhistle", "--family", "gpt-9"},
		{"persona", "render", "Mira Saltwhistle", "--family", "llama3", "--mode", "chaos"},
	} {
		if r := do(args...); r.code != ExitUsage || !strings.Contains(r.stderr, "bedrock-converse") && !strings.Contains(r.stderr, "base or rag") {
			t.Errorf("%v: want a usage error naming the choices, got %+v", args, r)
		}
	}
}

func TestPersonaReimportNeedsAChoice(t *testing.T) {
	_, do := personaCLI(t)
	card := filepath.Join(personaData, "cards", "mira_v2.json")
	if r := do("persona", "import", card); r.code != ExitOK {
		t.Fatalf("first import: %+v", r)
	}
	count := func() int {
		var page struct {
			Total int `json:"total"`
		}
		page = decode[struct {
			Total int `json:"total"`
		}](t, do("persona", "list", "--json"))
		return page.Total
	}
	r := do("persona", "import", card, "--json")
	e := decode[cliError](t, r)
	if r.code != ExitError || e.Error.Code != "card_matches" || e.Error.Field != "onMatch" || !strings.Contains(e.Error.Message, `"Mira Saltwhistle (2)"`) {
		t.Fatalf("re-import without a choice: %+v", r)
	}
	if r := do("persona", "import", card); !strings.Contains(r.stderr, "--replace or --keep-both") {
		t.Fatalf("the error does not say what to do: %+v", r)
	}
	if n := count(); n != 1 {
		t.Fatalf("a refused import left %d personas", n)
	}
	if r := do("persona", "import", card, "--replace", "--keep-both"); r.code != ExitUsage {
		t.Fatalf("both choices: %+v", r)
	}
	// A card unchanged since the last import adds no version; a changed one does.
	if r := do("persona", "import", card, "--replace"); r.code != ExitOK || !strings.Contains(r.stdout, "already matches the card (version 1): nothing saved") {
		t.Fatalf("--replace with the same card: %+v", r)
	}
	changed := filepath.Join(t.TempDir(), "mira.json")
	raw, _ := os.ReadFile(card)
	os.WriteFile(changed, []byte(strings.Replace(string(raw), "gruff", "grumpy", 1)), 0o644)
	if r := do("persona", "import", changed, "--replace"); r.code != ExitOK || !strings.Contains(r.stdout, "saved the card as version 2 of") {
		t.Fatalf("--replace: %+v", r)
	}
	if n := count(); n != 1 {
		t.Fatalf("--replace made %d personas", n)
	}
	if r := do("persona", "import", card, "--keep-both"); r.code != ExitOK || !strings.Contains(r.stdout, "imported Mira Saltwhistle (2)") {
		t.Fatalf("--keep-both: %+v", r)
	}
	if r := do("persona", "import", card, "--keep-both"); r.code != ExitOK || !strings.Contains(r.stdout, "imported Mira Saltwhistle (3)") {
		t.Fatalf("--keep-both again: %+v", r)
	}
	if n := count(); n != 3 {
		t.Fatalf("%d personas after two keep-both imports", n)
	}
}

func TestPersonaImportExportRoundTrip(t *testing.T) {
	_, do := personaCLI(t)
	for _, card := range []string{"mira_v2.json", "mira_v2.png", "bren_v3.json", "bren_both.png", "tavern_v1.json"} {
		// Some cards are the same character in two formats: keep both.
		r := do("persona", "import", filepath.Join(personaData, "cards", card), "--keep-both")
		if r.code != ExitOK || !strings.Contains(r.stdout, "imported ") {
			t.Fatalf("import %s: %+v", card, r)
		}
	}
	type imported struct {
		Version struct {
			PersonaID string `json:"personaId"`
		} `json:"version"`
		Format string `json:"format"`
		PNG    bool   `json:"png"`
	}
	in := decode[imported](t, do("persona", "import", filepath.Join(personaData, "cards", "bren_both.png"), "--keep-both", "--json"))
	if in.Format != "ccv3" || !in.PNG {
		t.Fatalf("import --json: %+v", in)
	}
	out := t.TempDir()
	for _, tt := range []struct {
		format string
		png    bool
		file   string
		magic  string
	}{
		{"ccv2", false, "bren.json", `"spec": "chara_card_v2"`},
		{"ccv3", false, "bren3.json", `"spec": "chara_card_v3"`},
		{"ccv3", true, "bren.png", "\x89PNG"},
		{"ccv2", true, "bren2.png", "\x89PNG"},
	} {
		path := filepath.Join(out, tt.file)
		args := []string{"persona", "export", in.Version.PersonaID, "--format", tt.format, "--out", path}
		if tt.png {
			args = append(args, "--png")
		}
		if r := do(args...); r.code != ExitOK || !strings.Contains(r.stdout, "wrote "+path) {
			t.Fatalf("export %s: %+v", tt.file, r)
		}
		raw, _ := os.ReadFile(path)
		if !strings.Contains(string(raw), tt.magic) {
			t.Fatalf("%s does not look like %s: %.60q", tt.file, tt.format, raw)
		}
		back := decode[imported](t, do("persona", "import", path, "--keep-both", "--json"))
		if back.Format != tt.format || back.PNG != tt.png {
			t.Fatalf("re-import %s: %+v", tt.file, back)
		}
	}
	if r := do("persona", "export", in.Version.PersonaID, "--format", "ccv4", "--out", filepath.Join(out, "x")); r.code != ExitUsage {
		t.Fatalf("bad format: %+v", r)
	}
	if r := do("persona", "export", in.Version.PersonaID, "--format", "ccv2"); r.code != ExitUsage {
		t.Fatalf("no --out: %+v", r)
	}
}

// Bad input is refused with the file named and the reason, and the workspace is unchanged.
func TestPersonaBadInputLeavesWorkspaceUnchanged(t *testing.T) {
	dir, do := personaCLI(t)
	do("persona", "create", "--from-file", filepath.Join(personaData, "personas", "mira.json"))
	tmp := t.TempDir()

	huge := filepath.Join(tmp, "huge.png")
	f, _ := os.Create(huge)
	f.Write([]byte("\x89PNG\r\n\x1a\n"))
	f.Truncate(50 << 20) // a 50 MB image, sparse
	f.Close()
	garbage := filepath.Join(tmp, "garbage.png")
	os.WriteFile(garbage, []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR"+strings.Repeat("\x00", 17)+"\x00\x00\x00\x10tEXtchara\x00!!!!@@@@$$"+"\x00\x00\x00\x00"), 0o644)
	missingField := writeJSON(t, map[string]any{"name": "Odd", "template": map[string]any{"name": "odd", "system": "You are {{char}}.\n{{.Persona.Backstory}}"}})
	loops := writeJSON(t, map[string]any{"name": "Loop", "template": map[string]any{"name": "loop", "system": "{{range 1000000}}.{{end}}"}})
	notJSON := filepath.Join(tmp, "persona.json")
	os.WriteFile(notJSON, []byte("{\n  \"name\": \"Broken\",\n  \"role\": \n}"), 0o644)

	tests := []struct {
		name, code, contains string
		args                 []string
	}{
		{"card not JSON", "invalid_card", "not a character card", []string{"persona", "import", filepath.Join(personaData, "bad", "not_json.txt")}},
		{"broken JSON", "invalid_card", "not valid JSON", []string{"persona", "import", filepath.Join(personaData, "bad", "broken.json")}},
		{"truncated PNG chunk", "invalid_card", "truncated", []string{"persona", "import", filepath.Join(personaData, "bad", "truncated.png")}},
		{"oversized PNG chunk", "invalid_card", "declares", []string{"persona", "import", filepath.Join(personaData, "bad", "oversized_chunk.png")}},
		{"bad base64", "invalid_card", "base64", []string{"persona", "import", filepath.Join(personaData, "bad", "bad_base64.png")}},
		{"garbage base64", "invalid_card", "", []string{"persona", "import", garbage}},
		{"50 MB image", "invalid_card", "50.0 MB; a card is at most 20 MB", []string{"persona", "import", huge}},
		{"missing file", "not_found", "no such file", []string{"persona", "import", filepath.Join(tmp, "nope.png")}},
		{"template with a missing field", "invalid_template", "Backstory", []string{"persona", "create", "--from-file", missingField}},
		{"template that loops", "invalid_template", "runs too long", []string{"persona", "create", "--from-file", loops}},
		{"persona file not JSON", "invalid", "not valid JSON", []string{"persona", "create", "--from-file", notJSON}},
		{"save with a bad template", "invalid_template", "Backstory", []string{"persona", "save", "Mira Saltwhistle", "--from-file", missingField}},
	}
	before := hashTree(t, dir)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := do(append(tt.args, "--json")...)
			e := decode[cliError](t, r)
			// The command line names the file by its full path.
			file, _ := filepath.Abs(tt.args[len(tt.args)-1])
			if r.code != ExitError || e.Error.Code != tt.code || !strings.Contains(e.Error.Message, file) || !strings.Contains(e.Error.Message, tt.contains) {
				t.Fatalf("want %s naming %s and %q, got exit %d %+v", tt.code, file, tt.contains, r.code, e.Error)
			}
			if after := hashTree(t, dir); after != before {
				t.Fatal("the workspace changed")
			}
		})
	}
	r := do("persona", "create", "--from-file", missingField, "--json")
	if e := decode[cliError](t, r); e.Error.Field != "template.system" || e.Error.Line != 2 {
		t.Fatalf("template error field and line: %+v", e.Error)
	}
	r = do("persona", "create", "--from-file", notJSON, "--json")
	if e := decode[cliError](t, r); e.Error.Line != 4 {
		t.Fatalf("syntax error line: %+v", e.Error)
	}
	if r := do("persona", "create"); r.code != ExitUsage {
		t.Fatalf("create without a name: %+v", r)
	}
	if r := do("persona", "diff", "Mira Saltwhistle", "one", "2"); r.code != ExitUsage {
		t.Fatalf("diff with a bad version: %+v", r)
	}
	if r := do("persona", "diff", "Mira Saltwhistle", "1", "9", "--json"); r.code != ExitError || decode[cliError](t, r).Error.Code != "not_found" {
		t.Fatalf("diff with a missing version: %+v", r)
	}
}
