package provider

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/npcstudio/npcstudio/backend/cloud"
	"github.com/npcstudio/npcstudio/backend/prose"
)

// TestResult says whether a provider answered.
type TestResult struct {
	Name      string `json:"name"`
	Kind      string `json:"kind"`
	Reachable bool   `json:"reachable"`
	Detail    string `json:"detail"`
	LatencyMs int64  `json:"latencyMs"`
}

// Test checks that the provider answers: an OpenAI-compatible server lists its models (and
// has the configured one), Bedrock credentials resolve to an identity, a deployed endpoint
// answers HTTP. It never sends a prompt, so it costs nothing.
func (r *Registry) Test(ctx context.Context, p Provider) TestResult {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	start := time.Now()
	res := TestResult{Name: p.Name, Kind: p.Kind}
	var err error
	switch p.Kind {
	case KindOpenAI:
		res.Detail, err = r.testOpenAI(ctx, p)
	case KindBedrock:
		res.Detail, err = testBedrock(ctx, p)
	case KindNPCAPI:
		res.Detail, err = testNPCAPI(ctx, p)
	default:
		err = fmt.Errorf("unknown kind %q", p.Kind)
	}
	res.LatencyMs = time.Since(start).Milliseconds()
	if err != nil {
		res.Detail = err.Error()
		return res
	}
	res.Reachable = true
	return res
}

var httpClient = &http.Client{Timeout: 10 * time.Second, CheckRedirect: SameOriginRedirects}

// SameOriginRedirects is the redirect policy of every client that may carry a provider's
// key. Go's client keeps the Authorization header on a redirect to the same host on another
// port, or to a subdomain, so a redirect that leaves the first request's scheme, host and
// port is not followed: the key goes only to the address it was given for.
func SameOriginRedirects(req *http.Request, via []*http.Request) error {
	if len(via) >= 10 {
		return errors.New("stopped after 10 redirects")
	}
	from, to := origin(via[0].URL), origin(req.URL)
	if from != to {
		return fmt.Errorf("%s redirects to %s, another address; a provider's key is sent only to its own address, so the redirect is not followed: set the provider's URL to the address that answers", from, to)
	}
	return nil
}

func origin(u *url.URL) string {
	return canonicalURL((&url.URL{Scheme: u.Scheme, Host: u.Host}).String())
}

func (r *Registry) testOpenAI(ctx context.Context, p Provider) (string, error) {
	key, err := r.APIKey(p)
	if err != nil {
		return "", err
	}
	models, err := ListModels(ctx, p.BaseURL, key)
	if err != nil {
		return "", err
	}
	for _, m := range models {
		if m == p.Model {
			return fmt.Sprintf("%s; %s is served", prose.Count(len(models), "model"), p.Model), nil
		}
	}
	return "", fmt.Errorf("%s answers but does not serve model %q (it serves %s): pull or load it, or fix the model name", p.BaseURL, p.Model, prose.Count(len(models), "other model"))
}

// ListModels asks an OpenAI-compatible server which models it serves (GET {baseURL}/models),
// sending key, when given, to that address only.
func ListModels(ctx context.Context, baseURL, key string) ([]string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimRight(baseURL, "/")+"/models", nil)
	if err != nil {
		return nil, err
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s does not answer: %w", baseURL, err)
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden:
		return nil, fmt.Errorf("%s refused the key (HTTP %d): check the provider's key", baseURL, resp.StatusCode)
	case resp.StatusCode >= 300:
		return nil, fmt.Errorf("%s/models answered HTTP %d: is the base URL right (it usually ends in /v1)?", baseURL, resp.StatusCode)
	}
	var list struct {
		Data []struct {
			ID string `json:"id"`
		} `json:"data"`
	}
	if err := decodeJSON(resp, &list); err != nil {
		return nil, fmt.Errorf("%s/models is not an OpenAI-compatible model list: %w", baseURL, err)
	}
	out := make([]string, 0, len(list.Data))
	for _, m := range list.Data {
		out = append(out, m.ID)
	}
	return out, nil
}

func testBedrock(ctx context.Context, p Provider) (string, error) {
	cfg, err := cloud.LoadConfig(ctx, p.Region, p.Profile)
	if err != nil {
		return "", err
	}
	id, err := cloud.WhoAmI(ctx, cfg)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("signed in as %s in %s; model %s not invoked", id.ARN, cfg.Region, p.ModelID), nil
}

func testNPCAPI(ctx context.Context, p Provider) (string, error) {
	var parts []string
	for _, u := range []struct{ label, url string }{{"text", p.TextURL}, {"rag", p.RAGURL}} {
		if u.url == "" {
			continue
		}
		// A GET costs no model call; API Gateway answers it (usually 403 or 405 for a
		// POST-only route), which proves the endpoint is there.
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.url, nil)
		if err != nil {
			return "", err
		}
		resp, err := httpClient.Do(req)
		if err != nil {
			return "", fmt.Errorf("%s endpoint %s does not answer: %w", u.label, u.url, err)
		}
		resp.Body.Close()
		parts = append(parts, fmt.Sprintf("%s endpoint answers (HTTP %d)", u.label, resp.StatusCode))
	}
	return strings.Join(parts, "; "), nil
}
