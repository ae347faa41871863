package evals_test

import (
	"context"
	"strings"
	"testing"

	"github.com/npcstudio/npcstudio/backend/evals"
)

func TestEveryAssertionKindPassesAndFails(t *testing.T) {
	const ans = "The lighthouse burned the night Tam drowned. Ask Bren Harrow, not me."
	cases := []struct {
		a          evals.Assertion
		pass, fail string // answers it passes and fails on
	}{
		{evals.Assertion{Type: evals.Contains, Value: "Tam"}, ans, "the lighthouse"},
		{evals.Assertion{Type: evals.Contains, Value: "tam"}, "tam", ans}, // case matters
		{evals.Assertion{Type: evals.IContains, Value: "LIGHTHOUSE"}, ans, "the forge"},
		{evals.Assertion{Type: evals.NotContains, Value: "Tam"}, "the forge", ans},
		{evals.Assertion{Type: evals.NotContains, Value: "tam"}, ans, "tam"},
		{evals.Assertion{Type: evals.NotIContains, Value: "BREN"}, "the forge", ans},
		{evals.Assertion{Type: evals.Regex, Value: `(?i)\bbren\s+harrow\b`}, ans, "Bren Harrowgate"},
		{evals.Assertion{Type: evals.Words, Min: 3, Max: 20}, ans, "No."},
		{evals.Assertion{Type: evals.Words, Max: 5}, "Go away, stranger.", ans},
		{evals.Assertion{Type: evals.InCharacter}, ans, "As an AI, I cannot say."},
		{evals.Assertion{Type: evals.InCharacter}, ans, "I am only a Language Model."},
		{evals.Assertion{Type: evals.InCharacter, Values: []string{"game master"}}, ans, "Ask the Game Master."},
		{evals.Assertion{Type: evals.MentionsLore, Values: []string{"Tam", "lighthouse"}}, ans, "Tam was my brother."},
		{evals.Assertion{Type: evals.AvoidsLore, Values: []string{"oil store"}}, ans, "The OIL STORE was empty."},
	}
	for _, c := range cases {
		t.Run(c.a.Type+" "+c.a.Value+strings.Join(c.a.Values, ","), func(t *testing.T) {
			if err := c.a.Validate(); err != nil {
				t.Fatal(err)
			}
			if o := (evals.Checker{}).Check(context.Background(), c.a, "Mira", "q", c.pass); o.Outcome != evals.OutcomePass {
				t.Errorf("on %q: %s (%s), want pass", c.pass, o.Outcome, o.Reason)
			}
			if o := (evals.Checker{}).Check(context.Background(), c.a, "Mira", "q", c.fail); o.Outcome != evals.OutcomeFail || o.Reason == "" {
				t.Errorf("on %q: %s (%s), want fail with a reason", c.fail, o.Outcome, o.Reason)
			}
		})
	}
}

func TestBadAssertionsAreRefused(t *testing.T) {
	for _, a := range []evals.Assertion{
		{Type: "equals", Value: "x"},
		{Type: evals.Regex, Value: "(unclosed"},
		{Type: evals.Regex, Value: strings.Repeat("a", evals.MaxPattern+1)},
		{Type: evals.Words},
		{Type: evals.Words, Min: 9, Max: 3},
		{Type: evals.Contains},
		{Type: evals.MentionsLore},
		{Type: evals.Similar, Value: "x", Threshold: ptr(1.5)},
	} {
		if err := a.Validate(); err == nil {
			t.Errorf("%+v accepted", a)
		}
	}
}

func TestVerdictFormatIsStrict(t *testing.T) {
	good := []string{`{"pass":true,"score":0.9,"reason":"names Tam"}`, "```json\n{\"pass\":false,\"score\":0,\"reason\":\"no\"}\n```"}
	for _, g := range good {
		if _, err := evals.ParseVerdict(g); err != nil {
			t.Errorf("%q: %v", g, err)
		}
	}
	bad := []string{``, `PASS`, `{"pass":"yes","score":1,"reason":"r"}`, `{"pass":true,"score":7,"reason":"r"}`,
		`{"pass":true,"reason":"r"}`, `{"pass":true,"score":1,"reason":""}`, `{"pass":true,"score":1,"reason":"r","extra":1}`,
		`{"pass":true,"score":1,"reason":"r"} and more`, `Sure! {"pass":true,"score":1,"reason":"r"}`}
	for _, b := range bad {
		if _, err := evals.ParseVerdict(b); err == nil {
			t.Errorf("%q parsed", b)
		}
	}
}
