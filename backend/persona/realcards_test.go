package persona

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func defaultTemplate(t *testing.T) Template {
	t.Helper()
	for _, tpl := range starters {
		if tpl.ID == TemplateDefault {
			return tpl
		}
	}
	t.Fatal("no default template")
	return Template{}
}

func renderSystem(t *testing.T, p Persona, tpl Template) string {
	t.Helper()
	out, err := Render(context.Background(), RenderRequest{Persona: p, Template: tpl, Family: FamilyBedrockConverse, Mode: ModeBase, Message: "Hello"})
	if err != nil {
		t.Fatal(err)
	}
	return out.System
}

// A card's system_prompt replaces the template's system prompt, as the V2 spec says;
// {{original}} in it inserts the template's.
func TestCardSystemPromptReplacesTemplate(t *testing.T) {
	p := importFile(t, "realcards/tk_full_v2_card.json").Persona
	tpl := defaultTemplate(t)
	got := renderSystem(t, p, tpl)
	want := "You are " + p.Name + ", a mystical oracle."
	if got != want {
		t.Errorf("system = %q, want the card's own %q", got, want)
	}

	plain := p
	plain.SystemPrompt = ""
	ours := renderSystem(t, plain, tpl)
	if !strings.Contains(ours, "## Who "+p.Name+" is") {
		t.Fatalf("template system %q", ours)
	}
	p.SystemPrompt = "Before.\n{{original}}\nAfter, {{user}}."
	got = renderSystem(t, p, tpl)
	want = "Before.\n" + ours + "\nAfter, Player."
	if got != want {
		t.Errorf("{{original}}: (-want +got):\n%s", cmp.Diff(want, got))
	}

	// A template that places the card's system prompt itself keeps its layout.
	own := Template{ID: "own", System: "Rules: {{.Persona.SystemPrompt}} End."}
	p.SystemPrompt = "Be {{char}}."
	if got := renderSystem(t, p, own); got != "Rules: Be "+p.Name+". End." {
		t.Errorf("template placing it: %q", got)
	}
}

// A V1 card exported as V2 or V3 keeps no V1 field at the top level.
func TestV1CardExportHasNoRootFields(t *testing.T) {
	res := importFile(t, "realcards/Skynet_v2.png")
	if res.Format != CardV1 {
		t.Fatalf("format %s", res.Format)
	}
	for _, f := range []CardFormat{CardV2, CardV3} {
		var top map[string]json.RawMessage
		if err := json.Unmarshal(export(t, res.Persona, f, false), &top); err != nil {
			t.Fatal(err)
		}
		for key := range v1Fields {
			if _, ok := top[key]; ok {
				t.Errorf("%s export: V1 field %q left at the top level", f, key)
			}
		}
		if _, ok := top["metadata"]; !ok {
			t.Errorf("%s export lost the card's own metadata key", f)
		}
	}
}

// A V3 card exported as V2 keeps its V3-only fields under data.extensions.ccv3, and a V2
// card carrying them imports as the V3 card it came from.
func TestV3CardAsV2KeepsV3FieldsInExtensions(t *testing.T) {
	for _, file := range []string{"realcards/tk_full_v3_card.json", "realcards/tk_ccv3_st_export_like.json"} {
		t.Run(file, func(t *testing.T) {
			first := importFile(t, file)
			v2 := export(t, first.Persona, CardV2, false)
			var card struct {
				Data map[string]json.RawMessage `json:"data"`
			}
			if err := json.Unmarshal(v2, &card); err != nil {
				t.Fatal(err)
			}
			for _, key := range v3Only {
				if _, ok := card.Data[key]; ok {
					t.Errorf("V3-only field %q in a V2 card's data", key)
				}
			}
			var ext map[string]map[string]json.RawMessage
			if err := json.Unmarshal(card.Data["extensions"], &ext); err != nil {
				t.Fatal(err)
			}
			orig := jsonValue(t, readFile(t, file)).(map[string]any)["data"].(map[string]any)
			for _, key := range v3Only {
				if want, ok := orig[key]; ok {
					if diff := cmp.Diff(want, jsonValue(t, ext[v3Extension][key])); diff != "" {
						t.Errorf("extensions.ccv3.%s (-want +got):\n%s", key, diff)
					}
				}
			}
			again, err := ImportCard("v2.json", bytes.NewReader(v2))
			if err != nil {
				t.Fatal(err)
			}
			v3 := export(t, again.Persona, CardV3, false)
			gotData := jsonValue(t, v3).(map[string]any)["data"].(map[string]any)
			// The V2 spec's required book keys (extensions: {}) are added on the way; the
			// book's own round trip is tested elsewhere.
			delete(orig, "character_book")
			delete(gotData, "character_book")
			if diff := cmp.Diff(orig, gotData); diff != "" {
				t.Errorf("V3 -> V2 -> V3 data (-original +again):\n%s", diff)
			}
		})
	}
}

// A World Info file is refused as a card, with where it goes instead.
func TestImportCardRefusesWorldInfo(t *testing.T) {
	for name, data := range map[string]string{
		"world.json":   `{"entries": {"0": {"uid": 0, "key": ["forest"], "content": "The forest."}}}`,
		"named.json":   `{"name": "World One", "description": "d", "scanDepth": 2, "entries": {"1": {"uid": "1", "key": ["dragon"], "content": "Dragons exist."}}}`,
		"book_v3.json": `{"spec": "lorebook_v3", "data": {"name": "B", "entries": []}}`,
	} {
		_, err := ImportCard(name, strings.NewReader(data))
		var ce *CardError
		if !errors.As(err, &ce) || ce.File != name || !strings.Contains(ce.Reason, "World Info") || !strings.Contains(ce.Reason, "npcstudio lore book import") {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// post_history_instructions follow the player's message; templates carry no post-history
// text of their own, so {{original}} in them stands for nothing.
func TestCardPostHistoryInstructions(t *testing.T) {
	p := importFile(t, "realcards/tk_full_v3_card.json").Persona
	p.PostHistoryInstructions = "{{original}}Stay in character, {{user}}."
	out, err := Render(context.Background(), RenderRequest{Persona: p, Template: defaultTemplate(t), Family: FamilyBedrockConverse, Mode: ModeBase, Message: "Hello"})
	if err != nil {
		t.Fatal(err)
	}
	last := out.Messages[len(out.Messages)-1]
	if last.Text != "Hello\n\nStay in character, Player." {
		t.Errorf("turn %q", last.Text)
	}
}

// A real card's <START> markers never reach the model: its exchanges are headed by the
// family's example separator, as SillyTavern renders them.
func TestRealCardExamplesRenderWithoutStartMarkers(t *testing.T) {
	p := importFile(t, "realcards/tk_ccv3_st_export_like.json").Persona
	if !strings.Contains(p.ExampleDialogue, "<START>") {
		t.Fatalf("the card's example dialogue has no <START>: %q", p.ExampleDialogue)
	}
	// The card's own system prompt would replace the template, examples and all; without
	// it the default template renders every field.
	p.SystemPrompt = ""
	tpl := defaultTemplate(t)
	for _, f := range []Family{FamilyOpenAIChat, FamilyLlama3} {
		t.Run(string(f), func(t *testing.T) {
			out, err := Render(context.Background(), RenderRequest{Persona: p, Template: tpl, Family: f, Mode: ModeBase, Message: "Hello"})
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(strings.ToUpper(string(out.Body)), "<START>") || strings.Contains(string(out.Body), `\u003cSTART\u003e`) {
				t.Errorf("<START> leaked into the %s body", f)
			}
			golden(t, filepath.Join("render", "realcards", "tk_ccv3_st_export_like-"+string(f)+".json"), out.Body)
		})
	}
}

func TestExampleBlocks(t *testing.T) {
	for _, c := range []struct {
		name, in string
		want     []string
	}{
		{"blocks", "<START>\n{{user}}: Hi.\n{{char}}: Hello.\n<START>\n{{user}}: Bye.\n{{char}}: Farewell.", []string{"{{user}}: Hi.\n{{char}}: Hello.", "{{user}}: Bye.\n{{char}}: Farewell."}},
		{"any case, text before the first marker", "{{char}}: Ahoy.\n<start>\n{{user}}: Hi.", []string{"{{char}}: Ahoy.", "{{user}}: Hi."}},
		{"marker only", "<START>", nil},
		{"blank blocks dropped", "<START>\n\n<START>\nA\n<START>  \n", []string{"A"}},
		{"marker mid-line", "A <START> B", []string{"A", "B"}},
		{"empty", "", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			if diff := cmp.Diff(c.want, ExampleBlocks(c.in)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	got := exampleDialogue([]string{"A: 1", "B: 2"}, FamilyLlama3)
	if want := "***\nA: 1\n***\nB: 2"; got != want {
		t.Errorf("llama3 examples = %q, want %q", got, want)
	}
	if got := exampleDialogue([]string{"A: 1"}, FamilyOpenAIChat); got != "[Example Chat]\nA: 1" {
		t.Errorf("openai-chat examples = %q", got)
	}
}

// A template may head the exchanges itself with .Persona.Examples.
func TestTemplateRangesOverExamples(t *testing.T) {
	p := Persona{Name: "Mira", ExampleDialogue: "<START>\n{{user}}: Hi.\n<START>\n{{char}}: Bye, {{user}}."}
	tpl := Template{ID: "own", System: "{{range $i, $e := .Persona.Examples}}Example {{$i}}:\n{{$e}}\n{{end}}"}
	got := renderSystem(t, p, tpl)
	if want := "Example 0:\nPlayer: Hi.\nExample 1:\nMira: Bye, Player."; got != want {
		t.Errorf("system = %q, want %q", got, want)
	}
}
