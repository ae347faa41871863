package chat

import (
	"context"
	"errors"
	"fmt"
	"github.com/npcstudio/npcstudio/backend/prose"
	"strconv"
	"strings"
	"sync"

	"github.com/npcstudio/npcstudio/backend/fault"
	"github.com/npcstudio/npcstudio/backend/llm"
	"github.com/npcstudio/npcstudio/backend/persona"
	"github.com/npcstudio/npcstudio/backend/provider"
)

// Providers finds a provider's settings and key; *provider.Registry is one.
type Providers interface {
	Get(name string) (provider.Provider, error)
	APIKey(p provider.Provider) (string, error)
}

// Personas finds a persona and the template it renders with; *persona.Repository is one.
type Personas interface {
	Get(ref string) (persona.PersonaVersion, error)
	ResolveTemplate(p persona.Persona) (persona.Template, error)
	Template(id string) (persona.TemplateVersion, error)
}

var (
	_ Providers = (*provider.Registry)(nil)
	_ Personas  = (*persona.Repository)(nil)
)

// Runner sends a player's line to a model and keeps what comes back in the chat.
type Runner struct {
	Chats     *Repository
	Personas  Personas
	Providers Providers
	// Retriever finds lore in RAG mode; nil means the lore library is not set up.
	Retriever Retriever
	// LLM are the options every provider is made with (timeouts, retries).
	LLM llm.Options
	// NewProvider makes the model client; nil means llm.New.
	NewProvider func(p provider.Provider, apiKey string, o llm.Options) (llm.Provider, error)
	// UserName is what {{user}} becomes; empty means persona.DefaultUserName.
	UserName string
}

// Event types a reply reports while it is made.
const (
	EventToken    = "token"    // Text is the next piece of the answer
	EventCitation = "citation" // Citation is a lore passage the prompt carries
	EventNotice   = "notice"   // Text is something the writer should know (no lore library)
)

// Event is something a reply reports as it is made.
type Event struct {
	Type     string    `json:"type"`
	Text     string    `json:"text,omitempty"`
	Citation *Citation `json:"citation,omitempty"`
}

// NPCAPINotice is what a reply from the deployed API says about its persona.
const NPCAPINotice = "the deployed API keeps its persona server-side and is single-turn: only the player's line was sent, without this persona or the earlier turns"

// FamilyFor is the request format a provider kind takes. Bedrock goes through Converse for
// every model, Anthropic's included; the deployed API takes only the player's line, so it
// has none ("").
func FamilyFor(kind string) persona.Family {
	switch kind {
	case provider.KindBedrock:
		return persona.FamilyBedrockConverse
	case provider.KindOpenAI:
		return persona.FamilyOpenAIChat
	}
	return ""
}

// Send saves the player's line at the end of the chat's active path, then asks cfg for a
// reply, passing what streams to on. The line is saved before any model is called, so it is
// kept whatever the provider does; the Result holds it even when err is not nil.
func (r *Runner) Send(ctx context.Context, chatID, text string, cfg Config, on func(Event) error) (Result, error) {
	if err := cfg.Validate("config"); err != nil {
		return Result{ChatID: chatID}, err
	}
	user, err := r.Chats.AddUser(chatID, text, cfg)
	if err != nil {
		return Result{ChatID: chatID}, err
	}
	return r.reply(ctx, chatID, user, cfg, on)
}

// Regenerate asks for another reply. messageID names a reply (the new one becomes its
// sibling, a swipe) or a player's message (a reply is made under it, as after a failure).
// An empty cfg means the configuration that made the reply, else the chat's.
func (r *Runner) Regenerate(ctx context.Context, chatID, messageID string, cfg Config, on func(Event) error) (Result, error) {
	m, err := r.Chats.Message(chatID, messageID)
	if err != nil {
		return Result{ChatID: chatID}, err
	}
	user := m
	if m.Role == RoleAssistant {
		if m.Greeting || m.ParentID == "" {
			return Result{ChatID: chatID}, fault.Invalid("messageId", "the greeting is the persona's own line: edit it instead of regenerating it")
		}
		if user, err = r.Chats.Message(chatID, m.ParentID); err != nil {
			return Result{ChatID: chatID}, err
		}
		if cfg.Provider == "" {
			// The same again: the model that answered (for the deployed API, its endpoint).
			cfg = Config{Provider: m.Provider, Model: m.Model, Mode: m.Mode}
		}
	}
	if user.Role != RoleUser {
		return Result{ChatID: chatID}, fault.Invalid("messageId", "message %s is neither a reply nor the player's", messageID)
	}
	if cfg.Provider == "" {
		v, err := r.Chats.Get(chatID)
		if err != nil {
			return Result{ChatID: chatID}, err
		}
		cfg = v.Chat.Config
	}
	if err := cfg.Validate("config"); err != nil {
		return Result{ChatID: chatID}, err
	}
	return r.reply(ctx, chatID, user, cfg, on)
}

// reply makes a reply to user under cfg and saves it. A reply cut midway or stopped by the
// writer is saved with the part received, marked, and is not an error.
func (r *Runner) reply(ctx context.Context, chatID string, user Message, cfg Config, on func(Event) error) (Result, error) {
	res := Result{ChatID: chatID, User: user}
	if on == nil {
		on = func(Event) error { return nil }
	}
	v, err := r.Chats.Get(chatID)
	if err != nil {
		return res, err
	}
	byID := make(map[string]Message, len(v.Messages))
	for _, m := range v.Messages {
		byID[m.ID] = m
	}
	pv, err := r.Personas.Get(v.Chat.PersonaID)
	if err != nil {
		return res, err
	}
	p, err := r.Providers.Get(cfg.Provider)
	if err != nil {
		return res, fmt.Errorf("%w: add it in Settings or with `npcstudio provider add`", err)
	}
	key, err := r.Providers.APIKey(p)
	if err != nil {
		return res, err
	}
	newProvider := r.NewProvider
	if newProvider == nil {
		newProvider = llm.New
	}
	lp, err := newProvider(p, key, r.LLM)
	if err != nil {
		return res, err
	}
	reply := Message{ParentID: user.ID, Provider: p.Name, ProviderKind: p.Kind, Mode: cfg.Mode, PersonaVersion: pv.N}
	prompt, req, err := r.prepare(ctx, pv, p, cfg, lineage(byID, user.ParentID), user.Text, &reply, on)
	if err != nil {
		return res, err
	}
	out, err := lp.Chat(ctx, req, func(c llm.Chunk) error { return on(Event{Type: EventToken, Text: c.Text}) })
	reply.Text, reply.Model, reply.StopReason = out.Text, out.Model, out.StopReason
	reply.FirstTokenMs, reply.TotalMs, reply.Attempts = out.FirstTokenMs, out.TotalMs, out.Attempts
	if out.Usage != nil {
		reply.Usage = &Usage{InputTokens: out.Usage.InputTokens, OutputTokens: out.Usage.OutputTokens}
	} else if out.Text != "" {
		reply.Usage = &Usage{InputTokens: prompt.Tokens, OutputTokens: prose.EstimateTokens(out.Text), Estimated: true}
	}
	if usd, ok := EstimateCost(reply.Model, reply.Usage); ok {
		reply.CostUSD = &usd
	}
	if err != nil {
		if out.Text == "" {
			if ctx.Err() != nil {
				return res, ctx.Err()
			}
			return res, err
		}
		// Part of the answer arrived: keep it, marked, so the writer can read it and retry.
		if ctx.Err() != nil {
			reply.Stopped = true
		} else {
			reply.Cut, reply.Error = true, err.Error()
		}
	}
	saved, serr := r.Chats.AddReply(chatID, reply, prompt)
	if serr != nil {
		return res, errors.Join(serr, err)
	}
	res.Reply = &saved
	return res, nil
}

// prepare renders the request for p: the persona through its template in the family of
// p's kind, with the lore in RAG mode; for the deployed API, the player's line alone.
func (r *Runner) prepare(ctx context.Context, pv persona.PersonaVersion, p provider.Provider, cfg Config, hist []Message, line string,
	reply *Message, on func(Event) error) (*Prompt, llm.Request, error) {
	model := cfg.Model
	if p.Kind == provider.KindNPCAPI {
		if model == "" && cfg.Mode == ModeRAG {
			model = llm.EndpointRAG
		}
		reply.Family, reply.Notice = "npcapi", NPCAPINotice
		if err := on(Event{Type: EventNotice, Text: NPCAPINotice}); err != nil {
			return nil, llm.Request{}, err
		}
		prompt := &Prompt{Family: "npcapi", Messages: []Turn{{Role: RoleUser, Text: line}}, Tokens: prose.EstimateTokens(line)}
		return prompt, llm.Request{Messages: []llm.Message{{Role: llm.RoleUser, Text: line}}, Model: model, Stream: true}, nil
	}
	family := FamilyFor(p.Kind)
	if family == "" {
		return nil, llm.Request{}, fault.Invalid("provider", "provider %q is of kind %q, which chat does not know", p.Name, p.Kind)
	}
	t, tid, tn, err := r.template(pv)
	if err != nil {
		return nil, llm.Request{}, err
	}
	reply.Family, reply.TemplateID, reply.TemplateVersion = string(family), tid, tn

	var lore []persona.Passage
	var found Retrieval
	mode := persona.ModeBase
	if cfg.Mode == ModeRAG {
		mode = persona.ModeRAG
		if lore, found, err = r.lore(ctx, pv.Persona, hist, line, reply, on); err != nil {
			return nil, llm.Request{}, err
		}
	}
	var history []persona.Message
	for _, m := range hist {
		if strings.TrimSpace(m.Text) != "" {
			history = append(history, persona.Message{Role: m.Role, Text: m.Text})
		}
	}
	renderModel := cmpOr(model, p.Model, p.ModelID)
	rd, err := persona.Render(ctx, persona.RenderRequest{Persona: pv.Persona, Template: t, Family: family, Mode: mode,
		History: history, Message: line, UserName: r.UserName, Lore: lore, Model: renderModel, Stream: true})
	if err != nil {
		return nil, llm.Request{}, fmt.Errorf("render %s with template %s: %w", pv.Persona.Name, tid, err)
	}
	prompt := &Prompt{Family: string(family), System: rd.System, Body: string(rd.Body), Tokens: rd.Tokens, Trace: found.Trace, Lore: found.Detail}
	req := llm.Request{System: rd.System, Model: model, Stream: true, Stop: t.Params.Stop, MaxTokens: t.Params.MaxTokens}
	if req.MaxTokens == 0 {
		req.MaxTokens = persona.DefaultMaxTokens
	}
	if t.Params.Temperature != nil {
		f := float32(*t.Params.Temperature)
		req.Temperature = &f
	}
	if t.Params.TopP != nil {
		f := float32(*t.Params.TopP)
		req.TopP = &f
	}
	for _, m := range rd.Messages {
		prompt.Messages = append(prompt.Messages, Turn{Role: m.Role, Text: m.Text})
		req.Messages = append(req.Messages, llm.Message{Role: m.Role, Text: m.Text})
	}
	return prompt, req, nil
}

// template returns the template pv renders with, its id and its version: a persona's own
// template is versioned with the persona, a shared or built-in one by itself.
func (r *Runner) template(pv persona.PersonaVersion) (persona.Template, string, int, error) {
	if pv.Persona.Template != nil {
		t, err := r.Personas.ResolveTemplate(pv.Persona)
		return t, t.ID, pv.N, err
	}
	id := cmpOr(pv.Persona.TemplateID, persona.TemplateDefault)
	tv, err := r.Personas.Template(id)
	if err != nil {
		return persona.Template{}, id, 0, fmt.Errorf("persona %s uses template %q: %w", pv.Persona.Name, id, err)
	}
	return tv.Template, id, tv.N, nil
}

// lore retrieves the passages for line from the persona's collections and reports each as
// a citation. With no lore library it says so and returns none.
func (r *Runner) lore(ctx context.Context, p persona.Persona, hist []Message, line string, reply *Message, on func(Event) error) ([]persona.Passage, Retrieval, error) {
	if r.Retriever == nil {
		reply.LoreNote = NoLoreNote
		return nil, Retrieval{}, on(Event{Type: EventNotice, Text: NoLoreNote})
	}
	budget := DefaultLoreBudget
	if p.Lorebook != nil && p.Lorebook.TokenBudget > 0 {
		budget = p.Lorebook.TokenBudget
	}
	var got Retrieval
	var err error
	if tr, ok := r.Retriever.(TurnRetriever); ok {
		recent := make([]string, 0, len(hist)+1)
		for _, m := range hist {
			recent = append(recent, m.Text)
		}
		got, err = tr.RetrieveTurn(ctx, LoreTurn{Persona: p, Collections: p.Knowledge.LoreCollections, Query: line, TokenBudget: budget, Recent: append(recent, line)})
	} else {
		got, err = r.Retriever.Retrieve(ctx, p.Knowledge.LoreCollections, line, budget)
	}
	if err != nil {
		return nil, Retrieval{}, fmt.Errorf("search %s's lore: %w", p.Name, err)
	}
	if len(got.Passages) == 0 {
		reply.LoreNote = "no lore matched the player's line: the reply has none"
		if err := on(Event{Type: EventNotice, Text: reply.LoreNote}); err != nil {
			return nil, Retrieval{}, err
		}
	}
	var out []persona.Passage
	for i, ps := range got.Passages {
		c := Citation{ID: cmpOr(strings.TrimSpace(ps.Citation), strconv.Itoa(i+1)), Collection: ps.Collection, Doc: ps.Doc, Chunk: ps.Chunk, Score: ps.Score, Text: ps.Text,
			ChunkID: ps.ChunkID, Start: ps.Start, End: ps.End}
		reply.Citations = append(reply.Citations, c)
		out = append(out, persona.Passage{Text: ps.Text, Source: cmpOr(ps.Source, fmt.Sprintf("%s #%d", ps.Doc, ps.Chunk)), Citation: c.ID})
		if err := on(Event{Type: EventCitation, Citation: &c}); err != nil {
			return nil, Retrieval{}, err
		}
	}
	return out, got, nil
}

// NewChat is the start of a chat with pv: its greeting, with {{char}} and {{user}} filled in.
func (r *Runner) NewChat(pv persona.PersonaVersion, cfg Config) NewChat {
	user := cmpOr(strings.TrimSpace(r.UserName), persona.DefaultUserName)
	g := pv.Persona.FirstGreeting
	for _, ph := range [...]struct{ token, value string }{{"{{char}}", pv.Persona.DisplayName()}, {"{{user}}", user}} {
		g = replaceFold(g, ph.token, ph.value)
	}
	return NewChat{PersonaID: pv.PersonaID, PersonaName: pv.Persona.Name, Greeting: g, Config: cfg}
}

// replaceFold replaces every token (ASCII) in s, ignoring the letter case of the token.
func replaceFold(s, token, value string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		if len(s)-i >= len(token) && strings.EqualFold(s[i:i+len(token)], token) {
			b.WriteString(value)
			i += len(token)
			continue
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String()
}

func cmpOr(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

// Compare sends one player line to two to four configurations at once. It saves the run and
// the line first, then streams every column (on gets the column's index, and is called from
// one goroutine per column), and records each column's answer or failure. A column that
// fails does not stop the others; the run is returned whatever they did.
func (r *Runner) Compare(ctx context.Context, personaRef, text string, cfgs []Config, on func(col int, ev Event) error) (Run, error) {
	pv, err := r.Personas.Get(personaRef)
	if err != nil {
		return Run{}, err
	}
	run, err := r.Chats.CreateRun(r.NewChat(pv, Config{}), text, cfgs)
	if err != nil {
		return Run{}, err
	}
	if on == nil {
		on = func(int, Event) error { return nil }
	}
	var wg sync.WaitGroup
	errs := make([]error, len(run.Columns))
	for i, col := range run.Columns {
		wg.Go(func() {
			var res Result
			err := func() (err error) {
				// A panic here would end the studio, not just this column.
				defer func() {
					if p := recover(); p != nil {
						err = fmt.Errorf("internal error in column %d: %v", i+1, p)
					}
				}()
				user, err := r.Chats.Message(col.ChatID, col.UserMessageID)
				if err == nil {
					res, err = r.reply(ctx, col.ChatID, user, col.Config, func(ev Event) error { return on(i, ev) })
				}
				return err
			}()
			answer, msg, code := "", "", ""
			switch {
			case err != nil && errors.Is(err, context.Canceled):
				msg, code = "stopped before any answer arrived", "cancelled"
			case err != nil:
				s := fault.Shape(err, nil)
				msg, code = s.Message, s.Code
			case res.Reply != nil:
				answer = res.Reply.ID
			}
			errs[i] = r.Chats.FinishColumn(run.ID, i, answer, msg, code)
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return Run{}, err
	}
	return r.Chats.Run(run.ID)
}
