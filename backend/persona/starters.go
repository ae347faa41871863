package persona

import (
	"context"
	"fmt"
	"strings"
)

// Starting template ids.
const (
	TemplateDefault = "default"
	TemplateAdaText = "ada-text"
	TemplateAdaRAG  = "ada-rag"
)

func f64(v float64) *float64 { return &v }
func intp(v int) *int        { return &v }

// defaultSystem lays a persona out in headed sections, skipping empty ones. A card's own
// system prompt replaces it (see cardSystem).
const defaultSystem = `You are {{char}}{{with .Persona.Role}}, {{.}}{{end}}, talking with {{user}}. Stay in character: speak only as {{char}}, in {{char}}'s own voice, and never say you are an AI or a language model.
{{- with .Persona.Description}}

## Who {{char}} is
{{.}}
{{- end}}
{{- with .Persona.Personality}}

## Personality
{{.}}
{{- end}}
{{- with .Persona.SpeechStyle}}

## How {{char}} speaks
{{.}}
{{- end}}
{{- with .Persona.Scenario}}

## Scenario
{{.}}
{{- end}}
{{- with .Persona.Goals}}

## What {{char}} wants
{{bullets .}}
{{- end}}
{{- with .Persona.Relationships}}

## People {{char}} knows
{{- range .}}
- {{.Name}}{{with .Kind}} ({{.}}){{end}}{{with .Notes}}: {{.}}{{end}}
{{- end}}
{{- end}}
{{- with .Persona.KnowledgeBoundaries}}

## What {{char}} knows and does not know
{{.}}
{{- end}}
{{- with .Persona.SafetyNotes}}

## Never
{{.}}
{{- end}}
{{- with .Persona.ExampleDialogue}}

## Example dialogue
{{.}}
{{- end}}
{{- if and .RAG .Lore}}

## Lore
Use these passages for facts about the world and cite them by number, like [1]. If they do not cover what {{user}} asks, {{char}} does not know it.
{{- range .Lore}}

[{{.Citation}}]{{with .Source}} ({{.}}){{end}} {{.Text}}
{{- end}}
{{- end}}`

const defaultTurn = `{{.Message}}
{{- with .Persona.PostHistoryInstructions}}

{{.}}
{{- end}}`

// The Ada prompts are those of the AWS guidance "Dynamic Game NPC Dialogue on AWS"
// (components/text_api and components/rag_api), word for word, with its hard-coded "Ada"
// replaced by {{char}}: a persona named Ada renders the guidance's own prompt. The guidance
// puts the whole prompt in the user turn, and so do these. Its RAG prompt is indented inside
// a Python f-string and framed in the legacy "\n\nHuman: ... \n\nAssistant:" completion
// format; that indentation and framing are not part of the wording and are left out (the
// family supplies the framing).
const (
	adaText = "Your name is {{char}}, and you are a helpful assistant. Provide a concise answer to the question. " +
		"If you don't know the answer, just say that you don't know, don't try to make up an answer.\n\n" +
		"Question: {{.Message}}"
	adaRAG = "Your name is {{char}}, and you are a helpful assistant, helping a Human answer questions in a friendly tone. " +
		"Use the following as additional context to provide a concise answer to the question at the end.\n\n" +
		"<reference>\n{{with .Lore}}{{(index . 0).Text}}{{end}}\n</reference>\n\n" +
		"Question: {{.Message}}"
)

var starters = []Template{
	{
		ID: TemplateDefault, Name: "Default",
		Description: "Every persona field in headed sections; lore with numbered citations in RAG mode.",
		System:      defaultSystem, Turn: defaultTurn,
		Params:  Params{MaxTokens: 512, Temperature: f64(0.8), TopP: f64(0.9)},
		Builtin: true,
	},
	{
		ID: TemplateAdaText, Name: "Ada (guidance text API)",
		Description: "The AWS guidance's text endpoint prompt: a concise answer, or \"I don't know\".",
		Turn:        adaText,
		Params:      Params{MaxTokens: 300, Temperature: f64(0.5), TopK: intp(250)},
		Builtin:     true,
	},
	{
		ID: TemplateAdaRAG, Name: "Ada (guidance RAG API)",
		Description: "The AWS guidance's RAG endpoint prompt: the top lore passage as <reference>.",
		Turn:        adaRAG,
		Params:      Params{MaxTokens: 200},
		Builtin:     true,
	},
}

// Starters returns the built-in starting templates: default, ada-text and ada-rag.
func Starters() []Template {
	out := make([]Template, len(starters))
	for i, t := range starters {
		out[i] = t
		out[i].Params.Stop = append([]string(nil), t.Params.Stop...)
	}
	return out
}

// Starter returns the built-in template with this id.
func Starter(id string) (Template, bool) {
	for _, t := range Starters() {
		if t.ID == id {
			return t, true
		}
	}
	return Template{}, false
}

// SampleMessage is the player's message in a preview when none is given.
const SampleMessage = "Hello there. Who are you, and what goes on around here?"

// SampleLore gives the passages a RAG preview shows: the persona's first enabled lorebook
// entries (up to three), or one neutral passage when it has none.
func SampleLore(p Persona) []Passage {
	var out []Passage
	if p.Lorebook != nil {
		for _, e := range p.Lorebook.Entries {
			if !e.Enabled || strings.TrimSpace(e.Content) == "" {
				continue
			}
			src := "lorebook: " + cmpOr(e.Name, cmpOr(e.Comment, strings.Join(e.Keys, ", ")))
			out = append(out, Passage{Text: e.Content, Source: src, Citation: fmt.Sprint(len(out) + 1)})
			if len(out) == 3 {
				break
			}
		}
	}
	if len(out) == 0 {
		out = []Passage{{
			Text:     "The harbour town of Saltmere lives on salt, smoked fish and rumours. Its lighthouse has been dark for three winters.",
			Source:   "sample-lore.txt",
			Citation: "1",
		}}
	}
	return out
}

// Preview renders req as the live preview shows it: with DefaultUserName, SampleMessage and,
// in RAG mode, SampleLore filling whatever req leaves empty.
func Preview(ctx context.Context, req RenderRequest) (Rendered, error) {
	if strings.TrimSpace(req.Message) == "" {
		req.Message = SampleMessage
	}
	if req.Mode == ModeRAG && len(req.Lore) == 0 {
		req.Lore = SampleLore(req.Persona)
	}
	return Render(ctx, req)
}

// samplePersona fills every field, so that rendering it visits every branch a template is
// likely to have.
func samplePersona() Persona {
	return Persona{
		ID: "sample", Name: "Sample", Nickname: "Sam", Role: "innkeeper",
		Description: "{{char}} keeps the inn.", Personality: "warm", SpeechStyle: "short sentences",
		Scenario: "{{user}} walks in.", FirstGreeting: "Welcome, {{user}}.", AlternateGreetings: []string{"Evening."},
		ExampleDialogue: "<START>\n{{user}}: Hi.\n{{char}}: Hello.", Goals: []string{"pay the rent"},
		Relationships: []Relationship{{Name: "Tom", Kind: "brother", Notes: "owes {{char}} money"}},
		Knowledge:     Knowledge{Boundaries: "knows the town only", LoreCollections: []string{"town"}},
		SafetyNotes:   "no violence", Tags: []string{"town"}, SystemPrompt: "Be {{char}}.",
		PostHistoryInstructions: "Stay brief.",
	}
}

func sampleRequest(p Persona, t Template, f Family, m Mode) RenderRequest {
	return RenderRequest{
		Persona: p, Template: t, Family: f, Mode: m,
		History: []Message{{Role: RoleAssistant, Text: "Welcome."}, {Role: RoleUser, Text: "Thanks."}, {Role: RoleAssistant, Text: "Ale?"}},
		Message: SampleMessage, UserName: "Player", Model: "sample-model",
		Lore: []Passage{{Text: "The inn is old.", Source: "inn.txt"}, {Text: "Tom is a sailor.", Source: "tom.txt"}},
	}
}
