package minilm

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"slices"
	"sync"
	"testing"

	"github.com/npcstudio/npcstudio/backend/testenv"
)

// goldenCase is one text of testdata/golden.json with the reference token ids and vector
// (see testdata/golden.py for how they were made).
type goldenCase struct {
	Text   string    `json:"text"`
	IDs    []int32   `json:"ids"`
	Vector []float32 `json:"vector"`
}

func loadGolden(t *testing.T) []goldenCase {
	t.Helper()
	raw, err := os.ReadFile("testdata/golden.json")
	if err != nil {
		t.Fatal(err)
	}
	var g struct {
		MaxTokens int          `json:"max_tokens"`
		Cases     []goldenCase `json:"cases"`
	}
	if err := json.Unmarshal(raw, &g); err != nil {
		t.Fatal(err)
	}
	if g.MaxTokens != MaxTokens || len(g.Cases) < 20 {
		t.Fatalf("golden.json: max_tokens %d, %d cases", g.MaxTokens, len(g.Cases))
	}
	return g.Cases
}

var (
	loadOnce sync.Once
	loaded   *Embedder
	loadErr  error
)

// testEmbedder loads the model once for the package's tests.
func testEmbedder(t testing.TB) *Embedder {
	t.Helper()
	dir := testenv.MiniLMDir(t)
	loadOnce.Do(func() { loaded, loadErr = Load(dir) })
	if loadErr != nil {
		t.Fatal(loadErr)
	}
	return loaded
}

// TestGoldenTokens: token ids equal the reference tokenizer's for every golden text
// (accents, CJK, punctuation, control characters, special tokens, truncation at 256).
func TestGoldenTokens(t *testing.T) {
	cases := loadGolden(t)
	tok, err := LoadTokenizer(testenv.MiniLMDir(t) + "/tokenizer.json")
	if err != nil {
		t.Fatal(err)
	}
	truncated := false
	for _, c := range cases {
		got := tok.Encode(c.Text, MaxTokens)
		if !slices.Equal(got, c.IDs) {
			t.Errorf("%q:\n got %v\nwant %v", c.Text, got, c.IDs)
		}
		truncated = truncated || len(c.IDs) == MaxTokens
	}
	if !truncated {
		t.Error("no golden text reaches the truncation length")
	}
}

// minCosine is the agreement asked of every vector with the reference's (float64 there,
// float32 here).
const minCosine = 0.9999

// TestGoldenVectors: vectors agree with the reference implementation's to cosine 0.9999.
func TestGoldenVectors(t *testing.T) {
	cases := loadGolden(t)
	e := testEmbedder(t)
	texts := make([]string, len(cases))
	for i, c := range cases {
		texts[i] = c.Text
	}
	vecs, err := e.Embed(context.Background(), texts)
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, cases, vecs)
}

// TestGoldenVectorsEveryKernel: the forward pass agrees with the reference with each
// assembly GEMM kernel this CPU runs besides the default one (with half-float weights
// where it widens them), and with the portable kernel, float32 weights and scalar math
// (what CPUs without AVX run; arm64 keeps float32 weights too).
func TestGoldenVectorsEveryKernel(t *testing.T) {
	cases := loadGolden(t)
	dir := testenv.MiniLMDir(t)
	defer func(l int) { mathLevel = l }(mathLevel)
	levels := mathLevels()
	for _, kern := range kernels() {
		if kern.name == bestKernel.name && kern.name != goKernel.name {
			continue // TestGoldenVectors
		}
		level := levels[0]
		if kern.name == goKernel.name {
			level = scalarMath
		} else if kern.name == "avx2" {
			level = levels[len(levels)-2] // AVX2 math goes with the AVX2 kernel
		}
		t.Run(fmt.Sprintf("%s/math-level=%d", kern.name, level), func(t *testing.T) {
			m, err := loadModel(dir, kern)
			if err != nil {
				t.Fatal(err)
			}
			mathLevel = level
			var s scratch
			vecs := make([][]float32, len(cases))
			for i, c := range cases {
				if vecs[i], err = m.Embed(c.IDs, &s); err != nil {
					t.Fatal(err)
				}
			}
			checkGolden(t, cases, vecs)
		})
	}
}

func checkGolden(t *testing.T, cases []goldenCase, vecs [][]float32) {
	t.Helper()
	worst := 1.0
	for i, c := range cases {
		if len(vecs[i]) != len(c.Vector) {
			t.Fatalf("%q: %d dimensions, want %d", c.Text, len(vecs[i]), len(c.Vector))
		}
		cos := cosine(vecs[i], c.Vector)
		worst = min(worst, cos)
		if cos < minCosine {
			t.Errorf("%q: cosine %.6f with the reference, want ≥ %v", c.Text, cos, minCosine)
		}
		if n := cosine(vecs[i], vecs[i]); math.Abs(math.Sqrt(dot64(vecs[i], vecs[i]))-1) > 1e-5 || n < 0.99 {
			t.Errorf("%q: not a unit vector", c.Text)
		}
	}
	t.Logf("lowest cosine with the reference: %.7f (1 - %.1e) over %d texts", worst, 1-worst, len(cases))
}

func dot64(a, b []float32) float64 {
	var s float64
	for i := range a {
		s += float64(a[i]) * float64(b[i])
	}
	return s
}

func cosine(a, b []float32) float64 {
	return dot64(a, b) / math.Sqrt(dot64(a, a)*dot64(b, b))
}
