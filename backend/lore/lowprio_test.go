package lore

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/npcstudio/npcstudio/backend/lowprio"
)

// markEmbedder records, for every call, whether it came as background work.
type markEmbedder struct {
	HashEmbedder
	mu    sync.Mutex
	batch []bool // calls with more than one text (the library's own embedding)
	query []bool // calls with one text (a search's query)
}

func (m *markEmbedder) ID() string { return "marked" }
func (m *markEmbedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	m.mu.Lock()
	if len(texts) > 1 {
		m.batch = append(m.batch, lowprio.Is(ctx))
	} else {
		m.query = append(m.query, lowprio.Is(ctx))
	}
	m.mu.Unlock()
	return m.HashEmbedder.Embed(ctx, texts)
}

// TestLibraryEmbedsAsBackgroundWork: the library's embedding of its chunks is marked as
// background work (the built-in embedder runs it on nicer threads); a search's query is not.
func TestLibraryEmbedsAsBackgroundWork(t *testing.T) {
	lib := newLibrary(t, Options{})
	dir := t.TempDir()
	var paths []string
	for i := range 6 {
		paths = append(paths, writeFile(t, dir, fmt.Sprintf("d%d.md", i), []byte(fmt.Sprintf("# Place %d\n\nThe bell of town %d rings.", i, i))))
	}
	if _, err := lib.Add(context.Background(), paths, AddOptions{}); err != nil {
		t.Fatal(err)
	}
	e := &markEmbedder{HashEmbedder: HashEmbedder{N: 32}}
	lib.SetEmbedder(e, nil)
	deadline := time.Now().Add(30 * time.Second)
	for lib.EmbedStatus().State != "ready" {
		if time.Now().After(deadline) {
			t.Fatalf("embedding did not finish: %+v", lib.EmbedStatus())
		}
		time.Sleep(5 * time.Millisecond)
	}
	if _, err := lib.Search(context.Background(), Query{Text: "bell", K: 3}); err != nil {
		t.Fatal(err)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(e.batch) == 0 {
		t.Fatal("the library embedded no batch")
	}
	for _, bg := range e.batch {
		if !bg {
			t.Fatalf("a batch of the library's chunks was not marked as background work: %v", e.batch)
		}
	}
	if len(e.query) == 0 {
		t.Fatal("the search embedded no query (not hybrid?)")
	}
	for _, bg := range e.query {
		if bg {
			t.Fatal("a search's query was marked as background work")
		}
	}
}
