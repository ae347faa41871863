package persona

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Persona is an NPC as a writer describes it. Every field is plain text written by people:
// it is data for templates, never template code.
type Persona struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Nickname string `json:"nickname,omitempty"`
	Role     string `json:"role,omitempty"`
	// Description is the backstory and appearance (a card's description).
	Description string `json:"description,omitempty"`
	Personality string `json:"personality,omitempty"`
	SpeechStyle string `json:"speechStyle,omitempty"`
	Scenario    string `json:"scenario,omitempty"`

	FirstGreeting      string   `json:"firstGreeting,omitempty"`
	AlternateGreetings []string `json:"alternateGreetings,omitempty"`
	// GroupGreetings are greetings used only in group chats (Character Card V3).
	GroupGreetings []string `json:"groupGreetings,omitempty"`
	// ExampleDialogue is a card's mes_example: sample exchanges in <START> blocks.
	ExampleDialogue string `json:"exampleDialogue,omitempty"`

	Goals         []string       `json:"goals,omitempty"`
	Relationships []Relationship `json:"relationships,omitempty"`
	Knowledge     Knowledge      `json:"knowledge"`
	SafetyNotes   string         `json:"safetyNotes,omitempty"`
	Tags          []string       `json:"tags,omitempty"`

	// SystemPrompt and PostHistoryInstructions come from a card's system_prompt and
	// post_history_instructions; the default template places them.
	SystemPrompt            string `json:"systemPrompt,omitempty"`
	PostHistoryInstructions string `json:"postHistoryInstructions,omitempty"`
	// CreatorNotes are for humans and are never put in a prompt.
	CreatorNotes     string `json:"creatorNotes,omitempty"`
	Creator          string `json:"creator,omitempty"`
	CharacterVersion string `json:"characterVersion,omitempty"`

	// Extensions are free-form keys (a card's data.extensions), kept exactly as given.
	Extensions map[string]json.RawMessage `json:"extensions,omitempty" ts_type:"Record<string, any>"`
	// Lorebook holds a card's character_book: keyword-triggered lore entries.
	Lorebook *Lorebook `json:"lorebook,omitempty"`

	// TemplateID names a shared or built-in template; Template, when set, is the persona's
	// own template and wins. An own template is versioned with the persona.
	TemplateID string    `json:"templateId,omitempty"`
	Template   *Template `json:"template,omitempty"`

	// AvatarID is the SHA-256 (hex) of the persona's PNG image, stored beside it.
	AvatarID string `json:"avatarId,omitempty"`
	// Avatar carries image bytes between ImportCard, the Repository and ExportCard. It is
	// never part of the persona's JSON: the Repository stores it once per image.
	Avatar []byte `json:"-"`

	// Card keeps what an imported card had beyond NPC Studio's fields, for export.
	Card *CardOrigin `json:"card,omitempty"`
}

// Relationship is how this persona relates to another one.
type Relationship struct {
	// PersonaID links to another persona in the workspace; empty for characters not modelled.
	PersonaID string `json:"personaId,omitempty"`
	Name      string `json:"name"`
	// Kind is the relationship in a few words: "older sister", "rival", "owes money to".
	Kind  string `json:"kind,omitempty"`
	Notes string `json:"notes,omitempty"`
}

// Knowledge bounds what the persona knows.
type Knowledge struct {
	// Boundaries says in prose what the persona knows and must not know.
	Boundaries string `json:"boundaries,omitempty"`
	// LoreCollections are the lore collections RAG may draw on for this persona.
	LoreCollections []string `json:"loreCollections,omitempty"`
}

// Lorebook is a card's character_book. Known fields are typed; Extra keeps the rest.
//
// A key whose value is zero (false, 0, "", [] or null) stays in Extra as it was given, so an
// export writes back exactly what was imported; a typed field is written when it is not zero.
type Lorebook struct {
	Name              string                     `json:"name,omitempty"`
	Description       string                     `json:"description,omitempty"`
	ScanDepth         int                        `json:"scanDepth,omitempty"`
	TokenBudget       int                        `json:"tokenBudget,omitempty"`
	RecursiveScanning bool                       `json:"recursiveScanning,omitempty"`
	Extensions        map[string]json.RawMessage `json:"extensions,omitempty" ts_type:"Record<string, any>"`
	Entries           []LoreEntry                `json:"entries"`
	Extra             map[string]json.RawMessage `json:"extra,omitempty" ts_type:"Record<string, any>"`
}

// LoreEntry is one keyword-triggered piece of lore, with every Character Card V2/V3 field.
type LoreEntry struct {
	Keys          []string                   `json:"keys"`
	SecondaryKeys []string                   `json:"secondaryKeys,omitempty"`
	Content       string                     `json:"content"`
	Extensions    map[string]json.RawMessage `json:"extensions,omitempty" ts_type:"Record<string, any>"`
	Enabled       bool                       `json:"enabled"`
	// InsertionOrder: entries with a higher number are inserted later (closer to the end).
	InsertionOrder int `json:"insertionOrder"`
	// CaseSensitive is unset when the card leaves it to the application.
	CaseSensitive *bool  `json:"caseSensitive,omitempty"`
	Constant      bool   `json:"constant,omitempty"`
	Name          string `json:"name,omitempty"`
	Priority      int    `json:"priority,omitempty"`
	ID            int    `json:"id,omitempty"`
	Comment       string `json:"comment,omitempty"`
	// Selective: the entry needs a key and a secondary key to trigger.
	Selective bool `json:"selective,omitempty"`
	// Position is "before_char" or "after_char".
	Position string `json:"position,omitempty"`
	// UseRegex (V3): keys are regular expressions.
	UseRegex bool                       `json:"useRegex,omitempty"`
	Extra    map[string]json.RawMessage `json:"extra,omitempty" ts_type:"Record<string, any>"`
}

// CardOrigin is what an imported card carried that has no Persona field.
type CardOrigin struct {
	// Format the card was imported from: ccv1, ccv2 or ccv3.
	Format CardFormat `json:"format"`
	// Extra holds unknown top-level keys; DataExtra unknown keys of the card's data object.
	Extra     map[string]json.RawMessage `json:"extra,omitempty" ts_type:"Record<string, any>"`
	DataExtra map[string]json.RawMessage `json:"dataExtra,omitempty" ts_type:"Record<string, any>"`
	// Mirrored names the top-level copies of data fields (name, description...) that matched
	// their field on import; export keeps them in step with the persona.
	Mirrored []string `json:"mirrored,omitempty"`
}

// Limits on what a persona may hold; they keep a workspace and a prompt reasonable.
const (
	MaxNameLen  = 200
	MaxFieldLen = 1 << 20 // bytes in any one text field
)

// Validate reports the first problem that would stop the persona from being saved.
func (p Persona) Validate() error {
	name := strings.TrimSpace(p.Name)
	if name == "" {
		return &ValidationError{Field: "name", Reason: "a persona needs a name"}
	}
	if utf8.RuneCountInString(name) > MaxNameLen {
		return &ValidationError{Field: "name", Reason: fmt.Sprintf("longer than %d characters", MaxNameLen)}
	}
	for _, f := range [...]struct{ field, text string }{
		{"description", p.Description}, {"personality", p.Personality}, {"speechStyle", p.SpeechStyle},
		{"scenario", p.Scenario}, {"firstGreeting", p.FirstGreeting}, {"exampleDialogue", p.ExampleDialogue},
		{"knowledge.boundaries", p.Knowledge.Boundaries}, {"safetyNotes", p.SafetyNotes},
		{"systemPrompt", p.SystemPrompt}, {"postHistoryInstructions", p.PostHistoryInstructions},
	} {
		if len(f.text) > MaxFieldLen {
			return &ValidationError{Field: f.field, Reason: fmt.Sprintf("longer than %d bytes", MaxFieldLen)}
		}
	}
	for i, r := range p.Relationships {
		if strings.TrimSpace(r.Name) == "" && r.PersonaID == "" {
			return &ValidationError{Field: fmt.Sprintf("relationships[%d].name", i), Reason: "a relationship needs a name or a persona"}
		}
	}
	if p.Template != nil {
		if err := p.Template.check(); err != nil {
			return err
		}
	}
	return nil
}

// DisplayName is what {{char}} becomes: the nickname when there is one (as in Character
// Card V3), otherwise the name.
func (p Persona) DisplayName() string {
	if n := strings.TrimSpace(p.Nickname); n != "" {
		return n
	}
	return strings.TrimSpace(p.Name)
}

// placeholders substitutes {{char}} and {{user}} (any letter case) and the older <BOT> and
// <USER> as plain text. The result is never parsed as a template.
type placeholders struct {
	char, user string
}

func (ph placeholders) apply(s string) string {
	if !strings.ContainsAny(s, "{<") {
		return s
	}
	var b strings.Builder
	for {
		i := strings.IndexAny(s, "{<")
		if i < 0 {
			break
		}
		b.WriteString(s[:i])
		s = s[i:]
		if r, n := ph.match(s); n > 0 {
			b.WriteString(r)
			s = s[n:]
			continue
		}
		b.WriteByte(s[0])
		s = s[1:]
	}
	b.WriteString(s)
	return b.String()
}

func (ph placeholders) match(s string) (string, int) {
	for _, m := range [...]struct{ token, value string }{
		{"{{char}}", ph.char}, {"{{user}}", ph.user}, {"<bot>", ph.char}, {"<user>", ph.user},
	} {
		if len(s) >= len(m.token) && strings.EqualFold(s[:len(m.token)], m.token) {
			return m.value, len(m.token)
		}
	}
	return "", 0
}

func (ph placeholders) list(in []string) []string {
	if len(in) == 0 {
		return nil
	}
	out := make([]string, len(in))
	for i, s := range in {
		out[i] = ph.apply(s)
	}
	return out
}
