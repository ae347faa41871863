package app

import (
	"context"
	"regexp"
	"strings"
	"time"

	"github.com/npcstudio/npcstudio/backend/fault"
	"github.com/npcstudio/npcstudio/backend/provider"
)

// ProviderService manages the model providers of the workspace. It is bound to the window
// (and to the browser bridge), so what it takes is treated as coming from a page: an
// environment variable a provider reads must be confirmed by the writer in the window and
// look like a model key (see checkWindowEnv). The command line uses CommandLineProviders,
// where the writer typed every name.
type ProviderService struct{ a *App }

// AddProviderRequest is a provider to add or change and, optionally, its key. The key goes to
// the OS keychain, bound to the provider's address, and is never stored in the workspace or
// returned.
type AddProviderRequest struct {
	Provider provider.Provider `json:"provider"`
	APIKey   string            `json:"apiKey"`
	// ConfirmedAPIKeyEnv repeats Provider.APIKeyEnv once the writer has confirmed, in the
	// window, that the provider may read that variable and send it to its URL.
	ConfirmedAPIKeyEnv string `json:"confirmedApiKeyEnv"`
}

// envKeyRE is what a variable holding a model key looks like: upper case, ending in
// _API_KEY, _KEY or _TOKEN (OPENAI_API_KEY, GROQ_API_KEY, HF_TOKEN, TOGETHER_KEY).
var envKeyRE = regexp.MustCompile(`^[A-Z][A-Z0-9_]*_(API_KEY|KEY|TOKEN)$`)

// foreignEnvPrefixes name the secrets of tools that have nothing to do with models (cloud
// and CI credentials, package registries, chat bots). The window never lets a provider read
// them; a writer who really keeps a model key there names it on the command line.
var foreignEnvPrefixes = []string{
	"AWS_", "AZURE_CLIENT_", "ARM_", "GOOGLE_APPLICATION_", "GCLOUD_", "CLOUDSDK_", "DIGITALOCEAN_", "HEROKU_", "CLOUDFLARE_",
	"GITHUB_", "GH_", "GITLAB_", "CI_", "ACTIONS_", "BITBUCKET_", "CIRCLE_", "BUILDKITE_", "TRAVIS_", "CODECOV_",
	"NPM_", "NODE_AUTH_", "PYPI_", "TWINE_", "CARGO_", "GOPROXY_", "DOCKER_", "REGISTRY_",
	"VAULT_", "SSH_", "GPG_", "KUBE", "K8S_", "TF_", "TERRAFORM_", "CONSUL_", "NOMAD_",
	"SLACK_", "DISCORD_", "TELEGRAM_", "TWILIO_", "SENDGRID_", "STRIPE_", "SENTRY_", "DATADOG_", "DD_",
}

// checkWindowEnv is the rule for a variable name that arrives through the window: the
// writer confirmed that very name, and it looks like a model key of no other tool.
func checkWindowEnv(p provider.Provider, confirmed string) error {
	if p.APIKeyEnv == "" {
		return nil
	}
	if confirmed != p.APIKeyEnv {
		return fault.Invalid("apiKeyEnv", "confirm that provider %s may read $%s and send it to %s: the variable is not read without the writer's confirmation",
			p.Name, p.APIKeyEnv, provider.KeyTarget(p))
	}
	if !envKeyRE.MatchString(p.APIKeyEnv) {
		return fault.Invalid("apiKeyEnv", "%q does not look like a model key variable: use upper case ending in _API_KEY, _KEY or _TOKEN (e.g. OPENAI_API_KEY), or name it with `npcstudio provider add --api-key-env`", p.APIKeyEnv)
	}
	for _, pre := range foreignEnvPrefixes {
		if strings.HasPrefix(p.APIKeyEnv, pre) {
			return fault.Invalid("apiKeyEnv", "$%s holds another tool's secret (%s...), which a provider does not read from the window; if it really is a model key, name it with `npcstudio provider add --api-key-env`", p.APIKeyEnv, pre)
		}
	}
	return nil
}

// ProviderNameRequest names one provider.
type ProviderNameRequest struct {
	Name string `json:"name"`
}

// List returns every provider.
func (s *ProviderService) List() (out []provider.Provider, err error) {
	defer guard(s.a.log, &err)
	r, err := s.a.registry()
	if err != nil {
		return nil, err
	}
	return r.List()
}

// Get returns the provider called Name.
func (s *ProviderService) Get(req ProviderNameRequest) (out provider.Provider, err error) {
	defer guard(s.a.log, &err)
	r, err := s.a.registry()
	if err != nil {
		return out, err
	}
	return r.Get(req.Name)
}

// Kinds returns the provider kinds, in the order the window offers them.
func (s *ProviderService) Kinds() []string { return provider.Kinds }

// Add stores a new provider.
func (s *ProviderService) Add(req AddProviderRequest) (out provider.Provider, err error) {
	defer guard(s.a.log, &err)
	if err := checkWindowEnv(req.Provider, req.ConfirmedAPIKeyEnv); err != nil {
		return out, err
	}
	return s.add(req)
}

// Update changes a provider's settings. A provider that had a key and now points at another
// address needs the key again in the same request (APIKey, or a confirmed APIKeyEnv).
func (s *ProviderService) Update(req AddProviderRequest) (out provider.Provider, err error) {
	defer guard(s.a.log, &err)
	if err := checkWindowEnv(req.Provider, req.ConfirmedAPIKeyEnv); err != nil {
		return out, err
	}
	return s.update(req)
}

func (s *ProviderService) add(req AddProviderRequest) (out provider.Provider, err error) {
	r, err := s.a.registry()
	if err != nil {
		return out, err
	}
	out, err = r.Add(req.Provider, req.APIKey)
	if err == nil {
		s.a.log.Info("provider added", "name", out.Name, "kind", out.Kind, "keyEnv", out.APIKeyEnv)
	}
	return out, err
}

func (s *ProviderService) update(req AddProviderRequest) (out provider.Provider, err error) {
	r, err := s.a.registry()
	if err != nil {
		return out, err
	}
	out, err = r.Update(req.Provider, req.APIKey)
	if err == nil {
		s.a.log.Info("provider changed", "name", out.Name, "kind", out.Kind, "keyEnv", out.APIKeyEnv, "newKey", req.APIKey != "")
	}
	return out, err
}

// CommandLineProviders adds and changes providers for the command line, where the writer
// typed every name: any valid environment variable name is taken without confirmation. It is
// never bound to the window or the browser bridge (Bindings leaves it out).
type CommandLineProviders struct{ s *ProviderService }

// Add stores a new provider.
func (c *CommandLineProviders) Add(req AddProviderRequest) (out provider.Provider, err error) {
	defer guard(c.s.a.log, &err)
	return c.s.add(req)
}

// Update changes a provider's settings (see ProviderService.Update).
func (c *CommandLineProviders) Update(req AddProviderRequest) (out provider.Provider, err error) {
	defer guard(c.s.a.log, &err)
	return c.s.update(req)
}

// Test checks that the provider answers, without sending a prompt.
func (s *ProviderService) Test(req ProviderNameRequest) (out provider.TestResult, err error) {
	defer guard(s.a.log, &err)
	r, err := s.a.registry()
	if err != nil {
		return out, err
	}
	p, err := r.Get(req.Name)
	if err != nil {
		return out, err
	}
	return r.Test(s.a.ctx(), p), nil
}

// ProviderModelsRequest names an OpenAI-compatible server to ask for its models: a saved
// provider by Name (its own key is used), or a BaseURL with, optionally, a key to send it.
type ProviderModelsRequest struct {
	Name    string `json:"name,omitempty"`
	BaseURL string `json:"baseUrl,omitempty"`
	APIKey  string `json:"apiKey,omitempty"`
}

// Models lists the models an OpenAI-compatible server serves, for the window's model picker.
func (s *ProviderService) Models(req ProviderModelsRequest) (out []string, err error) {
	defer guard(s.a.log, &err)
	base, key := strings.TrimSpace(req.BaseURL), req.APIKey
	if req.Name != "" {
		r, err := s.a.registry()
		if err != nil {
			return nil, err
		}
		p, err := r.Get(req.Name)
		if err != nil {
			return nil, err
		}
		if p.Kind != provider.KindOpenAI {
			return nil, fault.Invalid("name", "%s is not an OpenAI-compatible server; type the model name", p.Name)
		}
		if base == "" {
			base = p.BaseURL
		}
		if key == "" && provider.KeyTarget(p) == provider.KeyTarget(provider.Provider{Kind: p.Kind, BaseURL: base}) {
			if key, err = r.APIKey(p); err != nil {
				return nil, err
			}
		}
	}
	if err := (provider.Provider{Name: "probe", Kind: provider.KindOpenAI, BaseURL: base, Model: "probe"}).Validate(); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(s.a.ctx(), 10*time.Second)
	defer cancel()
	return provider.ListModels(ctx, base, key)
}

// Remove deletes the provider and its key.
func (s *ProviderService) Remove(req ProviderNameRequest) (err error) {
	defer guard(s.a.log, &err)
	r, err := s.a.registry()
	if err != nil {
		return err
	}
	if err = r.Remove(req.Name); err == nil {
		s.a.log.Info("provider removed", "name", req.Name)
	}
	return err
}
