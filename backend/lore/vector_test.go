package lore

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

// gatedEmbedder embeds with the toy embedder once open is closed.
type gatedEmbedder struct {
	HashEmbedder
	id   string
	open chan struct{}
}

func (g gatedEmbedder) ID() string { return g.id }
func (g gatedEmbedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	select {
	case <-g.open:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return g.HashEmbedder.Embed(ctx, texts)
}

func TestVectorAndHybridSearch(t *testing.T) {
	lib := newLibrary(t, Options{})
	addWorld(t, lib)
	ctx := context.Background()
	if _, err := lib.Search(ctx, Query{Text: "crown", Mode: Vector}); !errors.Is(err, ErrNoEmbedder) {
		t.Errorf("vector search without an embedder: %v", err)
	}
	srv := newEmbeddingsServer(t, 64)
	e, _ := NewOpenAIEmbedder(OpenAIConfig{BaseURL: srv.URL + "/v1", Model: "toy"})
	var mu sync.Mutex
	var events []EmbedProgress
	lib.SetEmbedder(e, func(p EmbedProgress) { mu.Lock(); events = append(events, p); mu.Unlock() })
	p := waitEmbedded(t, lib)
	if p.Dim != 64 || p.Total == 0 || p.Searching != e.ID() {
		t.Errorf("progress %+v", p)
	}
	mu.Lock()
	if len(events) < 2 || events[0].State != "embedding" {
		t.Errorf("events %+v", events)
	}
	mu.Unlock()

	tests := []struct {
		mode Mode
		want string
	}{
		{Vector, "gray-hoods.md"},
		{Hybrid, "gray-hoods.md"},
		{"", "gray-hoods.md"},
	}
	for _, tt := range tests {
		t.Run(string(tt.mode), func(t *testing.T) {
			res, err := lib.Search(ctx, Query{Text: "Gray Hoods hideout waterfall", K: 3, Mode: tt.mode})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Results) != 3 || res.Results[0].Doc != tt.want || res.Embedder != e.ID() {
				t.Fatalf("%+v", res)
			}
			top := res.Results[0]
			switch res.Mode {
			case Vector:
				if top.Vector == nil || top.Keyword != nil || top.Score != top.Vector.Score {
					t.Errorf("vector result %+v", top)
				}
			case Hybrid:
				if top.Vector == nil || top.Keyword == nil || top.Score <= 1.0/61 {
					t.Errorf("hybrid result %+v", top)
				}
			default:
				t.Errorf("mode %s", res.Mode)
			}
		})
	}
	res, _ := lib.Search(ctx, Query{Text: "hideout", Mode: Vector, Collections: []string{"nowhere"}})
	if len(res.Results) != 0 {
		t.Errorf("filtered vector search found %+v", res.Results)
	}

	// A new embedder builds in the background; search keeps the old one until it is done.
	gate := gatedEmbedder{HashEmbedder: HashEmbedder{N: 32}, id: "gated", open: make(chan struct{})}
	lib.SetEmbedder(gate, nil)
	res, err := lib.Search(ctx, Query{Text: "hideout", Mode: Hybrid})
	if err != nil || res.Embedder != e.ID() {
		t.Fatalf("during the change: %+v %v", res.Embedder, err)
	}
	if st := lib.EmbedStatus(); st.Embedder != "gated" || st.Searching != e.ID() {
		t.Errorf("status during the change %+v", st)
	}
	close(gate.open)
	waitEmbedded(t, lib)
	res, _ = lib.Search(ctx, Query{Text: "hideout", Mode: Hybrid})
	if res.Embedder != "gated" {
		t.Errorf("after the change, search uses %q", res.Embedder)
	}
	// New documents are embedded as they come.
	before := lib.EmbedStatus().Total
	p2 := writeFile(t, t.TempDir(), "new.md", []byte("The lighthouse keeper hoards whale oil."))
	lib.Add(ctx, []string{p2}, AddOptions{})
	if st := waitEmbedded(t, lib); st.Total != before+1 {
		t.Errorf("total %d after adding one chunk to %d", st.Total, before)
	}
	res, _ = lib.Search(ctx, Query{Text: "lighthouse whale oil", Mode: Vector, K: 1})
	if len(res.Results) != 1 || res.Results[0].Doc != "new.md" {
		t.Errorf("new document: %+v", res.Results)
	}
	lib.SetEmbedder(nil, nil)
	if res, _ := lib.Search(ctx, Query{Text: "hideout"}); res.Mode != Keyword {
		t.Errorf("embedder off: mode %s", res.Mode)
	}
}

// TestVectorsPersist reopens a workspace: the vectors come back from it and nothing is
// embedded again.
func TestVectorsPersist(t *testing.T) {
	dir := t.TempDir()
	st := openStore(t, dir)
	lib, err := NewLibrary(st, Options{})
	if err != nil {
		t.Fatal(err)
	}
	addWorld(t, lib)
	srv := newEmbeddingsServer(t, 16)
	e, _ := NewOpenAIEmbedder(OpenAIConfig{BaseURL: srv.URL + "/v1", Model: "toy", Dimensions: 16})
	lib.SetEmbedder(e, nil)
	waitEmbedded(t, lib)
	if err := lib.Remove("sleeper.md"); err != nil {
		t.Fatal(err)
	}
	lib.Close()
	lib, err = NewLibrary(st, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { lib.Close(); st.Close() }()
	before := srv.requests.Load()
	lib.SetEmbedder(e, nil)
	p := waitEmbedded(t, lib)
	if srv.requests.Load() != before {
		t.Errorf("%d embedding requests after reopening", srv.requests.Load()-before)
	}
	if p.Done != p.Total || p.Total == 0 {
		t.Errorf("progress %+v", p)
	}
	res, err := lib.Search(context.Background(), Query{Text: "green flame omen", Mode: Vector, K: 10})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res.Results {
		if r.Doc == "sleeper.md" {
			t.Error("vectors of a removed document came back")
		}
	}
}

// TestEmbedderFailure: an embedder that fails is reported; keyword search goes on.
func TestEmbedderFailure(t *testing.T) {
	lib := newLibrary(t, Options{})
	addWorld(t, lib)
	e, _ := NewOpenAIEmbedder(OpenAIConfig{BaseURL: "http://127.0.0.1:1/v1", Model: "gone"})
	lib.SetEmbedder(e, nil)
	deadline := time.Now().Add(30 * time.Second)
	for lib.EmbedStatus().State != "failed" && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if st := lib.EmbedStatus(); st.Error == "" {
		t.Errorf("status %+v", st)
	}
	res, err := lib.Search(context.Background(), Query{Text: "Tamsin Reed"})
	if err != nil || res.Mode != Keyword || len(res.Results) == 0 {
		t.Errorf("%+v %v", res, err)
	}
	if res, _ := lib.Search(context.Background(), Query{Text: "Tamsin", Mode: Hybrid}); res.Notice == "" {
		t.Error("no notice when hybrid falls back to keyword")
	}
}
