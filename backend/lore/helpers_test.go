package lore

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/npcstudio/npcstudio/backend/store"
)

// worldDir is the project's own lore set (testdata/lore/world).
var worldDir = filepath.Join("..", "..", "testdata", "lore", "world")

func openStore(t testing.TB, dir string) *store.Store {
	t.Helper()
	st, err := store.Open(dir, store.Options{Buckets: Buckets})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// newLibrary opens a library in a fresh workspace, closed when the test ends.
func newLibrary(t testing.TB, opt Options) *Library {
	t.Helper()
	st := openStore(t, t.TempDir())
	lib, err := NewLibrary(st, opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		lib.Close()
		st.Close()
	})
	return lib
}

func writeFile(t testing.TB, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func addWorld(t testing.TB, lib *Library) AddReport {
	t.Helper()
	rep, err := lib.Add(context.Background(), []string{worldDir}, AddOptions{Collection: "world"})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Failed) > 0 {
		t.Fatalf("world import failed: %+v", rep.Failed)
	}
	return rep
}

// waitEmbedded waits until background embedding is ready.
func waitEmbedded(t testing.TB, lib *Library) EmbedProgress {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		p := lib.EmbedStatus()
		switch p.State {
		case "ready":
			if p.Done == p.Total {
				return p
			}
		case "failed":
			t.Fatalf("embedding failed: %s", p.Error)
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("embedding not ready: %+v", lib.EmbedStatus())
	return EmbedProgress{}
}

// embeddingsServer speaks OpenAI's /v1/embeddings with the toy hash embedder behind it.
type embeddingsServer struct {
	*httptest.Server
	requests atomic.Int64
	fail     atomic.Int64 // answer this many requests with 429 first
	// retryAfter is the Retry-After header of those 429s (default "0").
	retryAfter atomic.Pointer[string]
	dim        int
}

func newEmbeddingsServer(t testing.TB, dim int) *embeddingsServer {
	s := &embeddingsServer{dim: dim}
	toy := HashEmbedder{N: dim}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.requests.Add(1)
		if r.URL.Path != "/v1/embeddings" || r.Method != http.MethodPost {
			http.NotFound(w, r)
			return
		}
		if s.fail.Load() > 0 {
			s.fail.Add(-1)
			ra := "0"
			if p := s.retryAfter.Load(); p != nil {
				ra = *p
			}
			w.Header().Set("Retry-After", ra)
			w.WriteHeader(http.StatusTooManyRequests)
			w.Write([]byte(`{"error":{"message":"slow down","type":"rate_limit"}}`))
			return
		}
		var req struct {
			Model string   `json:"model"`
			Input []string `json:"input"`
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.Model == "" {
			w.WriteHeader(http.StatusBadRequest)
			w.Write([]byte(`{"error":{"message":"bad request"}}`))
			return
		}
		vecs, _ := toy.Embed(r.Context(), req.Input)
		data := make([]map[string]any, len(vecs))
		for i, v := range vecs {
			data[i] = map[string]any{"object": "embedding", "index": i, "embedding": v}
		}
		json.NewEncoder(w).Encode(map[string]any{"object": "list", "model": req.Model, "data": data})
	}))
	t.Cleanup(s.Close)
	return s
}
