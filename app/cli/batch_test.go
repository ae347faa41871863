package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/npcstudio/npcstudio/backend/batch"
	"github.com/npcstudio/npcstudio/backend/llm/openaifake"
	"github.com/npcstudio/npcstudio/backend/secrets"
)

var harbourSpec = filepath.Join("..", "..", "testdata", "batch", "harbour.yaml")

// batchCLI is a workspace with Mira, Ada and provider "local" on an OpenAI-compatible fake.
func batchCLI(t *testing.T) (*openaifake.Server, func(args ...string) result) {
	t.Helper()
	dir := t.TempDir()
	sec := secrets.NewMemory()
	fake := openaifake.New("llama3.1:8b")
	t.Cleanup(fake.Close)
	do := func(args ...string) result {
		t.Helper()
		return run(t, sec, "", append([]string{"--data-dir", dir}, args...)...)
	}
	for _, args := range [][]string{
		{"provider", "add", "local", "--kind", "openai", "--base-url", fake.BaseURL(), "--model", "llama3.1:8b"},
		{"persona", "create", "--from-file", miraFile},
		{"persona", "create", "--from-file", filepath.Join("..", "..", "testdata", "persona", "personas", "ada.json")},
	} {
		if r := do(args...); r.code != ExitOK {
			t.Fatalf("%v: %+v", args, r)
		}
	}
	return fake, do
}

type batchRunJSON struct {
	Run struct {
		RunID   string `json:"runId"`
		Lines   int    `json:"lines"`
		Resumed bool   `json:"resumed"`
	} `json:"run"`
	Progress batch.Progress      `json:"progress"`
	Export   *batch.ExportResult `json:"export"`
	Failed   []batch.Line        `json:"failed"`
}

func TestBatchRunReviewRegenerateExport(t *testing.T) {
	fake, do := batchCLI(t)
	// The first line is refused (400, not worth retrying): it is kept as failed.
	fake.Script(openaifake.Reply{Status: 400})
	out := t.TempDir()
	r := do("batch", "run", harbourSpec, "--provider", "local", "--out", out, "--concurrency", "1", "--json")
	if r.code != ExitError {
		t.Fatalf("a run with a failed line: %+v", r)
	}
	first := decode[batchRunJSON](t, r)
	if first.Progress.Done != 5 || first.Progress.Failed != 1 || len(first.Failed) != 1 || first.Failed[0].ID != "forge_dusk-mira_saltwhistle-greet-1" {
		t.Fatalf("first run: %+v", first)
	}
	if first.Export == nil || first.Export.Lines != 5 || len(first.Export.Files) != 4 {
		t.Fatalf("export: %+v", first.Export)
	}
	// --resume writes only the failed line.
	r = do("batch", "run", harbourSpec, "--resume", "--json")
	if r.code != ExitOK {
		t.Fatalf("resume: %+v", r)
	}
	again := decode[batchRunJSON](t, r)
	if !again.Run.Resumed || again.Run.RunID != first.Run.RunID || again.Progress.Done != 6 || len(fake.ChatRequests()) != 7 {
		t.Fatalf("resume: %+v after %d requests", again, len(fake.ChatRequests()))
	}
	run := first.Run.RunID

	st := decode[batch.Status](t, do("batch", "status", "--json"))
	if st.RunID != run || st.Done != 6 || st.Status != batch.RunDone {
		t.Fatalf("status: %+v", st)
	}
	if r := do("batch", "list"); r.code != ExitOK || !strings.Contains(r.stdout, run) {
		t.Fatalf("list: %+v", r)
	}

	const id = "forge_dusk-mira_saltwhistle-price-1"
	if l := decode[batch.Line](t, do("batch", "review", run, "accept", id, "--json")); l.Review != batch.ReviewAccepted {
		t.Fatalf("accept: %+v", l)
	}
	before := decode[batch.Line](t, do("batch", "review", run, "note", id, "Quiet; she counts coins.", "--json"))
	fake.Script(openaifake.Reply{Tokens: []string{"Eight silver, and the lighthouse keeper's name."}})
	l := decode[batch.Line](t, do("batch", "review", run, "regenerate", id, "--json"))
	if l.ID != id || l.Text == before.Text || l.Text != "Eight silver, and the lighthouse keeper's name." || l.Review != "" || l.Note != "Quiet; she counts coins." {
		t.Fatalf("regenerate: %+v", l)
	}
	decode[batch.Line](t, do("batch", "review", run, "accept", id, "--json"))

	// Reviewed now: only the accepted line goes out, unless --all.
	vo := t.TempDir()
	x := decode[batch.ExportResult](t, do("batch", "export", run, "--out", vo, "--format", "vo", "--json"))
	if x.Lines != 1 || !x.Reviewed {
		t.Fatalf("export: %+v", x)
	}
	b, err := os.ReadFile(filepath.Join(vo, "harbour-vo.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if want := "id,character,text,direction,scene\n" + id + ",Mira Saltwhistle,\"Eight silver, and the lighthouse keeper's name.\",\"Names a price, and hints she'd take information instead of coin. Note: Quiet; she counts coins.\",forge_dusk\n"; string(b) != want {
		t.Errorf("vo csv:\n%s\nwant:\n%s", b, want)
	}
	if x := decode[batch.ExportResult](t, do("batch", "export", run, "--out", t.TempDir(), "--all", "--json")); x.Lines != 6 || x.Reviewed {
		t.Fatalf("export --all: %+v", x)
	}
	for _, bad := range [][]string{
		{"batch", "review", run, "approve", id},
		{"batch", "review", run, "edit", id},
		{"batch", "export", run, "--format", "pdf", "--out", vo},
		{"batch", "export", run},
	} {
		if r := do(bad...); r.code != ExitUsage {
			t.Errorf("%v: %+v, want a usage error", bad, r)
		}
	}
}

func TestBatchRunRefusesABadSpecBeforeAnything(t *testing.T) {
	fake, do := batchCLI(t)
	spec := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(spec, []byte("scenes:\n  - id: a\n    personas: [Ada, Nobody]\n    beats: [{id: b, persona: Ada, direction: d}]\n"), 0o644)
	r := do("batch", "run", spec, "--provider", "local", "--json")
	if r.code != ExitError || !strings.Contains(r.stdout, `"line":3`) || !strings.Contains(r.stdout, "Nobody") {
		t.Fatalf("%+v", r)
	}
	unknown := filepath.Join(t.TempDir(), "unknown.yaml")
	os.WriteFile(unknown, []byte("scenes:\n  - id: a\n    personas: [Ada]\n    colour: red\n    beats: [{id: b, direction: d}]\n"), 0o644)
	r = do("batch", "run", unknown, "--provider", "local")
	if r.code != ExitError || !strings.Contains(r.stderr, "unknown.yaml:4: scenes[0].colour: unknown field") {
		t.Fatalf("%+v", r)
	}
	if len(fake.ChatRequests()) != 0 {
		t.Errorf("%d requests sent for refused specs", len(fake.ChatRequests()))
	}
	if r := do("batch", "list", "--json"); !strings.Contains(r.stdout, `"runs": []`) {
		t.Errorf("a refused spec left a run: %s", r.stdout)
	}
	if r := do("batch", "check", harbourSpec); r.code != ExitOK || !strings.Contains(r.stdout, "2 scenes, 6 lines") {
		t.Errorf("check: %+v", r)
	}
	csvSpec := filepath.Join(t.TempDir(), "scenes.csv")
	os.WriteFile(csvSpec, []byte("scene,personas,beat,persona,direction,variants\ndocks,Ada;Mira Saltwhistle,hail,Ada,Hails the ship.,2\ndocks,,answer,Mira Saltwhistle,Answers.,\n"), 0o644)
	if r := do("batch", "check", csvSpec, "--provider", "local"); r.code != ExitOK || !strings.Contains(r.stdout, "1 scenes, 3 lines") {
		t.Errorf("check csv: %+v", r)
	}
}

func TestBatchProgressBarText(t *testing.T) {
	got := barText(batch.Progress{Total: 40, Done: 10, Failed: 2, LinesPerSec: 4, ETASeconds: 7, InputTokens: 100, OutputTokens: 20, Throttled: 3, Concurrency: 2})
	want := "[#######-----------------] 12/40 lines (2 failed)  4.0 lines/s  ETA 7s  120 tokens  throttled 3× (x2)"
	if got != want {
		t.Errorf("bar %q\nwant %q", got, want)
	}
}
