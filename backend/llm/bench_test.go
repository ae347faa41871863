package llm_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
	openai "github.com/sashabaranov/go-openai"

	"github.com/npcstudio/npcstudio/backend/llm"
	"github.com/npcstudio/npcstudio/backend/llm/bedrockfake"
	"github.com/npcstudio/npcstudio/backend/llm/openaifake"
	"github.com/npcstudio/npcstudio/backend/provider"
)

// ttft measures the time to first token of the same question asked directly with the
// provider's client and through llm, against a fake with a fixed latency, and reports
// both, what the layer adds, and the ratio. Each iteration asks both ways, alternating
// which goes first, over one shared *http.Client (and so one connection pool).
func ttft(b *testing.B, direct, layer func() time.Duration) {
	var d, l time.Duration
	n := 0
	for b.Loop() {
		if n%2 == 0 {
			d += direct()
			l += layer()
		} else {
			l += layer()
			d += direct()
		}
		n++
	}
	ms := func(t time.Duration) float64 { return float64(t) / float64(n) / float64(time.Millisecond) }
	b.ReportMetric(ms(d), "direct-ttft-ms")
	b.ReportMetric(ms(l), "layer-ttft-ms")
	b.ReportMetric(float64(l-d)/float64(n)/float64(time.Microsecond), "added-µs")
	b.ReportMetric(float64(l)/float64(d), "layer/direct")
}

// BenchmarkTTFTOpenAI runs at the 20 ms the layer is judged at, and with no latency,
// where nothing but the layer's own work separates the two.
func BenchmarkTTFTOpenAI(b *testing.B) {
	for _, latency := range []time.Duration{20 * time.Millisecond, 0} {
		b.Run(fmt.Sprintf("latency=%v", latency), func(b *testing.B) {
			fake := openaifake.New("llama3.1:8b")
			defer fake.Close()
			fake.Default.Latency = latency
			hc := &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}

			cfg := openai.DefaultConfig("")
			cfg.BaseURL = fake.BaseURL()
			cfg.HTTPClient = hc
			client := openai.NewClientWithConfig(cfg)
			creq := openai.ChatCompletionRequest{Model: "llama3.1:8b", Stream: true, StreamOptions: &openai.StreamOptions{IncludeUsage: true},
				Messages: []openai.ChatCompletionMessage{{Role: "user", Content: "Who keeps the light?"}}}
			direct := func() time.Duration {
				start := time.Now()
				var first time.Duration
				s, err := client.CreateChatCompletionStream(context.Background(), creq)
				if err != nil {
					b.Fatal(err)
				}
				defer s.Close()
				for {
					c, err := s.Recv()
					if err != nil {
						break
					}
					if first == 0 && len(c.Choices) > 0 && c.Choices[0].Delta.Content != "" {
						first = time.Since(start)
					}
				}
				return first
			}

			p, err := llm.New(provider.Provider{Name: "bench", Kind: provider.KindOpenAI, BaseURL: fake.BaseURL(), Model: "llama3.1:8b"}, "", llm.Options{HTTPClient: hc})
			if err != nil {
				b.Fatal(err)
			}
			layer := layerTTFT(b, p)
			ttft(b, direct, layer)
		})
	}
}

// BenchmarkTTFTBedrock runs at 20 ms only: with no latency the bare SDK client, which
// lacks the layer's plainBody fix, loses a stream now and then (see plainBody).
func BenchmarkTTFTBedrock(b *testing.B) {
	for _, latency := range []time.Duration{20 * time.Millisecond} {
		b.Run(fmt.Sprintf("latency=%v", latency), func(b *testing.B) {
			fake := bedrockfake.New()
			defer fake.Close()
			fake.Default.Latency = latency
			hc := &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
			cfg := bedrockConfig(fake)

			client := bedrockruntime.NewFromConfig(*cfg, func(o *bedrockruntime.Options) {
				o.Retryer = aws.NopRetryer{}
				o.HTTPClient = hc
			})
			in := &bedrockruntime.ConverseStreamInput{ModelId: aws.String(haiku), Messages: []types.Message{
				{Role: types.ConversationRoleUser, Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: "Who keeps the light?"}}}}}
			direct := func() time.Duration {
				start := time.Now()
				var first time.Duration
				out, err := client.ConverseStream(context.Background(), in)
				if err != nil {
					b.Fatal(err)
				}
				s := out.GetStream()
				defer s.Close()
				for ev := range s.Events() {
					if d, ok := ev.(*types.ConverseStreamOutputMemberContentBlockDelta); ok && first == 0 {
						if t, ok := d.Value.Delta.(*types.ContentBlockDeltaMemberText); ok && t.Value != "" {
							first = time.Since(start)
						}
					}
				}
				return first
			}

			p, err := llm.New(provider.Provider{Name: "bench", Kind: provider.KindBedrock, Region: "us-east-1", ModelID: haiku}, "", llm.Options{HTTPClient: hc, AWSConfig: cfg})
			if err != nil {
				b.Fatal(err)
			}
			ttft(b, direct, layerTTFT(b, p))
		})
	}
}

// layerTTFT asks p and returns when the first token reached the callback.
func layerTTFT(b *testing.B, p llm.Provider) func() time.Duration {
	return func() time.Duration {
		start := time.Now()
		var first time.Duration
		_, err := p.Chat(context.Background(), ask("Who keeps the light?"), func(llm.Chunk) error {
			if first == 0 {
				first = time.Since(start)
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		return first
	}
}
