package lore

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
)

func TestOpenAIEmbedder(t *testing.T) {
	srv := newEmbeddingsServer(t, 24)
	var waits waitLog
	e, err := NewOpenAIEmbedder(OpenAIConfig{BaseURL: srv.URL + "/v1/", Model: "all-minilm", BatchSize: 3, Sleep: waits.sleep})
	if err != nil {
		t.Fatal(err)
	}
	if e.ID() != "openai:"+strings.TrimPrefix(srv.URL, "http://")+"/v1:all-minilm" || e.Dim() != 0 {
		t.Errorf("id %q dim %d", e.ID(), e.Dim())
	}
	srv.fail.Store(1) // one 429 first: retried
	texts := []string{"a", "b", "c", "d", "e", "f", "g"}
	vecs, err := e.Embed(context.Background(), texts)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := HashEmbedder{N: 24}.Embed(context.Background(), texts)
	if len(vecs) != 7 || e.Dim() != 24 || vecs[6][0] != want[6][0] {
		t.Errorf("got %d vectors of %d", len(vecs), e.Dim())
	}
	if n := srv.requests.Load(); n != 4 {
		t.Errorf("%d requests, want 4 (one refused, three batches)", n)
	}
	// "Retry-After: 0" does not say how long: the first backoff step.
	if got := waits.all(); len(got) != 1 || got[0] != 500*time.Millisecond {
		t.Errorf("waits %v, want [500ms]", got)
	}

	tests := []struct {
		name string
		cfg  OpenAIConfig
		want string
	}{
		{"not a URL", OpenAIConfig{BaseURL: "localhost:11434", Model: "m"}, "is not an http(s) URL"},
		{"no model", OpenAIConfig{BaseURL: srv.URL}, "no model named"},
		{"wrong path", OpenAIConfig{BaseURL: srv.URL + "/api", Model: "m"}, "HTTP 404"},
		{"server gone", OpenAIConfig{BaseURL: "http://127.0.0.1:1/v1", Model: "m"}, "cannot reach the server"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := NewOpenAIEmbedder(tt.cfg)
			if err == nil {
				_, err = e.Embed(context.Background(), []string{"x"})
			}
			var ee *EmbedError
			if !errors.As(err, &ee) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

// waitLog records the waits of a retrying client instead of waiting.
type waitLog struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (w *waitLog) sleep(ctx context.Context, d time.Duration) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.waits = append(w.waits, d)
	return ctx.Err()
}

func (w *waitLog) all() []time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]time.Duration(nil), w.waits...)
}

func TestOpenAIEmbedderHonoursRetryAfter(t *testing.T) {
	now := time.Date(2026, 5, 1, 9, 30, 0, 0, time.UTC)
	for _, tc := range []struct {
		name, header string
		want         time.Duration
	}{
		{"seconds", "3", 3 * time.Second},
		{"HTTP date", now.Add(7 * time.Second).Format(http.TimeFormat), 7 * time.Second},
		{"longer than the cap", now.Add(time.Hour).Format(http.TimeFormat), 10 * time.Second},
		{"unreadable", "soon", 500 * time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newEmbeddingsServer(t, 8)
			srv.retryAfter.Store(&tc.header)
			srv.fail.Store(1)
			var waits waitLog
			e, err := NewOpenAIEmbedder(OpenAIConfig{BaseURL: srv.URL + "/v1", Model: "m", Sleep: waits.sleep, Now: func() time.Time { return now }})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := e.Embed(context.Background(), []string{"the glass crown"}); err != nil {
				t.Fatal(err)
			}
			if got := waits.all(); len(got) != 1 || got[0] != tc.want {
				t.Errorf("Retry-After %q: waits %v, want [%v]", tc.header, got, tc.want)
			}
		})
	}
}

// bedrockFake answers InvokeModel for Titan Text Embeddings as Bedrock does.
type bedrockFake struct {
	mu     sync.Mutex
	bodies []map[string]any
	paths  []string
}

func (f *bedrockFake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	raw, _ := io.ReadAll(r.Body)
	var body map[string]any
	json.Unmarshal(raw, &body)
	f.mu.Lock()
	f.bodies = append(f.bodies, body)
	f.paths = append(f.paths, r.URL.EscapedPath())
	f.mu.Unlock()
	if !strings.HasPrefix(r.Header.Get("Authorization"), "AWS4-HMAC-SHA256") {
		w.WriteHeader(http.StatusForbidden)
		return
	}
	text, _ := body["inputText"].(string)
	if text == "" {
		w.Header().Set("X-Amzn-ErrorType", "ValidationException")
		w.WriteHeader(http.StatusBadRequest)
		w.Write([]byte(`{"message":"Malformed input request: expected minLength: 1"}`))
		return
	}
	dim := 1536
	if d, ok := body["dimensions"].(float64); ok {
		dim = int(d)
	}
	v, _ := HashEmbedder{N: dim}.Embed(r.Context(), []string{text})
	json.NewEncoder(w).Encode(map[string]any{"embedding": v[0], "inputTextTokenCount": len(strings.Fields(text))})
}

func TestBedrockTitanEmbedder(t *testing.T) {
	fake := &bedrockFake{}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	cfg := aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("AKID", "SECRET", "")}
	e, err := NewBedrockEmbedder(cfg, BedrockConfig{Dimensions: 256, Options: []func(*bedrockruntime.Options){func(o *bedrockruntime.Options) {
		o.BaseEndpoint = aws.String(srv.URL)
	}}})
	if err != nil {
		t.Fatal(err)
	}
	if e.ID() != "bedrock:amazon.titan-embed-text-v2:0:256" || e.Dim() != 256 {
		t.Errorf("id %q dim %d", e.ID(), e.Dim())
	}
	vecs, err := e.Embed(context.Background(), []string{"the glass crown", "the sleeper wakes"})
	if err != nil {
		t.Fatal(err)
	}
	if len(vecs) != 2 || len(vecs[0]) != 256 {
		t.Fatalf("vectors: %d", len(vecs))
	}
	want, _ := HashEmbedder{N: 256}.Embed(context.Background(), []string{"the sleeper wakes"})
	if vecs[1][3] != want[0][3] {
		t.Error("vectors out of order")
	}
	fake.mu.Lock()
	if fake.paths[0] != "/model/amazon.titan-embed-text-v2%3A0/invoke" {
		t.Errorf("path %s", fake.paths[0])
	}
	if b := fake.bodies[0]; b["dimensions"] != 256.0 || b["normalize"] != true || len(b) != 3 {
		t.Errorf("request body %v", b)
	}
	fake.mu.Unlock()

	_, err = e.Embed(context.Background(), []string{""})
	if err == nil || !strings.Contains(err.Error(), "Malformed input request") {
		t.Errorf("empty text: %v", err)
	}
	if _, err := NewBedrockEmbedder(cfg, BedrockConfig{Dimensions: 300}); err == nil {
		t.Error("300 dimensions accepted")
	}
	v1, _ := NewBedrockEmbedder(cfg, BedrockConfig{Model: TitanV1, Options: []func(*bedrockruntime.Options){func(o *bedrockruntime.Options) { o.BaseEndpoint = aws.String(srv.URL) }}})
	if _, err := v1.Embed(context.Background(), []string{"x"}); err != nil || v1.Dim() != 1536 {
		t.Errorf("titan v1: %v", err)
	}
	fake.mu.Lock()
	if b := fake.bodies[len(fake.bodies)-1]; len(b) != 1 {
		t.Errorf("titan v1 body %v, want inputText only", b)
	}
	fake.mu.Unlock()
}
