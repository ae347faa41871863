package chat

import "context"

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
}

// NoLoreNote is what RAG mode says when no lore library is plugged in.
const NoLoreNote = "the lore library is not set up yet: RAG uses no lore"

// DefaultLoreBudget is the lore token budget when the persona's lorebook sets none.
const DefaultLoreBudget = 1024
