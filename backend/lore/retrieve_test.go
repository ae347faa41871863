package lore

import (
	"context"
	"slices"
	"strings"
	"testing"
)

func TestRetrieveWithinBoundaryAndBudget(t *testing.T) {
	lib := newLibrary(t, Options{})
	ctx := context.Background()
	addWorld(t, lib)
	dir := t.TempDir()
	secret := writeFile(t, dir, "court-secrets.md", []byte("# Court Secrets\n\nOren Vale holds the seventh seat of the Ember Court and keeps its ledger of burned blades."))
	if _, err := lib.Add(ctx, []string{secret}, AddOptions{Collection: "secrets"}); err != nil {
		t.Fatal(err)
	}
	r := Retriever{Source: lib}

	// A persona bounded to the world collection never sees the secrets collection.
	got, err := r.Retrieve(ctx, RetrieveRequest{Query: "Oren Vale seventh seat Ember Court ledger", Collections: []string{"world"}, TokenBudget: 2000})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range got.Passages {
		if p.Collection != "world" {
			t.Errorf("passage outside the boundary: %+v", p)
		}
	}
	// Without a boundary it does.
	got, _ = r.Retrieve(ctx, RetrieveRequest{Query: "Oren Vale seventh seat Ember Court ledger", TokenBudget: 2000})
	if len(got.Passages) == 0 || got.Passages[0].Doc != "court-secrets.md" {
		t.Fatalf("unbounded: %+v", got.Passages)
	}
	p := got.Passages[0]
	if p.Citation != "[1]" || !strings.HasPrefix(p.ChunkID, "court-secrets-") {
		t.Errorf("citation %+v", p)
	}
	c, d, err := lib.Chunk(p.ChunkID)
	if err != nil || c.Text != p.Text || d.Name != "court-secrets.md" {
		t.Errorf("the citation does not point at the chunk: %v", err)
	}

	// A small budget: passages in rank order while they fit; the rest are in the trace.
	got, _ = r.Retrieve(ctx, RetrieveRequest{Query: "obsidian blades smiths", TokenBudget: 60, K: 6})
	tr := got.Trace
	if tr.TokensUsed > 60 || len(tr.Candidates) != 6 || tr.Mode != Keyword {
		t.Fatalf("trace %+v", tr)
	}
	used, cut := 0, 0
	for _, c := range tr.Candidates {
		if c.Used {
			used++
		} else {
			cut++
			if !strings.HasPrefix(c.Reason, "over the token budget") {
				t.Errorf("reason %q", c.Reason)
			}
		}
		if c.Keyword == nil || c.Score == 0 {
			t.Errorf("candidate without scores: %+v", c)
		}
	}
	if used != len(got.Passages) || cut == 0 || used == 0 {
		t.Errorf("used %d, cut %d, passages %d", used, cut, len(got.Passages))
	}
	prompt := Prompt(got.Passages)
	if !strings.HasPrefix(prompt, "[1] (") {
		t.Errorf("prompt %q", prompt)
	}
}

// The relevance floor keeps chunks whose cosine similarity to the line is under it out of
// the prompt, says so in the trace, and keeps what clears it.
func TestRetrieveRelevanceFloor(t *testing.T) {
	lib := newLibrary(t, Options{})
	ctx := context.Background()
	addWorld(t, lib)
	lib.SetEmbedder(HashEmbedder{N: 256}, nil)
	waitEmbedded(t, lib)
	r := Retriever{Source: lib}
	query := "nine seats of the secret council of smiths"

	all, err := r.Retrieve(ctx, RetrieveRequest{Query: query, TokenBudget: 5000})
	if err != nil {
		t.Fatal(err)
	}
	if all.Trace.Mode != Hybrid || len(all.Passages) < 3 || all.Trace.BelowFloor != 0 || all.Trace.FloorNote() != "" {
		t.Fatalf("without a floor: mode %s, %d passages, %d below", all.Trace.Mode, len(all.Passages), all.Trace.BelowFloor)
	}
	// A floor between the best chunk's relevance and the others'.
	var rels []float64
	bestID := ""
	for _, c := range all.Trace.Candidates {
		if c.Relevance == nil {
			t.Fatalf("candidate %s has no relevance", c.ChunkID)
		}
		if len(rels) == 0 || *c.Relevance > slices.Max(rels) {
			bestID = c.ChunkID
		}
		rels = append(rels, *c.Relevance)
	}
	floor := slices.Max(rels) - 1e-6
	got, err := r.Retrieve(ctx, RetrieveRequest{Query: query, TokenBudget: 5000, MinRelevance: floor})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Passages) != 1 || got.Passages[0].ChunkID != bestID || got.Passages[0].Citation != "[1]" {
		t.Fatalf("with floor %.3f: %+v", floor, got.Passages)
	}
	tr := got.Trace
	if tr.MinRelevance != floor || tr.BelowFloor != len(tr.Candidates)-1 {
		t.Errorf("trace: floor %v, %d of %d below", tr.MinRelevance, tr.BelowFloor, len(tr.Candidates))
	}
	for _, c := range tr.Candidates {
		if !c.Used && !strings.HasPrefix(c.Reason, "under the relevance floor: relevance 0.") {
			t.Errorf("%s: reason %q", c.ChunkID, c.Reason)
		}
	}
	if note := tr.FloorNote(); !strings.Contains(note, "scored under the relevance floor") {
		t.Errorf("note %q", note)
	}

	// A floor over everything leaves no lore, and says so.
	none, _ := r.Retrieve(ctx, RetrieveRequest{Query: query, TokenBudget: 5000, MinRelevance: 0.9999})
	if len(none.Passages) != 0 || !strings.HasPrefix(none.Trace.FloorNote(), "All ") {
		t.Errorf("floor 0.9999: %d passages, note %q", len(none.Passages), none.Trace.FloorNote())
	}

	// Keyword search has no comparable score: the floor keeps everything.
	kw, _ := Retriever{Source: lib, Mode: Keyword}.Retrieve(ctx, RetrieveRequest{Query: query, TokenBudget: 5000, MinRelevance: 0.9999})
	if len(kw.Passages) == 0 || kw.Trace.BelowFloor != 0 || !strings.Contains(kw.Trace.Notice, "the relevance floor needs vectors") {
		t.Errorf("keyword search with a floor: %d passages, %d below", len(kw.Passages), kw.Trace.BelowFloor)
	}
}
