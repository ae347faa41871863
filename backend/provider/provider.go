package provider

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"sort"
	"time"

	"github.com/npcstudio/npcstudio/backend/fault"
	"github.com/npcstudio/npcstudio/backend/secrets"
	"github.com/npcstudio/npcstudio/backend/store"
	bolt "go.etcd.io/bbolt"
)

// Kinds of provider.
const (
	KindOpenAI  = "openai"  // any OpenAI-compatible /v1 server
	KindBedrock = "bedrock" // Amazon Bedrock runtime
	KindNPCAPI  = "npcapi"  // the team's deployed text and RAG endpoints
)

// Kinds lists every kind, in the order the window offers them.
var Kinds = []string{KindOpenAI, KindBedrock, KindNPCAPI}

const bucketProviders = "providers"

// Buckets are the workspace buckets this package owns.
var Buckets = []string{bucketProviders}

// Provider is one configured model provider.
type Provider struct {
	V    int    `json:"v"`
	Name string `json:"name"`
	Kind string `json:"kind"`

	// OpenAI-compatible.
	BaseURL   string `json:"baseUrl,omitempty"`
	Model     string `json:"model,omitempty"`
	APIKeyEnv string `json:"apiKeyEnv,omitempty"`
	// HasStoredKey says a key for this provider is in the OS keychain.
	HasStoredKey bool `json:"hasStoredKey"`

	// Bedrock.
	Region  string `json:"region,omitempty"`
	Profile string `json:"profile,omitempty"`
	ModelID string `json:"modelId,omitempty"`

	// Deployed NPC API.
	TextURL string `json:"textUrl,omitempty"`
	RAGURL  string `json:"ragUrl,omitempty"`

	Created string `json:"created"`
	Updated string `json:"updated"`
}

var nameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)
var envRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// Validate checks the fields the provider's kind needs.
func (p Provider) Validate() error {
	if !nameRE.MatchString(p.Name) {
		return fault.Invalid("name", "%q is not a valid provider name: use 1 to 64 letters, digits, '.', '_' or '-'", p.Name)
	}
	if p.APIKeyEnv != "" && !envRE.MatchString(p.APIKeyEnv) {
		return fault.Invalid("apiKeyEnv", "%q is not an environment variable name", p.APIKeyEnv)
	}
	checkURL := func(field, v string, required bool) error {
		if v == "" {
			if required {
				return fault.Invalid(field, "is required for a %s provider", p.Kind)
			}
			return nil
		}
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fault.Invalid(field, "%q is not an http(s) URL", v)
		}
		return nil
	}
	switch p.Kind {
	case KindOpenAI:
		if err := checkURL("baseUrl", p.BaseURL, true); err != nil {
			return err
		}
		if p.Model == "" {
			return fault.Invalid("model", "is required for an openai provider (for Ollama, the model tag, e.g. llama3.1:8b)")
		}
	case KindBedrock:
		if p.Region == "" {
			return fault.Invalid("region", "is required for a bedrock provider (e.g. us-east-1)")
		}
		if p.ModelID == "" {
			return fault.Invalid("modelId", "is required for a bedrock provider (a model id, inference profile or provisioned-throughput ARN)")
		}
	case KindNPCAPI:
		if p.TextURL == "" && p.RAGURL == "" {
			return fault.Invalid("textUrl", "an npcapi provider needs a text URL, a RAG URL, or both")
		}
		if err := checkURL("textUrl", p.TextURL, false); err != nil {
			return err
		}
		if err := checkURL("ragUrl", p.RAGURL, false); err != nil {
			return err
		}
	default:
		return fault.Invalid("kind", "%q is not a provider kind (one of openai, bedrock, npcapi)", p.Kind)
	}
	return nil
}

// Registry stores providers in the workspace and their keys in the keychain.
type Registry struct {
	st      *store.Store
	secrets secrets.Store
	now     func() time.Time
}

// NewRegistry returns the registry over an open workspace.
func NewRegistry(st *store.Store, sec secrets.Store) *Registry {
	return &Registry{st: st, secrets: sec, now: time.Now}
}

func secretName(provider string) string { return "provider/" + provider }

// Add stores a new provider. apiKey, when given, goes to the keychain; with no keychain the
// provider must name an environment variable instead, and Add says so.
func (r *Registry) Add(p Provider, apiKey string) (Provider, error) {
	if err := p.Validate(); err != nil {
		return Provider{}, err
	}
	if apiKey != "" && p.Kind == KindBedrock {
		return Provider{}, fault.Invalid("apiKey", "bedrock providers take credentials from the AWS chain (profile, SSO, environment), not a key")
	}
	ts := r.now().UTC().Format(time.RFC3339)
	p.V, p.Created, p.Updated = 1, ts, ts
	p.HasStoredKey = apiKey != ""
	err := r.st.Update(func(tx *bolt.Tx) error {
		var existing Provider
		if err := store.GetJSON(tx, bucketProviders, p.Name, &existing); err == nil {
			return fmt.Errorf("provider %q: %w", p.Name, fault.ErrExists)
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if apiKey != "" {
			if err := r.secrets.Set(secretName(p.Name), apiKey); err != nil {
				if errors.Is(err, secrets.ErrUnavailable) {
					return &fault.ValidationError{Field: "apiKey", Reason: fmt.Sprintf(
						"cannot keep the key: %v. Put the key in an environment variable and add the provider with --api-key-env NAME", err)}
				}
				return err
			}
		}
		return store.PutJSON(tx, bucketProviders, p.Name, p)
	})
	if err != nil {
		return Provider{}, err
	}
	return p, nil
}

// Get returns the provider called name.
func (r *Registry) Get(name string) (Provider, error) {
	var p Provider
	err := r.st.View(func(tx *bolt.Tx) error { return store.GetJSON(tx, bucketProviders, name, &p) })
	if errors.Is(err, store.ErrNotFound) {
		return p, fmt.Errorf("provider %q: %w", name, fault.ErrNotFound)
	}
	return p, err
}

// List returns every provider by name.
func (r *Registry) List() ([]Provider, error) {
	out := []Provider{}
	err := r.st.View(func(tx *bolt.Tx) error {
		return store.ForEachJSON(tx, bucketProviders, "", func(_ string, p Provider) error {
			out = append(out, p)
			return nil
		})
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, err
}

// Remove deletes the provider and its stored key.
func (r *Registry) Remove(name string) error {
	p, err := r.Get(name)
	if err != nil {
		return err
	}
	if p.HasStoredKey {
		if err := r.secrets.Delete(secretName(name)); err != nil {
			return fmt.Errorf("remove key of provider %q: %w", name, err)
		}
	}
	return r.st.Update(func(tx *bolt.Tx) error { return store.Delete(tx, bucketProviders, name) })
}

// APIKey returns the provider's key: the keychain's when one was stored, else the named
// environment variable's. An empty key with no error means the provider needs none.
func (r *Registry) APIKey(p Provider) (string, error) {
	if p.HasStoredKey {
		k, err := r.secrets.Get(secretName(p.Name))
		if err == nil {
			return k, nil
		}
		if p.APIKeyEnv == "" {
			return "", fmt.Errorf("key of provider %q: %w", p.Name, err)
		}
	}
	if p.APIKeyEnv != "" {
		k := os.Getenv(p.APIKeyEnv)
		if k == "" {
			return "", &fault.ValidationError{Field: "apiKeyEnv", Reason: fmt.Sprintf(
				"provider %q takes its key from $%s, which is not set: export %s=... and try again", p.Name, p.APIKeyEnv, p.APIKeyEnv)}
		}
		return k, nil
	}
	return "", nil
}

// Check reports whether every configured provider answers, in parallel.
func (r *Registry) CheckAll(ctx context.Context) ([]TestResult, error) {
	ps, err := r.List()
	if err != nil {
		return nil, err
	}
	out := make([]TestResult, len(ps))
	done := make(chan struct{})
	for i, p := range ps {
		go func() {
			defer func() { done <- struct{}{} }()
			out[i] = r.Test(ctx, p)
		}()
	}
	for range ps {
		<-done
	}
	return out, nil
}
