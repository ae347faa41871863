package batch_test

import (
	"context"
	"encoding/csv"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/npcstudio/npcstudio/backend/batch"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/batch/golden")

var yarnRef = filepath.Join("..", "..", "testdata", "batch", "yarnspinner")

// TestLockAsYarnSpinner checks Lock and our reading of lineNumber against a strings
// table Yarn Spinner for Unity wrote for a real script.
func TestLockAsYarnSpinner(t *testing.T) {
	f, err := os.Open(filepath.Join(yarnRef, "unity_TestYarnProject-Strings.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(batch.StringsHeader, rows[0]); d != "" {
		t.Fatalf("header (-ours +Yarn Spinner's):\n%s", d)
	}
	script, err := os.ReadFile(filepath.Join(yarnRef, "unity_TestYarnScript.yarn"))
	if err != nil {
		t.Fatal(err)
	}
	src := strings.Split(string(script), "\n")
	if len(rows) < 5 {
		t.Fatalf("%d rows", len(rows))
	}
	checked := 0
	for _, r := range rows[1:] {
		if strings.Contains(string(script), "#shadow:"+strings.TrimPrefix(r[1], "line:")) {
			// A line shadowed by another: this table's lock for it is not the SHA-256 of
			// its text (the table predates the script's current wording). Batch exports
			// never write shadow lines.
			continue
		}
		checked++
		if got := batch.Lock(r[2]); got != r[6] {
			t.Errorf("Lock(%q) = %s, Yarn Spinner wrote %s", r[2], got, r[6])
		}
		n, err := strconv.Atoi(r[5])
		if err != nil || n < 1 || n > len(src) || !strings.Contains(src[n-1], "#"+r[1]+" ") && !strings.HasSuffix(src[n-1], "#"+r[1]) {
			t.Errorf("lineNumber %s of %s is not the script line that carries #%s", r[5], r[1], r[1])
		}
	}
	if checked != 4 {
		t.Errorf("checked %d rows, want 4", checked)
	}
}

// reviewedExample runs the example spec with scripted answers (one worker, so each
// line gets the answer in spec order) and reviews it as a writer would.
func reviewedExample(t *testing.T) (*env, batch.Run) {
	e := newEnv(t)
	e.fake.Script(
		reply("Another anchor, landfolk? The sea hates iron."),
		reply("Set it by the anvil. I'll look when the tide turns."),
		reply("Ten silver. Or tell me who lit the lighthouse last night."),
		reply("Coin's short this winter. Keep it; just tell me what you saw."),
		reply("Someone took the lighthouse oil, and Bren says nothing."),
		reply("The light went out because the oil is gone, and the keeper, Bren Harrow, has not said one word about where it went, which worries everyone on the pier."),
	)
	run := e.create(t, e.example(t))
	if _, err := e.runner.Run(context.Background(), run.ID, batch.Options{Concurrency: 1}); err != nil {
		t.Fatal(err)
	}
	for _, r := range []struct{ id, action, text string }{
		{"forge_dusk-mira_saltwhistle-greet-1", batch.ActionAccept, ""},
		{"forge_dusk-mira_saltwhistle-greet-2", batch.ActionReject, ""},
		{"forge_dusk-mira_saltwhistle-price-1", batch.ActionAccept, ""},
		{"pier_night-mira_saltwhistle-warn-1", batch.ActionEdit, "Someone took the lighthouse oil #3 <again>, and Bren says nothing."},
		{"pier_night-mira_saltwhistle-warn-1", batch.ActionNote, "Whispered; she glances at the dark tower."},
		{"pier_night-mira_saltwhistle-warn-1", batch.ActionAccept, ""},
		{"pier_night-ada-explain-1", batch.ActionAccept, ""},
	} {
		if _, err := e.repo.Review(run.ID, r.id, r.action, r.text); err != nil {
			t.Fatal(err)
		}
	}
	return e, run
}

func TestExportGolden(t *testing.T) {
	e, run := reviewedExample(t)
	lines := e.lines(t, run.ID)
	flags := map[string]string{}
	for _, l := range lines {
		for _, f := range l.Flags {
			flags[l.ID] += f.Kind + " "
		}
	}
	wantFlags := map[string]string{"forge_dusk-mira_saltwhistle-price-2": "lore_missing ", "pier_night-ada-explain-1": "too_long "}
	if d := cmp.Diff(wantFlags, flags); d != "" {
		t.Errorf("flags (-want +got):\n%s", d)
	}
	out := t.TempDir()
	res, err := batch.Export(run, lines, batch.ExportOptions{Dir: out})
	if err != nil {
		t.Fatal(err)
	}
	if res.Lines != 4 || !res.Reviewed || len(res.Files) != 4 {
		t.Fatalf("export = %+v, want the 4 accepted lines in 4 files", res)
	}
	golden := filepath.Join("..", "..", "testdata", "batch", "golden")
	for _, name := range []string{"harbour.yarn", "harbour-strings.csv", "harbour-vo.csv", "harbour.jsonl"} {
		got, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(golden, name)
		if *update {
			os.MkdirAll(golden, 0o755)
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run with -update to write it)", err)
		}
		if d := cmp.Diff(string(want), string(got)); d != "" {
			t.Errorf("%s differs from its golden file (-want +got):\n%s", name, d)
		}
	}
	// The strings table's lineNumber is where the line's #line: tag is in the script.
	script, _ := os.ReadFile(filepath.Join(out, "harbour.yarn"))
	src := strings.Split(string(script), "\n")
	f, _ := os.Open(filepath.Join(out, "harbour-strings.csv"))
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows[1:] {
		n, _ := strconv.Atoi(r[5])
		if n < 1 || n > len(src) || !strings.HasSuffix(src[n-1], "#"+r[1]) {
			t.Errorf("row %v: script line %d is %q", r, n, src[max(0, min(n-1, len(src)-1))])
		}
		if r[6] != batch.Lock(r[2]) {
			t.Errorf("row %v: lock is not the text's", r)
		}
	}

	all, err := batch.Export(run, lines, batch.ExportOptions{Dir: t.TempDir(), All: true, Formats: []string{"jsonl"}})
	if err != nil || all.Lines != 6 || all.Reviewed {
		t.Fatalf("--all export = %+v, %v", all, err)
	}
	if _, err := batch.Export(run, lines, batch.ExportOptions{Dir: out, Formats: []string{"pdf"}}); err == nil {
		t.Error("an unknown format was accepted")
	}
	if _, err := batch.Export(run, lines, batch.ExportOptions{Dir: out, Language: "en,de"}); err == nil {
		t.Error("a language that would break the CSV was accepted")
	}
	de := t.TempDir()
	if _, err := batch.Export(run, lines, batch.ExportOptions{Dir: de, Language: "pt-BR", Formats: []string{"csv"}}); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(de, "harbour-strings.csv")); !strings.Contains(string(b), "\npt-BR,line:forge_dusk-mira_saltwhistle-greet-1,") {
		t.Errorf("strings table in pt-BR:\n%s", b)
	}
}

func TestUnreviewedRunExportsEveryLine(t *testing.T) {
	e := newEnv(t)
	run := e.create(t, e.example(t))
	if _, err := e.runner.Run(context.Background(), run.ID, batch.Options{}); err != nil {
		t.Fatal(err)
	}
	res, err := batch.Export(run, e.lines(t, run.ID), batch.ExportOptions{Dir: t.TempDir(), Formats: []string{"vo"}})
	if err != nil || res.Lines != 6 || res.Reviewed {
		t.Fatalf("export = %+v, %v", res, err)
	}
}
