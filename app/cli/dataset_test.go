package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/npcstudio/npcstudio/backend/dataset"
	"github.com/npcstudio/npcstudio/backend/secrets"
	"github.com/npcstudio/npcstudio/backend/store"
)

const haiku = "anthropic.claude-3-haiku-20240307-v1:0"

// records writes n distinct Claude messages records to a file; bad maps a line to the text written instead.
func records(t *testing.T, dir, name string, n int, bad map[int]string) string {
	t.Helper()
	var b strings.Builder
	for i := 1; i <= n; i++ {
		if line, ok := bad[i]; ok {
			b.WriteString(line + "\n")
			continue
		}
		fmt.Fprintf(&b, `{"system":"You are Ada, the innkeeper.","messages":[{"role":"user","content":"Question %d?"},{"role":"assistant","content":"Answer number %d, friend."}]}`+"\n", i, i)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestDatasetValidateExitCodesAndJSON(t *testing.T) {
	dir := t.TempDir()
	good := records(t, dir, "train.jsonl", 40, nil)
	val := records(t, dir, "val.jsonl", 2, nil)
	bad := filepath.Join("..", "..", "testdata", "dataset", "files", "mixed-problems.jsonl")
	// No --data-dir: the command must not need a workspace, so it points at one that cannot open.
	held := t.TempDir()
	st, err := store.Open(held, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ws := []string{"--data-dir", held}

	t.Run("valid exits 0", func(t *testing.T) {
		r := run(t, nil, "", append(ws, "dataset", "validate", good, "--base-model", haiku)...)
		if r.code != ExitOK || !strings.HasPrefix(r.stdout, good+": valid (Claude 3 Haiku, claude-messages): 40 records, 0 errors, 0 warnings") {
			t.Fatalf("%+v", r)
		}
	})
	t.Run("not valid exits 3 and prints the report as JSON", func(t *testing.T) {
		r := run(t, nil, "", append(ws, "dataset", "validate", "--json", bad, "--format", "auto")...)
		if r.code != ExitInvalid {
			t.Fatalf("exit %d: %s", r.code, r.stderr)
		}
		var shape struct {
			Valid  bool   `json:"valid"`
			Format string `json:"format"`
			// Records must be a number, errors objects with line, field and message.
			Records  int              `json:"records"`
			Errors   []map[string]any `json:"errors"`
			Warnings []map[string]any `json:"warnings"`
			Stats    struct {
				Tokens  map[string]any   `json:"tokens"`
				Longest []map[string]any `json:"longest"`
			} `json:"stats"`
		}
		if err := json.Unmarshal([]byte(r.stdout), &shape); err != nil {
			t.Fatal(err)
		}
		if shape.Valid || shape.Format != "claude-messages" || shape.Records != 9 || len(shape.Errors) != 7 || len(shape.Warnings) != 3 ||
			shape.Stats.Tokens["p95"] == nil || len(shape.Stats.Longest) == 0 {
			t.Fatalf("report: %+v", shape)
		}
		for _, e := range shape.Errors {
			if _, ok := e["line"].(float64); !ok || e["message"] == "" || e["field"] == nil {
				t.Fatalf("error without line, field and message: %v", e)
			}
		}
		var rep dataset.Report
		json.Unmarshal([]byte(r.stdout), &rep)
		want, _ := dataset.ValidateFile(t.Context(), bad, dataset.Options{})
		if diff := cmp.Diff(want, rep); diff != "" {
			t.Fatalf("printed report (-want +got):\n%s", diff)
		}
	})
	t.Run("human output lists every problem", func(t *testing.T) {
		r := run(t, nil, "", append(ws, "dataset", "validate", bad)...)
		for _, want := range []string{
			"NOT VALID (claude-messages): 9 records, 7 errors, 3 warnings",
			"  error    line 6: messages[0].role: is assistant but turn 1 should be user",
			"  warning  line 9: duplicate of line 1",
		} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("missing %q in:\n%s", want, r.stdout)
			}
		}
		if r.code != ExitInvalid {
			t.Fatalf("exit %d", r.code)
		}
	})
	t.Run("training and validation files as one job", func(t *testing.T) {
		r := run(t, nil, "", append(ws, "dataset", "validate", good, "--validation", val, "--json")...)
		var pr dataset.PairReport
		if err := json.Unmarshal([]byte(r.stdout), &pr); err != nil || r.code != ExitOK || pr.Validation == nil || pr.Validation.WarningCount != 2 {
			t.Fatalf("exit %d, %s (%v)", r.code, r.stdout, err)
		}
	})
	for _, c := range []struct {
		name string
		args []string
		code int
		err  string
	}{
		{"no file", nil, ExitUsage, "accepts 1 arg(s), received 0"},
		{"two files", []string{good, bad}, ExitUsage, "accepts 1 arg(s), received 2"},
		{"unknown flag", []string{good, "--fast"}, ExitUsage, "unknown flag: --fast"},
		{"unknown format", []string{good, "--format", "jsonl"}, ExitUsage, `unknown dataset format "jsonl"`},
		{"unknown model", []string{good, "--base-model", "gpt-4"}, ExitUsage, `unknown base model "gpt-4"`},
		{"batch size", []string{good, "--base-model", "amazon.titan-text-express-v1", "--batch-size", "8"}, ExitUsage, "takes a batch size of 1 to 4, not 8"},
		{"missing file", []string{filepath.Join(dir, "nope.jsonl")}, ExitError, "no such file or directory"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := run(t, nil, "", append(append(ws, "dataset", "validate"), c.args...)...)
			if r.code != c.code || !strings.Contains(r.stderr, c.err) {
				t.Fatalf("exit %d, stderr %q; want %d and %q", r.code, r.stderr, c.code, c.err)
			}
		})
	}
}

func TestDatasetImportListStatsSplitExport(t *testing.T) {
	dir := t.TempDir()
	sec := secrets.NewMemory()
	ws := []string{"--data-dir", filepath.Join(dir, "ws")}
	cli := func(args ...string) result {
		t.Helper()
		return run(t, sec, "", append(ws, args...)...)
	}
	src := records(t, dir, "ada.jsonl", 41, map[int]string{
		5:  `{"prompt": "bad json",}`,
		12: `{"system":"You are Ada.","messages":[{"role":"user","content":"And the stew?"},{"role":"assistant","content":"Aye.\nHuman: more stew"}]}`,
	})

	r := cli("dataset", "import", "Ada lines", src, "--base-model", haiku, "--tag", "ada")
	if r.code != ExitOK || !strings.Contains(r.stdout, "created dataset Ada lines") ||
		!strings.Contains(r.stdout, "imported 40 records into Ada lines (version 1, 40 records); skipped 1 line") ||
		!strings.Contains(r.stdout, "  skipped  line 5: skipped: invalid JSON") {
		t.Fatalf("import: %+v", r)
	}
	csv := filepath.Join(dir, "barks.csv")
	os.WriteFile(csv, []byte("prompt,completion\nHello there,\"Well met, traveller of the roads.\"\n"), 0o644)
	r = cli("dataset", "import", "ada LINES", csv, "--json")
	var imp dataset.ImportResult
	if err := json.Unmarshal([]byte(r.stdout), &imp); err != nil || r.code != ExitOK || imp.Imported != 1 || imp.Version.Number != 2 {
		t.Fatalf("csv import into the same dataset: %+v", r)
	}

	r = cli("dataset", "list", "--json")
	var list struct {
		Datasets []dataset.Dataset `json:"datasets"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &list); err != nil || len(list.Datasets) != 1 || list.Datasets[0].Records != 41 || list.Datasets[0].BaseModel != haiku {
		t.Fatalf("list: %+v", r)
	}
	if r = cli("dataset", "list"); !strings.Contains(r.stdout, "Ada lines") || !strings.Contains(r.stdout, "Claude 3 Haiku") {
		t.Fatalf("list: %s", r.stdout)
	}

	r = cli("dataset", "stats", "Ada lines", "--json")
	var stats DatasetStats
	if err := json.Unmarshal([]byte(r.stdout), &stats); err != nil || r.code != ExitOK || stats.Records != 41 || stats.Version != 2 ||
		stats.Stats.Tokens.Max == 0 || len(stats.Stats.Longest) == 0 || stats.Valid || stats.ErrorCount != 1 {
		t.Fatalf("stats: %+v %s", stats, r.stderr)
	}
	if r = cli("dataset", "stats", "Ada lines"); !strings.Contains(r.stdout, "tokens a record: min") || !strings.Contains(r.stdout, "Bedrock would reject it: 1 error, 0 warnings") {
		t.Fatalf("stats: %s", r.stdout)
	}

	// The record from file line 12 is version line 11; check names it, and exits 3.
	r = cli("dataset", "check", "Ada lines")
	if r.code != ExitInvalid || !strings.Contains(r.stdout, `  error    line 11: messages[1].content: contains "\nHuman:"`) {
		t.Fatalf("check: %+v", r)
	}

	r = cli("dataset", "split", "Ada lines", "--validation-fraction", "0.1", "--seed", "7", "--json")
	var split dataset.SplitResult
	if err := json.Unmarshal([]byte(r.stdout), &split); err != nil || split.Training != 37 || split.Validation != 4 {
		t.Fatalf("split: %+v", r)
	}
	again := cli("dataset", "split", "Ada lines", "--validation-fraction", "0.1", "--seed", "7", "--json")
	if again.stdout != r.stdout {
		t.Fatal("the same seed gave another split")
	}
	if r = cli("dataset", "split", "Ada lines"); r.code != ExitUsage {
		t.Fatalf("split without a size: %+v", r)
	}

	train, val := filepath.Join(dir, "train.jsonl"), filepath.Join(dir, "val.jsonl")
	r = cli("dataset", "export", "Ada lines", train, "--validation", val, "--validation-fraction", "0.1", "--seed", "7")
	if r.code != ExitOK || !strings.Contains(r.stdout, "wrote 37 claude-messages records to "+train) || !strings.Contains(r.stdout, "wrote 4 validation records") {
		t.Fatalf("export: %+v", r)
	}
	// The exported files are what validate reads.
	r = cli("dataset", "validate", train, "--validation", val, "--base-model", haiku, "--json")
	var pr dataset.PairReport
	if err := json.Unmarshal([]byte(r.stdout), &pr); err != nil || pr.Training.Records+pr.Validation.Records != 41 {
		t.Fatalf("validate the export: %+v", r)
	}
	if r = cli("dataset", "export", "Ada lines", train, "--validation", val); r.code != ExitUsage {
		t.Fatalf("export with a validation file but no split: %+v", r)
	}
	r = cli("dataset", "export", "Ada lines", filepath.Join(dir, "pc.jsonl"), "--format", "prompt-completion", "--json")
	if r.code != ExitError || !strings.Contains(r.stdout, `"code":"lossy"`) {
		t.Fatalf("lossy export: %+v", r)
	}
	if r = cli("dataset", "export", "Ada lines", filepath.Join(dir, "pc.jsonl"), "--format", "prompt-completion", "--allow-lossy"); r.code != ExitOK ||
		!strings.Contains(r.stdout, "records lost content in conversion") {
		t.Fatalf("lossy export allowed: %+v", r)
	}

	if r = cli("dataset", "stats", "Nobody", "--json"); r.code != ExitError || !strings.Contains(r.stdout, `"code":"not_found"`) {
		t.Fatalf("unknown dataset: %+v", r)
	}
	if r = cli("dataset", "delete", "Ada lines"); r.code != ExitOK {
		t.Fatalf("delete: %+v", r)
	}
	if r = cli("dataset", "list"); !strings.Contains(r.stdout, "no datasets yet") {
		t.Fatalf("list after delete: %s", r.stdout)
	}
}

func TestDatasetVersionsAndDiff(t *testing.T) {
	dir := t.TempDir()
	sec := secrets.NewMemory()
	data := filepath.Join(dir, "ws")
	cli := func(args ...string) result {
		t.Helper()
		return run(t, sec, "", append([]string{"--data-dir", data}, args...)...)
	}
	if r := cli("dataset", "import", "Ada lines", records(t, dir, "ada.jsonl", 5, nil), "--base-model", haiku); r.code != ExitOK {
		t.Fatalf("import: %+v", r)
	}

	// An edit as the window's grid makes it: the reply of line 3, as version 2.
	const fix = "Rabbit stew tonight, and the bread is fresh."
	env := &Env{Stdout: io.Discard, Stderr: io.Discard, Secrets: sec, dataDir: data}
	svc := env.App().Datasets
	list, err := svc.List()
	if err != nil || len(list) != 1 {
		t.Fatalf("list: %v %v", list, err)
	}
	page, err := svc.Page(dataset.PageRequest{DatasetID: list[0].ID, Line: 3, Limit: 1})
	if err != nil || len(page.Records) != 1 {
		t.Fatalf("page: %+v %v", page, err)
	}
	rec := page.Records[0]
	rec.Record.Messages[1].Content = fix
	if _, err := svc.UpdateRecord(dataset.UpdateRecordRequest{DatasetID: list[0].ID, BaseVersion: 1, ID: rec.ID, Record: rec.Record, Tags: []string{"fixed"}}); err != nil {
		t.Fatal(err)
	}
	env.close()

	r := cli("dataset", "versions", "Ada lines")
	if r.code != ExitOK || !strings.Contains(r.stdout, "VERSION") || !strings.Contains(r.stdout, fmt.Sprintf("edit line %d", rec.Line)) {
		t.Fatalf("versions: %+v", r)
	}
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[1], "2 (current)") || !strings.HasPrefix(lines[2], "1 ") {
		t.Fatalf("versions, newest first: %q", lines)
	}
	r = cli("dataset", "versions", "Ada lines", "--json")
	var vs struct {
		Versions []dataset.Version `json:"versions"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &vs); err != nil || len(vs.Versions) != 2 || vs.Versions[0].Number != 2 || vs.Versions[0].Records != 5 || vs.Versions[1].Number != 1 {
		t.Fatalf("versions --json: %+v (%v)", r, err)
	}

	r = cli("dataset", "diff", "Ada lines", "1", "2")
	for _, want := range []string{
		"Ada lines: version 1 -> version 2: 1 changed, 0 added, 0 removed",
		`  changed  line 3: messages[1].content: "Answer number 3, friend." -> "Rabbit stew tonight, and the bread is fresh."; tags: "" -> "fixed"`,
	} {
		if r.code != ExitOK || !strings.Contains(r.stdout, want) {
			t.Fatalf("diff: missing %q in %+v", want, r)
		}
	}
	r = cli("dataset", "diff", "ada lines", "v1", "v2", "--json")
	var d dataset.Diff
	if err := json.Unmarshal([]byte(r.stdout), &d); err != nil || r.code != ExitOK {
		t.Fatalf("diff --json: %+v (%v)", r, err)
	}
	env = &Env{Stdout: io.Discard, Stderr: io.Discard, Secrets: sec, dataDir: data}
	want, err := env.App().Datasets.Diff(dataset.DiffRequest{DatasetID: list[0].ID, From: 1, To: 2})
	env.close()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, d); diff != "" {
		t.Fatalf("diff --json is not the service's diff (-want +got):\n%s", diff)
	}
	if len(d.Changes) != 1 || d.Changes[0].Kind != dataset.ChangeChanged || d.Changes[0].ToLine != 3 || d.Changes[0].After.Record.Reply() != fix {
		t.Fatalf("diff --json: %+v", d)
	}
	if r = cli("dataset", "diff", "Ada lines", "2", "2"); r.code != ExitOK || !strings.Contains(r.stdout, "no differences") {
		t.Fatalf("diff of a version with itself: %+v", r)
	}

	for _, c := range []struct {
		name string
		args []string
		err  string
	}{
		{"not a number", []string{"one", "2"}, `V1 "one" is not a version number`},
		{"zero", []string{"0", "2"}, `V1 "0" is not a version number`},
		{"negative", []string{"1", "-2"}, "unknown shorthand flag"},
		{"past the latest", []string{"1", "9"}, "V2 is 9, but Ada lines has versions 1 to 2"},
		{"one version", []string{"1"}, "accepts 3 arg(s), received 2"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := cli(append([]string{"dataset", "diff", "Ada lines"}, c.args...)...)
			if r.code != ExitUsage || !strings.Contains(r.stderr, c.err) {
				t.Fatalf("exit %d, stderr %q; want %d and %q", r.code, r.stderr, ExitUsage, c.err)
			}
		})
	}
	if r = cli("dataset", "versions", "Nobody", "--json"); r.code != ExitError || !strings.Contains(r.stdout, `"code":"not_found"`) {
		t.Fatalf("versions of an unknown dataset: %+v", r)
	}
}
