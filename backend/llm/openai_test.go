package llm_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/npcstudio/npcstudio/backend/fault"
	"github.com/npcstudio/npcstudio/backend/llm"
	"github.com/npcstudio/npcstudio/backend/llm/openaifake"
	"github.com/npcstudio/npcstudio/backend/provider"
)

func newOpenAI(t *testing.T, o llm.Options, key string) (llm.Provider, *openaifake.Server) {
	t.Helper()
	fake := openaifake.New("llama3.1:8b", "qwen2.5:7b")
	t.Cleanup(fake.Close)
	p, err := llm.New(provider.Provider{Name: "local", Kind: provider.KindOpenAI, BaseURL: fake.BaseURL(), Model: "llama3.1:8b", APIKeyEnv: "LOCAL_KEY"}, key, o)
	if err != nil {
		t.Fatal(err)
	}
	return p, fake
}

func f32(v float32) *float32 { return &v }

// chatRequest is a conversation with every field set.
func chatRequest() llm.Request {
	return llm.Request{
		System: "You are Ada, the lighthouse keeper of Port Wren. Speak briefly.",
		Messages: []llm.Message{
			{Role: llm.RoleUser, Text: "Who keeps the light?"},
			{Role: llm.RoleAssistant, Text: "I do, and my father before me."},
			{Role: llm.RoleUser, Text: "What did he see the night of the wreck?"},
		},
		Model:       "qwen2.5:7b",
		MaxTokens:   256,
		Temperature: f32(0.7),
		TopP:        f32(0.9),
		Stop:        []string{"\nPlayer:"},
		Stream:      true,
	}
}

func TestOpenAIRequest(t *testing.T) {
	p, fake := newOpenAI(t, opts(&sleeps{}), "sk-local")
	fake.Key = "sk-local"
	res, err := p.Chat(context.Background(), chatRequest(), nil)
	if err != nil {
		t.Fatal(err)
	}
	reqs := fake.Requests()
	if len(reqs) != 1 || reqs[0].Authorization != "Bearer sk-local" || reqs[0].Path != "/v1/chat/completions" {
		t.Fatalf("requests %+v", reqs)
	}
	golden(t, "openai/chat_stream_request.json", reqs[0].Body)
	if res.Model != "qwen2.5:7b" {
		t.Errorf("model %q, want the request's override", res.Model)
	}
	// The fake counts words: 11 system + 4 + 7 + 9 message words in, 5 tokens out.
	if res.Usage == nil || res.Usage.InputTokens != 31 || res.Usage.OutputTokens != 5 {
		t.Errorf("usage %+v, want the include_usage chunk's", res.Usage)
	}

	t.Run("zero temperature is sent", func(t *testing.T) {
		req := chatRequest()
		req.Temperature = f32(0)
		if _, err := p.Chat(context.Background(), req, nil); err != nil {
			t.Fatal(err)
		}
		body := fake.ChatRequests()[1]
		if temp, ok := body["temperature"].(float64); !ok || temp > 1e-6 {
			t.Errorf("temperature %v, want (nearly) 0 sent rather than dropped", body["temperature"])
		}
	})
}

func TestOpenAIRetryAfter(t *testing.T) {
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name, retryAfter string
		want             time.Duration
	}{
		{"seconds", "3", 3 * time.Second},
		{"HTTP date", now.Add(7 * time.Second).Format(http.TimeFormat), 7 * time.Second},
		{"date in the past: backoff", now.Add(-time.Minute).Format(http.TimeFormat), testRetry.BaseDelay},
		{"none: backoff", "", testRetry.BaseDelay},
		{"unreadable: backoff", "soon", testRetry.BaseDelay},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var s sleeps
			o := opts(&s)
			o.Now = func() time.Time { return now }
			p, fake := newOpenAI(t, o, "")
			fake.Script(openaifake.Reply{Status: 429, RetryAfter: tc.retryAfter})
			res, err := p.Chat(context.Background(), ask("Again?"), nil)
			if err != nil {
				t.Fatal(err)
			}
			if w := s.waits(); len(w) != 1 || w[0] != tc.want || res.Attempts != 2 {
				t.Errorf("waits %v after %d attempts, want [%v]", w, res.Attempts, tc.want)
			}
		})
	}

	t.Run("longer than the policy waits", func(t *testing.T) {
		var s sleeps
		p, fake := newOpenAI(t, opts(&s), "")
		fake.Script(openaifake.Reply{Status: 429, RetryAfter: "120"})
		_, err := p.Chat(context.Background(), ask("Again?"), nil)
		var e *llm.Error
		if !errors.As(err, &e) || e.Code != llm.CodeRateLimited || e.RetryAfter != 2*time.Minute {
			t.Fatalf("err %v, want rate_limited asking 2m", err)
		}
		mustContain(t, err.Error(), "asks to wait 2m0s", "try again later")
		if len(s.waits()) != 0 || len(fake.ChatRequests()) != 1 {
			t.Errorf("retried anyway: waits %v", s.waits())
		}
	})

	t.Run("rate limited to the end", func(t *testing.T) {
		p, fake := newOpenAI(t, opts(&sleeps{}), "")
		for range 3 {
			fake.Script(openaifake.Reply{Status: 429, RetryAfter: "1"})
		}
		_, err := p.Chat(context.Background(), ask("Again?"), nil)
		if code(err) != llm.CodeRateLimited || fault.Shape(err, nil).Code != "rate_limited" {
			t.Fatalf("err %v", err)
		}
		mustContain(t, err.Error(), `"local"`, "llama3.1:8b", "rate limited", "after 3 attempts")
	})
}

func TestOpenAICut(t *testing.T) {
	t.Run("midway: partial kept, not retried", func(t *testing.T) {
		var s sleeps
		p, fake := newOpenAI(t, opts(&s), "")
		fake.Script(openaifake.Reply{Tokens: []string{"The", " night", " of", " the", " wreck"}, Cut: true, CutAfter: 2})
		var c chunks
		res, err := p.Chat(context.Background(), ask("Tell me"), c.add)
		if code(err) != llm.CodeCut {
			t.Fatalf("err %v, want cut", err)
		}
		if !res.Cut || res.Text != "The night" || c.text() != res.Text {
			t.Errorf("result %+v, chunks %q", res, c.got)
		}
		mustContain(t, err.Error(), "cut after 9 characters", "retry")
		if n := len(fake.ChatRequests()); n != 1 || len(s.waits()) != 0 {
			t.Errorf("%d requests: a stream that reached the caller was retried", n)
		}
	})
	t.Run("clean end without a finish reason: cut", func(t *testing.T) {
		p, fake := newOpenAI(t, opts(&sleeps{}), "")
		fake.Script(openaifake.Reply{Tokens: []string{"The", " night"}, NoFinish: true})
		res, err := p.Chat(context.Background(), ask("Tell me"), nil)
		if code(err) != llm.CodeCut || !res.Cut || res.Text != "The night" {
			t.Fatalf("result %+v, err %v", res, err)
		}
		mustContain(t, err.Error(), "the stream ended midway")
	})
	t.Run("cancelled midway: partial kept", func(t *testing.T) {
		p, fake := newOpenAI(t, opts(&sleeps{}), "")
		fake.Script(openaifake.Reply{Tokens: []string{"Slow", " and", " steady"}, TokenDelay: time.Hour})
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		res, err := p.Chat(ctx, ask("Tell me"), func(llm.Chunk) error {
			cancel()
			return nil
		})
		if !errors.Is(err, context.Canceled) || !res.Cut || res.Text != "Slow" {
			t.Fatalf("result %+v, err %v", res, err)
		}
	})
	t.Run("before any token: retried", func(t *testing.T) {
		p, fake := newOpenAI(t, opts(&sleeps{}), "")
		fake.Script(openaifake.Reply{Tokens: []string{"lost"}, Cut: true, CutAfter: 0})
		var c chunks
		res, err := p.Chat(context.Background(), ask("Tell me"), c.add)
		if err != nil {
			t.Fatal(err)
		}
		if res.Cut || res.Attempts != 2 || res.Text != "Well met, traveller." || c.text() != res.Text {
			t.Errorf("result %+v, chunks %q", res, c.got)
		}
	})
	t.Run("whole answer dropped: retried", func(t *testing.T) {
		p, fake := newOpenAI(t, opts(&sleeps{}), "")
		fake.Script(openaifake.Reply{Tokens: []string{"lost"}, Cut: true})
		req := ask("Tell me")
		req.Stream = false
		res, err := p.Chat(context.Background(), req, nil)
		if err != nil || res.Attempts != 2 {
			t.Fatalf("result %+v, %v", res, err)
		}
	})
	t.Run("stalls midway: idle timeout keeps the partial", func(t *testing.T) {
		o := opts(&sleeps{})
		o.IdleTimeout = 200 * time.Millisecond
		p, fake := newOpenAI(t, o, "")
		fake.Script(openaifake.Reply{Tokens: []string{"Slow", " and", " steady"}, TokenDelay: time.Hour})
		res, err := p.Chat(context.Background(), ask("Tell me"), nil)
		if code(err) != llm.CodeCut || !res.Cut || res.Text != "Slow" {
			t.Fatalf("result %+v, err %v", res, err)
		}
		mustContain(t, err.Error(), "stalled")
	})
}

func TestOpenAIErrors(t *testing.T) {
	t.Run("refused key says how to fix it", func(t *testing.T) {
		p, fake := newOpenAI(t, opts(&sleeps{}), "sk-old")
		fake.Key = "sk-new"
		_, err := p.Chat(context.Background(), ask("Hi"), nil)
		if code(err) != llm.CodeAuth || fault.Shape(err, nil).Code != "auth" {
			t.Fatalf("err %v, want auth", err)
		}
		mustContain(t, err.Error(), "refused the API key", "set the right key in the provider", "export LOCAL_KEY=")
		if n := len(fake.Requests()); n != 1 {
			t.Errorf("%d requests: a refused key was retried", n)
		}
	})
	t.Run("no key where one is needed", func(t *testing.T) {
		p, fake := newOpenAI(t, opts(&sleeps{}), "")
		fake.Key = "sk-needed"
		_, err := p.Chat(context.Background(), ask("Hi"), nil)
		if code(err) != llm.CodeAuth {
			t.Fatalf("err %v, want auth", err)
		}
		mustContain(t, err.Error(), "wants an API key", "export LOCAL_KEY=")
	})
	t.Run("OpenAI without a key is refused at once", func(t *testing.T) {
		_, err := llm.New(provider.Provider{Name: "openai", Kind: provider.KindOpenAI, BaseURL: "https://api.openai.com/v1", Model: "gpt-4o-mini", APIKeyEnv: "OPENAI_API_KEY"}, "", llm.Options{})
		if code(err) != llm.CodeAuth {
			t.Fatalf("err %v, want auth", err)
		}
		mustContain(t, err.Error(), `"openai"`, "no API key", "set the key in the provider", "export OPENAI_API_KEY=")
	})
	t.Run("unknown model", func(t *testing.T) {
		p, _ := newOpenAI(t, opts(&sleeps{}), "")
		req := ask("Hi")
		req.Model = "mistral"
		_, err := p.Chat(context.Background(), req, nil)
		if code(err) != llm.CodeBadRequest {
			t.Fatalf("err %v, want bad_request", err)
		}
		mustContain(t, err.Error(), "HTTP 404", `"mistral"`, "pull or load")
	})
	t.Run("server down", func(t *testing.T) {
		fake := openaifake.New()
		url := fake.BaseURL()
		fake.Close()
		var s sleeps
		p, err := llm.New(provider.Provider{Name: "gone", Kind: provider.KindOpenAI, BaseURL: url, Model: "m"}, "", opts(&s))
		if err != nil {
			t.Fatal(err)
		}
		_, err = p.Chat(context.Background(), ask("Hi"), nil)
		if code(err) != llm.CodeUnavailable || len(s.waits()) != 2 {
			t.Fatalf("err %v after waits %v, want unavailable after 3 attempts", err, s.waits())
		}
		mustContain(t, err.Error(), "cannot reach", "is the server running")
	})
	t.Run("500 then answers", func(t *testing.T) {
		p, fake := newOpenAI(t, opts(&sleeps{}), "")
		fake.Script(openaifake.Reply{Status: 500})
		res, err := p.Chat(context.Background(), ask("Hi"), nil)
		if err != nil || res.Attempts != 2 {
			t.Fatalf("result %+v, %v", res, err)
		}
	})
}
