package openaifake

import (
	"context"
	"math"
	"slices"
	"testing"

	openai "github.com/sashabaranov/go-openai"
)

func client(s *Server) *openai.Client {
	cfg := openai.DefaultConfig(s.Key)
	cfg.BaseURL = s.BaseURL()
	return openai.NewClientWithConfig(cfg)
}

// TestEmbeddings reads the fake's /v1/embeddings with go-openai, in both encodings.
func TestEmbeddings(t *testing.T) {
	s := New()
	defer s.Close()
	s.EmbeddingDim = 24
	c := client(s)
	inputs := []string{"The lighthouse of Port Wren", "Elias Wren, keeper", "The lighthouse of Port Wren"}
	for _, format := range []openai.EmbeddingEncodingFormat{openai.EmbeddingEncodingFormatFloat, openai.EmbeddingEncodingFormatBase64} {
		t.Run(string(format), func(t *testing.T) {
			resp, err := c.CreateEmbeddings(context.Background(), openai.EmbeddingRequestStrings{Input: inputs, Model: "nomic-embed-text", EncodingFormat: format})
			if err != nil {
				t.Fatal(err)
			}
			if len(resp.Data) != 3 || resp.Usage.PromptTokens != 13 {
				t.Fatalf("%d vectors, usage %+v", len(resp.Data), resp.Usage)
			}
			for i, d := range resp.Data {
				if d.Index != i || len(d.Embedding) != 24 {
					t.Fatalf("vector %d: index %d, %d dims", i, d.Index, len(d.Embedding))
				}
				if !slices.Equal(d.Embedding, Vector(inputs[i], 24)) {
					t.Errorf("vector %d is not Vector(%q)", i, inputs[i])
				}
				var norm float64
				for _, f := range d.Embedding {
					norm += float64(f) * float64(f)
				}
				if math.Abs(norm-1) > 1e-5 {
					t.Errorf("vector %d has length² %v, want 1", i, norm)
				}
			}
			if !slices.Equal(resp.Data[0].Embedding, resp.Data[2].Embedding) || slices.Equal(resp.Data[0].Embedding, resp.Data[1].Embedding) {
				t.Error("same text must give the same vector, other text another")
			}
		})
	}
	t.Run("dimensions asked", func(t *testing.T) {
		resp, err := c.CreateEmbeddings(context.Background(), openai.EmbeddingRequest{Input: "one", Model: "m", Dimensions: 5})
		if err != nil || len(resp.Data[0].Embedding) != 5 {
			t.Fatalf("%v, %+v", err, resp)
		}
	})
	t.Run("bad input", func(t *testing.T) {
		_, err := c.CreateEmbeddings(context.Background(), openai.EmbeddingRequest{Input: []int{1, 2}, Model: "m"})
		if err == nil {
			t.Fatal("token arrays are not supported and must be refused")
		}
	})
	if reqs := s.Requests(); len(reqs) != 4 || reqs[0].Path != "/v1/embeddings" || len(reqs[0].Body) == 0 {
		t.Errorf("recorded %+v", reqs)
	}
}

// TestModels keeps the /v1/models shape the provider registry relies on.
func TestModels(t *testing.T) {
	s := New("llama3.1:8b", "qwen2.5:7b")
	defer s.Close()
	s.Key = "sk-fake"
	list, err := client(s).ListModels(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Models) != 2 || list.Models[0].ID != "llama3.1:8b" || list.Models[0].OwnedBy != "llama3.1" {
		t.Errorf("models %+v", list.Models)
	}
	cfg := openai.DefaultConfig("sk-wrong")
	cfg.BaseURL = s.BaseURL()
	if _, err := openai.NewClientWithConfig(cfg).ListModels(context.Background()); err == nil {
		t.Error("a wrong key was accepted")
	}
}
