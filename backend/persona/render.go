package persona

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"github.com/npcstudio/npcstudio/backend/prose"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Family is a model API whose request body Render produces.
type Family string

// The families Render supports.
const (
	// FamilyBedrockConverse is the body of Bedrock Converse (the model id goes in the path).
	FamilyBedrockConverse Family = "bedrock-converse"
	// FamilyClaudeMessages is an Anthropic Claude messages body for Bedrock InvokeModel.
	FamilyClaudeMessages Family = "claude-messages"
	// FamilyTitanText is an Amazon Titan Text body for InvokeModel.
	FamilyTitanText Family = "titan-text"
	// FamilyLlama3 is a Meta Llama 3 body for InvokeModel, with the chat template applied.
	FamilyLlama3 Family = "llama3"
	// FamilyOpenAIChat is a /v1/chat/completions body (OpenAI, Ollama, LM Studio, vLLM).
	FamilyOpenAIChat Family = "openai-chat"
)

// Families lists every family, in the order a picker shows them.
func Families() []Family {
	return []Family{FamilyBedrockConverse, FamilyClaudeMessages, FamilyTitanText, FamilyLlama3, FamilyOpenAIChat}
}

// Mode is base (the persona alone) or rag (the persona plus retrieved lore).
type Mode string

// The modes Render supports.
const (
	ModeBase Mode = "base"
	ModeRAG  Mode = "rag"
)

// Message roles.
const (
	RoleUser      = "user"
	RoleAssistant = "assistant"
)

// Message is one turn of a chat: the player (user) or the NPC (assistant).
type Message struct {
	Role string `json:"role"`
	Text string `json:"text"`
}

// Passage is a piece of retrieved lore with the id the model cites it by.
type Passage struct {
	Text string `json:"text"`
	// Source is where the passage comes from, e.g. a file name and page.
	Source string `json:"source,omitempty"`
	// Citation is the id the model cites; empty ones are numbered from 1 in order.
	Citation string `json:"citation,omitempty"`
}

// RenderRequest is everything a render needs.
type RenderRequest struct {
	Persona  Persona   `json:"persona"`
	Template Template  `json:"template"`
	Family   Family    `json:"family"`
	Mode     Mode      `json:"mode"`
	History  []Message `json:"history,omitempty"`
	// Message is the player's new message.
	Message string `json:"message"`
	// UserName is what {{user}} becomes; empty means DefaultUserName.
	UserName string `json:"userName,omitempty"`
	// Lore is used in RAG mode only.
	Lore []Passage `json:"lore,omitempty"`
	// Model and Stream go into openai-chat bodies; Bedrock takes the model id in the path.
	Model  string `json:"model,omitempty"`
	Stream bool   `json:"stream,omitempty"`
}

// Rendered is the exact request for one family, and what went into it.
type Rendered struct {
	Family     Family `json:"family"`
	Mode       Mode   `json:"mode"`
	TemplateID string `json:"templateId"`
	// System is the rendered system text.
	System string `json:"system"`
	// Messages is the conversation as sent: the history and the rendered turn, with
	// consecutive turns of one role merged and empty ones dropped.
	Messages []Message `json:"messages"`
	// Prompt is the single prompt string of titan-text and llama3; empty for chat families.
	Prompt string `json:"prompt,omitempty"`
	// Body is the request body, indented with two spaces, keys in the API's documented order.
	Body json.RawMessage `json:"body"`
	// Tokens estimates the prompt's size (see EstimateTokens).
	Tokens int `json:"tokens"`
}

// DefaultUserName is {{user}} when the request names nobody.
const DefaultUserName = "Player"

// startChat opens a conversation for APIs that need the first turn to be the user's when the
// NPC speaks first (its greeting). It is SillyTavern's marker, which writers know.
const startChat = "[Start a new chat]"

// Render renders req into the request body of its family. It is deterministic: the same
// request gives the same bytes.
func Render(ctx context.Context, req RenderRequest) (Rendered, error) {
	enc, ok := encoders[req.Family]
	if !ok {
		return Rendered{}, &ValidationError{Field: "family", Reason: fmt.Sprintf("unknown model family %q", req.Family)}
	}
	if req.Mode != ModeBase && req.Mode != ModeRAG {
		return Rendered{}, &ValidationError{Field: "mode", Reason: fmt.Sprintf("unknown mode %q: use base or rag", req.Mode)}
	}
	d, err := templateData(ctx, req)
	if err != nil {
		return Rendered{}, err
	}
	t := req.Template
	system, err := execute("system", t.System, d)
	if err != nil {
		return Rendered{}, named(err, t)
	}
	system = cardSystem(req.Persona, t, d, system)
	turnSrc := t.Turn
	if strings.TrimSpace(turnSrc) == "" {
		turnSrc = "{{.Message}}"
	}
	turn, err := execute("turn", turnSrc, d)
	if err != nil {
		return Rendered{}, named(err, t)
	}
	turn = strings.TrimSpace(turn)
	if turn == "" {
		return Rendered{}, &ValidationError{Field: "message", Reason: "nothing to send: the message is empty"}
	}
	out := Rendered{
		Family:     req.Family,
		Mode:       req.Mode,
		TemplateID: t.ID,
		System:     strings.TrimSpace(system),
		Messages:   conversation(append(d.History, Message{Role: RoleUser, Text: turn})),
	}
	body, err := enc(&out, t.Params, req)
	if err != nil {
		return Rendered{}, err
	}
	var buf bytes.Buffer
	e := json.NewEncoder(&buf)
	e.SetEscapeHTML(false)
	e.SetIndent("", "  ")
	if err := e.Encode(body); err != nil {
		return Rendered{}, fmt.Errorf("encode %s body: %w", req.Family, err)
	}
	out.Body = bytes.TrimRight(buf.Bytes(), "\n")
	return out, nil
}

func templateData(ctx context.Context, req RenderRequest) (*Data, error) {
	p := req.Persona
	user := strings.TrimSpace(req.UserName)
	if user == "" {
		user = DefaultUserName
	}
	ph := placeholders{char: p.DisplayName(), user: user}
	d := &Data{
		Char: ph.char,
		User: ph.user,
		Persona: View{
			Name:                    p.Name,
			Nickname:                p.Nickname,
			Role:                    ph.apply(p.Role),
			Description:             ph.apply(p.Description),
			Personality:             ph.apply(p.Personality),
			SpeechStyle:             ph.apply(p.SpeechStyle),
			Scenario:                ph.apply(p.Scenario),
			FirstGreeting:           ph.apply(p.FirstGreeting),
			AlternateGreetings:      ph.list(p.AlternateGreetings),
			Goals:                   ph.list(p.Goals),
			KnowledgeBoundaries:     ph.apply(p.Knowledge.Boundaries),
			LoreCollections:         p.Knowledge.LoreCollections,
			SafetyNotes:             ph.apply(p.SafetyNotes),
			Tags:                    p.Tags,
			SystemPrompt:            strings.TrimSpace(ph.apply(strings.ReplaceAll(p.SystemPrompt, "{{original}}", ""))),
			PostHistoryInstructions: strings.TrimSpace(ph.apply(strings.ReplaceAll(p.PostHistoryInstructions, "{{original}}", ""))),
		},
		Message: ph.apply(req.Message),
		Mode:    req.Mode,
		RAG:     req.Mode == ModeRAG,
		Family:  req.Family,
	}
	d.Persona.Examples = ExampleBlocks(ph.apply(p.ExampleDialogue))
	d.Persona.ExampleDialogue = exampleDialogue(d.Persona.Examples, req.Family)
	for _, r := range p.Relationships {
		d.Persona.Relationships = append(d.Persona.Relationships, Relationship{
			PersonaID: r.PersonaID, Name: ph.apply(r.Name), Kind: ph.apply(r.Kind), Notes: ph.apply(r.Notes),
		})
	}
	for i, m := range req.History {
		if m.Role != RoleUser && m.Role != RoleAssistant {
			return nil, &ValidationError{Field: fmt.Sprintf("history[%d].role", i), Reason: fmt.Sprintf("%q: must be user or assistant", m.Role)}
		}
		d.History = append(d.History, Message{Role: m.Role, Text: ph.apply(m.Text)})
	}
	if d.RAG {
		for i, l := range req.Lore {
			c := strings.TrimSpace(l.Citation)
			if c == "" {
				c = strconv.Itoa(i + 1)
			}
			d.Lore = append(d.Lore, Passage{Text: strings.TrimSpace(ph.apply(l.Text)), Source: l.Source, Citation: c})
		}
	}
	deadline := time.Now().Add(RenderTimeout)
	if dl, ok := ctx.Deadline(); ok && dl.Before(deadline) {
		deadline = dl
	}
	d.budget = &budget{ctx: ctx, deadline: deadline}
	return d, nil
}

// cardSystem applies a card's system_prompt as the Character Card spec says: it replaces the
// template's system prompt, and {{original}} in it stands for the template's. A template
// that places .Persona.SystemPrompt itself has chosen where it goes and is left as it is.
func cardSystem(p Persona, t Template, d *Data, ours string) string {
	card := strings.TrimSpace(p.SystemPrompt)
	if card == "" || strings.Contains(t.System, ".Persona.SystemPrompt") {
		return ours
	}
	ph := placeholders{char: d.Char, user: d.User}
	return strings.ReplaceAll(ph.apply(card), "{{original}}", strings.TrimSpace(ours))
}

// conversation merges consecutive turns of one role (the APIs want them alternating) and
// drops empty ones (Bedrock rejects blank text).
func conversation(in []Message) []Message {
	out := make([]Message, 0, len(in))
	for _, m := range in {
		text := strings.TrimSpace(m.Text)
		if text == "" {
			continue
		}
		if n := len(out); n > 0 && out[n-1].Role == m.Role {
			out[n-1].Text += "\n\n" + text
			continue
		}
		out = append(out, Message{Role: m.Role, Text: text})
	}
	return out
}

// userFirst prepends startChat when the NPC speaks first, for APIs that require the
// conversation to open with the user.
func userFirst(msgs []Message) []Message {
	if len(msgs) > 0 && msgs[0].Role == RoleAssistant {
		return append([]Message{{Role: RoleUser, Text: startChat}}, msgs...)
	}
	return msgs
}

type encoder func(r *Rendered, p Params, req RenderRequest) (any, error)

var encoders = map[Family]encoder{
	FamilyBedrockConverse: encodeConverse,
	FamilyClaudeMessages:  encodeClaude,
	FamilyTitanText:       encodeTitan,
	FamilyLlama3:          encodeLlama3,
	FamilyOpenAIChat:      encodeOpenAI,
}

func maxTokens(p Params) int {
	if p.MaxTokens > 0 {
		return p.MaxTokens
	}
	return DefaultMaxTokens
}

func chatTokens(r *Rendered) int {
	n := prose.EstimateTokens(r.System)
	for _, m := range r.Messages {
		n += prose.EstimateTokens(m.Text)
	}
	return n
}

type converseText struct {
	Text string `json:"text"`
}

type converseMessage struct {
	Role    string         `json:"role"`
	Content []converseText `json:"content"`
}

type converseInference struct {
	MaxTokens     int      `json:"maxTokens"`
	Temperature   *float64 `json:"temperature,omitempty"`
	TopP          *float64 `json:"topP,omitempty"`
	StopSequences []string `json:"stopSequences,omitempty"`
}

type converseBody struct {
	System          []converseText    `json:"system,omitempty"`
	Messages        []converseMessage `json:"messages"`
	InferenceConfig converseInference `json:"inferenceConfig"`
}

func encodeConverse(r *Rendered, p Params, _ RenderRequest) (any, error) {
	r.Messages = userFirst(r.Messages)
	r.Tokens = chatTokens(r)
	b := converseBody{InferenceConfig: converseInference{
		MaxTokens: maxTokens(p), Temperature: p.Temperature, TopP: p.TopP, StopSequences: p.Stop,
	}}
	if r.System != "" {
		b.System = []converseText{{Text: r.System}}
	}
	for _, m := range r.Messages {
		b.Messages = append(b.Messages, converseMessage{Role: m.Role, Content: []converseText{{Text: m.Text}}})
	}
	return b, nil
}

type chatMessage struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

type claudeBody struct {
	AnthropicVersion string        `json:"anthropic_version"`
	MaxTokens        int           `json:"max_tokens"`
	Temperature      *float64      `json:"temperature,omitempty"`
	TopP             *float64      `json:"top_p,omitempty"`
	TopK             *int          `json:"top_k,omitempty"`
	StopSequences    []string      `json:"stop_sequences,omitempty"`
	System           string        `json:"system,omitempty"`
	Messages         []chatMessage `json:"messages"`
}

func encodeClaude(r *Rendered, p Params, _ RenderRequest) (any, error) {
	r.Messages = userFirst(r.Messages)
	r.Tokens = chatTokens(r)
	b := claudeBody{
		AnthropicVersion: "bedrock-2023-05-31", MaxTokens: maxTokens(p),
		Temperature: p.Temperature, TopP: p.TopP, TopK: p.TopK, StopSequences: p.Stop,
		System: r.System,
	}
	for _, m := range r.Messages {
		b.Messages = append(b.Messages, chatMessage{Role: m.Role, Content: m.Text})
	}
	return b, nil
}

type titanConfig struct {
	MaxTokenCount int      `json:"maxTokenCount"`
	Temperature   *float64 `json:"temperature,omitempty"`
	TopP          *float64 `json:"topP,omitempty"`
	StopSequences []string `json:"stopSequences"`
}

type titanBody struct {
	InputText            string      `json:"inputText"`
	TextGenerationConfig titanConfig `json:"textGenerationConfig"`
}

// encodeTitan writes the "User: ... / Bot:" conversation Titan Text is tuned for, with the
// system text first. It stops on "User:" unless the template sets its own stops (Titan
// accepts only "|" and "User:").
func encodeTitan(r *Rendered, p Params, _ RenderRequest) (any, error) {
	var b strings.Builder
	if r.System != "" {
		b.WriteString(r.System)
		b.WriteString("\n\n")
	}
	for _, m := range r.Messages {
		if m.Role == RoleUser {
			b.WriteString("User: ")
		} else {
			b.WriteString("Bot: ")
		}
		b.WriteString(m.Text)
		b.WriteByte('\n')
	}
	b.WriteString("Bot:")
	r.Prompt = b.String()
	r.Tokens = prose.EstimateTokens(r.Prompt)
	stop := p.Stop
	if len(stop) == 0 {
		stop = []string{"User:"}
	}
	return titanBody{InputText: r.Prompt, TextGenerationConfig: titanConfig{
		MaxTokenCount: maxTokens(p), Temperature: p.Temperature, TopP: p.TopP, StopSequences: stop,
	}}, nil
}

type llamaBody struct {
	Prompt      string   `json:"prompt"`
	MaxGenLen   int      `json:"max_gen_len"`
	Temperature *float64 `json:"temperature,omitempty"`
	TopP        *float64 `json:"top_p,omitempty"`
}

// encodeLlama3 applies the Llama 3 chat template. Text that looks like a special token
// ("<|eot_id|>") is broken up ("< |eot_id|>") so a player cannot forge turns.
func encodeLlama3(r *Rendered, p Params, _ RenderRequest) (any, error) {
	var b strings.Builder
	specials, plain := 1, 0
	b.WriteString("<|begin_of_text|>")
	turn := func(role, text string) {
		text = strings.ReplaceAll(text, "<|", "< |")
		b.WriteString("<|start_header_id|>")
		b.WriteString(role)
		b.WriteString("<|end_header_id|>\n\n")
		b.WriteString(text)
		b.WriteString("<|eot_id|>")
		specials += 3
		plain += prose.EstimateTokens(role + "\n\n" + text)
	}
	if r.System != "" {
		turn("system", r.System)
	}
	for _, m := range r.Messages {
		turn(m.Role, m.Text)
	}
	b.WriteString("<|start_header_id|>assistant<|end_header_id|>\n\n")
	specials += 2
	plain += prose.EstimateTokens("assistant\n\n")
	r.Prompt = b.String()
	r.Tokens = specials + plain
	return llamaBody{Prompt: r.Prompt, MaxGenLen: maxTokens(p), Temperature: p.Temperature, TopP: p.TopP}, nil
}

type openAIBody struct {
	Model       string        `json:"model"`
	Messages    []chatMessage `json:"messages"`
	MaxTokens   int           `json:"max_tokens"`
	Temperature *float64      `json:"temperature,omitempty"`
	TopP        *float64      `json:"top_p,omitempty"`
	Stop        []string      `json:"stop,omitempty"`
	Stream      bool          `json:"stream,omitempty"`
}

// encodeOpenAI uses max_tokens rather than max_completion_tokens: Ollama, LM Studio and vLLM
// read the former.
func encodeOpenAI(r *Rendered, p Params, req RenderRequest) (any, error) {
	r.Tokens = chatTokens(r)
	b := openAIBody{Model: req.Model, MaxTokens: maxTokens(p), Temperature: p.Temperature, TopP: p.TopP, Stop: p.Stop, Stream: req.Stream}
	if r.System != "" {
		b.Messages = append(b.Messages, chatMessage{Role: "system", Content: r.System})
	}
	for _, m := range r.Messages {
		b.Messages = append(b.Messages, chatMessage{Role: m.Role, Content: m.Text})
	}
	return b, nil
}

// TruncateTokens cuts text to about n tokens, at a word boundary when one is near, and
// marks the cut with an ellipsis.
func TruncateTokens(n int, text string) string {
	if n <= 0 {
		return ""
	}
	if prose.EstimateTokens(text) <= n {
		return text
	}
	limit := n * prose.CharsPerToken
	runes := []rune(text)
	cut := limit
	for i := limit; i > limit/2; i-- {
		if unicode.IsSpace(runes[i]) {
			cut = i
			break
		}
	}
	return strings.TrimRightFunc(string(runes[:cut]), unicode.IsSpace) + "…"
}
