package lore

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/npcstudio/npcstudio/backend/minilm"
	"github.com/npcstudio/npcstudio/backend/testenv"
)

// loadQuestionFile reads a question set of testdata/lore (lines of loreQuestion).
func loadQuestionFile(t testing.TB, name string) []loreQuestion {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "..", "testdata", "lore", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var qs []loreQuestion
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		var q loreQuestion
		if err := json.Unmarshal(sc.Bytes(), &q); err != nil || q.Question == "" || q.Doc == "" || q.Snippet == "" {
			t.Fatalf("%s:%d: %v (question, doc and snippet are needed)", name, line, err)
		}
		qs = append(qs, q)
	}
	return qs
}

// ranking is one ranker's list for a question: chunk ids best first, and which of them
// answer it.
type ranking struct {
	ids    []string
	answer map[string]bool
}

func rankingsOf(t testing.TB, lib *Library, qs []loreQuestion, mode Mode) []ranking {
	t.Helper()
	out := make([]ranking, len(qs))
	for i, q := range qs {
		res, err := lib.Search(context.Background(), Query{Text: q.Question, K: 50, Mode: mode})
		if err != nil {
			t.Fatal(err)
		}
		if res.Mode != mode {
			t.Fatalf("asked for %s search, got %s (%s)", mode, res.Mode, res.Notice)
		}
		r := ranking{answer: map[string]bool{}}
		for _, h := range res.Results {
			r.ids = append(r.ids, h.ChunkID)
			if h.Doc == q.Doc && strings.Contains(h.Text, q.Snippet) {
				r.answer[h.ChunkID] = true
			}
		}
		out[i] = r
	}
	return out
}

// recall is the share of rankings with an answering chunk in the first 1 and 5.
func recall(rs []ranking) (at1, at5 float64) {
	for _, r := range rs {
		for i, id := range r.ids[:min(5, len(r.ids))] {
			if r.answer[id] {
				if i == 0 {
					at1++
				}
				at5++
				break
			}
		}
	}
	return at1 / float64(len(rs)), at5 / float64(len(rs))
}

// fuse is reciprocal rank fusion of two rankings with constant k and the keyword list
// weighted by wk.
func fuse(kw, vec ranking, k, wk float64) ranking {
	score := map[string]float64{}
	out := ranking{answer: map[string]bool{}}
	// Ties keep keyword hits first, as Search does.
	for i, id := range kw.ids {
		score[id] += wk / (k + float64(i+1))
		out.ids = append(out.ids, id)
	}
	for i, id := range vec.ids {
		if _, ok := score[id]; !ok {
			out.ids = append(out.ids, id)
		}
		score[id] += 1 / (k + float64(i+1))
	}
	sort.SliceStable(out.ids, func(i, j int) bool { return score[out.ids[i]] > score[out.ids[j]] })
	for id := range kw.answer {
		out.answer[id] = true
	}
	for id := range vec.answer {
		out.answer[id] = true
	}
	return out
}

// TestBuiltinRecall measures keyword, vector (the built-in embedder) and hybrid search on
// questions worded away from the lore: testdata/lore/paraphrases.jsonl (held out, written
// for this) and questions.jsonl. It also reports reciprocal rank fusion with other
// constants and keyword weights, the figures HybridK and HybridKeywordWeight were chosen
// from. Floors are set well
// under the measured figures (see docs/BENCHMARKS.md), so they catch a broken embedder or
// fusion, not noise.
func TestBuiltinRecall(t *testing.T) {
	dir := testenv.MiniLMDir(t)
	lib := newLibrary(t, Options{})
	addWorld(t, lib)
	lib.SetEmbedder(minilm.NewLazy(dir), nil)
	waitEmbedded(t, lib)

	floors := map[Mode][2]float64{Keyword: {0.35, 0.5}, Vector: {0.55, 0.75}, Hybrid: {0.55, 0.85}}
	for _, set := range []string{"paraphrases.jsonl", "questions.jsonl"} {
		qs := loadQuestionFile(t, set)
		if len(qs) < 40 {
			t.Fatalf("%s: only %d questions", set, len(qs))
		}
		var kw, vec []ranking
		for _, mode := range []Mode{Keyword, Vector, Hybrid} {
			rs := rankingsOf(t, lib, qs, mode)
			at1, at5 := recall(rs)
			t.Logf("%s: %-7s recall@1 %.3f  recall@5 %.3f  (%d questions)", set, mode, at1, at5, len(qs))
			switch mode {
			case Keyword:
				kw = rs
			case Vector:
				vec = rs
			}
			if f := floors[mode]; set == "paraphrases.jsonl" && (at1 < f[0] || at5 < f[1]) {
				t.Errorf("%s %s: recall@1 %.3f, @5 %.3f; want at least %.2f and %.2f", set, mode, at1, at5, f[0], f[1])
			}
		}
		var grid []string
		for _, k := range []float64{2, 5, 10, 20, 60} {
			for _, wk := range []float64{0.3, 0.5, 0.7, 1} {
				fused := make([]ranking, len(qs))
				for i := range qs {
					fused[i] = fuse(kw[i], vec[i], k, wk)
				}
				at1, at5 := recall(fused)
				grid = append(grid, fmt.Sprintf("k=%g wk=%g: %.3f/%.3f", k, wk, at1, at5))
			}
		}
		t.Logf("%s: fusion recall@1/@5 by constant and keyword weight: %s", set, strings.Join(grid, "; "))
	}
}
