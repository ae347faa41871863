package llm_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/npcstudio/npcstudio/backend/fault"
	"github.com/npcstudio/npcstudio/backend/llm"
	"github.com/npcstudio/npcstudio/backend/llm/bedrockfake"
	"github.com/npcstudio/npcstudio/backend/llm/npcapifake"
	"github.com/npcstudio/npcstudio/backend/llm/openaifake"
	"github.com/npcstudio/npcstudio/backend/provider"
)

// peer is one provider against its fake, with the fake's script in the suite's words.
type peer struct {
	llm.Provider
	name, model string
	answer      func(tokens ...string)
	hang        func()
	throttle    func()
	fail        func()
	requests    func() int
	// throttleWait is the wait a throttled reply leads to: its Retry-After, or the
	// first backoff when the peer sends none.
	throttleWait time.Duration
	// streams says whether each token arrives as its own chunk.
	streams bool
}

var peers = []struct {
	kind  string
	start func(t *testing.T, o llm.Options) peer
}{
	{provider.KindOpenAI, startOpenAI},
	{provider.KindBedrock, startBedrock},
	{provider.KindNPCAPI, startNPCAPI},
}

func startOpenAI(t *testing.T, o llm.Options) peer {
	fake := openaifake.New("llama3.1:8b")
	t.Cleanup(fake.Close)
	p, err := llm.New(provider.Provider{Name: "local", Kind: provider.KindOpenAI, BaseURL: fake.BaseURL(), Model: "llama3.1:8b"}, "", o)
	if err != nil {
		t.Fatal(err)
	}
	return peer{
		Provider: p, name: "local", model: "llama3.1:8b",
		answer:       func(tokens ...string) { fake.Script(openaifake.Reply{Tokens: tokens}) },
		hang:         func() { fake.Script(openaifake.Reply{Hang: true}) },
		throttle:     func() { fake.Script(openaifake.Reply{Status: 429, RetryAfter: "2"}) },
		fail:         func() { fake.Script(openaifake.Reply{Status: 503}) },
		requests:     func() int { return len(fake.ChatRequests()) },
		throttleWait: 2 * time.Second, streams: true,
	}
}

// bedrockConfig points the SDK at the fake with static credentials.
func bedrockConfig(fake *bedrockfake.Server) *aws.Config {
	return &aws.Config{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDNPCSTUDIO", "secret", ""),
		BaseEndpoint: aws.String(fake.URL),
	}
}

const haiku = "anthropic.claude-3-haiku-20240307-v1:0"

func startBedrock(t *testing.T, o llm.Options) peer {
	fake := bedrockfake.New()
	t.Cleanup(fake.Close)
	o.AWSConfig = bedrockConfig(fake)
	p, err := llm.New(provider.Provider{Name: "team", Kind: provider.KindBedrock, Region: "us-east-1", ModelID: haiku}, "", o)
	if err != nil {
		t.Fatal(err)
	}
	return peer{
		Provider: p, name: "team", model: haiku,
		answer:       func(tokens ...string) { fake.Script(bedrockfake.Reply{Tokens: tokens}) },
		hang:         func() { fake.Script(bedrockfake.Reply{Hang: true}) },
		throttle:     func() { fake.Script(bedrockfake.Reply{Status: 429, ErrorType: "ThrottlingException", RetryAfter: "2"}) },
		fail:         func() { fake.Script(bedrockfake.Reply{Status: 503, ErrorType: "ServiceUnavailableException"}) },
		requests:     func() int { return len(fake.Requests()) },
		throttleWait: 2 * time.Second, streams: true,
	}
}

func startNPCAPI(t *testing.T, o llm.Options) peer {
	fake := npcapifake.New()
	t.Cleanup(fake.Close)
	p, err := llm.New(provider.Provider{Name: "ada-qa", Kind: provider.KindNPCAPI, TextURL: fake.TextURL(), RAGURL: fake.RAGURL()}, "", o)
	if err != nil {
		t.Fatal(err)
	}
	return peer{
		Provider: p, name: "ada-qa", model: llm.EndpointText,
		answer:       func(tokens ...string) { fake.Script(npcapifake.Answer(strings.Join(tokens, ""))) },
		hang:         func() { fake.Script(npcapifake.Reply{Hang: true}) },
		throttle:     func() { fake.Script(npcapifake.Throttled()) },
		fail:         func() { fake.Script(npcapifake.BadGateway()) },
		requests:     func() int { return len(fake.Requests()) },
		throttleWait: testRetry.BaseDelay,
	}
}

// TestProviders runs the behaviour every provider shares against each one's fake.
func TestProviders(t *testing.T) {
	for _, pp := range peers {
		t.Run(pp.kind, func(t *testing.T) {
			t.Run("streams an answer", func(t *testing.T) {
				p := pp.start(t, opts(&sleeps{}))
				p.answer("Hail", ",", " stranger", ".")
				var c chunks
				res, err := p.Chat(context.Background(), ask("Who goes there?"), c.add)
				if err != nil {
					t.Fatal(err)
				}
				if res.Text != "Hail, stranger." || c.text() != res.Text {
					t.Errorf("text %q, chunks %q", res.Text, c.got)
				}
				if p.streams && len(c.got) != 4 {
					t.Errorf("chunks %q, want one per token", c.got)
				}
				if res.Cut || res.Attempts != 1 || res.StopReason != llm.StopEnd || res.Model != p.model {
					t.Errorf("result %+v", res)
				}
				if res.FirstTokenMs > res.TotalMs {
					t.Errorf("first token after the end: %+v", res)
				}
			})
			t.Run("whole answer when not streaming", func(t *testing.T) {
				p := pp.start(t, opts(&sleeps{}))
				p.answer("Hail", ",", " stranger", ".")
				req := ask("Who goes there?")
				req.Stream = false
				var c chunks
				res, err := p.Chat(context.Background(), req, c.add)
				if err != nil {
					t.Fatal(err)
				}
				if len(c.got) != 1 || c.got[0] != "Hail, stranger." || res.Text != c.got[0] {
					t.Errorf("chunks %q, text %q", c.got, res.Text)
				}
			})
			t.Run("no callback", func(t *testing.T) {
				p := pp.start(t, opts(&sleeps{}))
				p.answer("Aye", ".")
				res, err := p.Chat(context.Background(), ask("Ready?"), nil)
				if err != nil || res.Text != "Aye." {
					t.Fatalf("%q, %v", res.Text, err)
				}
			})
			t.Run("callback error stops the chat", func(t *testing.T) {
				p := pp.start(t, opts(&sleeps{}))
				p.answer("One", " two", " three")
				errEnough := errors.New("enough")
				var first string
				res, err := p.Chat(context.Background(), ask("Count"), func(c llm.Chunk) error {
					first = c.Text
					return errEnough
				})
				if !errors.Is(err, errEnough) {
					t.Fatalf("err %v, want the callback's", err)
				}
				if res.Text != first || !res.Cut {
					t.Errorf("result %+v, want the first chunk %q, cut", res, first)
				}
			})
			t.Run("bad request is refused before sending", func(t *testing.T) {
				p := pp.start(t, opts(&sleeps{}))
				for _, tc := range []struct {
					name  string
					req   llm.Request
					field string
				}{
					{"no messages", llm.Request{}, "messages"},
					{"last is the assistant's", llm.Request{Messages: []llm.Message{{Role: "user", Text: "hi"}, {Role: "assistant", Text: "hello"}}}, "messages[1].role"},
					{"unknown role", llm.Request{Messages: []llm.Message{{Role: "narrator", Text: "hi"}}}, "messages[0].role"},
					{"negative temperature", llm.Request{Messages: []llm.Message{{Role: "user", Text: "hi"}}, Temperature: f32(-1)}, "temperature"},
					{"top-p above 1", llm.Request{Messages: []llm.Message{{Role: "user", Text: "hi"}}, TopP: f32(1.5)}, "topP"},
				} {
					t.Run(tc.name, func(t *testing.T) {
						_, err := p.Chat(context.Background(), tc.req, nil)
						var ve *fault.ValidationError
						if !errors.As(err, &ve) || ve.Field != tc.field {
							t.Fatalf("err %v, want a validation error on %s", err, tc.field)
						}
					})
				}
				if n := p.requests(); n != 0 {
					t.Errorf("%d requests sent", n)
				}
			})
			t.Run("throttled then answers", func(t *testing.T) {
				var s sleeps
				p := pp.start(t, opts(&s))
				p.throttle()
				p.answer("At", " last")
				res, err := p.Chat(context.Background(), ask("Now?"), nil)
				if err != nil {
					t.Fatal(err)
				}
				if res.Text != "At last" || res.Attempts != 2 || p.requests() != 2 {
					t.Errorf("result %+v after %d requests", res, p.requests())
				}
				if w := s.waits(); len(w) != 1 || w[0] != p.throttleWait {
					t.Errorf("waits %v, want [%v]", w, p.throttleWait)
				}
			})
			t.Run("server errors retried a bounded number of times", func(t *testing.T) {
				var s sleeps
				p := pp.start(t, opts(&s))
				p.fail()
				p.fail()
				p.fail()
				p.answer("never", " sent")
				res, err := p.Chat(context.Background(), ask("Anyone?"), nil)
				if code(err) != llm.CodeUnavailable || fault.Shape(err, nil).Code != "unavailable" {
					t.Fatalf("err %v, want unavailable", err)
				}
				mustContain(t, err.Error(), p.name, p.model, "after 3 attempts")
				if res.Attempts != 3 || p.requests() != 3 || res.Text != "" {
					t.Errorf("result %+v after %d requests", res, p.requests())
				}
				want := []time.Duration{100 * time.Millisecond, 200 * time.Millisecond}
				if w := s.waits(); len(w) != 2 || w[0] != want[0] || w[1] != want[1] {
					t.Errorf("waits %v, want %v (doubling, no jitter)", w, want)
				}
			})
			t.Run("never answers: timeout", func(t *testing.T) {
				for _, tc := range []struct {
					name          string
					timeout, idle time.Duration
					wantSaid      string
				}{
					{"attempt timeout", 300 * time.Millisecond, 10 * time.Second, "no answer within 300ms"},
					{"idle timeout", 10 * time.Second, 300 * time.Millisecond, "no answer within 300ms"},
				} {
					t.Run(tc.name, func(t *testing.T) {
						o := opts(&sleeps{})
						o.Timeout, o.IdleTimeout = tc.timeout, tc.idle
						p := pp.start(t, o)
						p.hang()
						res, err := p.Chat(context.Background(), ask("Hello?"), nil)
						if code(err) != llm.CodeTimeout {
							t.Fatalf("err %v, want a timeout", err)
						}
						mustContain(t, err.Error(), tc.wantSaid, p.name)
						if res.Attempts != 1 || p.requests() != 1 {
							t.Errorf("a timeout was retried: %+v", res)
						}
					})
				}
			})
			t.Run("cancel stops a hanging chat", func(t *testing.T) {
				p := pp.start(t, opts(&sleeps{}))
				p.hang()
				ctx, cancel := context.WithCancel(context.Background())
				done := make(chan error, 1)
				go func() {
					_, err := p.Chat(ctx, ask("Hello?"), nil)
					done <- err
				}()
				waitFor(t, func() bool { return p.requests() == 1 })
				cancel()
				select {
				case err := <-done:
					if !errors.Is(err, context.Canceled) {
						t.Fatalf("err %v, want context.Canceled", err)
					}
				case <-time.After(10 * time.Second):
					t.Fatal("Chat did not return after cancel")
				}
			})
			t.Run("cancel stops the wait between attempts", func(t *testing.T) {
				o := opts(&sleeps{})
				o.Sleep = nil // real waiting
				o.Retry.BaseDelay, o.Retry.MaxDelay = time.Hour, time.Hour
				p := pp.start(t, o)
				p.fail()
				ctx, cancel := context.WithCancel(context.Background())
				done := make(chan error, 1)
				go func() {
					_, err := p.Chat(ctx, ask("Hello?"), nil)
					done <- err
				}()
				waitFor(t, func() bool { return p.requests() == 1 })
				cancel()
				select {
				case err := <-done:
					if !errors.Is(err, context.Canceled) {
						t.Fatalf("err %v, want context.Canceled", err)
					}
				case <-time.After(10 * time.Second):
					t.Fatal("the wait between attempts ignored cancel")
				}
			})
		})
	}
}

// waitFor polls cond until it holds; a test fails after 10 s rather than hanging.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition never held")
		}
		time.Sleep(5 * time.Millisecond)
	}
}
