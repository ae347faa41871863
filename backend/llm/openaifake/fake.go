// Package openaifake is an OpenAI-compatible server for tests. It speaks the real
// /v1/models wire format and records every request it gets, so tests assert what NPC Studio
// sends as well as what it does with the answer.
package openaifake

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
)

// Server is a running fake.
type Server struct {
	*httptest.Server
	// Models are the ids /v1/models lists.
	Models []string
	// Key, when set, is the bearer token every request must carry.
	Key string

	mu       sync.Mutex
	requests []Request
}

// Request is what the fake received.
type Request struct {
	Method        string
	Path          string
	Authorization string
	Body          []byte
}

// New starts a fake on 127.0.0.1 serving models.
func New(models ...string) *Server {
	s := &Server{Models: models}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/models", s.models)
	s.Server = httptest.NewServer(s.record(s.auth(mux)))
	return s
}

// BaseURL is what a provider's base URL would be for this server.
func (s *Server) BaseURL() string { return s.URL + "/v1" }

// Requests returns what the fake has received so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

func (s *Server) record(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.requests = append(s.requests, Request{Method: r.Method, Path: r.URL.Path, Authorization: r.Header.Get("Authorization")})
		s.mu.Unlock()
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

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// writeError answers in OpenAI's error shape.
func writeError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, map[string]any{"error": map[string]any{"message": msg, "type": "invalid_request_error", "code": code}})
}
