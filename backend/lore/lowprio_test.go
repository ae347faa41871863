package lore

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
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

// countingEmbedder counts its calls.
type countingEmbedder struct {
	HashEmbedder
	calls atomic.Int64
}

func (c *countingEmbedder) ID() string { return "counting" }
func (c *countingEmbedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	c.calls.Add(1)
	return c.HashEmbedder.Embed(ctx, texts)
}

// TestEmptyLibraryIsReadyWithoutTheEmbedder: an empty library's vectors are ready at once,
// without asking the embedder anything (the built-in one would load its model for nothing),
// and the first document added is embedded as usual.
func TestEmptyLibraryIsReadyWithoutTheEmbedder(t *testing.T) {
	lib := newLibrary(t, Options{})
	e := &countingEmbedder{HashEmbedder: HashEmbedder{N: 16}}
	lib.SetEmbedder(e, nil)
	waitState := func(want string) EmbedProgress {
		deadline := time.Now().Add(30 * time.Second)
		for {
			p := lib.EmbedStatus()
			if p.State == want {
				return p
			}
			if time.Now().After(deadline) {
				t.Fatalf("status %+v, want %s", p, want)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	waitState("ready")
	if n := e.calls.Load(); n != 0 {
		t.Fatalf("an empty library called the embedder %d times", n)
	}
	path := writeFile(t, t.TempDir(), "bell.md", []byte("# Bell\n\nThe bronze bell rings three times."))
	if _, err := lib.Add(context.Background(), []string{path}, AddOptions{}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for p := lib.EmbedStatus(); p.State != "ready" || p.Done != 1; p = lib.EmbedStatus() {
		if time.Now().After(deadline) {
			t.Fatalf("the first document was not embedded: %+v", p)
		}
		time.Sleep(5 * time.Millisecond)
	}
	if p := lib.EmbedStatus(); p.Dim != 16 {
		t.Fatalf("vectors of %d dimensions, want 16", p.Dim)
	}
}
