package evals_test

import (
	"strings"
	"testing"
	"time"

	"github.com/npcstudio/npcstudio/backend/chat"
	"github.com/npcstudio/npcstudio/backend/evals"
	"github.com/npcstudio/npcstudio/backend/llm"
	"github.com/npcstudio/npcstudio/backend/llm/openaifake"
	"github.com/npcstudio/npcstudio/backend/lore"
	"github.com/npcstudio/npcstudio/backend/persona"
	"github.com/npcstudio/npcstudio/backend/persona/personatest"
	"github.com/npcstudio/npcstudio/backend/provider"
	"github.com/npcstudio/npcstudio/backend/secrets"
	"github.com/npcstudio/npcstudio/backend/store"
	"github.com/npcstudio/npcstudio/backend/testenv"
)

// env is a workspace with Mira, three OpenAI-compatible fakes registered as providers
// "local", "other" (two configurations) and "judge", and an eval Runner over chat.
type env struct {
	repo                *evals.Repository
	local, other, judge *openaifake.Server
	runner              *evals.Runner
	reg                 *provider.Registry
	llm                 llm.Options
	clock               *testenv.Clock
}

func answer(s string) openaifake.Reply { return openaifake.Reply{Tokens: strings.SplitAfter(s, " ")} }

func newEnv(t *testing.T) *env {
	t.Helper()
	buckets := append(append(append(append([]string{}, chat.Buckets...), persona.Buckets...), provider.Buckets...), evals.Buckets...)
	st, err := store.Open(t.TempDir(), store.Options{Buckets: buckets})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	e := &env{repo: evals.NewRepository(st)}
	personas := persona.NewRepository(st)
	e.reg = provider.NewRegistry(st, secrets.NewMemory())
	for name, f := range map[string]**openaifake.Server{"local": &e.local, "other": &e.other, "judge": &e.judge} {
		*f = openaifake.New("m1")
		t.Cleanup((*f).Close)
		if _, err := e.reg.Add(provider.Provider{Name: name, Kind: provider.KindOpenAI, BaseURL: (*f).BaseURL(), Model: "m1"}, ""); err != nil {
			t.Fatal(err)
		}
	}
	personatest.Add(t, personas, "mira.json")
	e.llm = llm.Options{Retry: llm.RetryPolicy{MaxAttempts: 1}, Timeout: 30 * time.Second, IdleTimeout: 20 * time.Second}
	cr := &chat.Runner{Chats: chat.NewRepository(st), Personas: personas, Providers: e.reg, LLM: e.llm}
	e.clock = testenv.NewClock()
	e.runner = &evals.Runner{Repo: e.repo, Answer: cr, Retry: llm.RetryPolicy{MaxAttempts: 2, BaseDelay: time.Second, MaxDelay: 30 * time.Second},
		Now: e.clock.Now, Sleep: e.clock.Sleep}
	return e
}

func (e *env) judgeFor() (*evals.ProviderJudge, *chat.Config) {
	cfg := chat.Config{Provider: "judge", Mode: chat.ModeBase}
	return &evals.ProviderJudge{Providers: e.reg, Config: cfg, LLM: e.llm}, &cfg
}

func (e *env) embedder(t *testing.T) lore.Embedder {
	t.Helper()
	em, err := lore.NewOpenAIEmbedder(lore.OpenAIConfig{BaseURL: e.judge.BaseURL(), Model: "embed"})
	if err != nil {
		t.Fatal(err)
	}
	return em
}

func (e *env) save(t *testing.T, s evals.Suite) evals.SuiteVersion {
	t.Helper()
	v, err := e.repo.Save(s, "Ana Writer", "")
	if err != nil {
		t.Fatal(err)
	}
	return v
}

var (
	local = chat.Config{Provider: "local", Mode: chat.ModeBase}
	other = chat.Config{Provider: "other", Mode: chat.ModeBase}
)

func ptr(f float64) *float64 { return &f }
