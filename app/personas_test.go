package app

import (
	"bytes"
	"encoding/json"
	"os"
	"os/user"
	"path/filepath"
	"strings"
	"testing"

	"github.com/npcstudio/npcstudio/backend/persona"
)

var personaData = filepath.Join("..", "testdata", "persona")

func TestPersonaAuthorComesFromSettingsElseTheOSUser(t *testing.T) {
	a := newApp(t, t.TempDir())
	v, err := a.Personas.Create(CreatePersonaRequest{Name: "Mira"})
	if err != nil {
		t.Fatal(err)
	}
	want := "unknown"
	if u, err := user.Current(); err == nil && u.Username != "" {
		want = u.Username
	}
	if v.Author != want {
		t.Errorf("author without settings = %q, want the OS user %q", v.Author, want)
	}
	if _, err := a.Settings.Save(Settings{Author: "Ana Writer"}); err != nil {
		t.Fatal(err)
	}
	v.Persona.Role = "smith"
	if v, err = a.Personas.Save(SavePersonaRequest{Persona: v.Persona}); err != nil || v.Author != "Ana Writer" || v.N != 2 {
		t.Fatalf("save: %+v %v", v, err)
	}
}

func TestPersonaPreviewFollowsTheDraft(t *testing.T) {
	a := newApp(t, t.TempDir())
	v, err := a.Personas.Create(CreatePersonaRequest{Name: "Mira", FromFile: filepath.Join(personaData, "personas", "mira.json")})
	if err != nil {
		t.Fatal(err)
	}
	draft := v.Persona
	req := PreviewRequest{Persona: draft, Family: persona.FamilyBedrockConverse, Mode: persona.ModeBase}
	before, err := a.Personas.Preview(req)
	if err != nil {
		t.Fatal(err)
	}
	if !json.Valid([]byte(before.Body)) || before.Tokens == 0 || !strings.Contains(before.Body, `"inferenceConfig"`) {
		t.Fatalf("preview: %+v", before)
	}
	req.Persona.Personality = "Sly and cheerful."
	after, err := a.Personas.Preview(req)
	if err != nil || !strings.Contains(after.Body, "Sly and cheerful.") || after.Body == before.Body {
		t.Fatalf("preview did not follow the draft: %v\n%s", err, after.Body)
	}
	req.Mode = persona.ModeRAG
	if rag, err := a.Personas.Preview(req); err != nil || !strings.Contains(rag.System, "[1]") {
		t.Fatalf("rag preview: %v %+v", err, rag)
	}
	req.Persona.TemplateID = persona.TemplateAdaText
	if ada, err := a.Personas.Preview(req); err != nil || ada.TemplateID != persona.TemplateAdaText || !strings.Contains(ada.Body, "Your name is Mira") {
		t.Fatalf("ada-text preview: %v %+v", err, ada)
	}

	// A template error reaches the window with its code, field and line.
	req.Persona.Template = &persona.Template{Name: "mine", System: "Hi.\n{{.Persona.Backstory}}"}
	_, err = a.Personas.Preview(req)
	if e := FormatError(err); e.Code != "invalid_template" || e.Field != "template.system" || e.Line != 2 || !strings.Contains(e.Message, "Backstory") {
		t.Fatalf("template error: %+v", e)
	}
	req.Persona.Template = nil
	req.Family = "gpt-9"
	if _, err = a.Personas.Preview(req); FormatError(err).Field != "family" {
		t.Fatalf("unknown family: %+v", FormatError(err))
	}
	if fams, _ := a.Personas.Families(); len(fams) != 5 || fams[0].Label == "" {
		t.Fatalf("families: %+v", fams)
	}
}

func TestPersonaDiffRestoreAndSaveAsNew(t *testing.T) {
	a := newApp(t, t.TempDir())
	v1, _ := a.Personas.Create(CreatePersonaRequest{Name: "Mira", FromFile: filepath.Join(personaData, "personas", "mira.json")})
	p := v1.Persona
	p.Goals = append(p.Goals, "Mend the bell")
	v2, err := a.Personas.Save(SavePersonaRequest{Persona: p})
	if err != nil {
		t.Fatal(err)
	}
	same, _ := a.Personas.Diff(PersonaDiffRequest{ID: v1.PersonaID, From: 1, To: 1})
	if same.Fields == nil || len(same.Fields) != 0 {
		t.Fatalf("diff of a version with itself: %+v", same)
	}
	d, err := a.Personas.Diff(PersonaDiffRequest{ID: v1.PersonaID, From: 1, To: 2})
	if err != nil || len(d.Fields) != 1 || d.Fields[0].Field != "goals" || d.From.N != 1 || d.To.N != 2 {
		t.Fatalf("diff: %+v %v", d, err)
	}
	r, err := a.Personas.Restore(PersonaVersionRequest{ID: v1.PersonaID, N: 1})
	if err != nil || r.N != 3 || r.Note != "restored from version 1" || len(r.Persona.Goals) != 2 {
		t.Fatalf("restore: %+v %v", r, err)
	}
	h, _ := a.Personas.History(PersonaRef{Ref: "mira"})
	if len(h) != 3 || h[0].N != 3 {
		t.Fatalf("history: %+v", h)
	}
	c, err := a.Personas.SaveAsNew(SaveAsNewRequest{ID: v1.PersonaID, N: v2.N})
	if err != nil || c.Persona.Name != "Mira (copy)" || len(c.Persona.Goals) != 3 || c.PersonaID == v1.PersonaID {
		t.Fatalf("save as new: %+v %v", c, err)
	}
	if _, err := a.Personas.Get(PersonaRef{Ref: "nobody"}); FormatError(err).Code != "not_found" {
		t.Fatalf("missing persona: %v", err)
	}
}

func TestPersonaCardImportExport(t *testing.T) {
	a := newApp(t, t.TempDir())
	in, err := a.Personas.Import(ImportCardRequest{Path: filepath.Join(personaData, "cards", "mira_v2.png")})
	if err != nil || in.Format != persona.CardV2 || !in.PNG || in.Version.Persona.AvatarID == "" || in.Warnings == nil {
		t.Fatalf("import: %+v %v", in, err)
	}
	out := filepath.Join(t.TempDir(), "mira.png")
	res, err := a.Personas.Export(ExportCardRequest{Ref: in.Version.PersonaID, Format: persona.CardV3, PNG: true, Path: out})
	if err != nil || res.Bytes == 0 {
		t.Fatalf("export: %+v %v", res, err)
	}
	raw, _ := os.ReadFile(out)
	avatar, _ := os.ReadFile(filepath.Join(personaData, "cards", "mira_v2.png"))
	// The exported PNG is the imported image (same header and pixels) carrying the card.
	if !bytes.HasPrefix(raw, avatar[:33]) || !bytes.Contains(raw, []byte("ccv3")) {
		t.Fatalf("exported PNG does not carry the avatar and a ccv3 chunk")
	}
	if _, err := a.Personas.Export(ExportCardRequest{Ref: in.Version.PersonaID, Format: "ccv9", Path: out}); FormatError(err).Field != "format" {
		t.Fatalf("bad format: %v", err)
	}
	if _, err := a.Personas.Export(ExportCardRequest{Ref: in.Version.PersonaID, Format: persona.CardV2, Path: filepath.Join(t.TempDir(), "no", "dir", "x.json")}); err == nil || !strings.Contains(err.Error(), "x.json") {
		t.Fatalf("export to a missing folder: %v", err)
	}
	_, err = a.Personas.Import(ImportCardRequest{Path: filepath.Join(personaData, "bad", "truncated.png")})
	if e := FormatError(err); e.Code != "invalid_card" || !strings.Contains(e.Message, "truncated.png") {
		t.Fatalf("bad card: %+v", e)
	}
	if page, _ := a.Personas.List(persona.ListOptions{}); page.Total != 1 {
		t.Fatalf("a bad card added a persona: %+v", page)
	}
}

func TestSharedTemplates(t *testing.T) {
	a := newApp(t, t.TempDir())
	ts, err := a.Personas.Templates()
	if err != nil || len(ts) != 3 || ts[1].ID != persona.TemplateAdaText {
		t.Fatalf("starters: %+v %v", ts, err)
	}
	if _, err := a.Personas.SaveTemplate(TemplateRequest{Template: persona.Template{ID: persona.TemplateDefault, Name: "x", System: "x"}}); FormatError(err).Code != "read_only" {
		t.Fatalf("saving a starter: %+v", FormatError(err))
	}
	v, err := a.Personas.CreateTemplate(TemplateRequest{Template: persona.Template{Name: "Terse", System: "You are {{char}}. Be terse."}})
	if err != nil {
		t.Fatal(err)
	}
	t2 := v.Template
	t2.System = "You are {{char}}. Be very terse."
	if v2, err := a.Personas.SaveTemplate(TemplateRequest{Template: t2}); err != nil || v2.N != 2 {
		t.Fatalf("save template: %+v %v", v2, err)
	}
	if r, err := a.Personas.RestoreTemplate(TemplateVersionRequest{ID: v.TemplateID, N: 1}); err != nil || r.N != 3 || r.Template.System != v.Template.System {
		t.Fatalf("restore template: %+v %v", r, err)
	}
	if h, _ := a.Personas.TemplateHistory(TemplateRef{ID: v.TemplateID}); len(h) != 3 {
		t.Fatalf("template history: %+v", h)
	}
	p, _ := a.Personas.Create(CreatePersonaRequest{Name: "Bren"})
	p.Persona.TemplateID = v.TemplateID
	if _, err := a.Personas.Save(SavePersonaRequest{Persona: p.Persona}); err != nil {
		t.Fatal(err)
	}
	r, err := a.Personas.Render(RenderPersonaRequest{Ref: "Bren", Family: persona.FamilyOpenAIChat, Model: "llama3.1:8b"})
	if err != nil || !strings.Contains(r.Body, "You are Bren. Be terse.") || !strings.Contains(r.Body, `"model": "llama3.1:8b"`) {
		t.Fatalf("render with a shared template: %v\n%s", err, r.Body)
	}
	if fns, _ := a.Personas.TemplateFuncs(); len(fns) == 0 {
		t.Fatal("no template functions")
	}
}

// The editor's round trip keeps what a card carried exactly: big numbers in extensions, the
// lorebook and the card's extra keys never cross the bridge as JavaScript objects.
func TestPersonaEditRoundTripKeepsValuesAsGiven(t *testing.T) {
	a := newApp(t, t.TempDir())
	in, err := a.Personas.Import(ImportCardRequest{Path: filepath.Join(personaData, "cards", "mira_v2.json")})
	if err != nil {
		t.Fatal(err)
	}
	e, err := a.Personas.Open(PersonaRef{Ref: in.Version.PersonaID})
	if err != nil {
		t.Fatal(err)
	}
	if e.Persona.Extensions != nil || e.Persona.Lorebook != nil || e.Persona.Card != nil || e.LorebookEntries == 0 || e.CardFormat != persona.CardV2 {
		t.Fatalf("edit carries raw values: %+v", e)
	}
	if !strings.Contains(e.Extensions, "12345678901234567890") {
		t.Fatalf("extensions text: %s", e.Extensions)
	}
	// What the window sends back, through JSON as the bridge does.
	var form persona.Persona
	raw, _ := json.Marshal(e.Persona)
	json.Unmarshal(raw, &form)
	same, err := a.Personas.Save(SavePersonaRequest{Persona: form, Form: true, Extensions: e.Extensions})
	if err != nil || same.N != 1 {
		t.Fatalf("an unchanged form made a version: %+v %v", same, err)
	}
	form.Personality = "sly"
	v2, err := a.Personas.Save(SavePersonaRequest{Persona: form, Form: true, Extensions: e.Extensions})
	if err != nil || v2.N != 2 {
		t.Fatalf("save: %+v %v", v2, err)
	}
	d, _ := a.Personas.Diff(PersonaDiffRequest{ID: v2.PersonaID, From: 1, To: 2})
	if len(d.Fields) != 1 || d.Fields[0].Field != "personality" {
		t.Fatalf("only the personality should differ: %+v", d.Fields)
	}
	if v2.Persona.Lorebook == nil || v2.Persona.Card == nil || v2.Persona.AvatarID != in.Version.Persona.AvatarID {
		t.Fatalf("lorebook, card or image lost: %+v", v2.Persona)
	}
	rag, err := a.Personas.Preview(PreviewRequest{Persona: form, Family: persona.FamilyClaudeMessages, Mode: persona.ModeRAG})
	if err != nil || !strings.Contains(rag.System, "lorebook:") {
		t.Fatalf("RAG preview of a form lacks the lorebook's sample lore: %v\n%s", err, rag.System)
	}
	_, err = a.Personas.Save(SavePersonaRequest{Persona: form, Form: true, Extensions: "{\n  \"a\": 1,\n}"})
	if e := FormatError(err); e.Field != "extensions" || e.Line != 3 {
		t.Fatalf("bad extensions: %+v", e)
	}
}
