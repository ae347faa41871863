package dataset

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

func TestPrintReportListsEveryProblem(t *testing.T) {
	file := filepath.Join(testdata, "files", "mixed-problems.jsonl")
	rep, err := ValidateFile(context.Background(), file, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	PrintReport(&b, "mixed-problems.jsonl", "", rep)
	out := b.String()
	for _, want := range []string{
		"mixed-problems.jsonl: NOT VALID (claude-messages): 9 records, 7 errors, 3 warnings",
		"  error    line 2: invalid JSON at column 112",
		"  error    line 6: messages[0].role: is assistant but turn 1 should be user",
		"  warning  line 9: duplicate of line 1",
		"  longest: line 1 (29)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in:\n%s", want, out)
		}
	}
	b.Reset()
	good := jsonl(t, FormatClaudeMessages, 40, distinct)
	rep = validate(t, good, Options{BaseModel: "anthropic.claude-3-haiku-20240307-v1:0"})
	PrintReport(&b, "train.jsonl", "anthropic.claude-3-haiku-20240307-v1:0", rep)
	if !strings.HasPrefix(b.String(), "train.jsonl: valid (Claude 3 Haiku, claude-messages): 40 records, 0 errors, 0 warnings") {
		t.Fatalf("got:\n%s", b.String())
	}
}

func TestPrintReportCountsInWords(t *testing.T) {
	var b strings.Builder
	PrintReport(&b, "one.jsonl", "", Report{Format: FormatPromptCompletion, Records: 1, ErrorCount: 1, Errors: []Problem{{Line: 1, Field: "completion", Message: "is empty"}}})
	if want := "one.jsonl: NOT VALID (prompt-completion): 1 record, 1 error, 0 warnings\n  error    line 1: completion: is empty\n"; b.String() != want {
		t.Fatalf("got %q, want %q", b.String(), want)
	}
}
