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
	for lib.EmbedStatus().Done < embedBatch {
		if time.Now().After(deadline) {
			t.Fatalf("first batch not stored: %+v", lib.EmbedStatus())
		}
		time.Sleep(5 * time.Millisecond)
	}
	st := lib.EmbedStatus()
	if st.State != "embedding" || st.Done != embedBatch || st.Total != docs {
		t.Fatalf("status %+v", st)
	}
	withVector := 0
	for i := range docs {
		res, err := lib.Search(context.Background(), Query{Text: name(i), K: 3})
		if err != nil {
			t.Fatal(err)
		}
		if res.Mode != Hybrid || res.Embedder != "stepped" || !strings.Contains(res.Notice, fmt.Sprintf("%d of %d chunks embedded", embedBatch, docs)) {
			t.Fatalf("search while embedding: mode %s, embedder %q, notice %q", res.Mode, res.Embedder, res.Notice)
		}
		if len(res.Results) == 0 || res.Results[0].Doc != fmt.Sprintf("place-%02d.md", i) {
			t.Fatalf("%s: %+v", name(i), res.Results)
		}
		if res.Results[0].Vector != nil {
			withVector++
		}
	}
	if withVector != embedBatch {
		t.Errorf("%d top results carry a vector rank, want the %d embedded", withVector, embedBatch)
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
