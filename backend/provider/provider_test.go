package provider

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/npcstudio/npcstudio/backend/fault"
	"github.com/npcstudio/npcstudio/backend/llm/openaifake"
	"github.com/npcstudio/npcstudio/backend/secrets"
	"github.com/npcstudio/npcstudio/backend/store"
)

func newRegistry(t *testing.T, sec secrets.Store) *Registry {
	t.Helper()
	st, err := store.Open(t.TempDir(), store.Options{Buckets: Buckets})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return NewRegistry(st, sec)
}

// brokenKeychain is a keychain that is not running, as on a headless box.
type brokenKeychain struct{ *secrets.Memory }

func (*brokenKeychain) Set(string, string) error { return secrets.ErrUnavailable }
func (*brokenKeychain) Get(string) (string, error) {
	return "", secrets.ErrUnavailable
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name  string
		p     Provider
		field string
	}{
		{"bad name", Provider{Name: "has space", Kind: KindOpenAI, BaseURL: "http://x/v1", Model: "m"}, "name"},
		{"unknown kind", Provider{Name: "a", Kind: "gemini"}, "kind"},
		{"openai without url", Provider{Name: "a", Kind: KindOpenAI, Model: "m"}, "baseUrl"},
		{"openai ftp url", Provider{Name: "a", Kind: KindOpenAI, BaseURL: "ftp://x", Model: "m"}, "baseUrl"},
		{"openai without model", Provider{Name: "a", Kind: KindOpenAI, BaseURL: "http://x/v1"}, "model"},
		{"bedrock without region", Provider{Name: "a", Kind: KindBedrock, ModelID: "m"}, "region"},
		{"bedrock without model", Provider{Name: "a", Kind: KindBedrock, Region: "us-east-1"}, "modelId"},
		{"npcapi without urls", Provider{Name: "a", Kind: KindNPCAPI}, "textUrl"},
		{"npcapi bad rag url", Provider{Name: "a", Kind: KindNPCAPI, RAGURL: "nope"}, "ragUrl"},
		{"bad env name", Provider{Name: "a", Kind: KindOpenAI, BaseURL: "http://x/v1", Model: "m", APIKeyEnv: "1-X"}, "apiKeyEnv"},
		{"valid openai", Provider{Name: "ollama", Kind: KindOpenAI, BaseURL: "http://127.0.0.1:11434/v1", Model: "llama3.1:8b"}, ""},
		{"valid bedrock", Provider{Name: "br", Kind: KindBedrock, Region: "us-east-1", ModelID: "amazon.nova-lite-v1:0"}, ""},
		{"valid npcapi", Provider{Name: "ada", Kind: KindNPCAPI, TextURL: "https://x.execute-api.us-east-1.amazonaws.com/prod/text"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.p.Validate()
			if tt.field == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			var ve *fault.ValidationError
			if !errors.As(err, &ve) || ve.Field != tt.field {
				t.Fatalf("want error on field %s, got %v", tt.field, err)
			}
		})
	}
}

func TestAddListRemoveKeepsKeyInKeychain(t *testing.T) {
	sec := secrets.NewMemory()
	r := newRegistry(t, sec)
	p := Provider{Name: "openai", Kind: KindOpenAI, BaseURL: "https://api.openai.com/v1", Model: "gpt-4o-mini"}
	got, err := r.Add(p, "sk-test-1")
	if err != nil {
		t.Fatal(err)
	}
	if !got.HasStoredKey || got.Created == "" {
		t.Fatalf("added provider: %+v", got)
	}
	if _, err := r.Add(p, ""); !errors.Is(err, fault.ErrExists) {
		t.Fatalf("second add: want ErrExists, got %v", err)
	}
	if k, _ := sec.Get(secretName("openai", KeyTarget(p))); k != "sk-test-1" {
		t.Fatalf("keychain holds %q", k)
	}
	// The key must not be anywhere in the workspace file.
	var found bool
	r.st.View(func(tx *bboltTx) error { found = containsBytes(tx, "sk-test-1"); return nil })
	if found {
		t.Fatal("key stored in the workspace")
	}
	list, err := r.List()
	if err != nil || len(list) != 1 || list[0].Name != "openai" {
		t.Fatalf("list: %v %+v", err, list)
	}
	if err := r.Remove("openai"); err != nil {
		t.Fatal(err)
	}
	if _, err := sec.Get(secretName("openai", KeyTarget(p))); !errors.Is(err, secrets.ErrNotFound) {
		t.Fatalf("key left in keychain after remove: %v", err)
	}
	if err := r.Remove("openai"); !errors.Is(err, fault.ErrNotFound) {
		t.Fatalf("remove missing: %v", err)
	}
}

func TestNoKeychainAsksForEnvVar(t *testing.T) {
	r := newRegistry(t, &brokenKeychain{secrets.NewMemory()})
	_, err := r.Add(Provider{Name: "o", Kind: KindOpenAI, BaseURL: "http://x/v1", Model: "m"}, "sk-1")
	var ve *fault.ValidationError
	if !errors.As(err, &ve) || !strings.Contains(err.Error(), "--api-key-env") {
		t.Fatalf("want advice to use --api-key-env, got %v", err)
	}
	if list, _ := r.List(); len(list) != 0 {
		t.Fatal("provider stored although its key could not be kept")
	}
	p, err := r.Add(Provider{Name: "o", Kind: KindOpenAI, BaseURL: "http://x/v1", Model: "m", APIKeyEnv: "NPCSTUDIO_TEST_KEY"}, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.APIKey(p); err == nil || !strings.Contains(err.Error(), "NPCSTUDIO_TEST_KEY") {
		t.Fatalf("unset env var: %v", err)
	}
	t.Setenv("NPCSTUDIO_TEST_KEY", "sk-env")
	if k, err := r.APIKey(p); err != nil || k != "sk-env" {
		t.Fatalf("env key: %q %v", k, err)
	}
}

func TestTestOpenAICompatible(t *testing.T) {
	fake := openaifake.New("llama3.1:8b", "qwen2.5:7b")
	defer fake.Close()
	fake.Key = "sk-good"
	r := newRegistry(t, secrets.NewMemory())
	ctx := context.Background()

	good, _ := r.Add(Provider{Name: "good", Kind: KindOpenAI, BaseURL: fake.BaseURL(), Model: "llama3.1:8b"}, "sk-good")
	res := r.Test(ctx, good)
	if !res.Reachable || !strings.Contains(res.Detail, "2 models;") {
		t.Fatalf("good provider: %+v", res)
	}
	if reqs := fake.Requests(); reqs[len(reqs)-1].Authorization != "Bearer sk-good" || reqs[len(reqs)-1].Path != "/v1/models" {
		t.Fatalf("request sent: %+v", reqs[len(reqs)-1])
	}
	wrongKey, _ := r.Add(Provider{Name: "wrongkey", Kind: KindOpenAI, BaseURL: fake.BaseURL(), Model: "llama3.1:8b"}, "sk-bad")
	if res := r.Test(ctx, wrongKey); res.Reachable || !strings.Contains(res.Detail, "refused the key") {
		t.Fatalf("wrong key: %+v", res)
	}
	missing, _ := r.Add(Provider{Name: "missing", Kind: KindOpenAI, BaseURL: fake.BaseURL(), Model: "mistral"}, "sk-good")
	if res := r.Test(ctx, missing); res.Reachable || !strings.Contains(res.Detail, `does not serve model "mistral"`) {
		t.Fatalf("missing model: %+v", res)
	}
	dead, _ := r.Add(Provider{Name: "dead", Kind: KindOpenAI, BaseURL: "http://127.0.0.1:1/v1", Model: "m"}, "")
	if res := r.Test(ctx, dead); res.Reachable || !strings.Contains(res.Detail, "does not answer") {
		t.Fatalf("dead server: %+v", res)
	}
}

func TestTestNPCAPI(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusForbidden) // API Gateway's answer to a GET on a POST route
	}))
	defer srv.Close()
	r := newRegistry(t, secrets.NewMemory())
	p, err := r.Add(Provider{Name: "ada", Kind: KindNPCAPI, TextURL: srv.URL + "/text", RAGURL: srv.URL + "/rag"}, "")
	if err != nil {
		t.Fatal(err)
	}
	res := r.Test(context.Background(), p)
	if !res.Reachable || !strings.Contains(res.Detail, "rag endpoint answers (HTTP 403)") {
		t.Fatalf("%+v", res)
	}
	all, err := r.CheckAll(context.Background())
	if err != nil || len(all) != 1 || !all[0].Reachable {
		t.Fatalf("check all: %v %+v", err, all)
	}
}
