package lore

import (
	"context"
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
