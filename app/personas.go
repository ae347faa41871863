package app

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/npcstudio/npcstudio/backend/atomicfile"
	"io"
	"os"
	"os/user"
	"strings"

	"github.com/npcstudio/npcstudio/backend/fault"
	"github.com/npcstudio/npcstudio/backend/persona"
	"github.com/npcstudio/npcstudio/backend/prose"
)

// PersonaService keeps the workspace's personas and prompt templates: versions, diffs,
// restore, the live preview of the request a model gets, and Character Card import/export.
type PersonaService struct{ a *App }

// PersonaRef names a persona by id or, when no id matches, by name (ignoring case).
type PersonaRef struct {
	Ref string `json:"ref"`
}

// CreatePersonaRequest makes a new persona called Name, empty or read from the persona
// JSON file at FromFile (a persona, or a version as `persona show --json` prints it). Name,
// when set, wins over the file's.
type CreatePersonaRequest struct {
	Name     string `json:"name"`
	FromFile string `json:"fromFile,omitempty"`
}

// SavePersonaRequest saves the persona as its next version, signed by the writer.
type SavePersonaRequest struct {
	Persona persona.Persona `json:"persona"`
	// Form marks a persona as the editor sends it (see PersonaEdit): its extensions are
	// Extensions, and its lorebook, card and image are the current version's.
	Form       bool   `json:"form,omitempty"`
	Extensions string `json:"extensions,omitempty"`
}

// PersonaEdit is a version as the editor shows and edits it. Values kept exactly as given
// (extensions, a card's lorebook and extra keys) do not cross the bridge as objects, where
// JavaScript would round big numbers and rewrite others: Persona comes without them, the
// extensions come as JSON text, and saving a form takes the rest from the current version.
type PersonaEdit struct {
	PersonaID string          `json:"personaId"`
	N         int             `json:"n"`
	Author    string          `json:"author"`
	SavedAt   string          `json:"savedAt"`
	Note      string          `json:"note,omitempty"`
	Persona   persona.Persona `json:"persona"`
	// Extensions is the persona's extensions as indented JSON, "" when it has none.
	Extensions string `json:"extensions"`
	// LorebookEntries counts the entries of the card's lorebook; RAG previews use them as
	// sample lore.
	LorebookEntries int `json:"lorebookEntries"`
	// CardFormat is the card the persona was imported from (ccv1, ccv2, ccv3), if any.
	CardFormat persona.CardFormat `json:"cardFormat,omitempty"`
}

// PersonaVersionRequest names version N of the persona with ID.
type PersonaVersionRequest struct {
	ID string `json:"id"`
	N  int    `json:"n"`
}

// SaveAsNewRequest copies version N (0: the current one) into a new persona called Name
// ("<name> (copy)" when empty).
type SaveAsNewRequest struct {
	ID   string `json:"id"`
	N    int    `json:"n"`
	Name string `json:"name"`
}

// PersonaDiffRequest compares versions From and To of the persona with ID.
type PersonaDiffRequest struct {
	ID   string `json:"id"`
	From int    `json:"from"`
	To   int    `json:"to"`
}

// PersonaDiff is what changed from one version to another, field by field.
type PersonaDiff struct {
	ID     string              `json:"id"`
	From   persona.VersionInfo `json:"from"`
	To     persona.VersionInfo `json:"to"`
	Fields []persona.FieldDiff `json:"fields"`
}

// ImportCardRequest is the card file to import (JSON or PNG).
type ImportCardRequest struct {
	Path string `json:"path"`
	// OnMatch says what to do when a persona of the card's name exists: "replace" saves the
	// card as a new version of it, "keepBoth" imports it under a name not yet taken. Empty
	// refuses with a *CardMatchError, so a card is never imported twice without a choice.
	OnMatch string `json:"onMatch,omitempty"`
}

// Choices for ImportCardRequest.OnMatch.
const (
	OnMatchReplace  = "replace"
	OnMatchKeepBoth = "keepBoth"
)

// CardMatchError says a card matches a persona already in the workspace.
type CardMatchError struct {
	File      string `json:"file"`
	Name      string `json:"name"`
	PersonaID string `json:"personaId"`
	Version   int    `json:"version"`
	// KeepBothName is the name the card would get with keepBoth.
	KeepBothName string `json:"keepBothName"`
}

func (e *CardMatchError) Error() string {
	return fmt.Sprintf("%s: a persona called %q is already in the workspace (version %d): replace it with the card as a new version, or keep both (the card becomes %q)",
		e.File, e.Name, e.Version, e.KeepBothName)
}
func (e *CardMatchError) ErrorCode() string  { return "card_matches" }
func (e *CardMatchError) ErrorField() string { return "onMatch" }

// ImportedCard is the persona a card became.
type ImportedCard struct {
	Version  persona.PersonaVersion `json:"version"`
	Format   persona.CardFormat     `json:"format"`
	PNG      bool                   `json:"png"`
	Warnings []string               `json:"warnings"`
	// Unchanged says a replacing card matched the persona's current version: nothing was saved.
	Unchanged bool `json:"unchanged,omitempty"`
}

// ExportCardRequest writes the persona's current version as a card to Path.
type ExportCardRequest struct {
	Ref string `json:"ref"`
	// Format is ccv2, ccv3 or charx.
	Format persona.CardFormat `json:"format"`
	PNG    bool               `json:"png"`
	Path   string             `json:"path"`
}

// ExportedCard says what was written.
type ExportedCard struct {
	Path   string             `json:"path"`
	Format persona.CardFormat `json:"format"`
	PNG    bool               `json:"png"`
	Bytes  int                `json:"bytes"`
}

// PreviewRequest renders a persona as it is in the editor, saved or not. An empty Message
// is a sample player message; RAG mode uses the persona's lorebook or a sample passage.
type PreviewRequest struct {
	Persona  persona.Persona `json:"persona"`
	Family   persona.Family  `json:"family"`
	Mode     persona.Mode    `json:"mode"`
	Message  string          `json:"message,omitempty"`
	UserName string          `json:"userName,omitempty"`
}

// RenderPersonaRequest renders a saved persona, as Preview does.
type RenderPersonaRequest struct {
	Ref      string         `json:"ref"`
	Family   persona.Family `json:"family"`
	Mode     persona.Mode   `json:"mode"`
	Message  string         `json:"message,omitempty"`
	UserName string         `json:"userName,omitempty"`
	// Model goes into openai-chat bodies.
	Model string `json:"model,omitempty"`
}

// RenderedPrompt is the exact request a model family gets, and what went into it.
type RenderedPrompt struct {
	Family     persona.Family    `json:"family"`
	Mode       persona.Mode      `json:"mode"`
	TemplateID string            `json:"templateId"`
	System     string            `json:"system"`
	Messages   []persona.Message `json:"messages"`
	// Prompt is the single prompt string of titan-text and llama3.
	Prompt string `json:"prompt,omitempty"`
	// Body is the request body as sent: indented JSON.
	Body string `json:"body"`
	// Tokens estimates the prompt's size (about four characters a token).
	Tokens int `json:"tokens"`
}

// FamilyOption is a model family as the preview's picker offers it.
type FamilyOption struct {
	ID    persona.Family `json:"id"`
	Label string         `json:"label"`
}

var familyLabels = map[persona.Family]string{
	persona.FamilyBedrockConverse: "Bedrock Converse",
	persona.FamilyClaudeMessages:  "Claude messages",
	persona.FamilyTitanText:       "Titan Text",
	persona.FamilyLlama3:          "Llama 3",
	persona.FamilyOpenAIChat:      "OpenAI chat",
}

// TemplateRef names a shared or built-in template.
type TemplateRef struct {
	ID string `json:"id"`
}

// TemplateRequest carries a template to create or save.
type TemplateRequest struct {
	Template persona.Template `json:"template"`
}

// TemplateVersionRequest names version N of a shared template.
type TemplateVersionRequest struct {
	ID string `json:"id"`
	N  int    `json:"n"`
}

func (s *PersonaService) repo() (*persona.Repository, error) {
	st, err := s.a.store()
	if err != nil {
		return nil, err
	}
	return persona.NewRepository(st), nil
}

// author signs a save: the writer's name from the settings, else the OS user.
func (a *App) author() string {
	if set, err := a.Settings.Get(); err == nil && set.Author != "" {
		return set.Author
	}
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return cmp.Or(os.Getenv("USER"), os.Getenv("USERNAME"), "unknown")
}

// List returns a page of personas, sorted by name, matching the query.
func (s *PersonaService) List(req persona.ListOptions) (out persona.PersonaPage, err error) {
	defer guard(s.a.log, &err)
	r, err := s.repo()
	if err != nil {
		return out, err
	}
	return r.List(req)
}

// Get returns the current version of a persona.
func (s *PersonaService) Get(req PersonaRef) (out persona.PersonaVersion, err error) {
	defer guard(s.a.log, &err)
	r, err := s.repo()
	if err != nil {
		return out, err
	}
	return r.Get(req.Ref)
}

// Create makes a new persona (version 1).
func (s *PersonaService) Create(req CreatePersonaRequest) (out persona.PersonaVersion, err error) {
	defer guard(s.a.log, &err)
	var p persona.Persona
	if req.FromFile, err = s.a.userPath("fromFile", req.FromFile); err != nil {
		return out, err
	}
	if req.FromFile != "" {
		if p, err = ReadPersonaFile(req.FromFile); err != nil {
			return out, err
		}
	}
	if name := strings.TrimSpace(req.Name); name != "" {
		p.Name = name
	}
	if strings.TrimSpace(p.Name) == "" {
		return out, fault.Invalid("name", "a persona needs a name")
	}
	r, err := s.repo()
	if err != nil {
		return out, err
	}
	out, err = r.Create(p, s.a.author())
	if err != nil && req.FromFile != "" {
		err = fmt.Errorf("%s: %w", req.FromFile, err)
	}
	if err == nil {
		s.a.log.Info("persona created", "id", out.PersonaID)
	}
	return out, err
}

// maxPersonaFile bounds a persona JSON file: every text field at its limit is far less.
const maxPersonaFile = persona.MaxCardSize

// ReadPersonaFile reads a persona, or a saved version of one, from a JSON file. Errors
// name the file, and the line of a syntax error. The file's id and avatar id are dropped.
func ReadPersonaFile(path string) (persona.Persona, error) {
	data, err := readLimited(path, maxPersonaFile)
	if err != nil {
		return persona.Persona{}, err
	}
	invalid := func(line int, field, reason string) error {
		return &fault.ValidationError{File: path, Line: line, Field: field, Reason: reason}
	}
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(data, &probe); err != nil || probe == nil {
		var syn *json.SyntaxError
		if errors.As(err, &syn) {
			return persona.Persona{}, invalid(lineOf(data, syn.Offset), "", "not valid JSON: "+syn.Error())
		}
		return persona.Persona{}, invalid(0, "", "a persona file holds one JSON object")
	}
	if _, isCard := probe["spec"]; isCard {
		return persona.Persona{}, invalid(0, "spec", "this is a character card: use persona import")
	}
	if raw, ok := probe["persona"]; ok {
		data = raw // a version, as `persona show --json` prints it
	}
	var p persona.Persona
	if err := json.Unmarshal(data, &p); err != nil {
		var typ *json.UnmarshalTypeError
		if errors.As(err, &typ) {
			return persona.Persona{}, invalid(lineOf(data, typ.Offset), typ.Field, fmt.Sprintf("must be %s, not %s", typ.Type, typ.Value))
		}
		return persona.Persona{}, invalid(0, "", err.Error())
	}
	// The file's id and avatar belong to another workspace.
	p.ID, p.AvatarID = "", ""
	return p, nil
}

func lineOf(data []byte, offset int64) int {
	if offset > int64(len(data)) {
		offset = int64(len(data))
	}
	return bytes.Count(data[:offset], []byte("\n")) + 1
}

// readLimited reads a file the writer named, refusing one over limit before reading it.
func readLimited(path string, limit int64) ([]byte, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fileError(path, err)
	}
	if fi.IsDir() {
		return nil, &fault.ValidationError{File: path, Reason: "is a folder, not a file"}
	}
	if fi.Size() > limit {
		return nil, &fault.ValidationError{File: path, Reason: fmt.Sprintf("is %s; the limit is %d MB", prose.Size(fi.Size()), limit>>20)}
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fileError(path, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fileError(path, err)
	}
	if int64(len(data)) > limit {
		return nil, &fault.ValidationError{File: path, Reason: fmt.Sprintf("is over the %d MB limit", limit>>20)}
	}
	return data, nil
}

func fileError(path string, err error) error {
	switch {
	case errors.Is(err, os.ErrNotExist):
		return fmt.Errorf("%s: no such file: %w", path, fault.ErrNotFound)
	case errors.Is(err, os.ErrPermission):
		return fmt.Errorf("%s: permission denied", path)
	}
	var pe *os.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %v", path, pe.Err)
	}
	return fmt.Errorf("%s: %w", path, err)
}

// unusedPersonaName is name, or "name (2)", "name (3)"… the first no persona has.
func unusedPersonaName(r *persona.Repository, name string) (string, error) {
	for i := 1; i < 1000; i++ {
		n := name
		if i > 1 {
			n = fmt.Sprintf("%s (%d)", name, i)
		}
		_, err := r.Get(n)
		if errors.Is(err, persona.ErrNotFound) {
			return n, nil
		}
		if err != nil && !errors.Is(err, persona.ErrAmbiguousName) {
			return "", err
		}
	}
	return "", fmt.Errorf("no free name like %q", name)
}

// Open returns the current version of a persona as the editor edits it.
func (s *PersonaService) Open(req PersonaRef) (out PersonaEdit, err error) {
	defer guard(s.a.log, &err)
	r, err := s.repo()
	if err != nil {
		return out, err
	}
	v, err := r.Get(req.Ref)
	if err != nil {
		return out, err
	}
	return editOf(v)
}

func editOf(v persona.PersonaVersion) (PersonaEdit, error) {
	p := v.Persona
	out := PersonaEdit{PersonaID: v.PersonaID, N: v.N, Author: v.Author, SavedAt: v.SavedAt, Note: v.Note}
	if len(p.Extensions) > 0 {
		raw, err := json.Marshal(p.Extensions) // RawMessage values are written as they are
		if err != nil {
			return out, err
		}
		var b bytes.Buffer
		if err := json.Indent(&b, raw, "", "  "); err != nil {
			return out, err
		}
		out.Extensions = b.String()
	}
	if p.Lorebook != nil {
		out.LorebookEntries = len(p.Lorebook.Entries)
	}
	if p.Card != nil {
		out.CardFormat = p.Card.Format
	}
	p.Extensions, p.Lorebook, p.Card = nil, nil, nil
	out.Persona = p
	return out, nil
}

// Save stores the persona as its next version. Saving what is already the current version
// changes nothing and returns it.
func (s *PersonaService) Save(req SavePersonaRequest) (out persona.PersonaVersion, err error) {
	defer guard(s.a.log, &err)
	r, err := s.repo()
	if err != nil {
		return out, err
	}
	if req.Persona.ID == "" {
		return out, fault.Invalid("id", "save needs the persona's id; use create for a new persona")
	}
	if req.Form {
		cur, err := r.Get(req.Persona.ID)
		if err != nil {
			return out, err
		}
		p := &req.Persona
		p.Lorebook, p.Card, p.AvatarID = cur.Persona.Lorebook, cur.Persona.Card, cur.Persona.AvatarID
		if p.Extensions, err = parseExtensions(req.Extensions); err != nil {
			return out, err
		}
	}
	out, err = r.Save(req.Persona, s.a.author())
	if err == nil {
		s.a.log.Info("persona saved", "id", out.PersonaID, "version", out.N)
	}
	return out, err
}

// parseExtensions reads the editor's extensions text: a JSON object whose values are kept
// byte for byte.
func parseExtensions(text string) (map[string]json.RawMessage, error) {
	data := []byte(strings.TrimSpace(text))
	if len(data) == 0 {
		return nil, nil
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil || m == nil {
		var syn *json.SyntaxError
		if errors.As(err, &syn) {
			return nil, &fault.ValidationError{Field: "extensions", Line: lineOf(data, syn.Offset), Reason: "not valid JSON: " + syn.Error()}
		}
		return nil, fault.Invalid("extensions", "must be a JSON object")
	}
	if len(m) == 0 {
		return nil, nil
	}
	// Compact each value: its layout in the editor is not part of it, its numbers and key
	// order are.
	for k, v := range m {
		var b bytes.Buffer
		if err := json.Compact(&b, v); err == nil {
			m[k] = b.Bytes()
		}
	}
	return m, nil
}

// History lists a persona's versions, newest first.
func (s *PersonaService) History(req PersonaRef) (out []persona.VersionInfo, err error) {
	defer guard(s.a.log, &err)
	r, err := s.repo()
	if err != nil {
		return nil, err
	}
	v, err := r.Get(req.Ref)
	if err != nil {
		return nil, err
	}
	return r.History(v.PersonaID)
}

// Version returns one version of a persona.
func (s *PersonaService) Version(req PersonaVersionRequest) (out persona.PersonaVersion, err error) {
	defer guard(s.a.log, &err)
	r, err := s.repo()
	if err != nil {
		return out, err
	}
	return r.Version(req.ID, req.N)
}

// Diff compares two versions of a persona field by field, word by word.
func (s *PersonaService) Diff(req PersonaDiffRequest) (out PersonaDiff, err error) {
	defer guard(s.a.log, &err)
	r, err := s.repo()
	if err != nil {
		return out, err
	}
	from, err := r.Version(req.ID, req.From)
	if err != nil {
		return out, err
	}
	to, err := r.Version(req.ID, req.To)
	if err != nil {
		return out, err
	}
	out = PersonaDiff{ID: req.ID, From: versionInfo(from), To: versionInfo(to), Fields: persona.Diff(from.Persona, to.Persona)}
	if out.Fields == nil {
		out.Fields = []persona.FieldDiff{}
	}
	return out, nil
}

func versionInfo(v persona.PersonaVersion) persona.VersionInfo {
	return persona.VersionInfo{N: v.N, Author: v.Author, SavedAt: v.SavedAt, Note: v.Note, Name: v.Persona.Name}
}

// Restore makes an old version the current one again, as a new version.
func (s *PersonaService) Restore(req PersonaVersionRequest) (out persona.PersonaVersion, err error) {
	defer guard(s.a.log, &err)
	r, err := s.repo()
	if err != nil {
		return out, err
	}
	out, err = r.Restore(req.ID, req.N, s.a.author())
	if err == nil {
		s.a.log.Info("persona restored", "id", req.ID, "from", req.N, "version", out.N)
	}
	return out, err
}

// SaveAsNew copies a version into a new persona.
func (s *PersonaService) SaveAsNew(req SaveAsNewRequest) (out persona.PersonaVersion, err error) {
	defer guard(s.a.log, &err)
	r, err := s.repo()
	if err != nil {
		return out, err
	}
	out, err = r.SaveAsNew(req.ID, req.N, req.Name, s.a.author())
	if err == nil {
		s.a.log.Info("persona copied", "from", req.ID, "id", out.PersonaID)
	}
	return out, err
}

// Delete removes a persona with all its versions.
func (s *PersonaService) Delete(req PersonaRef) (err error) {
	defer guard(s.a.log, &err)
	r, err := s.repo()
	if err != nil {
		return err
	}
	v, err := r.Get(req.Ref)
	if err != nil {
		return err
	}
	if err = r.Delete(v.PersonaID); err == nil {
		s.a.log.Info("persona deleted", "id", v.PersonaID)
	}
	return err
}

// Import reads a Character Card V1/V2/V3 (JSON or PNG) and stores it as a new persona. A
// card that cannot be read changes nothing; the error names the file and what is wrong.
func (s *PersonaService) Import(req ImportCardRequest) (out ImportedCard, err error) {
	defer guard(s.a.log, &err)
	if req.Path, err = s.a.userPath("path", req.Path); err != nil {
		return out, err
	}
	if req.Path == "" {
		return out, fault.Invalid("path", "give the card file to import")
	}
	r, err := s.repo()
	if err != nil {
		return out, err
	}
	fi, err := os.Stat(req.Path)
	if err != nil {
		return out, fileError(req.Path, err)
	}
	if fi.IsDir() {
		return out, &persona.CardError{File: req.Path, Reason: "is a folder, not a card file"}
	}
	if fi.Size() > persona.MaxCardSize {
		return out, &persona.CardError{File: req.Path, Reason: fmt.Sprintf("is %s; a card is at most %d MB", prose.Size(fi.Size()), persona.MaxCardSize>>20)}
	}
	f, err := os.Open(req.Path)
	if err != nil {
		return out, fileError(req.Path, err)
	}
	res, err := persona.ImportCard(req.Path, f)
	f.Close()
	if err != nil {
		return out, err
	}
	var v persona.PersonaVersion
	match, err := r.Get(res.Persona.Name)
	switch {
	case errors.Is(err, persona.ErrNotFound):
		v, err = r.Create(res.Persona, s.a.author())
	case err != nil && !errors.Is(err, persona.ErrAmbiguousName):
		return out, err
	case req.OnMatch == OnMatchKeepBoth:
		p := res.Persona
		if p.Name, err = unusedPersonaName(r, p.Name); err != nil {
			return out, err
		}
		v, err = r.Create(p, s.a.author())
	case err != nil: // more than one persona has the name: which to replace is not clear
		return out, fmt.Errorf("%s: %w; keep both, or rename one of them first", req.Path, err)
	case req.OnMatch == OnMatchReplace:
		p := res.Persona
		p.ID = match.PersonaID
		if p.TemplateID == "" && p.Template == nil {
			p.TemplateID, p.Template = match.Persona.TemplateID, match.Persona.Template
		}
		v, err = r.Save(p, s.a.author())
		out.Unchanged = err == nil && v.N == match.N
	case req.OnMatch == "":
		keep, kerr := unusedPersonaName(r, res.Persona.Name)
		if kerr != nil {
			return out, kerr
		}
		return out, &CardMatchError{File: req.Path, Name: match.Persona.Name, PersonaID: match.PersonaID, Version: match.N, KeepBothName: keep}
	default:
		return out, fault.Invalid("onMatch", "%q is not a choice: replace or keepBoth", req.OnMatch)
	}
	if err != nil {
		return out, fmt.Errorf("%s: %w", req.Path, err)
	}
	s.a.log.Info("card imported", "id", v.PersonaID, "format", res.Format, "png", res.PNG)
	out = ImportedCard{Version: v, Format: res.Format, PNG: res.PNG, Warnings: res.Warnings, Unchanged: out.Unchanged}
	if out.Warnings == nil {
		out.Warnings = []string{}
	}
	return out, nil
}

// Export writes a persona's current version as a Character Card V2 or V3, JSON or PNG (its
// avatar, or a generated image), to Path. The file is replaced only once the card is whole.
func (s *PersonaService) Export(req ExportCardRequest) (out ExportedCard, err error) {
	defer guard(s.a.log, &err)
	if req.Path, err = s.a.userPath("path", req.Path); err != nil {
		return out, err
	}
	if req.Path == "" {
		return out, fault.Invalid("path", "give the card file to write")
	}
	if req.Format != persona.CardV2 && req.Format != persona.CardV3 && req.Format != persona.CardCHARX {
		return out, fault.Invalid("format", "%q is not a card format: use ccv2, ccv3 or charx", req.Format)
	}
	r, err := s.repo()
	if err != nil {
		return out, err
	}
	v, err := r.Get(req.Ref)
	if err != nil {
		return out, err
	}
	p := v.Persona
	if (req.PNG || req.Format == persona.CardCHARX) && p.AvatarID != "" {
		if p.Avatar, err = r.Avatar(p.ID, p.AvatarID); err != nil {
			return out, err
		}
	}
	var buf bytes.Buffer
	if err := persona.ExportCard(p, req.Format, req.PNG, &buf); err != nil {
		return out, err
	}
	// Written in one step, so a failed export never leaves half a card where the writer's file was.
	if err := atomicfile.Write(req.Path, 0o644, func(w io.Writer) error { _, err := w.Write(buf.Bytes()); return err }); err != nil {
		return out, fileError(req.Path, err)
	}
	s.a.log.Info("card exported", "id", p.ID, "format", req.Format, "png", req.PNG)
	return ExportedCard{Path: req.Path, Format: req.Format, PNG: req.PNG, Bytes: buf.Len()}, nil
}

// Families lists the model families a persona renders for.
func (s *PersonaService) Families() (out []FamilyOption, err error) {
	defer guard(s.a.log, &err)
	for _, f := range persona.Families() {
		out = append(out, FamilyOption{ID: f, Label: cmp.Or(familyLabels[f], string(f))})
	}
	return out, nil
}

// Preview renders the persona in the editor (saved or not) into the exact request body of
// a family, for the live preview. It is cheap enough to call as the writer types.
func (s *PersonaService) Preview(req PreviewRequest) (out RenderedPrompt, err error) {
	defer guard(s.a.log, &err)
	r, err := s.repo()
	if err != nil {
		return out, err
	}
	return s.render(r, req.Persona, req.Family, req.Mode, req.Message, req.UserName, "")
}

// Render renders a saved persona, as Preview does (sample message and lore fill what the
// request leaves empty).
func (s *PersonaService) Render(req RenderPersonaRequest) (out RenderedPrompt, err error) {
	defer guard(s.a.log, &err)
	r, err := s.repo()
	if err != nil {
		return out, err
	}
	v, err := r.Get(req.Ref)
	if err != nil {
		return out, err
	}
	return s.render(r, v.Persona, req.Family, req.Mode, req.Message, req.UserName, req.Model)
}

func (s *PersonaService) render(r *persona.Repository, p persona.Persona, family persona.Family, mode persona.Mode, message, userName, model string) (RenderedPrompt, error) {
	if mode == "" {
		mode = persona.ModeBase
	}
	if mode == persona.ModeRAG && p.Lorebook == nil && p.ID != "" {
		// The editor sends no lorebook (see PersonaEdit); the sample lore comes from it.
		if cur, err := r.Get(p.ID); err == nil {
			p.Lorebook = cur.Persona.Lorebook
		}
	}
	t, err := r.ResolveTemplate(p)
	if err != nil {
		return RenderedPrompt{}, err
	}
	out, err := persona.Preview(s.a.ctx(), persona.RenderRequest{
		Persona: p, Template: t, Family: family, Mode: mode, Message: message, UserName: userName, Model: model,
	})
	if err != nil {
		return RenderedPrompt{}, err
	}
	return RenderedPrompt{
		Family: out.Family, Mode: out.Mode, TemplateID: out.TemplateID, System: out.System,
		Messages: out.Messages, Prompt: out.Prompt, Body: string(out.Body), Tokens: out.Tokens,
	}, nil
}

// Templates lists the built-in templates, then the shared ones.
func (s *PersonaService) Templates() (out []persona.TemplateSummary, err error) {
	defer guard(s.a.log, &err)
	r, err := s.repo()
	if err != nil {
		return nil, err
	}
	return r.ListTemplates()
}

// Template returns the current version of a shared or built-in template.
func (s *PersonaService) Template(req TemplateRef) (out persona.TemplateVersion, err error) {
	defer guard(s.a.log, &err)
	r, err := s.repo()
	if err != nil {
		return out, err
	}
	return r.Template(req.ID)
}

// CreateTemplate shares a template across personas (version 1). It is checked by rendering
// it for every family and mode first.
func (s *PersonaService) CreateTemplate(req TemplateRequest) (out persona.TemplateVersion, err error) {
	defer guard(s.a.log, &err)
	r, err := s.repo()
	if err != nil {
		return out, err
	}
	return r.CreateTemplate(req.Template, s.a.author())
}

// SaveTemplate stores a shared template's next version; every persona using it follows.
func (s *PersonaService) SaveTemplate(req TemplateRequest) (out persona.TemplateVersion, err error) {
	defer guard(s.a.log, &err)
	r, err := s.repo()
	if err != nil {
		return out, err
	}
	return r.SaveTemplate(req.Template, s.a.author())
}

// TemplateHistory lists a shared template's versions, newest first.
func (s *PersonaService) TemplateHistory(req TemplateRef) (out []persona.VersionInfo, err error) {
	defer guard(s.a.log, &err)
	r, err := s.repo()
	if err != nil {
		return nil, err
	}
	return r.TemplateHistory(req.ID)
}

// RestoreTemplate makes an old version of a shared template current again.
func (s *PersonaService) RestoreTemplate(req TemplateVersionRequest) (out persona.TemplateVersion, err error) {
	defer guard(s.a.log, &err)
	r, err := s.repo()
	if err != nil {
		return out, err
	}
	return r.RestoreTemplate(req.ID, req.N, s.a.author())
}

// TemplateFuncs lists the functions templates may call, for the template editor.
func (s *PersonaService) TemplateFuncs() (out []persona.FuncDoc, err error) {
	defer guard(s.a.log, &err)
	return persona.TemplateFuncs(), nil
}
