package chat

import (
	"context"
	"encoding/json"

	"github.com/npcstudio/npcstudio/backend/persona"
)

// Retriever finds the lore passages that bear on a player's line. The lore library
// implements it; the chat asks it in RAG mode only.
type Retriever interface {
	// Retrieve searches collections (the persona's lore collections; none means the
	// library's own default) for query and returns the best passages that fit in
	// tokenBudget tokens, best first, with a trace of how they were found.
	Retrieve(ctx context.Context, collections []string, query string, tokenBudget int) (Retrieval, error)
}

// Retrieval is what a Retriever found.
type Retrieval struct {
	Passages []Passage `json:"passages"`
	// Trace explains the search for the writer (queries, scores, what was cut by the
	// budget), one line each.
	Trace []string `json:"trace,omitempty"`
	// Detail is the retriever's own record of the turn (the lore library's activation
	// trace), kept with the reply's prompt for the activation debugger.
	Detail json.RawMessage `json:"detail,omitempty"`
}

// TurnRetriever is a Retriever that also reads the turn: the persona (its lorebook) and
// the recent messages. The Runner asks it rather than Retrieve when the Retriever has it.
type TurnRetriever interface {
	Retriever
	RetrieveTurn(ctx context.Context, t LoreTurn) (Retrieval, error)
}

// LoreTurn is what a TurnRetriever gets for one reply.
type LoreTurn struct {
	Persona     persona.Persona
	Collections []string
	Query       string
	TokenBudget int
	// Recent are the conversation's messages, oldest first, ending with the player's line.
	Recent []string
}

// Passage is one retrieved piece of lore.
type Passage struct {
	// Citation is the id the prompt and the model cite it by; empty ones are numbered
	// from 1 in order.
	Citation   string  `json:"citation"`
	Collection string  `json:"collection,omitempty"`
	Doc        string  `json:"doc"`
	Chunk      int     `json:"chunk"`
	Score      float64 `json:"score"`
	Text       string  `json:"text"`
	// ChunkID, Start and End point at the exact chunk cited (byte offsets in its
	// document's text); empty for lore that is not a chunk, such as a lorebook entry.
	ChunkID string `json:"chunkId,omitempty"`
	Start   int64  `json:"start,omitempty"`
	End     int64  `json:"end,omitempty"`
	// Source, when set, is how the prompt attributes the passage instead of "doc #chunk".
	Source string `json:"source,omitempty"`
}

// NoLoreNote is what RAG mode says when no lore library is plugged in.
const NoLoreNote = "the lore library is not set up yet: RAG uses no lore"

// DefaultLoreBudget is the lore token budget when the persona's lorebook sets none.
const DefaultLoreBudget = 1024
