package llm

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/npcstudio/npcstudio/backend/fault"
	"github.com/npcstudio/npcstudio/backend/provider"
)

// Provider is one model a writer can chat with.
type Provider interface {
	// Chat sends req and, as the answer arrives, calls onChunk with each piece of text
	// (once with the whole text when req.Stream is false or the provider cannot stream).
	// onChunk may be nil. An error from onChunk stops the chat and is returned. When the
	// answer stops early, the Result still holds the text received, with Cut set.
	Chat(ctx context.Context, req Request, onChunk func(Chunk) error) (Result, error)
}

var (
	_ Provider = (*openAIProvider)(nil)
	_ Provider = (*bedrockProvider)(nil)
	_ Provider = (*npcAPIProvider)(nil)
)

// Roles of a message.
const (
	RoleUser      = "user"
	RoleAssistant = "assistant"
)

// Request is one chat turn with its history.
type Request struct {
	System   string    `json:"system,omitempty"`
	Messages []Message `json:"messages"`
	// Model overrides the provider's model. For the deployed API it picks the endpoint:
	// "text" or "rag".
	Model       string   `json:"model,omitempty"`
	MaxTokens   int      `json:"maxTokens,omitempty"`
	Temperature *float32 `json:"temperature,omitempty"`
	TopP        *float32 `json:"topP,omitempty"`
	Stop        []string `json:"stop,omitempty"`
	Stream      bool     `json:"stream"`
	// Voice asks the deployed API to speak the answer; other providers ignore it.
	Voice *Voice `json:"voice,omitempty"`
}

// Message is one line of the conversation.
type Message struct {
	Role string `json:"role"`
	Text string `json:"text"`
}

// Voice is an Amazon Polly voice, as the deployed API takes it.
type Voice struct {
	ID     string `json:"id"`               // e.g. "Ruth"
	Engine string `json:"engine,omitempty"` // "neural" or "standard"
}

// Chunk is a piece of the answer as it streams.
type Chunk struct {
	Text string `json:"text"`
}

// Stop reasons, the same for every provider.
const (
	StopEnd          = "end"              // the model finished its answer
	StopMaxTokens    = "max_tokens"       // the answer hit MaxTokens
	StopSequence     = "stop_sequence"    // a stop sequence matched
	StopContentGuard = "content_filtered" // a content filter or guardrail stopped it
)

// Result is a finished (or cut) answer.
type Result struct {
	Text string `json:"text"`
	// StopReason is one of the Stop constants, or the provider's own word for others.
	StopReason string `json:"stopReason,omitempty"`
	// Usage is nil when the provider does not report tokens.
	Usage *Usage `json:"usage,omitempty"`
	// Model is the model that was asked (for the deployed API, "text" or "rag").
	Model string `json:"model"`
	// FirstTokenMs is the time from the call to the first text, retries included.
	FirstTokenMs int64 `json:"firstTokenMs"`
	TotalMs      int64 `json:"totalMs"`
	// Cut says the answer ended without a proper end: Text holds what arrived.
	Cut      bool `json:"cut"`
	Attempts int  `json:"attempts"`
	// Speech is the deployed API's spoken answer, when it sent one.
	Speech *Speech `json:"speech,omitempty"`
}

// Usage counts tokens as the provider reported them.
type Usage struct {
	InputTokens  int `json:"inputTokens"`
	OutputTokens int `json:"outputTokens"`
}

// Speech is the deployed API's speech_info, kept as the base64 it came in (a writer's
// chat keeps it to play back; nothing here decodes it into memory twice).
type Speech struct {
	// Sound is base64 PCM, signed 16-bit little-endian, mono, 16 kHz.
	Sound      string `json:"sound,omitempty"`
	SoundBytes int    `json:"soundBytes"`
	SoundMs    int64  `json:"soundMs"`
	SoundError string `json:"soundError,omitempty"`
	// Visemes is base64 newline-delimited JSON speech marks (Polly's viseme marks).
	Visemes      string `json:"visemes,omitempty"`
	VisemeMarks  int    `json:"visemeMarks"`
	VisemesError string `json:"visemesError,omitempty"`
}

// Options tune how a provider calls its server. The zero value is ready to use.
type Options struct {
	// HTTPClient carries every request; nil uses a client of its own. Its Timeout, if
	// set, also bounds streams, so leave it zero and use Timeout below.
	HTTPClient *http.Client
	// Timeout bounds one attempt, from sending the request to the last token. Zero means
	// 10 minutes, or 60 s for the deployed API (above API Gateway's own 29 s cut).
	Timeout time.Duration
	// IdleTimeout bounds the silence before the first token and between two tokens.
	// Zero means 2 minutes.
	IdleTimeout time.Duration
	// Retry is the retry policy; the zero value means DefaultRetry.
	Retry RetryPolicy
	// AWSConfig, for Bedrock, replaces the standard AWS chain (region, profile, SSO):
	// tests pass static credentials and a BaseEndpoint here.
	AWSConfig *aws.Config
	// Sleep waits between attempts and must return early with ctx's error when ctx ends;
	// nil uses a timer. Now tells the time for Retry-After dates; nil uses time.Now.
	// Tests replace both to check waits without waiting.
	Sleep func(ctx context.Context, d time.Duration) error
	Now   func() time.Time
}

// New returns the provider p describes. apiKey is the key the registry resolved for it
// (provider.Registry.APIKey); Bedrock takes its credentials from the AWS chain instead.
func New(p provider.Provider, apiKey string, opts Options) (Provider, error) {
	c := newCaller(p, opts)
	switch p.Kind {
	case provider.KindOpenAI:
		return newOpenAI(c, p, apiKey)
	case provider.KindBedrock:
		return newBedrock(c, p)
	case provider.KindNPCAPI:
		return newNPCAPI(c, p)
	}
	return nil, fault.Invalid("kind", "%q is not a provider kind (one of openai, bedrock, npcapi)", p.Kind)
}

// validate checks what every provider needs from a request.
func (r Request) validate() error {
	if len(r.Messages) == 0 {
		return fault.Invalid("messages", "a chat needs at least one message")
	}
	for i, m := range r.Messages {
		if m.Role != RoleUser && m.Role != RoleAssistant {
			return fault.Invalid(fmt.Sprintf("messages[%d].role", i), "%q is not a role (user or assistant)", m.Role)
		}
	}
	if last := r.Messages[len(r.Messages)-1]; last.Role != RoleUser {
		return fault.Invalid(fmt.Sprintf("messages[%d].role", len(r.Messages)-1), "the last message must be the user's")
	}
	if r.MaxTokens < 0 {
		return fault.Invalid("maxTokens", "must not be negative")
	}
	if r.Temperature != nil && *r.Temperature < 0 {
		return fault.Invalid("temperature", "must not be negative")
	}
	if r.TopP != nil && (*r.TopP <= 0 || *r.TopP > 1) {
		return fault.Invalid("topP", "must be more than 0 and at most 1")
	}
	return nil
}

// stopReason maps a provider's stop reason to the shared words.
func stopReason(s string) string {
	switch s {
	case "stop", "end_turn", "eos":
		return StopEnd
	case "length", "max_tokens":
		return StopMaxTokens
	case "stop_sequence":
		return StopSequence
	case "content_filter", "content_filtered", "guardrail_intervened":
		return StopContentGuard
	}
	return s
}
