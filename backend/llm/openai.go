package llm

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/url"
	"strings"

	openai "github.com/sashabaranov/go-openai"

	"github.com/npcstudio/npcstudio/backend/provider"
	"github.com/npcstudio/npcstudio/backend/retryafter"
)

// openAIProvider is any server that speaks OpenAI's /v1/chat/completions: OpenAI,
// Ollama, LM Studio, vLLM, llama.cpp server.
type openAIProvider struct {
	*caller
	client  *openai.Client
	p       provider.Provider
	keyless bool
}

func newOpenAI(c *caller, p provider.Provider, apiKey string) (*openAIProvider, error) {
	if p.BaseURL == "" {
		return nil, &Error{Code: CodeBadRequest, Provider: p.Name, Kind: p.Kind, Model: p.Model, Msg: "no base URL: set one (for Ollama, http://localhost:11434/v1)"}
	}
	if apiKey == "" && needsKey(p.BaseURL) {
		return nil, &Error{Code: CodeAuth, Provider: p.Name, Kind: p.Kind, Model: p.Model,
			Msg: "no API key: set the key in the provider, or " + keyHint(p)}
	}
	hc := *c.opts.HTTPClient
	hc.Transport = headerTap{hc.Transport}
	cfg := openai.DefaultConfig(apiKey)
	cfg.BaseURL = strings.TrimRight(p.BaseURL, "/")
	cfg.HTTPClient = &hc
	return &openAIProvider{caller: c, client: openai.NewClientWithConfig(cfg), p: p, keyless: apiKey == ""}, nil
}

// needsKey says whether the server is one that cannot work without a key; local servers
// (Ollama, LM Studio, vLLM, llama.cpp) usually take none.
func needsKey(baseURL string) bool {
	u, err := url.Parse(baseURL)
	return err == nil && (u.Hostname() == "api.openai.com" || strings.HasSuffix(u.Hostname(), ".openai.azure.com"))
}

func keyHint(p provider.Provider) string {
	if p.APIKeyEnv != "" {
		return fmt.Sprintf("export %s=<key>", p.APIKeyEnv)
	}
	return "name an environment variable that holds it (apiKeyEnv) and export it"
}

func (o *openAIProvider) Chat(ctx context.Context, req Request, onChunk func(Chunk) error) (Result, error) {
	model := req.Model
	if model == "" {
		model = o.p.Model
	}
	creq := openai.ChatCompletionRequest{Model: model, MaxTokens: req.MaxTokens, Stop: req.Stop}
	if req.System != "" {
		creq.Messages = append(creq.Messages, openai.ChatCompletionMessage{Role: openai.ChatMessageRoleSystem, Content: req.System})
	}
	for _, m := range req.Messages {
		creq.Messages = append(creq.Messages, openai.ChatCompletionMessage{Role: m.Role, Content: m.Text})
	}
	if req.Temperature != nil {
		// go-openai omits a zero temperature; its documented way to send 0 is the
		// smallest float32.
		creq.Temperature = max(*req.Temperature, math.SmallestNonzeroFloat32)
	}
	if req.TopP != nil {
		creq.TopP = *req.TopP
	}
	return o.run(ctx, req, model, onChunk, func(ctx context.Context, emit func(string) error) (Result, error) {
		tap := &tapped{}
		ctx = context.WithValue(ctx, tapKey{}, tap)
		var res Result
		var err error
		if req.Stream {
			res, err = o.stream(ctx, creq, emit)
		} else {
			res, err = o.complete(ctx, creq, emit)
		}
		var stop *stopError
		if err != nil && !errors.As(err, &stop) {
			err = o.failure(err, model, tap.header)
		}
		return res, err
	})
}

func (o *openAIProvider) stream(ctx context.Context, creq openai.ChatCompletionRequest, emit func(string) error) (Result, error) {
	// Servers that do not know include_usage ignore it; they just report no usage.
	creq.StreamOptions = &openai.StreamOptions{IncludeUsage: true}
	s, err := o.client.CreateChatCompletionStream(ctx, creq)
	if err != nil {
		return Result{}, err
	}
	defer s.Close()
	var res Result
	for {
		chunk, err := s.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return res, err
		}
		if u := chunk.Usage; u != nil {
			res.Usage = &Usage{InputTokens: u.PromptTokens, OutputTokens: u.CompletionTokens}
		}
		for _, ch := range chunk.Choices {
			if ch.Index != 0 {
				continue
			}
			if err := emit(ch.Delta.Content); err != nil {
				return res, err
			}
			if ch.FinishReason != "" {
				res.StopReason = stopReason(string(ch.FinishReason))
			}
		}
	}
	// go-openai reports a clean end of the body like [DONE]; only a finish reason
	// proves the answer is whole.
	if res.StopReason == "" {
		return res, cutError()
	}
	return res, nil
}

func (o *openAIProvider) complete(ctx context.Context, creq openai.ChatCompletionRequest, emit func(string) error) (Result, error) {
	resp, err := o.client.CreateChatCompletion(ctx, creq)
	if err != nil {
		return Result{}, err
	}
	if len(resp.Choices) == 0 {
		return Result{}, failure(CodeUnavailable, true, nil, "the server answered with no choices")
	}
	res := Result{StopReason: stopReason(string(resp.Choices[0].FinishReason))}
	if u := resp.Usage; u.PromptTokens+u.CompletionTokens > 0 {
		res.Usage = &Usage{InputTokens: u.PromptTokens, OutputTokens: u.CompletionTokens}
	}
	return res, emit(resp.Choices[0].Message.Content)
}

// cutError marks a stream that ended without saying it was done.
func cutError() *Error {
	return failure(CodeCut, true, io.ErrUnexpectedEOF, "the stream ended midway")
}

// failure turns what go-openai returned into an Error.
func (o *openAIProvider) failure(err error, model string, h http.Header) error {
	var done *Error
	if errors.As(err, &done) {
		return err
	}
	var apiErr *openai.APIError
	var reqErr *openai.RequestError
	status, msg, code := 0, "", ""
	switch {
	case errors.As(err, &apiErr):
		status, msg, code = apiErr.HTTPStatusCode, apiErr.Message, fmt.Sprint(apiErr.Code)
	case errors.As(err, &reqErr):
		status, msg = reqErr.HTTPStatusCode, strings.TrimSpace(string(reqErr.Body))
		if len(msg) > 200 {
			msg = msg[:200] + "…"
		}
	case errors.Is(err, io.ErrUnexpectedEOF):
		return failure(CodeCut, true, err, "the connection closed midway")
	default:
		var netErr net.Error
		var opErr *net.OpError
		if errors.As(err, &opErr) || errors.As(err, &netErr) {
			return failure(CodeUnavailable, true, err, "cannot reach %s: is the server running? (%v)", o.p.BaseURL, err)
		}
		return failure(CodeBadRequest, false, err, "%v", err)
	}
	detail := fmt.Sprintf("HTTP %d: %s", status, msg)
	switch {
	case status == 0:
		// An error event inside the stream, after the 200.
		return failure(CodeUnavailable, true, err, "the server sent an error midway: %s", msg)
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		if o.keyless {
			return failure(CodeAuth, false, err, "the server wants an API key (%s): set the key in the provider, or %s", detail, keyHint(o.p))
		}
		return failure(CodeAuth, false, err, "the server refused the API key (%s): set the right key in the provider, or %s", detail, keyHint(o.p))
	case status == http.StatusTooManyRequests && code == "insufficient_quota":
		return failure(CodeRateLimited, false, err, "the account has no quota left (%s): check its plan and billing", detail)
	case status == http.StatusTooManyRequests:
		e := failure(CodeRateLimited, true, err, "rate limited (%s)", detail)
		e.Status, e.RetryAfter = status, retryafter.Parse(h, o.opts.Now())
		return e
	case status == http.StatusNotFound:
		if !strings.HasSuffix(strings.TrimRight(o.p.BaseURL, "/"), "/v1") {
			return failure(CodeBadRequest, false, err, "%s: the base URL %s usually ends in /v1", detail, o.p.BaseURL)
		}
		return failure(CodeBadRequest, false, err, "%s: pull or load model %q on the server, or fix the model name", detail, model)
	case status == http.StatusRequestTimeout || status >= 500:
		e := failure(CodeUnavailable, true, err, "the server failed (%s)", detail)
		e.Status, e.RetryAfter = status, retryafter.Parse(h, o.opts.Now())
		return e
	}
	e := failure(CodeBadRequest, false, err, "the server refused the request (%s)", detail)
	e.Status = status
	return e
}

// headerTap keeps the response headers of a request for its caller, because go-openai's
// errors carry the status but not Retry-After.
type headerTap struct{ base http.RoundTripper }

type (
	tapKey struct{}
	tapped struct{ header http.Header }
)

func (t headerTap) RoundTrip(r *http.Request) (*http.Response, error) {
	base := t.base
	if base == nil {
		base = http.DefaultTransport
	}
	resp, err := base.RoundTrip(r)
	if tap, ok := r.Context().Value(tapKey{}).(*tapped); ok && resp != nil {
		tap.header = resp.Header
	}
	return resp, err
}
