package dataset

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := RunValidate(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestRunValidate(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "train.jsonl")
	os.WriteFile(good, []byte(jsonl(t, FormatClaudeMessages, 40, distinct)), 0o644)
	val := filepath.Join(dir, "val.jsonl")
	os.WriteFile(val, []byte(jsonl(t, FormatClaudeMessages, 2, distinct)), 0o644)
	bad := filepath.Join(testdata, "files", "mixed-problems.jsonl")

	t.Run("valid file exits 0", func(t *testing.T) {
		code, out, _ := runCLI(t, good, "--base-model", "anthropic.claude-3-haiku-20240307-v1:0")
		if code != ExitValid || !strings.HasPrefix(out, good+": valid (Claude 3 Haiku, claude-messages): 40 records, 0 errors, 0 warnings") {
			t.Fatalf("exit %d, output:\n%s", code, out)
		}
	})
	t.Run("invalid file exits 3 and prints JSON", func(t *testing.T) {
		code, out, _ := runCLI(t, "--json", bad, "--format", "auto")
		if code != ExitNotValid {
			t.Fatalf("exit %d", code)
		}
		var rep Report
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatal(err)
		}
		want, _ := ValidateFile(context.Background(), bad, Options{})
		if diff := cmp.Diff(want, rep); diff != "" {
			t.Fatalf("printed report (-want +got):\n%s", diff)
		}
	})
	t.Run("human output lists every problem", func(t *testing.T) {
		code, out, _ := runCLI(t, bad)
		for _, want := range []string{
			"NOT VALID (claude-messages): 9 records, 8 errors, 2 warnings",
			"  error    line 2: invalid JSON at column 112",
			"  error    line 6: messages[0].role: is assistant but turn 1 should be user",
			"  warning  line 9: duplicate of line 1",
			"  longest: line 1 (29)",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("missing %q in:\n%s", want, out)
			}
		}
		if code != ExitNotValid {
			t.Fatalf("exit %d", code)
		}
	})
	t.Run("pair", func(t *testing.T) {
		code, out, _ := runCLI(t, good, "--validation", val, "--json")
		var pr PairReport
		if err := json.Unmarshal([]byte(out), &pr); err != nil {
			t.Fatal(err)
		}
		if code != ExitValid || pr.Validation == nil || pr.Validation.WarningCount != 2 {
			t.Fatalf("exit %d, %s", code, out)
		}
	})
	for _, c := range []struct {
		name string
		args []string
		code int
		err  string
	}{
		{"no file", nil, ExitUsage, "want one FILE, got 0"},
		{"two files", []string{good, bad}, ExitUsage, "want one FILE, got 2"},
		{"unknown flag", []string{good, "--fast"}, ExitUsage, "flag provided but not defined: -fast"},
		{"unknown format", []string{good, "--format", "jsonl"}, ExitUsage, `unknown dataset format "jsonl"`},
		{"unknown model", []string{good, "--base-model", "gpt-4"}, ExitUsage, `unknown base model "gpt-4"`},
		{"batch size", []string{good, "--base-model", "amazon.titan-text-express-v1", "--batch-size", "8"}, ExitUsage, "takes a batch size of 1 to 4, not 8"},
		{"missing file", []string{filepath.Join(dir, "nope.jsonl")}, ExitIOError, "no such file or directory"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, _, errOut := runCLI(t, c.args...)
			if code != c.code || !strings.Contains(errOut, c.err) {
				t.Fatalf("exit %d, stderr %q; want %d and %q", code, errOut, c.code, c.err)
			}
		})
	}
}
