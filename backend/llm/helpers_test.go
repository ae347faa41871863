package llm_test

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/npcstudio/npcstudio/backend/llm"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/llm")

// testdata is the repository's testdata/llm directory.
var testdata = filepath.Join("..", "..", "testdata", "llm")

// sleeps records the waits between attempts instead of waiting.
type sleeps struct {
	mu sync.Mutex
	d  []time.Duration
}

func (s *sleeps) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.d = append(s.d, d)
	s.mu.Unlock()
	return ctx.Err()
}

func (s *sleeps) waits() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.d...)
}

// testRetry retries without jitter, so waits are exact.
var testRetry = llm.RetryPolicy{MaxAttempts: 3, BaseDelay: 100 * time.Millisecond, MaxDelay: 10 * time.Second}

// opts are options for tests: exact retries, recorded waits, short timeouts.
func opts(s *sleeps) llm.Options {
	return llm.Options{Retry: testRetry, Sleep: s.sleep, Timeout: 10 * time.Second, IdleTimeout: 10 * time.Second}
}

// chunks collects what a chat streams.
type chunks struct{ got []string }

func (c *chunks) add(ch llm.Chunk) error {
	c.got = append(c.got, ch.Text)
	return nil
}

func (c *chunks) text() string { return strings.Join(c.got, "") }

func ask(q string) llm.Request {
	return llm.Request{Messages: []llm.Message{{Role: llm.RoleUser, Text: q}}, Stream: true}
}

// code returns the llm error code of err, or "" when err is not an *llm.Error.
func code(err error) string {
	var e *llm.Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// mustContain fails unless s holds every part.
func mustContain(t *testing.T, s string, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(s, p) {
			t.Errorf("%q\ndoes not say %q", s, p)
		}
	}
}

// golden compares got, a JSON document, with the golden file rel (both re-indented).
func golden(t *testing.T, rel string, got []byte) {
	t.Helper()
	var v any
	if err := json.Unmarshal(got, &v); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, got)
	}
	pretty, _ := json.MarshalIndent(v, "", "  ")
	pretty = append(pretty, '\n')
	path := filepath.Join(testdata, rel)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, pretty, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if d := cmp.Diff(string(want), string(pretty)); d != "" {
		t.Errorf("%s differs (-want +got):\n%s", rel, d)
	}
}
