package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/npcstudio/npcstudio/backend/evals"
	"github.com/npcstudio/npcstudio/backend/llm/openaifake"
	"github.com/npcstudio/npcstudio/backend/secrets"
)

const evalSuiteYAML = `description: Mira basics
npcstudio:
  threshold: 0.5
defaultTest:
  vars:
    persona: Mira Saltwhistle
tests:
  - description: her brother
    vars:
      message: Who was Tam?
    assert:
      - type: icontains
        value: brother
      - type: in-character
  - description: judged
    vars:
      message: How do you feel about the sea?
    assert:
      - type: llm-rubric
        value: Mira speaks of the sea with grief.
`

// evalCLI is a workspace with Mira and providers "good", "bad" and "judge" on fakes.
func evalCLI(t *testing.T) (good, bad, judge *openaifake.Server, do func(args ...string) result) {
	t.Helper()
	dir := t.TempDir()
	sec := secrets.NewMemory()
	do = func(args ...string) result {
		t.Helper()
		return run(t, sec, "", append([]string{"--data-dir", dir}, args...)...)
	}
	fakes := map[string]*openaifake.Server{}
	for _, name := range []string{"good", "bad", "judge"} {
		f := openaifake.New("m1")
		t.Cleanup(f.Close)
		fakes[name] = f
		if r := do("provider", "add", name, "--kind", "openai", "--base-url", f.BaseURL(), "--model", "m1"); r.code != ExitOK {
			t.Fatalf("%+v", r)
		}
	}
	if r := do("persona", "create", "--from-file", miraFile); r.code != ExitOK {
		t.Fatalf("%+v", r)
	}
	fakes["good"].Default = openaifake.Reply{Tokens: []string{"Tam was my brother; the sea took him."}}
	fakes["bad"].Default = openaifake.Reply{Tokens: []string{"As an AI language model, I have no brother."}}
	fakes["judge"].Default = openaifake.Reply{Tokens: []string{`{"pass": true, "score": 0.8, "reason": "grief is plain"}`}}
	return fakes["good"], fakes["bad"], fakes["judge"], do
}

type evalRunJSON struct {
	Run       evals.Run          `json:"run"`
	Threshold float64            `json:"threshold"`
	Passed    bool               `json:"passed"`
	Failures  []evals.CaseResult `json:"failures"`
}

func TestEvalRunTwoConfigurationsAndThreshold(t *testing.T) {
	_, _, judge, do := evalCLI(t)
	file := filepath.Join(t.TempDir(), "mira.yaml")
	os.WriteFile(file, []byte(evalSuiteYAML), 0o644)

	// Good passes both cases (100%), bad fails the first (50%): both reach the suite's 50%.
	r := do("eval", "run", file, "--provider", "good", "--provider", "bad", "--judge", "judge", "--json")
	if r.code != ExitOK {
		t.Fatalf("%+v", r)
	}
	res := decode[evalRunJSON](t, r)
	if len(res.Run.Configs) != 2 || res.Run.Configs[0].PassRate != 1 || res.Run.Configs[1].PassRate != 0.5 || !res.Passed || res.Threshold != 0.5 {
		t.Fatalf("%+v", res)
	}
	if len(res.Failures) != 1 || res.Failures[0].ConfigLabel != "bad · base" || !strings.Contains(res.Failures[0].Answer, "As an AI") {
		t.Fatalf("failures %+v", res.Failures)
	}
	if n := len(judge.ChatRequests()); n != 2 {
		t.Errorf("the judge was asked %d times, want once per configuration", n)
	}
	runID := res.Run.ID

	// Over a stricter threshold, exit code 3; the human report puts the failure first.
	r = do("eval", "run", "Mira basics", "--provider", "good", "--provider", "bad", "--judge", "judge", "--threshold", "0.9")
	if r.code != ExitInvalid {
		t.Fatalf("under the threshold: %+v", r)
	}
	if !strings.Contains(r.stdout, "bad · base") || !strings.Contains(r.stdout, "[FAIL]") || !strings.Contains(r.stdout, `out of character: says "as an ai"`) {
		t.Errorf("report:\n%s", r.stdout)
	}
	// A judge that disagrees fails the rubric case.
	judge.Default = openaifake.Reply{Tokens: []string{`{"pass": false, "score": 0.1, "reason": "no grief at all"}`}}
	r = do("eval", "run", "Mira basics", "--provider", "good", "--judge", "judge", "--threshold", "1", "--json")
	if r.code != ExitInvalid {
		t.Fatalf("judge disagreeing: %+v", r)
	}
	if res := decode[evalRunJSON](t, r); len(res.Failures) != 1 || res.Failures[0].Outcomes[0].Reason != "no grief at all" {
		t.Errorf("%+v", res.Failures)
	}

	// Import unchanged keeps the version; list, export, runs, show.
	if r = do("eval", "import", file, "--json"); r.code != ExitOK || decode[evals.SuiteVersion](t, r).N != 1 {
		t.Fatalf("import: %+v", r)
	}
	list := decode[[]evals.SuiteSummary](t, do("eval", "list", "--json"))
	if len(list) != 1 || list[0].Cases != 2 {
		t.Fatalf("list %+v", list)
	}
	out := filepath.Join(t.TempDir(), "out.yaml")
	if r = do("eval", "export", "Mira basics", "--out", out); r.code != ExitOK {
		t.Fatalf("%+v", r)
	}
	raw, _ := os.ReadFile(out)
	if back, err := evals.ParseYAML(out, raw); err != nil || len(back.Cases) != 2 || back.Threshold != 0.5 {
		t.Fatalf("exported %v %+v", err, back)
	}
	runs := decode[[]evals.Run](t, do("eval", "runs", "--json"))
	if len(runs) != 3 || runs[2].ID != runID {
		t.Fatalf("runs %+v", runs)
	}
	if r = do("eval", "show", runID); r.code != ExitOK || !strings.Contains(r.stdout, "good · base") {
		t.Fatalf("show %+v", r)
	}
	// The gate: the bad configuration under a 0.9 threshold is not ready.
	if r = do("eval", "attach", runID, "--version", "arn:aws:sagemaker:eu-west-1:1:model-package/npc/2", "--config", "1"); r.code != ExitOK {
		t.Fatalf("%+v", r)
	}
	if r = do("eval", "readiness", "arn:aws:sagemaker:eu-west-1:1:model-package/npc/2"); r.code != ExitOK || !strings.Contains(r.stdout, "ready") {
		t.Fatalf("50%% meets the suite's 50%%: %+v", r)
	}
}

func TestEvalRunRefusesUnknownAssertionWithItsLine(t *testing.T) {
	_, _, _, do := evalCLI(t)
	file := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(file, []byte("description: x\ntests:\n  - vars: {message: hi, persona: Mira Saltwhistle}\n    assert:\n      - type: javascript\n        value: 'output.length'\n"), 0o644)
	r := do("eval", "run", file, "--provider", "good")
	if r.code != ExitError || !strings.Contains(r.stderr, "bad.yaml:5") || !strings.Contains(r.stderr, "javascript") {
		t.Fatalf("%+v", r)
	}
	if r := do("eval", "run", file); r.code != ExitUsage {
		t.Fatalf("no provider: %+v", r)
	}
}
