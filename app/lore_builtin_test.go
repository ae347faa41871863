package app

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/npcstudio/npcstudio/backend/lore"
	"github.com/npcstudio/npcstudio/backend/minilm"
	"github.com/npcstudio/npcstudio/backend/testenv"
)

// useBuiltinModel makes the built-in embedder's model findable for this test.
func useBuiltinModel(t *testing.T) string {
	dir := miniLMDir
	if dir == "" {
		dir = testenv.MiniLMDir(t)
	}
	t.Setenv("NPCSTUDIO_MINILM_DIR", dir)
	return dir
}

// waitLongOp is waitOp for embedding with the real model, which takes seconds of CPU on a
// loaded machine.
func waitLongOp(t *testing.T, rec *recorder, id string) []OpEvent {
	t.Helper()
	deadline := time.Now().Add(3 * time.Minute)
	for time.Now().Before(deadline) {
		if evs := rec.of(id); len(evs) > 0 && (evs[len(evs)-1].Type == "done" || evs[len(evs)-1].Type == "error") {
			return evs
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("operation %s never ended", id)
	return nil
}

// TestLoreBuiltinEmbedderIsTheDefault: a fresh workspace with no provider gets hybrid
// search from the built-in embedder once its lore is embedded.
func TestLoreBuiltinEmbedderIsTheDefault(t *testing.T) {
	useBuiltinModel(t)
	a := newApp(t, t.TempDir())
	rec := &recorder{}
	a.SetEmitter(rec)
	addLore(t, a, rec, "ashfall", filepath.Join(world, "ashfall.md"), filepath.Join(world, "ember-court.md"), filepath.Join(world, "sleeper.md"))
	id, err := a.Lore.WatchEmbedding(LoreWatchRequest{})
	if err != nil {
		t.Fatal(err)
	}
	p := done[lore.EmbedProgress](t, waitLongOp(t, rec, id))
	if p.State != "ready" || p.Embedder != minilm.ID || p.Dim != minilm.Dim || p.Done != p.Total || p.Total == 0 {
		t.Fatalf("embedding: %+v", p)
	}
	st, err := a.Lore.Status()
	if err != nil || st.Embedder.Provider != BuiltinEmbedder {
		t.Fatalf("status: %+v %v", st.Embedder, err)
	}
	// Worded away from the lore ("ruler" for reeve, "mining town" for Ashfall).
	res, err := a.Lore.Search(lore.Query{Text: "who is in charge of the mining settlement", K: 3})
	if err != nil || res.Mode != lore.Hybrid || res.Embedder != minilm.ID || len(res.Results) != 3 {
		t.Fatalf("search: %+v %v", res, err)
	}
	if r := res.Results[0]; r.Vector == nil {
		t.Fatalf("the best result has no vector rank: %+v", r)
	}

	// Turning vectors off is kept: reopened, the workspace stays keyword-only.
	id, _ = a.Lore.SetEmbedder(LoreEmbedderRequest{})
	waitOp(t, rec, id)
	dir := a.dataDir
	a.Close()
	b := newApp(t, dir)
	if res, err := b.Lore.Search(lore.Query{Text: "mining town"}); err != nil || res.Mode != lore.Keyword {
		t.Fatalf("after off and reopening: %+v %v", res.Mode, err)
	}
	// Chosen by name, it comes back.
	b.SetEmitter(rec)
	id, err = b.Lore.SetEmbedder(LoreEmbedderRequest{Embedder: LoreEmbedder{Provider: BuiltinEmbedder}})
	if err != nil {
		t.Fatal(err)
	}
	if p := done[lore.EmbedProgress](t, waitLongOp(t, rec, id)); p.State != "ready" || p.Embedder != minilm.ID {
		t.Fatalf("set builtin: %+v", p)
	}
}

// TestLoreBuiltinEmbedderWithoutItsModel: asking for the built-in embedder where its model
// is not says how to get it, and a fresh workspace stays keyword-only.
func TestLoreBuiltinEmbedderWithoutItsModel(t *testing.T) {
	t.Setenv("NPCSTUDIO_MINILM_DIR", t.TempDir())
	a := newApp(t, t.TempDir())
	rec := &recorder{}
	a.SetEmitter(rec)
	addLore(t, a, rec, "ashfall", world)
	_, err := a.Lore.SetEmbedder(LoreEmbedderRequest{Embedder: LoreEmbedder{Provider: BuiltinEmbedder}})
	if FormatError(err).Code != "model_missing" {
		t.Fatalf("no model: %v", err)
	}
	if _, err := a.Lore.SetEmbedder(LoreEmbedderRequest{Embedder: LoreEmbedder{Provider: BuiltinEmbedder, Model: t.TempDir()}}); FormatError(err).Field != "model" {
		t.Fatalf("a folder without the model: %v", err)
	}
	if st, _ := a.Lore.EmbedStatus(); st.State != "off" {
		t.Fatalf("status: %+v", st)
	}
	if m, _ := a.Lore.Model(); m.Dir != "" || m.DownloadTo == "" {
		t.Fatalf("model: %+v", m)
	}
}
