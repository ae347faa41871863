package app

import (
	"slices"
	"strings"
	"testing"

	"github.com/npcstudio/npcstudio/backend/llm/openaifake"
	"github.com/npcstudio/npcstudio/backend/provider"
)

func TestProviderModelsFillsThePicker(t *testing.T) {
	fake := openaifake.New("llama3.1:8b", "qwen2.5:7b")
	defer fake.Close()
	fake.Key = "sk-test"
	a := newApp(t, t.TempDir())

	got, err := a.Providers.Models(ProviderModelsRequest{BaseURL: fake.BaseURL(), APIKey: "sk-test"})
	if err != nil || !slices.Equal(got, []string{"llama3.1:8b", "qwen2.5:7b"}) {
		t.Fatalf("models by URL: %v, %v", got, err)
	}
	if _, err := a.Providers.Models(ProviderModelsRequest{BaseURL: fake.BaseURL(), APIKey: "wrong"}); err == nil || !strings.Contains(err.Error(), "refused the key") {
		t.Fatalf("wrong key: %v", err)
	}
	// A saved provider's own key is used when none is given.
	if _, err := a.Providers.Add(AddProviderRequest{Provider: provider.Provider{Name: "local", Kind: provider.KindOpenAI, BaseURL: fake.BaseURL(), Model: "llama3.1:8b"}, APIKey: "sk-test"}); err != nil {
		t.Fatal(err)
	}
	if got, err := a.Providers.Models(ProviderModelsRequest{Name: "local"}); err != nil || len(got) != 2 {
		t.Fatalf("models of a saved provider: %v, %v", got, err)
	}
	if _, err := a.Providers.Models(ProviderModelsRequest{BaseURL: "localhost:11434"}); err == nil {
		t.Fatal("a URL without a scheme was asked")
	}
}
