package app

import (
	"strings"
	"testing"
	"time"

	"github.com/npcstudio/npcstudio/backend/chat"
	"github.com/npcstudio/npcstudio/backend/evals"
	"github.com/npcstudio/npcstudio/backend/llm/openaifake"
)

func evalSuite(asserts ...evals.Assertion) evals.Suite {
	return evals.Suite{Name: "Mira basics", Persona: "Mira Saltwhistle", Cases: []evals.TestCase{
		{Message: "Who was Tam?", Assert: asserts},
		{Message: "And the lighthouse?", Assert: asserts},
	}}
}

func TestEvalRunIsAnOperationThatStops(t *testing.T) {
	a, rec, fake, _ := chatApp(t)
	if _, err := a.Eval.Save(EvalSaveRequest{Suite: evalSuite(evals.Assertion{Type: evals.IContains, Value: "brother"})}); err != nil {
		t.Fatal(err)
	}
	// The first case is answered; the second hangs until the run is stopped.
	fake.Script(openaifake.Reply{Tokens: []string{"Tam was my brother."}}, openaifake.Reply{Hang: true})
	started, err := a.Eval.Run(EvalRunRequest{Suite: "Mira basics", Configs: []chat.Config{{Provider: "local", Mode: chat.ModeBase}}, Concurrency: 1})
	if err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); len(fake.ChatRequests()) < 2; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the second case was never asked")
		}
	}
	if ok, _ := a.Operations.Cancel(CancelRequest{ID: started.OpID}); !ok {
		t.Fatal("the run's operation was not running")
	}
	evs := opEnd(t, rec, started.OpID)
	if last := evs[len(evs)-1]; last.Type != "error" || last.Kind != OpEvalRun {
		t.Fatalf("last event %+v", last)
	}
	view, err := a.Eval.Results(EvalRunRef{RunID: started.RunID})
	if err != nil {
		t.Fatal(err)
	}
	if view.Run.Status != evals.RunStopped || len(view.Results) != 1 || !view.Results[0].Pass || view.Run.Configs[0].PassRate != 0.5 {
		t.Fatalf("after stop: %+v", view)
	}
	// Unknown providers are refused before anything runs.
	if _, err := a.Eval.Run(EvalRunRequest{Suite: "Mira basics", Configs: []chat.Config{{Provider: "nope", Mode: chat.ModeBase}}}); FormatError(err).Code != "not_found" {
		t.Errorf("unknown provider: %+v", FormatError(err))
	}
}

func TestEvalSimilarityUsesTheLoreEmbedder(t *testing.T) {
	a, rec, fake, _ := chatApp(t)
	fake.Default = openaifake.Reply{Tokens: []string{"Tam was my brother."}}
	sim := evals.Assertion{Type: evals.Similar, Value: "Tam was my brother."}
	if _, err := a.Eval.Save(EvalSaveRequest{Suite: evalSuite(sim)}); err != nil {
		t.Fatal(err)
	}
	run := func() EvalRunView {
		started, err := a.Eval.Run(EvalRunRequest{Suite: "Mira basics", Configs: []chat.Config{{Provider: "local", Mode: chat.ModeBase}}})
		if err != nil {
			t.Fatal(err)
		}
		if last := opEnd(t, rec, started.OpID); last[len(last)-1].Type != "done" {
			t.Fatalf("%+v", last[len(last)-1])
		}
		v, err := a.Eval.Results(EvalRunRef{RunID: started.RunID})
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	v := run()
	if o := v.Results[0].Outcomes[0]; o.Outcome != evals.OutcomeError || o.Reason != evals.NoEmbedder || v.Run.Embedder != "" {
		t.Fatalf("without an embedder: %+v", o)
	}
	id, err := a.Lore.SetEmbedder(LoreEmbedderRequest{Embedder: LoreEmbedder{Provider: "local", Model: "nomic-embed-text"}})
	if err != nil {
		t.Fatal(err)
	}
	opEnd(t, rec, id)
	v = run()
	if o := v.Results[0].Outcomes[0]; o.Outcome != evals.OutcomePass || !strings.Contains(o.Reason, "nomic-embed-text") {
		t.Fatalf("with the lore embedder: %+v", o)
	}
}

func TestEvalRunRefusesAMissingPersonaBeforeRunning(t *testing.T) {
	a, rec, _, _ := chatApp(t)
	s := evalSuite(evals.Assertion{Type: evals.InCharacter})
	s.Persona = "Mira Saltwistle" // a typo
	if _, err := a.Eval.Save(EvalSaveRequest{Suite: s}); err != nil {
		t.Fatal(err)
	}
	_, err := a.Eval.Run(EvalRunRequest{Suite: "Mira basics", Configs: []chat.Config{{Provider: "local", Mode: chat.ModeBase}}})
	if f := FormatError(err); f.Code != "not_found" || !strings.Contains(f.Message, "Saltwistle") {
		t.Fatalf("%+v", f)
	}
	// --persona names the NPC for the run instead.
	started, err := a.Eval.Run(EvalRunRequest{Suite: "Mira basics", Persona: "Mira Saltwhistle", Configs: []chat.Config{{Provider: "local", Mode: chat.ModeBase}}})
	if err != nil {
		t.Fatal(err)
	}
	opEnd(t, rec, started.OpID)
	runs, _ := a.Eval.Runs(EvalSuiteRef{})
	if len(runs) != 1 || runs[0].Persona != "Mira Saltwhistle" || runs[0].Configs[0].PassRate != 1 {
		t.Fatalf("%+v", runs)
	}
}

// A run attached to a model version is the evidence the Models area shows beside it, with
// the verdict against the suite's threshold.
func TestEvalRunAttachedToAVersionIsItsEvidence(t *testing.T) {
	a, rec, fake, _ := chatApp(t)
	s := evalSuite(evals.Assertion{Type: evals.IContains, Value: "brother"})
	s.Threshold = 0.9
	if _, err := a.Eval.Save(EvalSaveRequest{Suite: s}); err != nil {
		t.Fatal(err)
	}
	const arn = "arn:aws:sagemaker:us-east-1:123456789012:model-package/Ada-PackageGroup/3"
	if got := a.versionEvidence(arn); got != nil {
		t.Fatalf("evidence before any run: %+v", got)
	}
	fake.Script(openaifake.Reply{Tokens: []string{"Tam was my brother."}}, openaifake.Reply{Tokens: []string{"The lamp is lit."}})
	started, err := a.Eval.Run(EvalRunRequest{Suite: "Mira basics", Configs: []chat.Config{{Provider: "local", Mode: chat.ModeBase}}, Concurrency: 1})
	if err != nil {
		t.Fatal(err)
	}
	if evs := opEnd(t, rec, started.OpID); evs[len(evs)-1].Type != "done" {
		t.Fatalf("run ended with %+v", evs[len(evs)-1])
	}
	if _, err := a.Eval.Attach(EvalAttachRequest{VersionARN: arn, RunID: started.RunID}); err != nil {
		t.Fatal(err)
	}
	got := a.versionEvidence(arn)
	if got == nil || got.Ready || got.Reason == "" || len(got.Suites) != 1 {
		t.Fatalf("evidence: %+v", got)
	}
	if g := got.Suites[0]; g.Suite != "Mira basics" || g.Passed != 1 || g.Total != 2 || g.Rate != 0.5 || g.Threshold != 0.9 || g.Ready {
		t.Fatalf("suite evidence: %+v", g)
	}
}
