package app

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/npcstudio/npcstudio/backend/chat"
	"github.com/npcstudio/npcstudio/backend/lore"
	"github.com/npcstudio/npcstudio/backend/persona"
)

// The relevance floor is a workspace setting that every RAG turn applies, and the turn's
// record ("Lore used") says what it left out.
func TestLoreRelevanceFloor(t *testing.T) {
	a, rec, _ := embeddingApp(t, 32)
	addLore(t, a, rec, "ashfall", world)
	id, err := a.Lore.SetEmbedder(LoreEmbedderRequest{Embedder: LoreEmbedder{Provider: "local", Model: "nomic-embed-text"}})
	if err != nil {
		t.Fatal(err)
	}
	if p := done[lore.EmbedProgress](t, waitOp(t, rec, id)); p.State != "ready" {
		t.Fatalf("embedding: %+v", p)
	}

	cfg, err := a.Lore.RAGSettings()
	if err != nil || cfg.MinRelevance != lore.DefaultMinRelevance {
		t.Fatalf("default: %+v %v", cfg, err)
	}
	for _, bad := range []float64{-0.1, 1, 2} {
		if _, err := a.Lore.SaveRAGSettings(LoreRAG{MinRelevance: bad}); FormatError(err).Field != "minRelevance" {
			t.Errorf("floor %v: %v", bad, err)
		}
	}

	turn := func() (chat.Retrieval, LoreTurn) {
		t.Helper()
		r := &loreRetriever{a: a}
		line := "Who keeps the price of obsidian high?"
		got, err := r.RetrieveTurn(context.Background(), chat.LoreTurn{Persona: persona.Persona{Name: "Ada"}, Query: line, TokenBudget: 5000, Recent: []string{line}})
		if err != nil {
			t.Fatal(err)
		}
		var lt LoreTurn
		if err := json.Unmarshal(got.Detail, &lt); err != nil {
			t.Fatal(err)
		}
		return got, lt
	}

	// Off: every chunk found goes in.
	if _, err := a.Lore.SaveRAGSettings(LoreRAG{MinRelevance: 0}); err != nil {
		t.Fatal(err)
	}
	got, lt := turn()
	ret := lt.Trace.Retrieval
	if ret.Mode != lore.Hybrid || len(got.Passages) != len(ret.Candidates) || ret.BelowFloor != 0 {
		t.Fatalf("no floor: %d passages of %d candidates, %d below", len(got.Passages), len(ret.Candidates), ret.BelowFloor)
	}
	// A floor between the best relevance and the rest keeps only the best.
	best := 0.0
	for _, c := range ret.Candidates {
		if c.Relevance == nil {
			t.Fatalf("%s has no relevance", c.ChunkID)
		}
		best = max(best, *c.Relevance)
	}
	saved, err := a.Lore.SaveRAGSettings(LoreRAG{MinRelevance: best - 1e-9})
	if err != nil || saved.MinRelevance != best-1e-9 {
		t.Fatal(saved, err)
	}
	got, lt = turn()
	ret = lt.Trace.Retrieval
	if len(got.Passages) != 1 || ret.BelowFloor != len(ret.Candidates)-1 || ret.MinRelevance != best-1e-9 {
		t.Fatalf("floor %.3f: %d passages, %d of %d below", best, len(got.Passages), ret.BelowFloor, len(ret.Candidates))
	}
	note := strings.Join(lt.Notes, "\n")
	if !strings.Contains(note, "scored under the relevance floor") || !strings.Contains(strings.Join(got.Trace, "\n"), "under the relevance floor") {
		t.Fatalf("notes %q, trace %q", lt.Notes, got.Trace)
	}
	// The setting is kept with the workspace.
	dir := a.dataDir
	a.Close()
	b := newApp(t, dir)
	if cfg, err := b.Lore.RAGSettings(); err != nil || cfg.MinRelevance != best-1e-9 {
		t.Fatalf("after reopening: %+v %v", cfg, err)
	}
}

// Pausing the background embedding holds the vectors of documents added meanwhile until
// it is resumed.
func TestLorePauseEmbedding(t *testing.T) {
	a, rec, _ := embeddingApp(t, 16)
	addLore(t, a, rec, "ashfall", filepath.Join(world, "ember-court.md"))
	id, err := a.Lore.SetEmbedder(LoreEmbedderRequest{Embedder: LoreEmbedder{Provider: "local", Model: "nomic-embed-text"}})
	if err != nil {
		t.Fatal(err)
	}
	done[lore.EmbedProgress](t, waitOp(t, rec, id))
	if p, err := a.Lore.PauseEmbedding(LorePauseRequest{Paused: true}); err != nil || p.State != "ready" {
		t.Fatalf("pause with nothing to embed: %+v %v", p, err)
	}
	addLore(t, a, rec, "ashfall", filepath.Join(world, "sleeper.md"))
	if p, _ := a.Lore.EmbedStatus(); p.State != "paused" || p.Done != 1 || p.Total != 2 {
		t.Fatalf("a document added while paused: %+v", p)
	}
	if p, err := a.Lore.PauseEmbedding(LorePauseRequest{Paused: false}); err != nil || p.State != "embedding" {
		t.Fatalf("resume: %+v %v", p, err)
	}
	id, _ = a.Lore.WatchEmbedding(LoreWatchRequest{})
	if p := done[lore.EmbedProgress](t, waitOp(t, rec, id)); p.State != "ready" || p.Done != 2 {
		t.Fatalf("after resuming: %+v", p)
	}
}
