package lore

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	bolt "go.etcd.io/bbolt"

	"github.com/npcstudio/npcstudio/backend/fault"
	"github.com/npcstudio/npcstudio/backend/store"
)

// Mode is how Search ranks chunks.
type Mode string

const (
	Keyword Mode = "keyword" // BM25 over chunk text
	Vector  Mode = "vector"  // cosine similarity of embeddings
	Hybrid  Mode = "hybrid"  // both, fused by reciprocal rank
)

// Query is a search of the library.
type Query struct {
	Text string `json:"text"`
	// K is how many results to return (default 5, at most 100).
	K int `json:"k,omitempty"`
	// Collections and Tags filter documents (any of the collections, all of the tags).
	Collections []string          `json:"collections,omitempty"`
	Tags        map[string]string `json:"tags,omitempty"`
	// Mode defaults to Hybrid when there are vectors (all, or those made so far while an
	// embedder's first vectors are built) and Keyword otherwise.
	Mode Mode `json:"mode,omitempty"`
}

// Rank is a chunk's place and score in one ranker's list (place from 1).
type Rank struct {
	Rank  int     `json:"rank"`
	Score float64 `json:"score"`
}

// Result is one chunk found.
type Result struct {
	ChunkID string `json:"chunkId"`
	DocID   string `json:"docId"`
	// Doc is the document's name (the imported file's name).
	Doc string `json:"doc"`
	// Chunk is the chunk's ordinal in its document.
	Chunk int `json:"chunk"`
	// Score is the ranking score of the mode used: BM25, cosine, or fused (weighted RRF).
	Score float64 `json:"score"`
	// Relevance is the cosine similarity of the query and the chunk's vector, whatever the
	// mode ranked by; nil when the search had no vector for the chunk (keyword search, or a
	// chunk not embedded yet). Unlike BM25 and fused scores it means the same thing from one
	// query to the next, so a relevance floor can be set on it.
	Relevance  *float64          `json:"relevance,omitempty"`
	Keyword    *Rank             `json:"keyword,omitempty"`
	Vector     *Rank             `json:"vector,omitempty"`
	Text       string            `json:"text"`
	Heading    string            `json:"heading,omitempty"`
	Page       int               `json:"page,omitempty"`
	Start      int64             `json:"start"`
	End        int64             `json:"end"`
	Tokens     int               `json:"tokens"`
	Collection string            `json:"collection,omitempty"`
	Tags       map[string]string `json:"tags,omitempty"`
}

// SearchResults are the results of a search and how they were found.
type SearchResults struct {
	Results []Result `json:"results"`
	// Mode is the mode used (Hybrid falls back to Keyword while there are no vectors).
	Mode     Mode   `json:"mode"`
	Embedder string `json:"embedder,omitempty"`
	// Notice says why the mode differs from the one asked for.
	Notice string `json:"notice,omitempty"`
}

// RRFK is the constant of reciprocal rank fusion: score = sum over rankers of 1/(RRFK+rank).
const RRFK = 60

// The library's own hybrid search fuses as w/(HybridK+rank), with weight HybridKeywordWeight
// for the keyword ranker and 1 for the vector ranker: standard reciprocal rank fusion, as
// the team index. A tuned fusion (k 5, keyword weight 0.5, picked on
// testdata/lore/paraphrases.jsonl with a chunk per section) did not carry over once short
// sections were merged: recall@1 0.500 on fresh.jsonl, questions written afterwards, against
// 0.679 for the standard one, which needs no tuning (TestBuiltinRecall, docs/BENCHMARKS.md).
const (
	HybridK             = RRFK
	HybridKeywordWeight = 1
)

// MaxK bounds Query.K.
const MaxK = 100

// Search finds the chunks that best answer q.
func (l *Library) Search(ctx context.Context, q Query) (SearchResults, error) {
	q.Text = strings.TrimSpace(q.Text)
	if q.Text == "" {
		return SearchResults{}, fault.Invalid("query", "type something to search for")
	}
	switch {
	case q.K == 0:
		q.K = 5
	case q.K < 0 || q.K > MaxK:
		return SearchResults{}, fault.Invalid("k", "k must be between 1 and %d", MaxK)
	}
	l.mu.RLock()
	if l.closed {
		l.mu.RUnlock()
		return SearchResults{}, ErrClosed
	}
	active := l.vectors.active
	var embID string
	if active != nil {
		embID = active.id
	}
	pending := l.vectors.progress
	// While an embedder's first vectors are built, hybrid search fuses those made so far
	// (Done counts the set's vectors once the worker has loaded it).
	var partial *vectorSet
	if p := l.vectors.pending; active == nil && p != nil && pending.Embedder == p.id && pending.Done > 0 {
		partial = p
	}
	l.mu.RUnlock()

	res := SearchResults{Mode: q.Mode}
	switch q.Mode {
	case "":
		res.Mode = Keyword
		if active != nil || partial != nil {
			res.Mode = Hybrid
		}
	case Keyword, Hybrid:
		if q.Mode == Hybrid && active == nil && partial == nil {
			res.Mode = Keyword
			res.Notice = "no vectors yet: keyword results only"
			if pending.State == "embedding" || pending.State == "paused" {
				res.Notice = fmt.Sprintf("vectors are being built (%d of %d chunks): keyword results only", pending.Done, pending.Total)
			}
		}
	case Vector:
		if active == nil {
			if pending.State == "embedding" || pending.State == "paused" {
				return res, fmt.Errorf("vectors are being built (%d of %d chunks): search by keyword meanwhile: %w", pending.Done, pending.Total, ErrNoEmbedder)
			}
			return res, ErrNoEmbedder
		}
	default:
		return res, fault.Invalid("mode", "unknown search mode %q: use keyword, vector or hybrid", q.Mode)
	}
	vecSet := active
	if res.Mode == Hybrid && active == nil {
		vecSet, embID = partial, partial.id
		res.Notice = fmt.Sprintf("%d of %d chunks embedded so far: the rest are found by keyword", pending.Done, pending.Total)
	}
	if res.Mode != Keyword {
		res.Embedder = embID
	}

	filter := DocFilter{Collections: q.Collections, Tags: q.Tags}
	var allowed []string // nil: every document
	if !filter.empty() {
		allowed = []string{}
		for _, d := range l.List(filter) {
			allowed = append(allowed, d.ID)
		}
	}
	// Candidates per ranker: more than k, so fusion and the removal of documents that
	// vanished meanwhile still leave k.
	n := q.K + 5
	if res.Mode == Hybrid {
		n = max(50, 4*q.K)
	}
	var kwHits []keywordHit
	var vecHits []scoredChunk
	var qvec []float32
	var err error
	if res.Mode != Vector {
		// Held through the search: a rebuild swaps and closes the index under the write lock.
		l.mu.RLock()
		if l.closed {
			err = ErrClosed
		} else {
			kwHits, err = l.kw.search(ctx, q.Text, allowed, n)
		}
		l.mu.RUnlock()
		if err != nil {
			return res, fmt.Errorf("keyword search: %w", err)
		}
	}
	if res.Mode != Keyword {
		if vecHits, qvec, err = l.vectorSearch(ctx, vecSet, q.Text, allowed, n); err != nil {
			return res, err
		}
	}

	fused := map[string]*Result{}
	var order []*Result
	get := func(id string) *Result {
		if r, ok := fused[id]; ok {
			return r
		}
		r := &Result{ChunkID: id}
		fused[id] = r
		order = append(order, r)
		return r
	}
	for i, h := range kwHits {
		r := get(h.ID)
		r.Keyword = &Rank{Rank: i + 1, Score: h.Score}
	}
	for i, h := range vecHits {
		r := get(h.id)
		r.Vector = &Rank{Rank: i + 1, Score: h.score}
	}
	// While vectors are partial (an embedder's first vectors, or documents added since the
	// last ones), a chunk not embedded yet has no vector rank to earn: its keyword rank
	// stands in for it, so it is not outranked for waiting its turn.
	var unembedded map[string]bool
	if vecSet != nil && res.Mode == Hybrid {
		unembedded = map[string]bool{}
		l.mu.RLock()
		for _, h := range kwHits {
			if _, ok := vecSet.row[h.ID]; !ok {
				unembedded[h.ID] = true
			}
		}
		l.mu.RUnlock()
	}
	for _, r := range order {
		switch res.Mode {
		case Keyword:
			r.Score = r.Keyword.Score
		case Vector:
			r.Score = r.Vector.Score
		default:
			if r.Keyword != nil {
				r.Score += HybridKeywordWeight / float64(HybridK+r.Keyword.Rank)
			}
			if r.Vector != nil {
				r.Score += 1 / float64(HybridK+r.Vector.Rank)
			} else if unembedded[r.ChunkID] {
				r.Score += 1 / float64(HybridK+r.Keyword.Rank)
			}
		}
	}
	sort.SliceStable(order, func(i, j int) bool { return order[i].Score > order[j].Score })
	res.Results, err = l.fill(order, q.K)
	if qvec != nil {
		l.relevance(vecSet, qvec, res.Results)
	}
	return res, err
}

// relevance sets each result's cosine similarity to the query vector q: its vector score
// when the vector ranker found it, else computed from its stored vector.
func (l *Library) relevance(set *vectorSet, q []float32, results []Result) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	for i := range results {
		r := &results[i]
		var v float64
		if r.Vector != nil {
			v = r.Vector.Score
		} else if row, ok := set.row[r.ChunkID]; ok && set.dim == len(q) {
			v = float64(dot(q, set.data[row*set.dim:(row+1)*set.dim]))
		} else {
			continue
		}
		r.Relevance = &v
	}
}

type scoredChunk struct {
	id    string
	score float64
}

// vectorSearch embeds text and scores it against every vector of set; it returns the best
// n and the query's vector (nil when it has none).
func (l *Library) vectorSearch(ctx context.Context, set *vectorSet, text string, allowed []string, n int) ([]scoredChunk, []float32, error) {
	l.mu.RLock()
	emb, dim := set.emb, set.dim
	l.mu.RUnlock()
	vecs, err := emb.Embed(ctx, []string{text})
	if err != nil {
		return nil, nil, fmt.Errorf("embed the query: %w", err)
	}
	if len(vecs) != 1 || len(vecs[0]) != dim {
		got := 0
		if len(vecs) == 1 {
			got = len(vecs[0])
		}
		return nil, nil, &DimensionError{Index: "the embedded lore index", IndexDim: dim, EmbedderDim: got, Embedder: emb.ID()}
	}
	q := vecs[0]
	if !normalize(q) {
		return nil, nil, nil
	}
	l.mu.RLock()
	defer l.mu.RUnlock()
	var mask []bool
	if allowed != nil {
		mask = make([]bool, len(set.docIDs))
		for _, id := range allowed {
			if i, ok := set.docIdx[id]; ok {
				mask[i] = true
			}
		}
	}
	hits := set.search(q, mask, n)
	out := make([]scoredChunk, len(hits))
	for i, h := range hits {
		r := set.rows[h.row]
		out[i] = scoredChunk{id: ChunkID(set.docIDs[r.doc], int(r.ord)), score: float64(h.score)}
	}
	return out, q, nil
}

// fill loads the text and document of the first k results whose document still exists.
func (l *Library) fill(order []*Result, k int) ([]Result, error) {
	out := make([]Result, 0, k)
	err := l.st.View(func(tx *bolt.Tx) error {
		for _, r := range order {
			if len(out) == k {
				break
			}
			docID, ord, err := ParseChunkID(r.ChunkID)
			if err != nil {
				continue
			}
			l.mu.RLock()
			d, ok := l.docs[docID]
			l.mu.RUnlock()
			if !ok {
				continue
			}
			var c Chunk
			if err := store.GetJSON(tx, BucketChunks, chunkKey(docID, ord), &c); err != nil {
				if errors.Is(err, store.ErrNotFound) {
					continue
				}
				return err
			}
			r.DocID, r.Doc, r.Chunk = docID, d.Name, ord
			r.Text, r.Heading, r.Page, r.Start, r.End, r.Tokens = c.Text, c.Heading, c.Page, c.Start, c.End, c.Tokens
			r.Collection, r.Tags = d.Collection, d.Tags
			out = append(out, *r)
		}
		return nil
	})
	return out, err
}

// CLIResult is one line of `lore search --json`.
type CLIResult struct {
	Doc        string  `json:"doc"`
	Chunk      int     `json:"chunk"`
	Score      float64 `json:"score"`
	Text       string  `json:"text"`
	Collection string  `json:"collection"`
}

// CLIOutput is the JSON `lore search --json` prints: {"results":[{"doc","chunk","score","text","collection"}]}.
type CLIOutput struct {
	Results []CLIResult `json:"results"`
}

// CLI returns the results in the shape of `lore search --json`.
func (r SearchResults) CLI() CLIOutput {
	out := CLIOutput{Results: make([]CLIResult, len(r.Results))}
	for i, x := range r.Results {
		out.Results[i] = CLIResult{Doc: x.Doc, Chunk: x.Chunk, Score: x.Score, Text: x.Text, Collection: x.Collection}
	}
	return out
}
