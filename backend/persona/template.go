package persona

import (
	"context"
	"errors"
	"fmt"
	"github.com/npcstudio/npcstudio/backend/prose"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"text/template"
	"text/template/parse"
	"time"
)

// Template turns a persona into the text a model gets. System and Turn are Go text/template
// sources (see doc.go for the data and functions they may use): System becomes the system
// prompt, Turn the player's last message as sent (empty means just the message).
type Template struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	System      string `json:"system"`
	Turn        string `json:"turn,omitempty"`
	Params      Params `json:"params"`
	// Builtin marks the starting templates that ship with NPC Studio; they are read-only.
	Builtin bool `json:"builtin,omitempty"`
}

// Params are the generation settings a template asks for. Unset values are left out of the
// request so that the model's own defaults apply; each family takes the ones it supports.
type Params struct {
	// MaxTokens caps the reply; zero means DefaultMaxTokens.
	MaxTokens   int      `json:"maxTokens,omitempty"`
	Temperature *float64 `json:"temperature,omitempty"`
	TopP        *float64 `json:"topP,omitempty"`
	// TopK is sent to Claude only: Converse puts it in model-specific fields, and the
	// other families do not take it.
	TopK *int     `json:"topK,omitempty"`
	Stop []string `json:"stop,omitempty"`
}

// DefaultMaxTokens is the reply cap when a template sets none.
const DefaultMaxTokens = 512

// Bounds on templates. text/template has no loop limit of its own, so every range
// iteration is counted and the clock is checked as output is written.
const (
	MaxTemplateSize = 32 << 10  // bytes in System or Turn
	MaxOutputSize   = 256 << 10 // bytes one part may produce
	MaxLoops        = 100_000   // range iterations in one render
	RenderTimeout   = 250 * time.Millisecond
)

// Data is what a template sees as dot. Persona text, messages and lore are already
// placeholder-substituted; they are values, never template code. Data and View are the
// template language, not DTOs: their Go field names are what templates write.
type Data struct {
	Char    string
	User    string
	Persona View
	Message string
	History []Message
	// Lore holds the retrieved passages in RAG mode; it is empty in base mode.
	Lore   []Passage
	Mode   Mode
	RAG    bool
	Family Family

	budget *budget
}

// View is the persona as templates see it.
type View struct {
	Name               string
	Nickname           string
	Role               string
	Description        string
	Personality        string
	SpeechStyle        string
	Scenario           string
	FirstGreeting      string
	AlternateGreetings []string
	// ExampleDialogue is the card's example exchanges, each under the family's
	// ExampleSeparator; Examples are the exchanges alone, for a template that heads them
	// itself. Neither holds a <START> marker.
	ExampleDialogue         string
	Examples                []string
	Goals                   []string
	Relationships           []Relationship
	KnowledgeBoundaries     string
	LoreCollections         []string
	SafetyNotes             string
	Tags                    []string
	SystemPrompt            string
	PostHistoryInstructions string
}

// FuncDoc describes a template function for the template editor.
type FuncDoc struct {
	Name  string `json:"name"`
	Usage string `json:"usage"`
}

// TemplateFuncs lists the functions a template may call besides text/template's built-ins.
func TemplateFuncs() []FuncDoc {
	return []FuncDoc{
		{"char", "{{char}}: the persona's name (its nickname when set)"},
		{"user", "{{user}}: the player's name"},
		{"join", `{{join ", " .Persona.Tags}}: the items joined by the separator`},
		{"bullets", `{{bullets .Persona.Goals}}: one "- item" line per item`},
		{"trim", "{{trim .Message}}: without leading and trailing space"},
		{"upper", "{{upper .Char}}: in capitals"},
		{"lower", "{{lower .Char}}: in lower case"},
		{"default", `{{default "a villager" .Persona.Role}}: the value, or the fallback when it is empty`},
		{"truncateTokens", "{{truncateTokens 200 .Persona.Description}}: cut to about n tokens, at a word"},
		{"tokens", "{{tokens .Persona.Description}}: the token estimate of a text"},
		{"printf", `{{printf "%q" .Message}}: fmt.Sprintf, with widths and precisions up to 1000`},
	}
}

var funcMap = template.FuncMap{
	"char":           func() string { return "" },
	"user":           func() string { return "" },
	"join":           func(sep string, items []string) string { return strings.Join(items, sep) },
	"bullets":        bullets,
	"trim":           strings.TrimSpace,
	"upper":          strings.ToUpper,
	"lower":          strings.ToLower,
	"default":        func(def, v string) string { return cmpOr(v, def) },
	"truncateTokens": TruncateTokens,
	"tokens":         prose.EstimateTokens,
	"printf":         boundedPrintf,
	loopFunc:         countLoop,
}

const loopFunc = "_loop"

func cmpOr(v, def string) string {
	if strings.TrimSpace(v) == "" {
		return def
	}
	return v
}

func bullets(items []string) string {
	var b strings.Builder
	for i, it := range items {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString("- ")
		b.WriteString(it)
	}
	return b.String()
}

var printfWidth = regexp.MustCompile(`%[-+# 0]*(\*|\d+)?(?:\.(\*|\d+))?`)

// boundedPrintf is fmt.Sprintf without the huge paddings ("%0999999999d") that would make
// a template allocate gigabytes.
func boundedPrintf(format string, args ...any) (string, error) {
	for _, m := range printfWidth.FindAllStringSubmatch(format, -1) {
		for _, w := range m[1:] {
			if w == "*" {
				return "", errors.New("printf: * widths are not allowed")
			}
			if n, err := strconv.Atoi(w); err == nil && n > 1000 {
				return "", fmt.Errorf("printf: width or precision %d is over 1000", n)
			}
		}
	}
	return fmt.Sprintf(format, args...), nil
}

// budget bounds one render: range iterations, output size and time.
type budget struct {
	ctx      context.Context
	deadline time.Time
	loops    int
	// line is the line of the range that last began an iteration, which a runaway
	// template is almost always stuck in.
	line int
}

// runawayError is a render stopped by MaxLoops or by RenderTimeout. Which of the two stops
// a runaway template first depends on the machine's speed, so both read the same.
type runawayError struct{ line int }

func (e runawayError) Error() string {
	return fmt.Sprintf("runs too long: a render stops after %d loop iterations or %v", MaxLoops, RenderTimeout)
}

var errOutputLarge = fmt.Errorf("produced more than %d KiB", MaxOutputSize>>10)

func (b *budget) check() error {
	if err := b.ctx.Err(); err != nil {
		return err
	}
	if time.Now().After(b.deadline) {
		return runawayError{b.line}
	}
	return nil
}

// countLoop runs at the start of every range iteration (see instrument).
func countLoop(d *Data, line int) (string, error) {
	if d == nil || d.budget == nil {
		return "", nil
	}
	d.budget.loops++
	d.budget.line = line
	if d.budget.loops > MaxLoops {
		return "", runawayError{line}
	}
	if d.budget.loops%256 == 0 {
		return "", d.budget.check()
	}
	return "", nil
}

// cappedWriter collects template output up to MaxOutputSize, checking the budget on every
// write so that a template that keeps printing stops in time.
type cappedWriter struct {
	buf    []byte
	budget *budget
}

func (w *cappedWriter) Write(p []byte) (int, error) {
	if len(w.buf)+len(p) > MaxOutputSize {
		return 0, errOutputLarge
	}
	if err := w.budget.check(); err != nil {
		return 0, err
	}
	w.buf = append(w.buf, p...)
	return len(p), nil
}

// parsed caches compiled template parts by source; compiling costs more than rendering.
var parsed struct {
	sync.Mutex
	m map[string]*template.Template
}

const maxCached = 512

func compile(part, src string) (*template.Template, error) {
	key := part + "\x00" + src
	parsed.Lock()
	t, ok := parsed.m[key]
	parsed.Unlock()
	if ok {
		return t, nil
	}
	if len(src) > MaxTemplateSize {
		return nil, &TemplateError{Part: part, Reason: fmt.Sprintf("is %d KiB; templates are at most %d KiB", len(src)>>10, MaxTemplateSize>>10)}
	}
	t, err := template.New(part).Option("missingkey=error").Funcs(funcMap).Parse(src)
	if err != nil {
		return nil, templateError(part, err)
	}
	if len(t.Templates()) > 1 {
		return nil, &TemplateError{Part: part, Reason: "define and block are not available: a template is one text"}
	}
	if err := instrument(t, t.Tree.Root); err != nil {
		return nil, err
	}
	parsed.Lock()
	if parsed.m == nil || len(parsed.m) >= maxCached {
		parsed.m = make(map[string]*template.Template)
	}
	parsed.m[key] = t
	parsed.Unlock()
	return t, nil
}

// instrument rejects {{template}} calls (recursion) and makes every range iteration call
// _loop first, so that a loop over a huge number stops at MaxLoops instead of hanging the
// app. The parse tree is only reachable through Template.Tree, which is why this walks it.
func instrument(t *template.Template, n parse.Node) error {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return nil
		}
		for _, c := range n.Nodes {
			if err := instrument(t, c); err != nil {
				return err
			}
		}
	case *parse.TemplateNode:
		return &TemplateError{Part: t.Name(), Line: n.Line, Reason: "{{template}} is not available: a template is one text"}
	case *parse.IfNode:
		return instrumentBranch(t, &n.BranchNode)
	case *parse.WithNode:
		return instrumentBranch(t, &n.BranchNode)
	case *parse.RangeNode:
		tick, err := loopNode(n.Line)
		if err != nil {
			return err
		}
		if err := instrumentBranch(t, &n.BranchNode); err != nil {
			return err
		}
		n.List.Nodes = append([]parse.Node{tick}, n.List.Nodes...)
	}
	return nil
}

func instrumentBranch(t *template.Template, b *parse.BranchNode) error {
	if err := instrument(t, b.List); err != nil {
		return err
	}
	return instrument(t, b.ElseList)
}

func loopNode(line int) (parse.Node, error) {
	t, err := template.New("loop").Funcs(funcMap).Parse(fmt.Sprintf("{{%s $ %d}}", loopFunc, line))
	if err != nil {
		return nil, err
	}
	return t.Tree.Root.Nodes[0], nil
}

// execute renders one part with the render's names bound to char and user.
func execute(part, src string, d *Data) (string, error) {
	t, err := compile(part, src)
	if err != nil {
		return "", err
	}
	t, err = t.Clone()
	if err != nil {
		return "", err
	}
	char, user := d.Char, d.User
	t.Funcs(template.FuncMap{"char": func() string { return char }, "user": func() string { return user }})
	w := &cappedWriter{budget: d.budget, buf: make([]byte, 0, 2*len(src))}
	if err := t.Execute(w, d); err != nil {
		return "", templateError(part, err)
	}
	return string(w.buf), nil
}

var (
	errLocation  = regexp.MustCompile(`^template: [^:]+:(\d+):(?:\d+:)? ?(.*)$`)
	errExecuting = regexp.MustCompile(`^executing "[^"]*" at <([^>]*)>: (.*)$`)
	errNoField   = regexp.MustCompile(`^can't evaluate field (\w+) in type .*$`)
	errNoKey     = regexp.MustCompile(`^map has no entry for key "?([^"]*)"?$`)
)

// templateError turns text/template's messages into a TemplateError with a line and a
// reason a writer can act on.
func templateError(part string, err error) error {
	var te *TemplateError
	if errors.As(err, &te) {
		return err
	}
	var re runawayError
	if errors.As(err, &re) {
		return &TemplateError{Part: part, Line: re.line, Reason: re.Error()}
	}
	switch {
	case errors.Is(err, errOutputLarge):
		return &TemplateError{Part: part, Reason: err.Error()}
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return err
	}
	msg := err.Error()
	out := &TemplateError{Part: part, Reason: msg}
	if m := errLocation.FindStringSubmatch(msg); m != nil {
		out.Line, _ = strconv.Atoi(m[1])
		out.Reason = m[2]
	}
	if m := errExecuting.FindStringSubmatch(out.Reason); m != nil {
		at, why := m[1], m[2]
		switch {
		case errNoField.MatchString(why):
			why = fmt.Sprintf("no field %s: misspelt, or not something a template can use", errNoField.FindStringSubmatch(why)[1])
		case errNoKey.MatchString(why):
			why = fmt.Sprintf("no key %q", errNoKey.FindStringSubmatch(why)[1])
		}
		out.Reason = fmt.Sprintf("%s: %s", at, why)
	}
	return out
}

// check parses both parts without running them.
func (t Template) check() error {
	for _, p := range [...]struct{ part, src string }{{"system", t.System}, {"turn", t.Turn}} {
		if _, err := compile(p.part, p.src); err != nil {
			return named(err, t)
		}
	}
	if t.Params.MaxTokens < 0 {
		return &ValidationError{Field: "params.maxTokens", Reason: "must not be negative"}
	}
	return nil
}

func named(err error, t Template) error {
	var te *TemplateError
	if errors.As(err, &te) && te.Template == "" {
		c := *te
		c.Template = cmpOr(t.Name, t.ID)
		return &c
	}
	return err
}

// ValidateTemplate parses t and renders it against a sample persona for every family in base
// and RAG modes, so that a misspelt field or a runaway loop is reported when the template is
// saved rather than when a writer chats.
func ValidateTemplate(t Template) error {
	if strings.TrimSpace(t.Name) == "" {
		return &ValidationError{Field: "name", Reason: "a template needs a name"}
	}
	if err := t.check(); err != nil {
		return err
	}
	for _, f := range Families() {
		for _, mode := range []Mode{ModeBase, ModeRAG} {
			if _, err := Render(context.Background(), sampleRequest(samplePersona(), t, f, mode)); err != nil {
				return err
			}
		}
	}
	return nil
}
