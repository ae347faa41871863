// Package openaifake is an OpenAI-compatible server for tests. It speaks the real wire
// formats of /v1/models, /v1/chat/completions (JSON and server-sent events) and
// /v1/embeddings, plays scripted misbehaviour (latency, 429 with Retry-After, 5xx, a
// stream cut midway, a server that never answers), and records every request it gets,
// so tests assert what NPC Studio sends as well as what it does with the answer.
package openaifake

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"github.com/npcstudio/npcstudio/backend/llm/internal/fakecore"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"time"
)

// Server is a running fake.
type Server struct {
	*httptest.Server
	// Models are the ids /v1/models lists. When set, a chat with another model gets the
	// 404 Ollama and OpenAI answer.
	Models []string
	// Key, when set, is the bearer token every request must carry.
	Key string
	// EmbeddingDim is the length of the vectors /v1/embeddings returns.
	EmbeddingDim int

	fakecore.Core[Reply, Request]
}

// Request is what the fake received.
type Request struct {
	Method        string
	Path          string
	Authorization string
	Body          []byte
}

// Reply scripts how the fake answers one chat request.
type Reply struct {
	// Tokens are the answer's pieces, one stream chunk each.
	Tokens []string
	// Latency is the wait before the first byte; TokenDelay the wait before each later token.
	Latency    time.Duration
	TokenDelay time.Duration
	// Status, when 400 or more, answers with an error in OpenAI's shape instead.
	Status int
	// RetryAfter is the Retry-After header sent with Status (seconds or an HTTP date).
	RetryAfter string
	// Cut closes the connection after CutAfter tokens: no finish reason, no [DONE].
	Cut      bool
	CutAfter int
	// NoFinish ends the stream cleanly after the tokens but with no finish reason and no
	// [DONE], as a server restarted behind a proxy does.
	NoFinish bool
	// Hang never answers: the handler returns when the client gives up.
	Hang bool
	// FinishReason is "stop" unless set.
	FinishReason string
}

// DefaultTokens are the answer a fake gives unless told otherwise.
var DefaultTokens = []string{"Well", " met", ",", " traveller", "."}

// New starts a fake on 127.0.0.1 serving models.
func New(models ...string) *Server {
	s := &Server{Models: models, EmbeddingDim: 16}
	s.Default = Reply{Tokens: DefaultTokens}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/models", s.models)
	mux.HandleFunc("POST /v1/chat/completions", s.chat)
	mux.HandleFunc("POST /v1/embeddings", s.embeddings)
	s.Server = httptest.NewServer(s.record(s.auth(mux)))
	return s
}

// BaseURL is what a provider's base URL would be for this server.
func (s *Server) BaseURL() string { return s.URL + "/v1" }

// Close lets hanging handlers go, then stops the server.
func (s *Server) Close() {
	s.Release()
	s.Server.Close()
}

// ChatRequests returns the bodies of the chat requests received so far, decoded.
func (s *Server) ChatRequests() []map[string]any {
	var out []map[string]any
	for _, r := range s.Requests() {
		if r.Path != "/v1/chat/completions" {
			continue
		}
		var m map[string]any
		json.Unmarshal(r.Body, &m)
		out = append(out, m)
	}
	return out
}

func (s *Server) record(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		s.Record(Request{Method: r.Method, Path: r.URL.Path, Authorization: r.Header.Get("Authorization"), Body: body})
		next.ServeHTTP(w, r)
	})
}

func (s *Server) auth(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.Key != "" && r.Header.Get("Authorization") != "Bearer "+s.Key {
			writeError(w, http.StatusUnauthorized, "invalid_api_key", "Incorrect API key provided.")
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Server) models(w http.ResponseWriter, _ *http.Request) {
	type model struct {
		ID      string `json:"id"`
		Object  string `json:"object"`
		Created int64  `json:"created"`
		OwnedBy string `json:"owned_by"`
	}
	out := struct {
		Object string  `json:"object"`
		Data   []model `json:"data"`
	}{Object: "list", Data: []model{}}
	for _, m := range s.Models {
		out.Data = append(out.Data, model{ID: m, Object: "model", Created: 1700000000, OwnedBy: strings.SplitN(m, ":", 2)[0]})
	}
	writeJSON(w, http.StatusOK, out)
}

// pause waits d, or less when the client leaves or the server closes; it says whether
// the whole wait passed.
func (s *Server) pause(r *http.Request, d time.Duration) bool {
	if d <= 0 {
		return r.Context().Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
	case <-s.Closed():
	}
	return false
}

type chatRequest struct {
	Model    string `json:"model"`
	Messages []struct {
		Role    string `json:"role"`
		Content string `json:"content"`
	} `json:"messages"`
	Stream        bool `json:"stream"`
	StreamOptions *struct {
		IncludeUsage bool `json:"include_usage"`
	} `json:"stream_options"`
}

func (s *Server) chat(w http.ResponseWriter, r *http.Request) {
	var req chatRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		writeError(w, http.StatusBadRequest, "invalid_request_error", "We could not parse the JSON body of your request: "+err.Error())
		return
	}
	if len(s.Models) > 0 && !slices.Contains(s.Models, req.Model) {
		writeError(w, http.StatusNotFound, "model_not_found", fmt.Sprintf("model %q not found, try pulling it first", req.Model))
		return
	}
	rep, _ := s.Next()
	if !s.pause(r, rep.Latency) {
		return
	}
	if rep.Hang {
		select {
		case <-r.Context().Done():
		case <-s.Closed():
		}
		return
	}
	if rep.Status >= 400 {
		if rep.RetryAfter != "" {
			w.Header().Set("Retry-After", rep.RetryAfter)
		}
		code := map[int]string{429: "rate_limit_exceeded", 500: "server_error", 503: "service_unavailable"}[rep.Status]
		writeError(w, rep.Status, code, fmt.Sprintf("fake %d: %s", rep.Status, http.StatusText(rep.Status)))
		return
	}
	finish := rep.FinishReason
	if finish == "" {
		finish = "stop"
	}
	prompt := 0
	for _, m := range req.Messages {
		prompt += len(strings.Fields(m.Content))
	}
	use := usage{PromptTokens: prompt, CompletionTokens: len(rep.Tokens), TotalTokens: prompt + len(rep.Tokens)}
	if !req.Stream {
		if rep.Cut {
			hangUp(w)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{
			"id": "chatcmpl-fake", "object": "chat.completion", "created": 1700000000, "model": req.Model, "system_fingerprint": "fp_fake",
			"choices": []any{map[string]any{"index": 0, "message": map[string]any{"role": "assistant", "content": strings.Join(rep.Tokens, "")}, "logprobs": nil, "finish_reason": finish}},
			"usage":   use,
		})
		return
	}
	includeUsage := req.StreamOptions != nil && req.StreamOptions.IncludeUsage
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	send := func(delta map[string]any, finishReason any, u *usage) {
		c := map[string]any{"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 1700000000, "model": req.Model, "system_fingerprint": "fp_fake",
			"choices": []any{map[string]any{"index": 0, "delta": delta, "logprobs": nil, "finish_reason": finishReason}}}
		if delta == nil {
			c["choices"] = []any{}
		}
		if includeUsage {
			c["usage"] = u
		}
		b, _ := json.Marshal(c)
		fmt.Fprintf(w, "data: %s\n\n", b)
		w.(http.Flusher).Flush()
	}
	send(map[string]any{"role": "assistant", "content": ""}, nil, nil)
	for i, tok := range rep.Tokens {
		if rep.Cut && i == rep.CutAfter {
			hangUp(w)
			return
		}
		if i > 0 && !s.pause(r, rep.TokenDelay) {
			return
		}
		send(map[string]any{"content": tok}, nil, nil)
	}
	if rep.Cut {
		hangUp(w)
		return
	}
	if rep.NoFinish {
		return
	}
	send(map[string]any{}, finish, nil)
	if includeUsage {
		send(nil, nil, &use)
	}
	fmt.Fprint(w, "data: [DONE]\n\n")
	w.(http.Flusher).Flush()
}

type usage struct {
	PromptTokens     int `json:"prompt_tokens"`
	CompletionTokens int `json:"completion_tokens"`
	TotalTokens      int `json:"total_tokens"`
}

// hangUp drops the connection without ending the response, as a crashed server or a
// dropped network does.
func hangUp(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	conn.Close()
}

func (s *Server) embeddings(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Input          json.RawMessage `json:"input"`
		Model          string          `json:"model"`
		EncodingFormat string          `json:"encoding_format"`
		Dimensions     int             `json:"dimensions"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		writeError(w, http.StatusBadRequest, "invalid_request_error", "We could not parse the JSON body of your request: "+err.Error())
		return
	}
	var inputs []string
	var one string
	if json.Unmarshal(req.Input, &one) == nil {
		inputs = []string{one}
	} else if err := json.Unmarshal(req.Input, &inputs); err != nil || len(inputs) == 0 {
		writeError(w, http.StatusBadRequest, "invalid_request_error", "'input' must be a string or a non-empty array of strings")
		return
	}
	dim := s.EmbeddingDim
	if req.Dimensions > 0 {
		dim = req.Dimensions
	}
	data := make([]map[string]any, len(inputs))
	tokens := 0
	for i, in := range inputs {
		v := Vector(in, dim)
		var emb any = v
		if req.EncodingFormat == "base64" {
			buf := make([]byte, 4*len(v))
			for j, f := range v {
				binary.LittleEndian.PutUint32(buf[4*j:], math.Float32bits(f))
			}
			emb = base64.StdEncoding.EncodeToString(buf)
		}
		data[i] = map[string]any{"object": "embedding", "index": i, "embedding": emb}
		tokens += len(strings.Fields(in))
	}
	writeJSON(w, http.StatusOK, map[string]any{"object": "list", "data": data, "model": req.Model,
		"usage": map[string]int{"prompt_tokens": tokens, "total_tokens": tokens}})
}

// Vector is the embedding the fake gives text: unit length, the same for the same text
// and dimension, drawn from SHA-256 of the text.
func Vector(text string, dim int) []float32 {
	v := make([]float32, dim)
	var norm float64
	var h [32]byte
	for i := range v {
		if i%8 == 0 { // 32 bytes of hash make 8 values
			h = sha256.Sum256(fmt.Appendf(nil, "%d\x00%s", i/8, text))
		}
		u := binary.BigEndian.Uint32(h[4*(i%8):])
		f := float64(u)/math.MaxUint32*2 - 1
		v[i] = float32(f)
		norm += f * f
	}
	if norm > 0 {
		for i := range v {
			v[i] = float32(float64(v[i]) / math.Sqrt(norm))
		}
	}
	return v
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// writeError answers in OpenAI's error shape.
func writeError(w http.ResponseWriter, status int, code, msg string) {
	typ := "invalid_request_error"
	if status >= 500 {
		typ = "server_error"
	}
	writeJSON(w, status, map[string]any{"error": map[string]any{"message": msg, "type": typ, "param": nil, "code": code}})
}
