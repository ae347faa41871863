package app

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/npcstudio/npcstudio/backend/fault"
	"github.com/npcstudio/npcstudio/backend/llm/openaifake"
	"github.com/npcstudio/npcstudio/backend/provider"
)

// callBound calls a bound method the way the window and the browser bridge do: by name, with
// JSON arguments, through the dispatcher over Bindings.
func callBound(t *testing.T, a *App, name string, arg any) (any, error) {
	t.Helper()
	raw, err := json.Marshal(arg)
	if err != nil {
		t.Fatal(err)
	}
	return NewDispatcher(a.Bindings()).Call(name, []json.RawMessage{raw})
}

func fieldOf(err error) string {
	var ve *fault.ValidationError
	if errors.As(err, &ve) {
		return ve.Field
	}
	return ""
}

func seenAuth(f *openaifake.Server) []string {
	var out []string
	for _, r := range f.Requests() {
		if r.Authorization != "" {
			out = append(out, r.Authorization)
		}
	}
	return out
}

// A page that reaches the bound services must not point a provider at its own server with
// the writer's key variable and have the key sent there.
func TestBoundAddReadsNoVariableTheWriterDidNotConfirm(t *testing.T) {
	t.Setenv("VICTIM_API_KEY", "sk-victim")
	evil := openaifake.New("m")
	defer evil.Close()
	a := newApp(t, t.TempDir())

	_, err := callBound(t, a, "app.ProviderService.Add", AddProviderRequest{
		Provider: provider.Provider{Name: "evil", Kind: "openai", BaseURL: evil.BaseURL(), Model: "m", APIKeyEnv: "VICTIM_API_KEY"}})
	if fieldOf(err) != "apiKeyEnv" || !strings.Contains(err.Error(), "confirm") {
		t.Fatalf("unconfirmed variable: want a refusal on apiKeyEnv, got %v", err)
	}
	if ps, _ := a.Providers.List(); len(ps) != 0 {
		t.Fatalf("refused provider stored: %+v", ps)
	}
	if _, err := callBound(t, a, "app.ProviderService.Test", ProviderNameRequest{Name: "evil"}); err == nil {
		t.Fatal("test of a provider that was refused answered")
	}
	if got := seenAuth(evil); len(got) != 0 {
		t.Fatalf("the page's server received %q", got)
	}

	// A confirmation that names another variable is no confirmation.
	_, err = callBound(t, a, "app.ProviderService.Add", AddProviderRequest{ConfirmedAPIKeyEnv: "OPENAI_API_KEY",
		Provider: provider.Provider{Name: "evil", Kind: "openai", BaseURL: evil.BaseURL(), Model: "m", APIKeyEnv: "VICTIM_API_KEY"}})
	if fieldOf(err) != "apiKeyEnv" {
		t.Fatalf("mismatched confirmation: %v", err)
	}
}

func TestBoundAddTakesOnlyModelKeyVariables(t *testing.T) {
	a := newApp(t, t.TempDir())
	for _, tt := range []struct {
		env string
		ok  bool
	}{
		{"OPENAI_API_KEY", true},
		{"GROQ_API_KEY", true},
		{"HF_TOKEN", true},
		{"AWS_SECRET_ACCESS_KEY", false},
		{"AWS_SESSION_TOKEN", false},
		{"GITHUB_TOKEN", false},
		{"NPM_TOKEN", false},
		{"VAULT_TOKEN", false},
		{"HOME", false},
		{"openai_api_key", false},
		{"DATABASE_PASSWORD", false},
	} {
		t.Run(tt.env, func(t *testing.T) {
			p := provider.Provider{Name: "p-" + strings.ToLower(tt.env), Kind: "openai", BaseURL: "http://127.0.0.1:9/v1", Model: "m", APIKeyEnv: tt.env}
			out, err := a.Providers.Add(AddProviderRequest{Provider: p, ConfirmedAPIKeyEnv: tt.env})
			if tt.ok && (err != nil || out.APIKeyEnv != tt.env) {
				t.Fatalf("want accepted, got %v", err)
			}
			if !tt.ok && fieldOf(err) != "apiKeyEnv" {
				t.Fatalf("want refused on apiKeyEnv, got %v", err)
			}
		})
	}
	// The command line's own entry takes any name the writer typed, and is not bound.
	if _, err := a.ProvidersTyped.Add(AddProviderRequest{Provider: provider.Provider{Name: "typed", Kind: "openai",
		BaseURL: "http://127.0.0.1:9/v1", Model: "m", APIKeyEnv: "DATABASE_PASSWORD"}}); err != nil {
		t.Fatalf("typed on the command line: %v", err)
	}
	for _, n := range NewDispatcher(a.Bindings()).Names() {
		if strings.Contains(n, "CommandLineProviders") {
			t.Fatalf("%s is callable from the window", n)
		}
	}
}

func TestBoundUpdateOfTheURLNeedsTheKeyAgain(t *testing.T) {
	fa := openaifake.New("m")
	defer fa.Close()
	fb := openaifake.New("m")
	defer fb.Close()
	a := newApp(t, t.TempDir())
	p, err := a.Providers.Add(AddProviderRequest{Provider: provider.Provider{Name: "cloud", Kind: "openai", BaseURL: fa.BaseURL(), Model: "m"}, APIKey: "sk-secret"})
	if err != nil {
		t.Fatal(err)
	}
	moved := p
	moved.BaseURL = fb.BaseURL()
	if _, err := callBound(t, a, "app.ProviderService.Update", AddProviderRequest{Provider: moved}); fieldOf(err) != "apiKey" {
		t.Fatalf("new URL without the key: want a refusal on apiKey, got %v", err)
	}
	res, err := a.Providers.Test(ProviderNameRequest{Name: "cloud"})
	if err != nil || !res.Reachable {
		t.Fatalf("test after the refused change: %+v %v", res, err)
	}
	if got := seenAuth(fb); len(got) != 0 {
		t.Fatalf("B received %q", got)
	}
	if got := seenAuth(fa); len(got) != 1 || got[0] != "Bearer sk-secret" {
		t.Fatalf("A received %q", got)
	}
	out, err := callBound(t, a, "app.ProviderService.Update", AddProviderRequest{Provider: moved, APIKey: "sk-new"})
	if err != nil || out.(provider.Provider).BaseURL != fb.BaseURL() {
		t.Fatalf("new URL with a key: %+v %v", out, err)
	}
	if res, _ := a.Providers.Test(ProviderNameRequest{Name: "cloud"}); !res.Reachable {
		t.Fatalf("test after the change: %+v", res)
	}
	if got := seenAuth(fb); len(got) != 1 || got[0] != "Bearer sk-new" {
		t.Fatalf("B received %q", got)
	}
}
