package chat_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/npcstudio/npcstudio/backend/chat"
	"github.com/npcstudio/npcstudio/backend/llm"
	"github.com/npcstudio/npcstudio/backend/llm/openaifake"
	"github.com/npcstudio/npcstudio/backend/persona"
	"github.com/npcstudio/npcstudio/backend/persona/personatest"
	"github.com/npcstudio/npcstudio/backend/provider"
	"github.com/npcstudio/npcstudio/backend/secrets"
	"github.com/npcstudio/npcstudio/backend/store"
)

// env is a workspace with Mira, an OpenAI-compatible fake registered as provider "local"
// (model llama3.1:8b), and a Runner over them.
type env struct {
	st       *store.Store
	chats    *chat.Repository
	personas *persona.Repository
	reg      *provider.Registry
	fake     *openaifake.Server
	runner   *chat.Runner
	mira     persona.PersonaVersion
}

func newEnv(t *testing.T) *env {
	t.Helper()
	buckets := append(append(append([]string{}, chat.Buckets...), persona.Buckets...), provider.Buckets...)
	st, err := store.Open(t.TempDir(), store.Options{Buckets: buckets})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	e := &env{st: st, chats: chat.NewRepository(st), personas: persona.NewRepository(st), reg: provider.NewRegistry(st, secrets.NewMemory())}
	e.fake = openaifake.New("llama3.1:8b", "mira-ft")
	t.Cleanup(e.fake.Close)
	if _, err := e.reg.Add(provider.Provider{Name: "local", Kind: provider.KindOpenAI, BaseURL: e.fake.BaseURL(), Model: "llama3.1:8b"}, ""); err != nil {
		t.Fatal(err)
	}
	e.mira = e.addPersona(t, "mira.json")
	e.runner = &chat.Runner{Chats: e.chats, Personas: e.personas, Providers: e.reg, LLM: quick()}
	return e
}

// quick are llm options for tests: retries without waiting, short timeouts.
func quick() llm.Options {
	return llm.Options{
		Retry:       llm.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: time.Second},
		Sleep:       func(ctx context.Context, _ time.Duration) error { return ctx.Err() },
		Timeout:     10 * time.Second,
		IdleTimeout: 5 * time.Second,
	}
}

func (e *env) addPersona(t *testing.T, file string) persona.PersonaVersion {
	return personatest.Add(t, e.personas, file)
}

func (e *env) newChat(t *testing.T) chat.View {
	t.Helper()
	v, err := e.chats.Create(e.runner.NewChat(e.mira, chat.Config{Provider: "local", Mode: chat.ModeBase}))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// events collects what a reply streams.
type events struct {
	mu  sync.Mutex
	got []chat.Event
}

func (ev *events) add(e chat.Event) error {
	ev.mu.Lock()
	defer ev.mu.Unlock()
	ev.got = append(ev.got, e)
	return nil
}

func (ev *events) text() string {
	ev.mu.Lock()
	defer ev.mu.Unlock()
	var b strings.Builder
	for _, e := range ev.got {
		if e.Type == chat.EventToken {
			b.WriteString(e.Text)
		}
	}
	return b.String()
}

func (ev *events) of(typ string) []chat.Event {
	ev.mu.Lock()
	defer ev.mu.Unlock()
	var out []chat.Event
	for _, e := range ev.got {
		if e.Type == typ {
			out = append(out, e)
		}
	}
	return out
}

// systemOf returns the system message of the fake's nth chat request.
func systemOf(t *testing.T, fake *openaifake.Server, n int) (string, []any) {
	t.Helper()
	reqs := fake.ChatRequests()
	if len(reqs) <= n {
		t.Fatalf("the fake got %d chat requests, want more than %d", len(reqs), n)
	}
	msgs, _ := reqs[n]["messages"].([]any)
	if len(msgs) == 0 {
		t.Fatalf("request %d has no messages: %v", n, reqs[n])
	}
	first, _ := msgs[0].(map[string]any)
	if first["role"] != "system" {
		t.Fatalf("request %d starts with %v, not the system prompt", n, first)
	}
	s, _ := first["content"].(string)
	return s, msgs
}

func mustContain(t *testing.T, s string, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(s, p) {
			t.Errorf("%q\ndoes not say %q", s, p)
		}
	}
}

// fakeRetriever returns fixed passages and records what it was asked.
type fakeRetriever struct {
	passages    []chat.Passage
	collections []string
	query       string
	budget      int
}

func (f *fakeRetriever) Retrieve(_ context.Context, collections []string, query string, budget int) (chat.Retrieval, error) {
	f.collections, f.query, f.budget = collections, query, budget
	return chat.Retrieval{Passages: f.passages, Trace: []string{"vector: 2 hits", "budget: kept 2"}}, nil
}
