package batch_test

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/npcstudio/npcstudio/backend/batch"
	"github.com/npcstudio/npcstudio/backend/chat"
	"github.com/npcstudio/npcstudio/backend/fault"
)

var exampleSpec = filepath.Join("..", "..", "testdata", "batch", "harbour.yaml")

func readExample(t testing.TB) []byte {
	t.Helper()
	b, err := os.ReadFile(exampleSpec)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDocExampleIsTheTestdataSpec(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "batch.md"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)```yaml\n(.*?)```").FindSubmatch(doc)
	if m == nil {
		t.Fatal("docs/batch.md has no ```yaml block")
	}
	if d := cmp.Diff(string(readExample(t)), string(m[1])); d != "" {
		t.Errorf("docs/batch.md's first yaml block differs from %s (-testdata +doc):\n%s", exampleSpec, d)
	}
}

func TestParseExample(t *testing.T) {
	s, err := batch.ParseSpec("harbour.yaml", readExample(t))
	if err != nil {
		t.Fatal(err)
	}
	if s.Lines() != 6 {
		t.Errorf("lines = %d, want 6", s.Lines())
	}
	warn := s.Scenes[1].Beats[0]
	want := batch.Beat{ID: "warn", Persona: "Mira Saltwhistle", Direction: "Warns the player that the lighthouse oil was stolen.", Variants: 1,
		Constraints: batch.Constraints{MaxWords: 30, Tone: []string{"gruff"}, MustMention: []string{"oil", "Bren"}},
		Model:       chat.Config{Provider: "local", Model: "llama3.1:8b", Mode: chat.ModeRAG}, Line: warn.Line}
	if d := cmp.Diff(want, warn); d != "" {
		t.Errorf("beat warn (-want +got):\n%s", d)
	}
	if warn.Line != 30 {
		t.Errorf("beat warn line = %d, want 30", warn.Line)
	}
	greet := s.Scenes[0].Beats[0]
	if greet.Persona != "Mira Saltwhistle" || greet.Variants != 2 || greet.Model.Mode != "base" || greet.Constraints.MaxWords != 25 {
		t.Errorf("greet = %+v: want the scene's one persona and the defaults", greet)
	}
}

func TestParseRefusals(t *testing.T) {
	const head = "defaults:\n  model: {provider: local}\nscenes:\n"
	cases := []struct {
		name, yaml string
		line       int
		field, msg string
	}{
		{"unknown top field", "scens: []\n", 1, "scens", "unknown field"},
		{"unknown scene field", head + "  - id: a\n    personas: [Ada]\n    mood: x\n    beats: [{id: b, direction: d}]\n", 6, "scenes[0].mood", "unknown field"},
		{"unknown beat field", head + "  - id: a\n    personas: [Ada]\n    beats:\n      - id: b\n        direction: d\n        speaker: Ada\n", 9, "scenes[0].beats[0].speaker", "unknown field"},
		{"duplicate scene", head + "  - id: a\n    personas: [Ada]\n    beats: [{id: b, direction: d}]\n  - id: a\n    personas: [Ada]\n    beats: [{id: b, direction: d}]\n", 7, "scenes[1].id", "already defined on line 4"},
		{"duplicate beat", head + "  - id: a\n    personas: [Ada]\n    beats:\n      - {id: b, direction: d}\n      - {id: b, direction: e}\n", 8, "scenes[0].beats[1].id", "already defined"},
		{"persona not in scene", head + "  - id: a\n    personas: [Ada]\n    beats:\n      - {id: b, direction: d, persona: Mira}\n", 7, "scenes[0].beats[0].persona", "not one of scene"},
		{"which persona", head + "  - id: a\n    personas: [Ada, Mira]\n    beats:\n      - {id: b, direction: d}\n", 7, "scenes[0].beats[0].persona", "say which one"},
		{"bad id", head + "  - id: a-b\n    personas: [Ada]\n    beats: [{id: b, direction: d}]\n", 4, "scenes[0].id", "not an id"},
		{"bad mode", head + "  - id: a\n    personas: [Ada]\n    model: {mode: turbo}\n    beats: [{id: b, direction: d}]\n", 6, "scenes[0].model.mode", "not a mode"},
		{"too many variants", head + "  - id: a\n    personas: [Ada]\n    variants: 99\n    beats: [{id: b, direction: d}]\n", 6, "scenes[0].variants", "from 1 to 20"},
		{"empty beat", head + "  - id: a\n    personas: [Ada]\n    beats: [{id: b}]\n", 6, "scenes[0].beats[0]", "needs a direction"},
		{"alias", "defaults: &d\n  variants: 1\nscenes: []\n", 1, "defaults", "anchors and aliases"},
		{"two documents", head + "  - id: a\n    personas: [Ada]\n    beats: [{id: b, direction: d}]\n---\nscenes: []\n", 7, "", "more than one YAML document"},
		{"bad yaml", "scenes: [\n", 1, "", "not valid YAML"},
		{"field twice", "scenes: []\nscenes: []\n", 0, "", "scenes"},
		{"slug clash", head + "  - id: a\n    personas: [Mira Vale, mira-vale]\n    beats: [{id: b, persona: Mira Vale, direction: d}]\n", 4, "personas", "would be the same"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := batch.ParseSpec("s.yaml", []byte(c.yaml))
			var ve *fault.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("err = %v, want a ValidationError", err)
			}
			if ve.File != "s.yaml" || (c.line != 0 && ve.Line != c.line) || (c.field != "" && ve.Field != c.field) || !strings.Contains(err.Error(), c.msg) {
				t.Errorf("err = %q (file %q line %d field %q), want line %d field %q with %q", err, ve.File, ve.Line, ve.Field, c.line, c.field, c.msg)
			}
		})
	}
}

func TestParseRefusesTooBig(t *testing.T) {
	big := make([]byte, batch.MaxSpecBytes+1)
	if _, err := batch.ParseSpec("big.yaml", big); err == nil || !strings.Contains(err.Error(), "more than") {
		t.Fatalf("err = %v, want a size refusal", err)
	}
	// Too many lines in a small file.
	var b strings.Builder
	b.WriteString("defaults: {variants: 20}\nscenes:\n")
	for i := range 260 {
		b.WriteString("  - id: s" + strconv.Itoa(i) + "\n    personas: [Ada]\n    beats:\n")
		for j := range 20 {
			b.WriteString("      - {id: b" + strconv.Itoa(j) + ", direction: d}\n")
		}
	}
	if _, err := batch.ParseSpec("many.yaml", []byte(b.String())); err == nil || !strings.Contains(err.Error(), "more than 100000 lines") {
		t.Fatalf("err = %v, want the line limit", err)
	}
}

type personas map[string]bool

func (p personas) Exists(name string) error {
	if p[strings.ToLower(name)] {
		return nil
	}
	return fault.ErrNotFound
}

func TestCheckRefusesMissingPersonaAndProvider(t *testing.T) {
	s, err := batch.ParseSpec("harbour.yaml", readExample(t))
	if err != nil {
		t.Fatal(err)
	}
	err = batch.Check(s, personas{"mira saltwhistle": true})
	var ve *fault.ValidationError
	if !errors.As(err, &ve) || ve.Line != 26 || !strings.Contains(err.Error(), `"Ada"`) {
		t.Fatalf("err = %v, want Ada refused at line 26", err)
	}
	if err := batch.Check(s, personas{"mira saltwhistle": true, "ada": true}); err != nil {
		t.Fatal(err)
	}
	noProvider, err := batch.ParseSpec("p.yaml", []byte("scenes:\n  - id: a\n    personas: [Ada]\n    beats: [{id: b, direction: d}]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if err := batch.Check(noProvider, personas{"ada": true}); err == nil || !strings.Contains(err.Error(), "--provider") {
		t.Fatalf("err = %v, want no provider", err)
	}
	if err := batch.Check(batch.WithProvider(noProvider, "local"), personas{"ada": true}); err != nil {
		t.Fatal(err)
	}
}

func TestLineIDs(t *testing.T) {
	cases := map[string]string{
		batch.LineID("forge_dusk", "Mira Saltwhistle", "greet", 1): "forge_dusk-mira_saltwhistle-greet-1",
		batch.LineID("s", "Zoë  d'Arc!", "b", 12):                  "s-zoe_d_arc-b-12",
		batch.LineID("s", "林", "b", 1):                             "s-x-b-1",
	}
	yarnTag := regexp.MustCompile(`^[^ \t\r\n#$<]+$`)
	for got, want := range cases {
		if got != want {
			t.Errorf("id %q, want %q", got, want)
		}
		if !yarnTag.MatchString(got) {
			t.Errorf("id %q is not valid in a Yarn #line: tag", got)
		}
	}
}

func TestParseCSV(t *testing.T) {
	csv := "scene,setting,personas,beat,persona,direction,player,variants,maxWords,tone,mustMention,provider,model,mode\n" +
		"forge,At the forge,Mira Saltwhistle;Ada,greet,Mira Saltwhistle,Greets,,2,20,gruff;tired,anchor,local,,base\n" +
		"forge,,,answer,Ada,,Who are you?,,,,,,,\n" +
		"pier,The pier,Ada,warn,,Warns,,,,,,local,,rag\n"
	s, err := batch.ParseCSV("scenes.csv", []byte(csv))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Scenes) != 2 || len(s.Scenes[0].Beats) != 2 || s.Lines() != 4 {
		t.Fatalf("spec = %+v", s)
	}
	g := s.Scenes[0].Beats[0]
	if g.Variants != 2 || g.Constraints.MaxWords != 20 || strings.Join(g.Constraints.Tone, "|") != "gruff|tired" || g.Model.Provider != "local" || g.Line != 2 {
		t.Errorf("greet = %+v", g)
	}
	if a := s.Scenes[0].Beats[1]; a.Persona != "Ada" || a.Player != "Who are you?" || a.Model.Provider != "local" {
		t.Errorf("answer = %+v", a)
	}
	if w := s.Scenes[1].Beats[0]; w.Model.Mode != "rag" || w.Persona != "Ada" {
		t.Errorf("warn = %+v", w)
	}
	bad := []struct {
		csv, msg string
		line     int
	}{
		{"scene,beat,colour\n", "unknown column", 1},
		{"scene,beat,persona,direction\nforge,greet,Ada,x\nforge,greet,Ada,y\n", "already defined", 3},
		{"scene,setting,beat,persona,direction\nforge,A,greet,Ada,x\nforge,B,b2,Ada,y\n", "another setting", 3},
		{"scene,beat,persona,direction,variants\nforge,greet,Ada,x,lots\n", "variants", 2},
		{"scene,beat\n", "no scenes", 2},
	}
	for _, c := range bad {
		_, err := batch.ParseCSV("s.csv", []byte(c.csv))
		var ve *fault.ValidationError
		if !errors.As(err, &ve) || ve.Line != c.line || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("csv %q: err = %v, want line %d with %q", c.csv, err, c.line, c.msg)
		}
	}
}

func FuzzParseSpec(f *testing.F) {
	f.Add(readExample(f))
	f.Add([]byte("scenes: [{id: a, personas: [Ada], beats: [{id: b, direction: d}]}]"))
	f.Add([]byte("defaults: &a {variants: 1}\nscenes: *a\n"))
	f.Add([]byte("scenes:\n  - id: a\n    personas: Ada\n    beats:\n      - id: b\n        player: \"\\u0000\"\n"))
	f.Add([]byte("{"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := batch.ParseSpec("f.yaml", data)
		if err != nil {
			var ve *fault.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("err %v is not a ValidationError", err)
			}
			return
		}
		if s.Lines() > batch.MaxLines {
			t.Fatalf("%d lines accepted", s.Lines())
		}
		ids := map[string]bool{}
		for _, sc := range s.Scenes {
			for _, b := range sc.Beats {
				for v := 1; v <= b.Variants; v++ {
					id := batch.LineID(sc.ID, b.Persona, b.ID, v)
					if ids[id] {
						t.Fatalf("line id %q given twice", id)
					}
					ids[id] = true
				}
			}
		}
	})
}

func FuzzParseCSV(f *testing.F) {
	f.Add([]byte("scene,beat,persona,direction\nforge,greet,Ada,Greets.\n"))
	f.Add([]byte("scene,setting,personas,beat,persona,player,variants\nforge,At dusk,Ada;Mira,b1,Mira,\"Hi, there\",3\nforge,,,b2,Ada,What?,\n"))
	f.Add([]byte("\xef\xbb\xbfscene,beat\n\"unterminated\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := batch.ParseCSV("f.csv", data)
		if err != nil {
			var ve *fault.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("err %v is not a ValidationError", err)
			}
			return
		}
		if s.Lines() == 0 || s.Lines() > batch.MaxLines {
			t.Fatalf("%d lines accepted", s.Lines())
		}
	})
}
