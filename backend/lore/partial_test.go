package lore

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// steppedEmbedder embeds its first batch and single texts (queries) at once, and waits
// for gate before any other batch.
type steppedEmbedder struct {
	HashEmbedder
	calls atomic.Int64
	gate  chan struct{}
}

func (s *steppedEmbedder) ID() string { return "stepped" }
func (s *steppedEmbedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	if len(texts) > 1 && s.calls.Add(1) > 1 {
		select {
		case <-s.gate:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return s.HashEmbedder.Embed(ctx, texts)
}

// TestHybridWhileEmbedding: while a first embedder's vectors are built, search is hybrid
// over the vectors made so far, says how many, and still finds by keyword the chunks not
// embedded yet.
func TestHybridWhileEmbedding(t *testing.T) {
	lib := newLibrary(t, Options{})
	dir := t.TempDir()
	var paths []string
	const docs = embedBatch + 8
	syll := []string{"ka", "lo", "mi", "ru", "se", "ta", "vo", "ne"}
	name := func(i int) string { return syll[i/8] + syll[i%8] + "dran" }
	for i := range docs {
		paths = append(paths, writeFile(t, dir, fmt.Sprintf("place-%02d.md", i), []byte(fmt.Sprintf("# Place\n\n%s, %s.", name(i), name(i)))))
	}
	if _, err := lib.Add(context.Background(), paths, AddOptions{}); err != nil {
		t.Fatal(err)
	}
	e := &steppedEmbedder{HashEmbedder: HashEmbedder{N: 64}, gate: make(chan struct{})}
	lib.SetEmbedder(e, nil)
	deadline := time.Now().Add(30 * time.Second)
	for lib.EmbedStatus().Done < firstEmbedBatch {
		if time.Now().After(deadline) {
			t.Fatalf("first batch not stored: %+v", lib.EmbedStatus())
		}
		time.Sleep(5 * time.Millisecond)
	}
	st := lib.EmbedStatus()
	if st.State != "embedding" || st.Done != firstEmbedBatch || st.Total != docs {
		t.Fatalf("status %+v", st)
	}
	withVector := 0
	for i := range docs {
		res, err := lib.Search(context.Background(), Query{Text: name(i), K: 3})
		if err != nil {
			t.Fatal(err)
		}
		if res.Mode != Hybrid || res.Embedder != "stepped" || !strings.Contains(res.Notice, fmt.Sprintf("%d of %d chunks embedded", firstEmbedBatch, docs)) {
			t.Fatalf("search while embedding: mode %s, embedder %q, notice %q", res.Mode, res.Embedder, res.Notice)
		}
		if len(res.Results) == 0 || res.Results[0].Doc != fmt.Sprintf("place-%02d.md", i) {
			t.Fatalf("%s: %+v", name(i), res.Results)
		}
		if res.Results[0].Vector != nil {
			withVector++
		}
	}
	if withVector != firstEmbedBatch {
		t.Errorf("%d top results carry a vector rank, want the %d embedded", withVector, firstEmbedBatch)
	}
	if _, err := lib.Search(context.Background(), Query{Text: "kakadran", Mode: Vector}); err == nil {
		t.Error("vector-only search on part of the library answered")
	}
	close(e.gate)
	waitEmbedded(t, lib)
	res, err := lib.Search(context.Background(), Query{Text: "kakadran"})
	if err != nil || res.Mode != Hybrid || res.Notice != "" {
		t.Fatalf("after embedding: %+v %v", res, err)
	}
}

// Documents added after the library's vectors were made are found by hybrid search at once:
// until their vectors are stored, their keyword rank stands in for the vector rank.
func TestHybridFindsDocumentsNotEmbeddedYet(t *testing.T) {
	lib := newLibrary(t, Options{})
	addWorld(t, lib)
	e := &steppedEmbedder{HashEmbedder: HashEmbedder{N: 64}, gate: make(chan struct{})}
	defer close(e.gate)
	// The world is embedded in batches the gate holds after the first: let them through.
	e.calls.Store(-1000)
	lib.SetEmbedder(e, nil)
	waitEmbedded(t, lib)
	e.calls.Store(0)
	dir := t.TempDir()
	syll := []string{"ka", "lo", "mi", "ru", "se", "ta", "vo", "ne"}
	var paths []string
	for i := range 12 {
		paths = append(paths, writeFile(t, dir, fmt.Sprintf("place-%02d.md", i), []byte(fmt.Sprintf("# Place\n\nThe %s%sdran mine.", syll[i/8], syll[i%8]))))
	}
	if _, err := lib.Add(context.Background(), paths, AddOptions{}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for lib.EmbedStatus().Done < lib.EmbedStatus().Total-12+firstEmbedBatch {
		if time.Now().After(deadline) {
			t.Fatalf("first batch not stored: %+v", lib.EmbedStatus())
		}
		time.Sleep(5 * time.Millisecond)
	}
	missing := 0
	for i := range 12 {
		word := syll[i/8] + syll[i%8] + "dran"
		res, err := lib.Search(context.Background(), Query{Text: word + " mine", K: 3})
		if err != nil {
			t.Fatal(err)
		}
		if res.Mode != Hybrid || len(res.Results) == 0 {
			t.Fatalf("%s: mode %s, %d results", word, res.Mode, len(res.Results))
		}
		if top := res.Results[0]; top.Doc != fmt.Sprintf("place-%02d.md", i) {
			t.Errorf("%s: first result %s (vector %v)", word, top.Doc, top.Vector)
		} else if top.Vector == nil {
			missing++
		}
	}
	if missing == 0 {
		t.Fatal("every new document had a vector: the test did not hold embedding back")
	}
}

// Pausing holds embedding after the batch under way; search goes on over the vectors made
// so far; resuming embeds the rest.
func TestPauseEmbedding(t *testing.T) {
	lib := newLibrary(t, Options{})
	addWorld(t, lib)
	e := &steppedEmbedder{HashEmbedder: HashEmbedder{N: 64}, gate: make(chan struct{})}
	lib.SetEmbedder(e, nil)
	// The first batch goes through; the second waits at the gate. Pause, then open it.
	deadline := time.Now().Add(30 * time.Second)
	for lib.EmbedStatus().Done < firstEmbedBatch {
		if time.Now().After(deadline) {
			t.Fatalf("first batch not stored: %+v", lib.EmbedStatus())
		}
		time.Sleep(5 * time.Millisecond)
	}
	if p := lib.PauseEmbedding(true); p.State != "paused" {
		t.Fatalf("pause: %+v", p)
	}
	close(e.gate)
	var st EmbedProgress
	for st = lib.EmbedStatus(); st.Done < 3*firstEmbedBatch; st = lib.EmbedStatus() {
		if time.Now().After(deadline) {
			t.Fatalf("the batch under way was not stored: %+v", st)
		}
		time.Sleep(5 * time.Millisecond)
	}
	// Held before the next batch: the worker asks for no more vectors.
	calls := e.calls.Load()
	if st.State != "paused" || st.Done != 3*firstEmbedBatch || st.Done == st.Total {
		t.Fatalf("paused: %+v", st)
	}
	res, err := lib.Search(context.Background(), Query{Text: "nine seats of the court"})
	if err != nil || res.Mode != Hybrid || !strings.Contains(res.Notice, fmt.Sprintf("%d of %d chunks embedded", st.Done, st.Total)) {
		t.Fatalf("search while paused: %+v %v", res, err)
	}
	if lib.PauseEmbedding(true); e.calls.Load() != calls || lib.EmbedStatus().Done != st.Done {
		t.Fatalf("embedding went on while paused: %d calls, then %d; %+v", calls, e.calls.Load(), lib.EmbedStatus())
	}
	if p := lib.PauseEmbedding(false); p.State != "embedding" {
		t.Fatalf("resume: %+v", p)
	}
	if p := waitEmbedded(t, lib); p.Done != p.Total {
		t.Fatalf("after resuming: %+v", p)
	}
}
