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
	bolt "go.etcd.io/bbolt"
)

// authSeen returns every Authorization header the fake received.
func authSeen(f *openaifake.Server) []string {
	var out []string
	for _, r := range f.Requests() {
		if r.Authorization != "" {
			out = append(out, r.Authorization)
		}
	}
	return out
}

// putRaw writes a provider record as it is, as if changed behind the registry's back.
func putRaw(t *testing.T, r *Registry, p Provider) {
	t.Helper()
	if err := r.st.Update(func(tx *bolt.Tx) error { return store.PutJSON(tx, bucketProviders, p.Name, p) }); err != nil {
		t.Fatal(err)
	}
}

func TestKeyGoesOnlyToTheAddressItWasGivenFor(t *testing.T) {
	a := openaifake.New("m")
	defer a.Close()
	b := openaifake.New("m")
	defer b.Close()
	ctx := context.Background()
	r := newRegistry(t, secrets.NewMemory())

	p, err := r.Add(Provider{Name: "cloud", Kind: KindOpenAI, BaseURL: a.BaseURL(), Model: "m"}, "sk-secret")
	if err != nil {
		t.Fatal(err)
	}
	if res := r.Test(ctx, p); !res.Reachable {
		t.Fatalf("test against A: %+v", res)
	}
	if got := authSeen(a); len(got) != 1 || got[0] != "Bearer sk-secret" {
		t.Fatalf("A received %q", got)
	}

	t.Run("changing the URL without the key is refused", func(t *testing.T) {
		moved := p
		moved.BaseURL = b.BaseURL()
		_, err := r.Update(moved, "")
		var ve *fault.ValidationError
		if !errors.As(err, &ve) || ve.Field != "apiKey" || !strings.Contains(err.Error(), "enter the key again") {
			t.Fatalf("want a refusal on apiKey asking for the key again, got %v", err)
		}
		if got, _ := r.Get("cloud"); got.BaseURL != a.BaseURL() {
			t.Fatalf("refused change was stored: %+v", got)
		}
	})

	t.Run("a record pointed elsewhere behind the registry's back sends nothing", func(t *testing.T) {
		for _, tampered := range []Provider{
			func() Provider { q := p; q.BaseURL = b.BaseURL(); return q }(),
			// KeyFor is not secret: a record that claims the new address still finds no key for it.
			func() Provider { q := p; q.BaseURL = b.BaseURL(); q.KeyFor = KeyTarget(q); return q }(),
		} {
			putRaw(t, r, tampered)
			got, _ := r.Get("cloud")
			res := r.Test(ctx, got)
			if res.Reachable || !strings.Contains(res.Detail, "enter the key again") {
				t.Fatalf("tampered record %+v: %+v", tampered, res)
			}
			if _, err := r.APIKey(got); err == nil {
				t.Fatal("APIKey returned a key for another address")
			}
		}
		if got := authSeen(b); len(got) != 0 {
			t.Fatalf("B received an Authorization header: %q", got)
		}
		putRaw(t, r, p)
	})

	t.Run("the key given again goes to the new URL and the old one is dropped", func(t *testing.T) {
		moved := p
		moved.BaseURL = b.BaseURL()
		got, err := r.Update(moved, "sk-for-b")
		if err != nil {
			t.Fatal(err)
		}
		if !got.HasStoredKey || got.KeyFor != KeyTarget(moved) || got.Created != p.Created {
			t.Fatalf("updated: %+v", got)
		}
		if res := r.Test(ctx, got); !res.Reachable {
			t.Fatalf("test against B: %+v", res)
		}
		if seen := authSeen(b); len(seen) != 1 || seen[0] != "Bearer sk-for-b" {
			t.Fatalf("B received %q", seen)
		}
		if _, err := r.secrets.Get(secretName("cloud", KeyTarget(p))); !errors.Is(err, secrets.ErrNotFound) {
			t.Fatalf("key for A left in the keychain: %v", err)
		}
		// Back to A without a key: the key for B does not follow.
		if _, err := r.Update(p, ""); err == nil {
			t.Fatal("moving back to A without a key was accepted")
		}
	})

	t.Run("other changes keep the key", func(t *testing.T) {
		cur, _ := r.Get("cloud")
		cur.Model = "m2"
		cur.BaseURL = strings.TrimSuffix(cur.BaseURL, "/") + "/" // the same address
		got, err := r.Update(cur, "")
		if err != nil {
			t.Fatal(err)
		}
		if k, err := r.APIKey(got); err != nil || k != "sk-for-b" {
			t.Fatalf("key after a model change: %q %v", k, err)
		}
	})
}

func TestEnvKeyIsBoundToItsAddressToo(t *testing.T) {
	t.Setenv("NPCSTUDIO_BOUND_TEST_KEY", "sk-env")
	r := newRegistry(t, secrets.NewMemory())
	p, err := r.Add(Provider{Name: "e", Kind: KindOpenAI, BaseURL: "http://127.0.0.1:9/v1", Model: "m", APIKeyEnv: "NPCSTUDIO_BOUND_TEST_KEY"}, "")
	if err != nil {
		t.Fatal(err)
	}
	moved := p
	moved.BaseURL, moved.APIKeyEnv = "http://127.0.0.1:10/v1", ""
	if _, err := r.Update(moved, ""); err == nil {
		t.Fatal("moving an env-keyed provider without naming the variable again was accepted")
	}
	tampered := p
	tampered.BaseURL = "http://127.0.0.1:10/v1"
	if _, err := r.APIKey(tampered); err == nil || !strings.Contains(err.Error(), "enter the key again") {
		t.Fatalf("env key for another address: %v", err)
	}
	moved.APIKeyEnv = "NPCSTUDIO_BOUND_TEST_KEY"
	got, err := r.Update(moved, "")
	if err != nil {
		t.Fatal(err)
	}
	if k, err := r.APIKey(got); err != nil || k != "sk-env" {
		t.Fatalf("env key after naming it again: %q %v", k, err)
	}
}

func TestKeyKeptBeforeBindingStillWorks(t *testing.T) {
	sec := secrets.NewMemory()
	r := newRegistry(t, sec)
	old := Provider{V: 1, Name: "legacy", Kind: KindOpenAI, BaseURL: "http://127.0.0.1:9/v1", Model: "m", HasStoredKey: true}
	putRaw(t, r, old)
	sec.Set("provider/legacy", "sk-old")
	if k, err := r.APIKey(old); err != nil || k != "sk-old" {
		t.Fatalf("legacy key: %q %v", k, err)
	}
	old.Model = "m2"
	got, err := r.Update(old, "")
	if err != nil {
		t.Fatal(err)
	}
	if k, err := r.APIKey(got); err != nil || k != "sk-old" {
		t.Fatalf("legacy key after an edit: %q %v", k, err)
	}
	if _, err := sec.Get("provider/legacy"); !errors.Is(err, secrets.ErrNotFound) {
		t.Fatalf("legacy entry left behind: %v", err)
	}
	if err := r.Remove("legacy"); err != nil {
		t.Fatal(err)
	}
	if _, err := sec.Get(secretName("legacy", KeyTarget(got))); !errors.Is(err, secrets.ErrNotFound) {
		t.Fatalf("key left after remove: %v", err)
	}
}

// Go's client keeps Authorization on a redirect to the same host on another port; the
// provider's clients must not follow it there.
func TestRedirectToAnotherAddressCarriesNoKey(t *testing.T) {
	b := openaifake.New("m")
	defer b.Close()
	a := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		http.Redirect(w, req, b.URL+req.URL.Path, http.StatusTemporaryRedirect)
	}))
	defer a.Close()
	r := newRegistry(t, secrets.NewMemory())
	p, err := r.Add(Provider{Name: "redir", Kind: KindOpenAI, BaseURL: a.URL + "/v1", Model: "m"}, "sk-secret")
	if err != nil {
		t.Fatal(err)
	}
	res := r.Test(context.Background(), p)
	if res.Reachable || !strings.Contains(res.Detail, "redirect is not followed") {
		t.Fatalf("redirect: %+v", res)
	}
	if len(b.Requests()) != 0 {
		t.Fatalf("the redirect target was called: %+v", b.Requests())
	}
}

func TestKeyTargetIsCanonical(t *testing.T) {
	same := []string{"http://Host:80/v1", "http://host/v1/", "HTTP://host/v1"}
	for _, u := range same {
		if got := KeyTarget(Provider{Kind: KindOpenAI, BaseURL: u}); got != "http://host/v1" {
			t.Errorf("%s -> %s", u, got)
		}
	}
	for _, u := range []string{"http://host:8080/v1", "https://host/v1", "http://host/v2", "http://host.evil/v1"} {
		if got := KeyTarget(Provider{Kind: KindOpenAI, BaseURL: u}); got == "http://host/v1" {
			t.Errorf("%s counted as the same address", u)
		}
	}
}

func TestBecomingBedrockDropsTheKey(t *testing.T) {
	sec := secrets.NewMemory()
	r := newRegistry(t, sec)
	p, err := r.Add(Provider{Name: "x", Kind: KindOpenAI, BaseURL: "http://127.0.0.1:9/v1", Model: "m"}, "sk-1")
	if err != nil {
		t.Fatal(err)
	}
	got, err := r.Update(Provider{Name: "x", Kind: KindBedrock, Region: "us-east-1", ModelID: "amazon.nova-lite-v1:0"}, "")
	if err != nil || got.HasStoredKey || got.KeyFor != "" {
		t.Fatalf("to bedrock: %+v %v", got, err)
	}
	if _, err := sec.Get(secretName("x", KeyTarget(p))); !errors.Is(err, secrets.ErrNotFound) {
		t.Fatalf("old key kept: %v", err)
	}
}
