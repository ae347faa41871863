package lore

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"math"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"
	"unicode"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/viterin/vek/vek32"
	"golang.org/x/sync/errgroup"

	"github.com/npcstudio/npcstudio/backend/retryafter"
)

// Embedder turns texts into vectors. ID names the model and its settings: vectors from
// embedders with different ids are never compared. Dim is the vector length, or 0 when it
// is learned from the first reply.
type Embedder interface {
	ID() string
	Dim() int
	Embed(ctx context.Context, texts []string) ([][]float32, error)
}

// EmbedError is an embedder's refusal or failure, with what the server said.
type EmbedError struct {
	Embedder string
	Status   int
	Message  string
}

func (e *EmbedError) Error() string {
	if e.Status > 0 {
		return fmt.Sprintf("embedder %s: HTTP %d: %s", e.Embedder, e.Status, e.Message)
	}
	return fmt.Sprintf("embedder %s: %s", e.Embedder, e.Message)
}

func (e *EmbedError) ErrorCode() string { return "embedder" }

// OpenAIConfig configures an OpenAI-compatible /v1/embeddings endpoint: OpenAI, Ollama
// (http://localhost:11434/v1), LM Studio, vLLM.
type OpenAIConfig struct {
	// BaseURL ends before /embeddings, e.g. "http://localhost:11434/v1".
	BaseURL string
	APIKey  string
	Model   string
	// Dimensions is the model's vector length when known; 0 learns it from the first reply.
	Dimensions int
	// BatchSize is how many texts go in one request (default 64).
	BatchSize  int
	HTTPClient *http.Client
	// Sleep waits between attempts and must return early with ctx's error when ctx ends;
	// nil uses a timer. Now tells the time for Retry-After dates; nil uses time.Now.
	// Tests replace both to check waits without waiting.
	Sleep func(ctx context.Context, d time.Duration) error
	Now   func() time.Time
}

// OpenAIEmbedder calls an OpenAI-compatible /v1/embeddings endpoint.
type OpenAIEmbedder struct {
	cfg OpenAIConfig
	id  string
	dim atomic.Int64
}

// NewOpenAIEmbedder checks cfg and returns the embedder; it does not call the server.
func NewOpenAIEmbedder(cfg OpenAIConfig) (*OpenAIEmbedder, error) {
	u, err := url.Parse(cfg.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, &EmbedError{Embedder: "openai", Message: fmt.Sprintf("base URL %q is not an http(s) URL such as http://localhost:11434/v1", cfg.BaseURL)}
	}
	if cfg.Model == "" {
		return nil, &EmbedError{Embedder: "openai", Message: "no model named (for Ollama, e.g. nomic-embed-text or all-minilm)"}
	}
	if cfg.BatchSize <= 0 {
		cfg.BatchSize = 64
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: 2 * time.Minute}
	}
	if cfg.Sleep == nil {
		cfg.Sleep = retryafter.Sleep
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	e := &OpenAIEmbedder{cfg: cfg, id: "openai:" + u.Host + strings.TrimRight(u.Path, "/") + ":" + cfg.Model}
	e.dim.Store(int64(cfg.Dimensions))
	return e, nil
}

func (e *OpenAIEmbedder) ID() string { return e.id }
func (e *OpenAIEmbedder) Dim() int   { return int(e.dim.Load()) }

// Embed sends texts in batches; 429 and 5xx replies are retried (three tries, honouring
// Retry-After up to ten seconds).
func (e *OpenAIEmbedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, 0, len(texts))
	for start := 0; start < len(texts); start += e.cfg.BatchSize {
		batch := texts[start:min(start+e.cfg.BatchSize, len(texts))]
		vecs, err := e.embedBatch(ctx, batch)
		if err != nil {
			return nil, err
		}
		out = append(out, vecs...)
	}
	return out, nil
}

func (e *OpenAIEmbedder) embedBatch(ctx context.Context, texts []string) ([][]float32, error) {
	body, _ := json.Marshal(map[string]any{"model": e.cfg.Model, "input": texts, "encoding_format": "float"})
	var lastErr error
	for try := 0; try < 3; try++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.cfg.BaseURL+"/embeddings", bytes.NewReader(body))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Content-Type", "application/json")
		if e.cfg.APIKey != "" {
			req.Header.Set("Authorization", "Bearer "+e.cfg.APIKey)
		}
		resp, err := e.cfg.HTTPClient.Do(req)
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			return nil, &EmbedError{Embedder: e.id, Message: "cannot reach the server: " + err.Error()}
		}
		raw, err := io.ReadAll(io.LimitReader(resp.Body, 256<<20))
		resp.Body.Close()
		if err != nil {
			return nil, &EmbedError{Embedder: e.id, Message: "reading the reply: " + err.Error()}
		}
		if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500 {
			lastErr = &EmbedError{Embedder: e.id, Status: resp.StatusCode, Message: serverMessage(raw)}
			wait := time.Duration(try+1) * 500 * time.Millisecond
			if d := retryafter.Parse(resp.Header, e.cfg.Now()); d > 0 {
				wait = min(d, 10*time.Second)
			}
			if err := e.cfg.Sleep(ctx, wait); err != nil {
				return nil, err
			}
			continue
		}
		if resp.StatusCode != http.StatusOK {
			return nil, &EmbedError{Embedder: e.id, Status: resp.StatusCode, Message: serverMessage(raw)}
		}
		var reply struct {
			Data []struct {
				Index     int       `json:"index"`
				Embedding []float32 `json:"embedding"`
			} `json:"data"`
		}
		if err := json.Unmarshal(raw, &reply); err != nil {
			return nil, &EmbedError{Embedder: e.id, Message: "the reply is not an embeddings response: " + err.Error()}
		}
		if len(reply.Data) != len(texts) {
			return nil, &EmbedError{Embedder: e.id, Message: fmt.Sprintf("asked for %d embeddings, got %d", len(texts), len(reply.Data))}
		}
		vecs := make([][]float32, len(texts))
		for _, d := range reply.Data {
			if d.Index < 0 || d.Index >= len(texts) || vecs[d.Index] != nil {
				return nil, &EmbedError{Embedder: e.id, Message: fmt.Sprintf("reply has a bad or repeated index %d", d.Index)}
			}
			vecs[d.Index] = d.Embedding
		}
		if err := e.checkDims(vecs); err != nil {
			return nil, err
		}
		return vecs, nil
	}
	return nil, lastErr
}

func (e *OpenAIEmbedder) checkDims(vecs [][]float32) error {
	for _, v := range vecs {
		if len(v) == 0 {
			return &EmbedError{Embedder: e.id, Message: "the server returned an empty vector"}
		}
		want := int(e.dim.Load())
		if want == 0 {
			e.dim.CompareAndSwap(0, int64(len(v)))
			want = int(e.dim.Load())
		}
		if len(v) != want {
			return &EmbedError{Embedder: e.id, Message: fmt.Sprintf("the server returned a %d-dimension vector where %d were expected", len(v), want)}
		}
	}
	return nil
}

// serverMessage takes the message out of an OpenAI-style error body.
func serverMessage(raw []byte) string {
	var body struct {
		Error any `json:"error"`
	}
	if json.Unmarshal(raw, &body) == nil {
		switch v := body.Error.(type) {
		case string:
			return v
		case map[string]any:
			if m, ok := v["message"].(string); ok {
				return m
			}
		}
	}
	s := strings.TrimSpace(string(raw))
	if len(s) > 300 {
		s = s[:300] + "..."
	}
	return s
}

// Titan Text Embeddings models on Bedrock.
const (
	TitanV2 = "amazon.titan-embed-text-v2:0"
	TitanV1 = "amazon.titan-embed-text-v1"
)

// BedrockConfig configures Titan Text Embeddings on Bedrock (InvokeModel).
type BedrockConfig struct {
	// Model defaults to TitanV2.
	Model string
	// Dimensions is 256, 512 or 1024 for Titan v2 (default 1024, as the cloud index); v1
	// always gives 1536.
	Dimensions int
	// Concurrency bounds the calls in flight (Titan embeds one text a call; default 4).
	Concurrency int
	// Options adjust the Bedrock runtime client (tests point BaseEndpoint at a fake).
	Options []func(*bedrockruntime.Options)
}

// BedrockEmbedder embeds with Titan Text Embeddings through Bedrock's InvokeModel.
type BedrockEmbedder struct {
	client *bedrockruntime.Client
	cfg    BedrockConfig
}

// NewBedrockEmbedder returns a Titan embedder using the AWS configuration cfg (see
// cloud.LoadConfig).
func NewBedrockEmbedder(awsCfg aws.Config, cfg BedrockConfig) (*BedrockEmbedder, error) {
	if cfg.Model == "" {
		cfg.Model = TitanV2
	}
	switch {
	case cfg.Model == TitanV1:
		cfg.Dimensions = 1536
	case cfg.Dimensions == 0:
		cfg.Dimensions = 1024
	case cfg.Dimensions != 256 && cfg.Dimensions != 512 && cfg.Dimensions != 1024:
		return nil, &EmbedError{Embedder: cfg.Model, Message: fmt.Sprintf("Titan v2 makes 256, 512 or 1024 dimensions, not %d", cfg.Dimensions)}
	}
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = 4
	}
	return &BedrockEmbedder{client: bedrockruntime.NewFromConfig(awsCfg, cfg.Options...), cfg: cfg}, nil
}

func (e *BedrockEmbedder) ID() string {
	return fmt.Sprintf("bedrock:%s:%d", e.cfg.Model, e.cfg.Dimensions)
}
func (e *BedrockEmbedder) Dim() int { return e.cfg.Dimensions }

func (e *BedrockEmbedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(e.cfg.Concurrency)
	for i, t := range texts {
		g.Go(func() error {
			v, err := e.embedOne(ctx, t)
			out[i] = v
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return out, nil
}

func (e *BedrockEmbedder) embedOne(ctx context.Context, text string) ([]float32, error) {
	req := map[string]any{"inputText": text}
	if e.cfg.Model != TitanV1 {
		req["dimensions"] = e.cfg.Dimensions
		req["normalize"] = true
	}
	body, _ := json.Marshal(req)
	out, err := e.client.InvokeModel(ctx, &bedrockruntime.InvokeModelInput{
		ModelId:     aws.String(e.cfg.Model),
		Body:        body,
		ContentType: aws.String("application/json"),
		Accept:      aws.String("application/json"),
	})
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, &EmbedError{Embedder: e.ID(), Message: err.Error()}
	}
	var reply struct {
		Embedding []float32 `json:"embedding"`
	}
	if err := json.Unmarshal(out.Body, &reply); err != nil {
		return nil, &EmbedError{Embedder: e.ID(), Message: "the reply is not a Titan embedding: " + err.Error()}
	}
	if len(reply.Embedding) != e.cfg.Dimensions {
		return nil, &EmbedError{Embedder: e.ID(), Message: fmt.Sprintf("Titan returned %d dimensions where %d were asked for", len(reply.Embedding), e.cfg.Dimensions)}
	}
	return reply.Embedding, nil
}

// HashEmbedder is a toy embedder for tests and benchmarks, with no notion of meaning: each
// word (and each pair of neighbouring words) adds ±1 to a dimension picked by its hash.
// Texts sharing words get close vectors, which is enough to exercise vector and hybrid
// search without a model server. Never use it for real lore.
type HashEmbedder struct{ N int }

func (h HashEmbedder) ID() string { return fmt.Sprintf("toy-hash:%d", h.N) }
func (h HashEmbedder) Dim() int   { return h.N }

func (h HashEmbedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	for i, t := range texts {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		v := make([]float32, h.N)
		words := strings.FieldsFunc(strings.ToLower(t), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		for j, w := range words {
			h.add(v, w, 1)
			if j > 0 {
				h.add(v, words[j-1]+" "+w, 0.5)
			}
		}
		normalize(v)
		out[i] = v
	}
	return out, nil
}

func (h HashEmbedder) add(v []float32, s string, w float32) {
	f := fnv.New64a()
	f.Write([]byte(s))
	x := f.Sum64()
	if x&1 == 1 {
		w = -w
	}
	v[(x>>1)%uint64(len(v))] += w
}

// normalize scales v to unit length, so a dot product is the cosine similarity.
func normalize(v []float32) bool {
	var s float64
	for _, x := range v {
		s += float64(x) * float64(x)
	}
	if s == 0 || math.IsNaN(s) || math.IsInf(s, 0) {
		return false
	}
	inv := float32(1 / math.Sqrt(s))
	for i := range v {
		v[i] *= inv
	}
	return true
}

// dot is the inner product; vek uses AVX2 and FMA when the CPU has them (Go's compiler
// does not vectorise loops itself) and a plain loop otherwise.
func dot(a, b []float32) float32 { return vek32.Dot(a, b) }

// probeDim learns an embedder's dimension with one call when it does not know it yet.
func probeDim(ctx context.Context, e Embedder) (int, error) {
	if d := e.Dim(); d > 0 {
		return d, nil
	}
	v, err := e.Embed(ctx, []string{"dimension probe"})
	if err != nil {
		return 0, err
	}
	if len(v) != 1 || len(v[0]) == 0 {
		return 0, &EmbedError{Embedder: e.ID(), Message: "no vector for a probe text"}
	}
	return len(v[0]), nil
}
