package chat

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/npcstudio/npcstudio/backend/fault"
)

// Buckets this package owns (see doc.go for their keys); pass them to store.Open.
const (
	BucketChats    = "chats"
	BucketMessages = "chat_messages"
	BucketPrompts  = "chat_prompts"
	BucketRuns     = "compare_runs"
)

// Buckets lists the buckets for store.Options.Buckets.
var Buckets = []string{BucketChats, BucketMessages, BucketPrompts, BucketRuns}

// recordVersion is the "v" of every value this package stores.
const recordVersion = 1

// Mode is how a reply is made.
type Mode string

// The modes a writer picks.
const (
	// ModeBase is a foundation model with the persona.
	ModeBase Mode = "base"
	// ModeFineTuned is a custom (fine-tuned) model with the persona: the configuration's
	// model, or the provider's when it is set up for the custom model.
	ModeFineTuned Mode = "finetuned"
	// ModeRAG is the persona plus lore retrieved for the player's line, with citations.
	ModeRAG Mode = "rag"
)

// Modes lists the modes in the order a picker shows them.
var Modes = []Mode{ModeBase, ModeFineTuned, ModeRAG}

// Roles of a message.
const (
	RoleUser      = "user"
	RoleAssistant = "assistant"
)

// Config is what answers: a provider by name, an optional model that replaces the
// provider's, and the mode.
type Config struct {
	Provider string `json:"provider"`
	// Model, when set, replaces the provider's model (a Bedrock model id or ARN, an
	// OpenAI-compatible model name, or the deployed API's "text"/"rag" endpoint).
	Model string `json:"model,omitempty"`
	Mode  Mode   `json:"mode"`
}

// Validate checks the configuration's shape (not that the provider exists).
func (c Config) Validate(field string) error {
	if strings.TrimSpace(c.Provider) == "" {
		return fault.Invalid(field+".provider", "pick a provider (add one in Settings, or `npcstudio provider add`)")
	}
	switch c.Mode {
	case ModeBase, ModeFineTuned, ModeRAG:
	default:
		return fault.Invalid(field+".mode", "%q is not a mode: use base, finetuned or rag", c.Mode)
	}
	return nil
}

// Label is the configuration in a few words: "local · llama3.1:8b · rag".
func (c Config) Label() string {
	parts := []string{c.Provider}
	if c.Model != "" {
		parts = append(parts, c.Model)
	}
	return strings.Join(append(parts, string(c.Mode)), " · ")
}

// Chat is a conversation with one persona.
type Chat struct {
	V           int    `json:"v"`
	ID          string `json:"id"`
	PersonaID   string `json:"personaId"`
	PersonaName string `json:"personaName"`
	// Title is the first player line, shortened.
	Title string `json:"title"`
	// Config is the configuration last used, which the window offers next.
	Config Config `json:"config"`
	// Active maps a message id ("" for the start) to its active child.
	Active map[string]string `json:"active"`
	// CompareRunID names the compare run this chat is a column of.
	CompareRunID string `json:"compareRunId,omitempty"`
	NextSeq      int    `json:"nextSeq"`
	Messages     int    `json:"messages"`
	CreatedAt    string `json:"createdAt"`
	UpdatedAt    string `json:"updatedAt"`
}

// Summary is a chat as lists show it.
type Summary struct {
	ID           string `json:"id"`
	PersonaID    string `json:"personaId"`
	PersonaName  string `json:"personaName"`
	Title        string `json:"title"`
	Config       Config `json:"config"`
	CompareRunID string `json:"compareRunId,omitempty"`
	Messages     int    `json:"messages"`
	CreatedAt    string `json:"createdAt"`
	UpdatedAt    string `json:"updatedAt"`
	// LastLine is the last message of the active path on one line, shortened to about 80
	// characters; LastRole says whose it is (user: the player, assistant: the NPC).
	LastLine string `json:"lastLine,omitempty"`
	LastRole string `json:"lastRole,omitempty"`
}

func (c Chat) summary() Summary {
	return Summary{ID: c.ID, PersonaID: c.PersonaID, PersonaName: c.PersonaName, Title: c.Title, Config: c.Config,
		CompareRunID: c.CompareRunID, Messages: c.Messages, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt}
}

// Message is one line of a chat: the player's (user) or the NPC's (assistant).
type Message struct {
	V        int    `json:"v"`
	ID       string `json:"id"`
	ParentID string `json:"parentId"`
	Role     string `json:"role"`
	Text     string `json:"text"`
	Created  string `json:"created"`
	// Greeting marks the persona's first greeting, which opens a chat.
	Greeting bool `json:"greeting,omitempty"`
	// EditedFrom names the message this one is an edit of.
	EditedFrom string `json:"editedFrom,omitempty"`

	// What made a reply.
	Provider     string `json:"provider,omitempty"`
	ProviderKind string `json:"providerKind,omitempty"`
	Model        string `json:"model,omitempty"`
	Mode         Mode   `json:"mode,omitempty"`
	// Family is the request format (bedrock-converse, openai-chat), or "npcapi" for the
	// deployed API, whose persona is fixed server-side.
	Family          string `json:"family,omitempty"`
	TemplateID      string `json:"templateId,omitempty"`
	TemplateVersion int    `json:"templateVersion,omitempty"`
	PersonaVersion  int    `json:"personaVersion,omitempty"`
	FirstTokenMs    int64  `json:"firstTokenMs,omitempty"`
	TotalMs         int64  `json:"totalMs,omitempty"`
	Attempts        int    `json:"attempts,omitempty"`
	StopReason      string `json:"stopReason,omitempty"`
	Usage           *Usage `json:"usage,omitempty"`
	// CostUSD is an estimate from PriceTable, when it knows the model.
	CostUSD *float64 `json:"costUsd,omitempty"`
	// Cut says the answer stopped midway (Error says why); Text is the part received.
	Cut bool `json:"cut,omitempty"`
	// Stopped says the writer stopped the answer; Text is the part received.
	Stopped bool   `json:"stopped,omitempty"`
	Error   string `json:"error,omitempty"`
	// Citations are the lore passages the prompt carried (RAG mode).
	Citations []Citation `json:"citations,omitempty"`
	// LoreNote says why a RAG reply had no lore, when it had none.
	LoreNote string `json:"loreNote,omitempty"`
	// Notice says something the writer should know about how the reply was made (the
	// deployed API's fixed persona).
	Notice string `json:"notice,omitempty"`
}

// Usage counts tokens: as the provider reported them, or estimated (about four characters
// a token) when it did not.
type Usage struct {
	InputTokens  int  `json:"inputTokens"`
	OutputTokens int  `json:"outputTokens"`
	Estimated    bool `json:"estimated,omitempty"`
}

// Citation is a lore passage a reply's prompt carried, with the id the model cites.
type Citation struct {
	ID         string  `json:"id"`
	Collection string  `json:"collection,omitempty"`
	Doc        string  `json:"doc"`
	Chunk      int     `json:"chunk"`
	Score      float64 `json:"score"`
	Text       string  `json:"text"`
	// ChunkID, Start and End point at the exact chunk (see Passage).
	ChunkID string `json:"chunkId,omitempty"`
	Start   int64  `json:"start,omitempty"`
	End     int64  `json:"end,omitempty"`
}

// Prompt is the rendered request a reply answered.
type Prompt struct {
	V      int    `json:"v"`
	Family string `json:"family"`
	System string `json:"system"`
	// Messages are the turns as sent: the history and the rendered player line.
	Messages []Turn `json:"messages"`
	// Body is the request body a family renders (indented JSON); empty for the deployed API.
	Body   string `json:"body,omitempty"`
	Tokens int    `json:"tokens"`
	// Trace is the retrieval's debug trace in RAG mode.
	Trace []string `json:"trace,omitempty"`
	// Lore is the retriever's record of the turn (Retrieval.Detail), for the activation debugger.
	Lore json.RawMessage `json:"lore,omitempty"`
}

// Turn is one message as a model gets it.
type Turn struct {
	Role string `json:"role"`
	Text string `json:"text"`
}

// View is a whole chat: its head and every message of its tree, oldest first.
type View struct {
	Chat     Chat      `json:"chat"`
	Messages []Message `json:"messages"`
	// Path is the active path: message ids from the first to the last.
	Path []string `json:"path"`
}

// Result is what sending or regenerating leaves in the chat: the player's message (saved
// before the model was called) and the reply, when one came.
type Result struct {
	ChatID string   `json:"chatId"`
	User   Message  `json:"user"`
	Reply  *Message `json:"reply,omitempty"`
}

// Run is one compare: a player line sent to two to four configurations.
type Run struct {
	V           int      `json:"v"`
	ID          string   `json:"id"`
	PersonaID   string   `json:"personaId"`
	PersonaName string   `json:"personaName"`
	Message     string   `json:"message"`
	Columns     []Column `json:"columns"`
	Verdict     *Verdict `json:"verdict,omitempty"`
	CreatedAt   string   `json:"createdAt"`
	UpdatedAt   string   `json:"updatedAt"`
}

// Column is one configuration of a compare run and what it answered.
type Column struct {
	Config        Config `json:"config"`
	ChatID        string `json:"chatId"`
	UserMessageID string `json:"userMessageId"`
	// AnswerID names the reply in the column's chat; empty while it runs or when it failed.
	AnswerID string `json:"answerId,omitempty"`
	// Answer is the reply, filled in when a run is read (not stored twice).
	Answer    *Message `json:"answer,omitempty"`
	Error     string   `json:"error,omitempty"`
	ErrorCode string   `json:"errorCode,omitempty"`
}

// Verdict is the writer's judgement of a compare run.
type Verdict struct {
	// Winner is the index of the better column.
	Winner int    `json:"winner"`
	Note   string `json:"note"`
	Author string `json:"author"`
	At     string `json:"at"`
}

// RunPage is a page of compare runs, newest first.
type RunPage struct {
	Items  []Run `json:"items"`
	Total  int   `json:"total"`
	Offset int   `json:"offset"`
	Limit  int   `json:"limit"`
}

// Page is a page of chats, most recently used first.
type Page struct {
	Items  []Summary `json:"items"`
	Total  int       `json:"total"`
	Offset int       `json:"offset"`
	Limit  int       `json:"limit"`
}

// Page sizes.
const (
	DefaultPageSize = 50
	MaxPageSize     = 500
)

// Compare takes two to four configurations.
const (
	MinColumns = 2
	MaxColumns = 4
)

// MaxMessageLen bounds one message, in bytes.
const MaxMessageLen = 64 << 10

func checkText(field, text string) error {
	if strings.TrimSpace(text) == "" {
		return fault.Invalid(field, "the message is empty")
	}
	if len(text) > MaxMessageLen {
		return fault.Invalid(field, "longer than %d KiB", MaxMessageLen>>10)
	}
	return nil
}

func pageBounds(offset, limit, total int) (int, int, int) {
	if limit <= 0 {
		limit = DefaultPageSize
	}
	limit = min(limit, MaxPageSize)
	offset = max(0, min(offset, total))
	return offset, min(offset+limit, total), limit
}

func msgKey(chatID, msgID string) string { return chatID + "/" + msgID }

func msgID(seq int) string { return fmt.Sprintf("m%08d", seq) }
