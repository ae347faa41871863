package provider

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"sort"
	"strings"
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
	// KeyFor is the address the provider's key (stored or from APIKeyEnv) was given for.
	// The registry sets it; the key is sent nowhere else, so a provider whose URL changed
	// needs its key again.
	KeyFor string `json:"keyFor,omitempty"`

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

// legacySecretName is where keys were kept before they were bound to an address; such a
// key is read only for a record that was never edited since (its KeyFor is empty).
func legacySecretName(provider string) string { return "provider/" + provider }

// secretName is the keychain entry of the key given for provider at address target: a key
// given for one address is not found under another, whatever the record says.
func secretName(provider, target string) string {
	sum := sha256.Sum256([]byte(target))
	return "provider/" + provider + "@" + hex.EncodeToString(sum[:12])
}

// KeyTarget is where the provider's key is sent, in one canonical form: the base URL of an
// OpenAI-compatible server, the endpoints of a deployed API; "" for Bedrock, which takes no key.
func KeyTarget(p Provider) string {
	switch p.Kind {
	case KindOpenAI:
		return canonicalURL(p.BaseURL)
	case KindNPCAPI:
		return canonicalURL(p.TextURL) + " " + canonicalURL(p.RAGURL)
	}
	return ""
}

func canonicalURL(v string) string {
	u, err := url.Parse(strings.TrimSpace(v))
	if err != nil || u.Host == "" {
		return strings.TrimSpace(v)
	}
	host := strings.ToLower(u.Host)
	switch {
	case u.Scheme == "http" && strings.HasSuffix(host, ":80"):
		host = strings.TrimSuffix(host, ":80")
	case u.Scheme == "https" && strings.HasSuffix(host, ":443"):
		host = strings.TrimSuffix(host, ":443")
	}
	out := strings.ToLower(u.Scheme) + "://" + host + strings.TrimRight(u.EscapedPath(), "/")
	if u.RawQuery != "" {
		out += "?" + u.RawQuery
	}
	return out
}

func keyElsewhere(p Provider) error {
	return &fault.ValidationError{Field: "apiKey", Reason: fmt.Sprintf(
		"provider %q now points at %s, but its key was given for %s; the key is not sent anywhere else: enter the key again "+
			"(in the window, or with --api-key-stdin or --api-key-env on the command line)",
		p.Name, KeyTarget(p), p.KeyFor)}
}

func keepKeyError(err error) error {
	if errors.Is(err, secrets.ErrUnavailable) {
		return &fault.ValidationError{Field: "apiKey", Reason: fmt.Sprintf(
			"cannot keep the key: %v. Put the key in an environment variable and add the provider with --api-key-env NAME", err)}
	}
	return err
}

// Add stores a new provider. apiKey, when given, goes to the keychain, bound to the
// provider's address; with no keychain the provider must name an environment variable
// instead, and Add says so.
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
	p.KeyFor = ""
	if apiKey != "" || p.APIKeyEnv != "" {
		p.KeyFor = KeyTarget(p)
	}
	err := r.st.Update(func(tx *bolt.Tx) error {
		var existing Provider
		if err := store.GetJSON(tx, bucketProviders, p.Name, &existing); err == nil {
			return fmt.Errorf("provider %q: %w", p.Name, fault.ErrExists)
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if apiKey != "" {
			if err := r.secrets.Set(secretName(p.Name, p.KeyFor), apiKey); err != nil {
				return keepKeyError(err)
			}
		}
		return store.PutJSON(tx, bucketProviders, p.Name, p)
	})
	if err != nil {
		return Provider{}, err
	}
	return p, nil
}

// Update replaces the settings of the provider p.Name (its name stays). apiKey, when given,
// replaces the stored key. A provider that had a key and now points at another address
// needs its key again: apiKey, or an APIKeyEnv the caller got from the writer in this very
// change. Its old key is dropped from the keychain, so it can never follow the provider.
func (r *Registry) Update(p Provider, apiKey string) (Provider, error) {
	if err := p.Validate(); err != nil {
		return Provider{}, err
	}
	if apiKey != "" && p.Kind == KindBedrock {
		return Provider{}, fault.Invalid("apiKey", "bedrock providers take credentials from the AWS chain (profile, SSO, environment), not a key")
	}
	var old Provider
	err := r.st.Update(func(tx *bolt.Tx) error {
		if err := store.GetJSON(tx, bucketProviders, p.Name, &old); errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("provider %q: %w", p.Name, fault.ErrNotFound)
		} else if err != nil {
			return err
		}
		target := KeyTarget(p)
		oldTarget := old.KeyFor
		if oldTarget == "" {
			oldTarget = KeyTarget(old)
		}
		hadKey := old.HasStoredKey || old.APIKeyEnv != ""
		moved := target != oldTarget
		if moved && hadKey && target != "" && apiKey == "" && p.APIKeyEnv == "" {
			return &fault.ValidationError{Field: "apiKey", Reason: fmt.Sprintf(
				"provider %q had a key for %s; its address is now %s, so enter the key again "+
					"(in the window, or with --api-key-stdin or --api-key-env on the command line)", p.Name, oldTarget, target)}
		}
		p.V, p.Created, p.Updated = 1, old.Created, r.now().UTC().Format(time.RFC3339)
		switch {
		case apiKey != "":
			if err := r.secrets.Set(secretName(p.Name, target), apiKey); err != nil {
				return keepKeyError(err)
			}
			p.HasStoredKey = true
		case moved:
			p.HasStoredKey = false
		default:
			p.HasStoredKey = old.HasStoredKey
			if old.HasStoredKey && old.KeyFor == "" {
				// A key kept before keys were bound moves to its bound entry.
				k, err := r.secrets.Get(legacySecretName(p.Name))
				if err != nil {
					return fmt.Errorf("key of provider %q: %w", p.Name, err)
				}
				if err := r.secrets.Set(secretName(p.Name, target), k); err != nil {
					return keepKeyError(err)
				}
			}
		}
		p.KeyFor = ""
		if p.HasStoredKey || p.APIKeyEnv != "" {
			p.KeyFor = target
		}
		return store.PutJSON(tx, bucketProviders, p.Name, p)
	})
	if err != nil {
		return Provider{}, err
	}
	if old.HasStoredKey {
		// Entries the record no longer uses go. One left behind (a keychain that fails now)
		// is bound to the old address and is never read for another, so that is harmless.
		keep := ""
		if p.HasStoredKey {
			keep = secretName(p.Name, p.KeyFor)
		}
		_ = r.deleteKeys(old, keep)
	}
	return p, nil
}

// deleteKeys removes every keychain entry the provider's key may be under but keep.
func (r *Registry) deleteKeys(p Provider, keep string) error {
	var errs []error
	names := []string{legacySecretName(p.Name), secretName(p.Name, KeyTarget(p))}
	if p.KeyFor != "" {
		names = append(names, secretName(p.Name, p.KeyFor))
	}
	for _, n := range names {
		if n == keep {
			continue
		}
		if err := r.secrets.Delete(n); err != nil && !errors.Is(err, secrets.ErrNotFound) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
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
		if err := r.deleteKeys(p, ""); err != nil {
			return fmt.Errorf("remove key of provider %q: %w", name, err)
		}
	}
	return r.st.Update(func(tx *bolt.Tx) error { return store.Delete(tx, bucketProviders, name) })
}

// APIKey returns the provider's key: the keychain's when one was stored, else the named
// environment variable's. An empty key with no error means the provider needs none. A key
// is only returned for the address it was given for: the keychain entry is bound to it, and
// a provider whose address is not its KeyFor gets an error telling the writer to enter the
// key again (fail closed).
func (r *Registry) APIKey(p Provider) (string, error) {
	if (p.HasStoredKey || p.APIKeyEnv != "") && p.KeyFor != "" && p.KeyFor != KeyTarget(p) {
		return "", keyElsewhere(p)
	}
	if p.HasStoredKey {
		k, err := r.secrets.Get(secretName(p.Name, KeyTarget(p)))
		if errors.Is(err, secrets.ErrNotFound) && p.KeyFor == "" {
			// Kept before keys were bound; such a record was never edited, so its address
			// is the one the key was given for.
			k, err = r.secrets.Get(legacySecretName(p.Name))
		}
		if err == nil {
			return k, nil
		}
		if p.APIKeyEnv == "" {
			if errors.Is(err, secrets.ErrNotFound) {
				return "", &fault.ValidationError{Field: "apiKey", Reason: fmt.Sprintf(
					"the keychain holds no key of provider %q for %s: enter the key again", p.Name, KeyTarget(p))}
			}
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
