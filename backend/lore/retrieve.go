package lore

import (
	"context"
	"fmt"
	"github.com/npcstudio/npcstudio/backend/prose"
	"strings"
)

// Source is where grounding passages come from: *Library (the embedded index) or a
// TeamSource (the team's OpenSearch index).
type Source interface {
	Search(ctx context.Context, q Query) (SearchResults, error)
}

var _ Source = (*Library)(nil)

// Retriever grounds a chat turn in lore.
type Retriever struct {
	Source Source
	// Mode is the search mode (default: the source's default).
	Mode Mode
}

// DefaultGroundingBudget is the tokens of lore a prompt gets when the request does not say.
const DefaultGroundingBudget = 800

// RetrieveRequest asks for the lore a persona may draw on for a message.
type RetrieveRequest struct {
	Query string `json:"query"`
	// Collections is the persona's knowledge boundary: only chunks of these collections are
	// retrieved. Empty means the persona has no boundary and may draw on all lore.
	Collections []string `json:"collections,omitempty"`
	// TokenBudget bounds the tokens of the passages (default DefaultGroundingBudget).
	TokenBudget int `json:"tokenBudget,omitempty"`
	// K is how many chunks are retrieved before the budget is applied (default 8).
	K int `json:"k,omitempty"`
	// MinRelevance is the relevance floor: a chunk whose relevance (the cosine similarity of
	// the query and the chunk, Result.Relevance) is under it stays out of the prompt. 0 puts
	// every chunk found in. A chunk with no relevance (keyword-only search) is kept: BM25
	// scores cannot be compared from one query to another.
	MinRelevance float64 `json:"minRelevance,omitempty"`
}

// DefaultMinRelevance is the relevance floor of RAG prompts unless the writer sets another:
// measured with the built-in embedder on the held-out questions of
// testdata/lore/paraphrases.jsonl, the highest floor (in steps of 0.05) that keeps the
// answering chunk for at least 95% of them (see TestRelevanceFloor and docs/BENCHMARKS.md).
const DefaultMinRelevance = 0.2

// Passage is a retrieved chunk as it goes into the prompt.
type Passage struct {
	// Citation is the label the prompt uses ("[1]"); ChunkID points at the exact chunk.
	Citation   string  `json:"citation"`
	ChunkID    string  `json:"chunkId"`
	Doc        string  `json:"doc"`
	Chunk      int     `json:"chunk"`
	Heading    string  `json:"heading,omitempty"`
	Page       int     `json:"page,omitempty"`
	Start      int64   `json:"start"`
	End        int64   `json:"end"`
	Collection string  `json:"collection,omitempty"`
	Text       string  `json:"text"`
	Tokens     int     `json:"tokens"`
	Score      float64 `json:"score"`
}

// Source is a short attribution for the prompt: the document and, when there is one, the
// heading or page.
func (p Passage) Source() string {
	switch {
	case p.Heading != "":
		return p.Doc + " > " + p.Heading
	case p.Page > 0:
		return fmt.Sprintf("%s, page %d", p.Doc, p.Page)
	}
	return p.Doc
}

// Candidate is a chunk the search returned, whether or not it went in the prompt.
type Candidate struct {
	ChunkID string  `json:"chunkId"`
	Doc     string  `json:"doc"`
	Chunk   int     `json:"chunk"`
	Score   float64 `json:"score"`
	// Relevance is the cosine similarity the relevance floor is checked against (nil: none).
	Relevance *float64 `json:"relevance,omitempty"`
	Keyword   *Rank    `json:"keyword,omitempty"`
	Vector    *Rank    `json:"vector,omitempty"`
	Tokens    int      `json:"tokens"`
	Used      bool     `json:"used"`
	// Reason says why a candidate was left out.
	Reason string `json:"reason,omitempty"`
}

// RetrievalTrace is what the activation debugger shows for retrieval in one turn.
type RetrievalTrace struct {
	Query       string      `json:"query"`
	Mode        Mode        `json:"mode"`
	Embedder    string      `json:"embedder,omitempty"`
	Collections []string    `json:"collections,omitempty"`
	Notice      string      `json:"notice,omitempty"`
	Candidates  []Candidate `json:"candidates"`
	TokenBudget int         `json:"tokenBudget"`
	TokensUsed  int         `json:"tokensUsed"`
	// MinRelevance is the relevance floor applied (0: none); BelowFloor counts the chunks
	// it kept out of the prompt.
	MinRelevance float64 `json:"minRelevance,omitempty"`
	BelowFloor   int     `json:"belowFloor,omitempty"`
}

// FloorNote says what the relevance floor did in a turn ("" when it kept nothing out).
func (t RetrievalTrace) FloorNote() string {
	switch {
	case t.BelowFloor == 0:
		return ""
	case t.BelowFloor == len(t.Candidates):
		return fmt.Sprintf("All %d chunks found scored under the relevance floor (%.2f) and were left out: no retrieved lore went into the prompt.", t.BelowFloor, t.MinRelevance)
	case t.BelowFloor == 1:
		return fmt.Sprintf("1 chunk found scored under the relevance floor (%.2f) and was left out of the prompt.", t.MinRelevance)
	}
	return fmt.Sprintf("%d chunks found scored under the relevance floor (%.2f) and were left out of the prompt.", t.BelowFloor, t.MinRelevance)
}

// Retrieval is the lore for one turn and how it was chosen.
type Retrieval struct {
	Passages []Passage      `json:"passages"`
	Trace    RetrievalTrace `json:"trace"`
}

// TurnTrace is everything the activation debugger shows for one chat turn: the lorebook
// entries that fired (on which words) and what the budget cut, and the chunks retrieved
// with their scores and what the budget cut.
type TurnTrace struct {
	Lorebook  *Activation     `json:"lorebook,omitempty"`
	Retrieval *RetrievalTrace `json:"retrieval,omitempty"`
}

// Retrieve finds the chunks for a message within the persona's boundary and keeps, in rank
// order, those at or over the relevance floor that fit the token budget (a chunk that does
// not fit is skipped and smaller ones after it may still go in).
func (r Retriever) Retrieve(ctx context.Context, req RetrieveRequest) (Retrieval, error) {
	if req.TokenBudget <= 0 {
		req.TokenBudget = DefaultGroundingBudget
	}
	if req.K <= 0 {
		req.K = 8
	}
	res, err := r.Source.Search(ctx, Query{Text: req.Query, K: req.K, Collections: req.Collections, Mode: r.Mode})
	if err != nil {
		return Retrieval{}, fmt.Errorf("retrieve lore: %w", err)
	}
	out := Retrieval{Passages: []Passage{}, Trace: RetrievalTrace{
		Query: req.Query, Mode: res.Mode, Embedder: res.Embedder, Collections: req.Collections,
		Notice: res.Notice, TokenBudget: req.TokenBudget, Candidates: []Candidate{}, MinRelevance: max(req.MinRelevance, 0),
	}}
	if out.Trace.MinRelevance > 0 && res.Mode == Keyword && len(res.Results) > 0 {
		note := "the relevance floor needs vectors: keyword search alone keeps every chunk found"
		if out.Trace.Notice != "" {
			note = out.Trace.Notice + "; " + note
		}
		out.Trace.Notice = note
	}
	for _, x := range res.Results {
		tokens := x.Tokens
		if tokens == 0 {
			tokens = prose.EstimateTokens(x.Text)
		}
		c := Candidate{ChunkID: x.ChunkID, Doc: x.Doc, Chunk: x.Chunk, Score: x.Score, Relevance: x.Relevance, Keyword: x.Keyword, Vector: x.Vector, Tokens: tokens}
		if floor := out.Trace.MinRelevance; floor > 0 && x.Relevance != nil && *x.Relevance < floor {
			c.Reason = fmt.Sprintf("under the relevance floor: relevance %.2f, floor %.2f", *x.Relevance, floor)
			out.Trace.BelowFloor++
		} else if left := req.TokenBudget - out.Trace.TokensUsed; tokens > left {
			c.Reason = fmt.Sprintf("over the token budget: needs %d tokens, %d of %d left", tokens, left, req.TokenBudget)
		} else {
			c.Used = true
			out.Trace.TokensUsed += tokens
			out.Passages = append(out.Passages, Passage{
				Citation: fmt.Sprintf("[%d]", len(out.Passages)+1), ChunkID: x.ChunkID, Doc: x.Doc, Chunk: x.Chunk,
				Heading: x.Heading, Page: x.Page, Start: x.Start, End: x.End, Collection: x.Collection,
				Text: x.Text, Tokens: tokens, Score: x.Score,
			})
		}
		out.Trace.Candidates = append(out.Trace.Candidates, c)
	}
	return out, nil
}

// Prompt renders passages for a prompt, each with its citation label and source.
func Prompt(passages []Passage) string {
	var b strings.Builder
	for i, p := range passages {
		if i > 0 {
			b.WriteString("\n\n")
		}
		fmt.Fprintf(&b, "%s (%s)\n%s", p.Citation, p.Source(), p.Text)
	}
	return b.String()
}
