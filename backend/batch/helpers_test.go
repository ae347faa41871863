package batch_test

import (
	"testing"
	"time"

	"github.com/npcstudio/npcstudio/backend/batch"
	"github.com/npcstudio/npcstudio/backend/chat"
	"github.com/npcstudio/npcstudio/backend/llm"
	"github.com/npcstudio/npcstudio/backend/llm/openaifake"
	"github.com/npcstudio/npcstudio/backend/persona"
	"github.com/npcstudio/npcstudio/backend/persona/personatest"
	"github.com/npcstudio/npcstudio/backend/provider"
	"github.com/npcstudio/npcstudio/backend/secrets"
	"github.com/npcstudio/npcstudio/backend/store"
	"github.com/npcstudio/npcstudio/backend/testenv"
)

// env is a workspace with Mira and Ada, an OpenAI-compatible fake registered as provider
// "local", the chat Runner over them (no retries of its own) and a batch Runner.
type env struct {
	st     *store.Store
	repo   *batch.Repository
	fake   *openaifake.Server
	runner *batch.Runner
	clock  *testenv.Clock
}

func newEnv(t testing.TB) *env { return newEnvIn(t, t.TempDir()) }

// newEnvIn makes the workspace in dir.
func newEnvIn(t testing.TB, dir string) *env {
	t.Helper()
	fake := openaifake.New("llama3.1:8b")
	t.Cleanup(fake.Close)
	e := reopenEnv(t, dir, fake)
	personas := persona.NewRepository(e.st)
	reg := provider.NewRegistry(e.st, secrets.NewMemory())
	if _, err := reg.Add(provider.Provider{Name: "local", Kind: provider.KindOpenAI, BaseURL: fake.BaseURL(), Model: "llama3.1:8b"}, ""); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"mira.json", "ada.json"} {
		personatest.Add(t, personas, f)
	}
	return e
}

// reopenEnv opens the workspace in dir, made by newEnvIn, with fake as its provider.
func reopenEnv(t testing.TB, dir string, fake *openaifake.Server) *env {
	t.Helper()
	buckets := append(append(append(append([]string{}, chat.Buckets...), persona.Buckets...), provider.Buckets...), batch.Buckets...)
	st, err := store.Open(dir, store.Options{Buckets: buckets})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	personas := persona.NewRepository(st)
	reg := provider.NewRegistry(st, secrets.NewMemory())
	c := testenv.NewClock()
	cr := &chat.Runner{Chats: chat.NewRepository(st), Personas: personas, Providers: reg,
		LLM: llm.Options{Retry: llm.RetryPolicy{MaxAttempts: 1}, Timeout: 30 * time.Second, IdleTimeout: 20 * time.Second, Now: c.Now}}
	repo := batch.NewRepository(st)
	return &env{st: st, repo: repo, fake: fake, clock: c,
		runner: &batch.Runner{Repo: repo, Writer: cr, Retry: llm.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Second, MaxDelay: 30 * time.Second}, Now: c.Now, Sleep: c.Sleep}}
}

func (e *env) create(t testing.TB, spec batch.Spec) batch.Run {
	t.Helper()
	run, err := e.repo.Create(spec)
	if err != nil {
		t.Fatal(err)
	}
	return run
}

func (e *env) example(t testing.TB) batch.Spec {
	t.Helper()
	s, err := batch.ParseSpec("harbour.yaml", readExample(t))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func (e *env) chatRequests() int { return len(e.fake.ChatRequests()) }

func (e *env) lines(t testing.TB, runID string) []batch.Line {
	t.Helper()
	ls, err := e.repo.Lines(runID)
	if err != nil {
		t.Fatal(err)
	}
	return ls
}
