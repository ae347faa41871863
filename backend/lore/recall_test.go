package lore

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// loreQuestion is a line of testdata/lore/questions.jsonl: a question that paraphrases the
// lore, the document that answers it and a snippet of the answering chunk.
type loreQuestion struct {
	Question string `json:"question"`
	Doc      string `json:"doc"`
	Snippet  string `json:"snippet"`
}

func loadQuestions(t testing.TB) []loreQuestion {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "..", "testdata", "lore", "questions.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var qs []loreQuestion
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		var q loreQuestion
		if err := json.Unmarshal(sc.Bytes(), &q); err != nil || q.Question == "" || q.Doc == "" || q.Snippet == "" {
			t.Fatalf("questions.jsonl:%d: %v", line, err)
		}
		qs = append(qs, q)
	}
	return qs
}

// recallAt5 is the share of questions whose answering chunk (the expected document, with
// the snippet) is among the first five results.
func recallAt5(t testing.TB, lib *Library, qs []loreQuestion, mode Mode) (float64, []string) {
	t.Helper()
	hits := 0
	var misses []string
	for _, q := range qs {
		res, err := lib.Search(context.Background(), Query{Text: q.Question, K: 5, Mode: mode})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, r := range res.Results {
			if r.Doc == q.Doc && strings.Contains(r.Text, q.Snippet) {
				found = true
				break
			}
		}
		if found {
			hits++
		} else {
			got := ""
			if len(res.Results) > 0 {
				got = res.Results[0].Doc
			}
			misses = append(misses, q.Question+" (want "+q.Doc+", top "+got+")")
		}
	}
	return float64(hits) / float64(len(qs)), misses
}

// TestKeywordRecall is the quality bar writers rely on: keyword search alone finds the
// answering chunk in the top five for at least 90% of questions that paraphrase the lore.
func TestKeywordRecall(t *testing.T) {
	lib := newLibrary(t, Options{})
	addWorld(t, lib)
	qs := loadQuestions(t)
	if len(qs) < 40 {
		t.Fatalf("only %d questions", len(qs))
	}
	recall, misses := recallAt5(t, lib, qs, Keyword)
	t.Logf("keyword recall@5 = %.3f over %d questions", recall, len(qs))
	for _, m := range misses {
		t.Logf("missed: %s", m)
	}
	if recall < 0.9 {
		t.Errorf("keyword recall@5 = %.3f, want at least 0.9", recall)
	}
}
