package evals_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/npcstudio/npcstudio/backend/chat"
	"github.com/npcstudio/npcstudio/backend/evals"
	"github.com/npcstudio/npcstudio/backend/llm/openaifake"
	"github.com/npcstudio/npcstudio/backend/store"
)

func miraSuite() evals.Suite {
	return evals.Suite{Name: "Mira basics", Persona: "Mira Saltwhistle", Threshold: 0.75, Cases: []evals.TestCase{
		{Description: "brother", Message: "Who was Tam?", Assert: []evals.Assertion{{Type: evals.IContains, Value: "brother"}, {Type: evals.InCharacter}}},
		{Description: "forge", Message: "What do you do?", Assert: []evals.Assertion{{Type: evals.Contains, Value: "forge"}, {Type: evals.Words, Max: 30}}},
	}}
}

func TestTwoConfigurationsSideBySide(t *testing.T) {
	e := newEnv(t)
	e.local.Default = answer("Tam was my brother. I keep the forge.")
	e.other.Default = answer("As an AI language model, I cannot assist with that.")
	sv := e.save(t, miraSuite())
	var progress []evals.Progress
	run, err := e.runner.Run(context.Background(), evals.Options{Suite: sv, Configs: []chat.Config{local, other},
		OnProgress: func(p evals.Progress) { progress = append(progress, p) }})
	if err != nil {
		t.Fatal(err)
	}
	if run.Status != evals.RunDone || len(run.Configs) != 2 {
		t.Fatalf("run %+v", run)
	}
	if got := run.Configs[0].PassRate; got != 1 {
		t.Errorf("local pass rate %v, want 1", got)
	}
	if got := run.Configs[1]; got.PassRate != 0 || got.Failed != 2 {
		t.Errorf("other: %+v, want both cases failed", got)
	}
	if len(progress) != 4 || progress[3].Done != 4 || progress[3].Passed != 2 {
		t.Errorf("progress %+v", progress)
	}
	if n := len(e.local.ChatRequests()) + len(e.other.ChatRequests()); n != 4 {
		t.Errorf("%d requests, want 4", n)
	}
	res, err := e.repo.Results(run.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 4 || res[0].Pass || res[1].Pass || !res[2].Pass || !res[3].Pass {
		t.Fatalf("results not failures first: %+v", res)
	}
	f := res[0]
	if f.ConfigLabel != "other · base" || !strings.Contains(f.Answer, "As an AI") {
		t.Errorf("failure %+v", f)
	}
	var oc *evals.Outcome
	for i := range f.Outcomes {
		if f.Outcomes[i].Type == evals.InCharacter {
			oc = &f.Outcomes[i]
		}
	}
	if oc == nil || oc.Outcome != evals.OutcomeFail || !strings.Contains(oc.Reason, "as an ai") {
		t.Errorf("in-character outcome %+v", oc)
	}
	// The persona's prompt went to the model, as chat sends it.
	if body := fmt.Sprint(e.local.ChatRequests()[0]["messages"]); !strings.Contains(body, "Mira") {
		t.Errorf("request without the persona: %s", body)
	}
	runs, _ := e.repo.Runs(sv.Suite.ID)
	if len(runs) != 1 || runs[0].ID != run.ID {
		t.Errorf("history %+v", runs)
	}
}

func TestJudge(t *testing.T) {
	rubric := evals.Suite{Name: "rubric", Persona: "Mira Saltwhistle", Cases: []evals.TestCase{{Message: "Who was Tam?",
		Assert: []evals.Assertion{{Type: evals.LLMRubric, Value: "Mira grieves her brother and names him."}}}}}
	for _, c := range []struct {
		name, reply, want, reason string
	}{
		{"agrees", `{"pass": true, "score": 0.9, "reason": "She names Tam as her brother."}`, evals.OutcomePass, "She names Tam"},
		{"disagrees", `{"pass": false, "score": 0.2, "reason": "She never says he was her brother."}`, evals.OutcomeFail, "never says"},
		{"cannot be parsed", `Yes, this answer passes.`, evals.OutcomeError, "not a JSON object"},
		{"score out of range", `{"pass": true, "score": 9, "reason": "fine"}`, evals.OutcomeError, "score"},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t)
			e.local.Default = answer("Tam was my brother.")
			e.judge.Default = answer(c.reply)
			j, jc := e.judgeFor()
			run, err := e.runner.Run(context.Background(), evals.Options{Suite: e.save(t, rubric), Configs: []chat.Config{local}, Judge: j, JudgeConfig: jc})
			if err != nil {
				t.Fatal(err)
			}
			res, _ := e.repo.Results(run.ID)
			o := res[0].Outcomes[0]
			if o.Outcome != c.want || !strings.Contains(o.Reason, c.reason) || o.Judge != c.reply {
				t.Errorf("outcome %+v, want %s with %q and the judge's reply kept", o, c.want, c.reason)
			}
			if res[0].Pass != (c.want == evals.OutcomePass) || run.Configs[0].PassRate != map[bool]float64{true: 1, false: 0}[c.want == evals.OutcomePass] {
				t.Errorf("case pass %v, rate %v", res[0].Pass, run.Configs[0].PassRate)
			}
			// The judge saw the answer and the rubric.
			reqs := e.judge.ChatRequests()
			if len(reqs) != 1 || !strings.Contains(fmt.Sprint(reqs[0]["messages"]), "Tam was my brother.") || !strings.Contains(fmt.Sprint(reqs[0]["messages"]), "grieves") {
				t.Errorf("judge requests %v", reqs)
			}
		})
	}
	t.Run("no judge", func(t *testing.T) {
		e := newEnv(t)
		run, _ := e.runner.Run(context.Background(), evals.Options{Suite: e.save(t, rubric), Configs: []chat.Config{local}})
		res, _ := e.repo.Results(run.ID)
		if o := res[0].Outcomes[0]; o.Outcome != evals.OutcomeError || !strings.Contains(o.Reason, "no judge") {
			t.Errorf("%+v", o)
		}
	})
}

func TestSimilarity(t *testing.T) {
	s := evals.Suite{Name: "similar", Persona: "Mira Saltwhistle", Cases: []evals.TestCase{{Message: "Who was Tam?", Assert: []evals.Assertion{
		{Type: evals.Similar, Value: "Tam was my brother.", Threshold: ptr(0.99)},
		{Type: evals.Similar, Value: "The tide tables are pinned by the door.", Threshold: ptr(0.99)},
	}}}}
	t.Run("without an embedder", func(t *testing.T) {
		e := newEnv(t)
		e.local.Default = answer("Tam was my brother.")
		run, err := e.runner.Run(context.Background(), evals.Options{Suite: e.save(t, s), Configs: []chat.Config{local}})
		if err != nil {
			t.Fatal(err)
		}
		res, _ := e.repo.Results(run.ID)
		for _, o := range res[0].Outcomes {
			if o.Outcome != evals.OutcomeError || o.Reason != evals.NoEmbedder {
				t.Errorf("%+v, want the no-embedder error", o)
			}
		}
		if res[0].Status != evals.OutcomeError || run.Configs[0].Errors != 1 || run.Configs[0].PassRate != 0 {
			t.Errorf("case %s, config %+v", res[0].Status, run.Configs[0])
		}
	})
	t.Run("with an embedder", func(t *testing.T) {
		e := newEnv(t)
		e.local.Default = answer("Tam was my brother.")
		run, err := e.runner.Run(context.Background(), evals.Options{Suite: e.save(t, s), Configs: []chat.Config{local}, Embedder: e.embedder(t)})
		if err != nil {
			t.Fatal(err)
		}
		res, _ := e.repo.Results(run.ID)
		same, differ := res[0].Outcomes[0], res[0].Outcomes[1]
		if same.Outcome != evals.OutcomePass || same.Score == nil || *same.Score < 0.999 {
			t.Errorf("same text: %+v", same)
		}
		if differ.Outcome != evals.OutcomeFail || differ.Score == nil || *differ.Score >= 0.99 {
			t.Errorf("other text: %+v", differ)
		}
		if run.Embedder == "" {
			t.Error("the run does not say which embedder checked it")
		}
	})
}

func TestMultiTurnCarriesTheConversation(t *testing.T) {
	e := newEnv(t)
	e.local.Script(answer("Aye, I knew him."), answer("He was my brother, Tam."))
	s := evals.Suite{Name: "multi", Persona: "Mira Saltwhistle", Cases: []evals.TestCase{{Turns: []string{"Did you know the drowned man?"},
		Message: "What was his name?", Assert: []evals.Assertion{{Type: evals.Contains, Value: "Tam"}}}}}
	run, err := e.runner.Run(context.Background(), evals.Options{Suite: e.save(t, s), Configs: []chat.Config{local}, Concurrency: 1})
	if err != nil {
		t.Fatal(err)
	}
	res, _ := e.repo.Results(run.ID)
	if !res[0].Pass || res[0].Answer != "He was my brother, Tam." || len(res[0].Turns) != 1 || res[0].Turns[0].Answer != "Aye, I knew him." {
		t.Fatalf("%+v", res[0])
	}
	reqs := e.local.ChatRequests()
	if len(reqs) != 2 {
		t.Fatalf("%d requests", len(reqs))
	}
	second := fmt.Sprint(reqs[1]["messages"])
	for _, want := range []string{"Did you know the drowned man?", "Aye, I knew him.", "What was his name?"} {
		if !strings.Contains(second, want) {
			t.Errorf("second request lacks %q: %s", want, second)
		}
	}
}

func TestAProviderFailureIsAnErrorNotAFail(t *testing.T) {
	e := newEnv(t)
	e.local.Default = openaifake.Reply{Status: 500}
	run, err := e.runner.Run(context.Background(), evals.Options{Suite: e.save(t, miraSuite()), Configs: []chat.Config{local}})
	if err != nil {
		t.Fatal(err)
	}
	res, _ := e.repo.Results(run.ID)
	if run.Configs[0].Errors != 2 || res[0].Error == "" || res[0].Status != evals.OutcomeError {
		t.Errorf("%+v %+v", run.Configs[0], res[0])
	}
	if n := len(e.local.ChatRequests()); n != 4 {
		t.Errorf("%d requests, want 2 cases × 2 attempts", n)
	}
}

func TestCancelledRunIsKeptAsStopped(t *testing.T) {
	e := newEnv(t)
	e.local.Default = answer("Tam was my brother. I keep the forge.")
	ctx, cancel := context.WithCancel(context.Background())
	run, err := e.runner.Run(ctx, evals.Options{Suite: e.save(t, miraSuite()), Configs: []chat.Config{local}, Concurrency: 1,
		OnProgress: func(evals.Progress) { cancel() }})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v", err)
	}
	got, _ := e.repo.GetRun(run.ID)
	if got.Status != evals.RunStopped || got.Configs[0].Passed != 1 || got.Configs[0].PassRate != 0.5 {
		t.Errorf("%+v", got)
	}
}

func TestSuitesAreVersioned(t *testing.T) {
	e := newEnv(t)
	v1 := e.save(t, miraSuite())
	if again := e.save(t, v1.Suite); again.N != 1 {
		t.Errorf("an unchanged save made version %d", again.N)
	}
	s := v1.Suite
	s.Cases = append(s.Cases, evals.TestCase{Message: "Hello", Assert: []evals.Assertion{{Type: evals.InCharacter}}})
	v2 := e.save(t, s)
	if v2.N != 2 || v2.Suite.ID != v1.Suite.ID {
		t.Fatalf("v2 %+v", v2)
	}
	old, err := e.repo.Version(s.ID, 1)
	if err != nil || len(old.Suite.Cases) != 2 {
		t.Errorf("version 1: %+v %v", old, err)
	}
	cur, err := e.repo.Get("mira BASICS")
	if err != nil || cur.N != 2 || len(cur.Suite.Cases) != 3 {
		t.Errorf("by name: %+v %v", cur, err)
	}
	if _, err := e.repo.Get("nope"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("missing suite: %v", err)
	}
}

func TestAThrottledProviderIsWaitedFor(t *testing.T) {
	e := newEnv(t)
	// The provider asks for 20 s twice; the cases wait (on the fake clock) and pass.
	e.local.Script(openaifake.Reply{Status: 429, RetryAfter: "20"}, openaifake.Reply{Status: 429, RetryAfter: "20"})
	e.local.Default = answer("Tam was my brother. I keep the forge.")
	start := e.clock.Now()
	run, err := e.runner.Run(context.Background(), evals.Options{Suite: e.save(t, miraSuite()), Configs: []chat.Config{local}, Concurrency: 1})
	if err != nil {
		t.Fatal(err)
	}
	if run.Configs[0].PassRate != 1 || len(e.local.ChatRequests()) != 4 {
		t.Fatalf("%+v after %d requests", run.Configs[0], len(e.local.ChatRequests()))
	}
	if waited := e.clock.Now().Sub(start); waited < 40*time.Second {
		t.Errorf("waited %s, want the 2 × 20 s the provider asked", waited)
	}
}
