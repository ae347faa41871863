package llm_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/npcstudio/npcstudio/backend/llm"
	"github.com/npcstudio/npcstudio/backend/llm/openaifake"
	"github.com/npcstudio/npcstudio/backend/provider"
)

// A server that redirects a chat to another address (here the same host on another port,
// where Go's client would keep the Authorization header) must not get the key sent there.
func TestChatRedirectToAnotherAddressCarriesNoKey(t *testing.T) {
	other := openaifake.New("llama3.1:8b")
	t.Cleanup(other.Close)
	redir := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+r.URL.Path, http.StatusTemporaryRedirect)
	}))
	t.Cleanup(redir.Close)
	for _, o := range []llm.Options{opts(&sleeps{}), {Sleep: opts(&sleeps{}).Sleep, HTTPClient: &http.Client{}}} {
		p, err := llm.New(provider.Provider{Name: "local", Kind: provider.KindOpenAI, BaseURL: redir.URL + "/v1", Model: "llama3.1:8b"}, "sk-secret", o)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.Chat(context.Background(), ask("hello"), nil); err == nil {
			t.Fatal("chat through a redirect to another address succeeded")
		}
		for _, r := range other.Requests() {
			if r.Authorization != "" {
				t.Fatalf("the redirect target received %q", r.Authorization)
			}
		}
		if n := len(other.Requests()); n != 0 {
			t.Fatalf("the redirect target was called %d times", n)
		}
	}
}
