package eval_test

import (
	"context"
	"strings"
	"testing"

	"github.com/npcstudio/npcstudio/backend/eval"
)

func TestEveryAssertionKindPassesAndFails(t *testing.T) {
	const ans = "The lighthouse burned the night Tam drowned. Ask Bren Harrow, not me."
	cases := []struct {
		a          eval.Assertion
		pass, fail string // answers it passes and fails on
	}{
		{eval.Assertion{Type: eval.Contains, Value: "Tam"}, ans, "the lighthouse"},
		{eval.Assertion{Type: eval.Contains, Value: "tam"}, "tam", ans}, // case matters
		{eval.Assertion{Type: eval.IContains, Value: "LIGHTHOUSE"}, ans, "the forge"},
		{eval.Assertion{Type: eval.NotContains, Value: "Tam"}, "the forge", ans},
		{eval.Assertion{Type: eval.NotContains, Value: "tam"}, ans, "tam"},
		{eval.Assertion{Type: eval.NotIContains, Value: "BREN"}, "the forge", ans},
		{eval.Assertion{Type: eval.Regex, Value: `(?i)\bbren\s+harrow\b`}, ans, "Bren Harrowgate"},
		{eval.Assertion{Type: eval.Words, Min: 3, Max: 20}, ans, "No."},
		{eval.Assertion{Type: eval.Words, Max: 5}, "Go away, stranger.", ans},
		{eval.Assertion{Type: eval.InCharacter}, ans, "As an AI, I cannot say."},
		{eval.Assertion{Type: eval.InCharacter}, ans, "I am only a Language Model."},
		{eval.Assertion{Type: eval.InCharacter, Values: []string{"game master"}}, ans, "Ask the Game Master."},
		{eval.Assertion{Type: eval.MentionsLore, Values: []string{"Tam", "lighthouse"}}, ans, "Tam was my brother."},
		{eval.Assertion{Type: eval.AvoidsLore, Values: []string{"oil store"}}, ans, "The OIL STORE was empty."},
	}
	for _, c := range cases {
		t.Run(c.a.Type+" "+c.a.Value+strings.Join(c.a.Values, ","), func(t *testing.T) {
			if err := c.a.Validate(); err != nil {
				t.Fatal(err)
			}
			if o := (eval.Checker{}).Check(context.Background(), c.a, "Mira", "q", c.pass); o.Outcome != eval.OutcomePass {
				t.Errorf("on %q: %s (%s), want pass", c.pass, o.Outcome, o.Reason)
			}
			if o := (eval.Checker{}).Check(context.Background(), c.a, "Mira", "q", c.fail); o.Outcome != eval.OutcomeFail || o.Reason == "" {
				t.Errorf("on %q: %s (%s), want fail with a reason", c.fail, o.Outcome, o.Reason)
			}
		})
	}
}

func TestBadAssertionsAreRefused(t *testing.T) {
	for _, a := range []eval.Assertion{
		{Type: "equals", Value: "x"},
		{Type: eval.Regex, Value: "(unclosed"},
		{Type: eval.Regex, Value: strings.Repeat("a", eval.MaxPattern+1)},
		{Type: eval.Words},
		{Type: eval.Words, Min: 9, Max: 3},
		{Type: eval.Contains},
		{Type: eval.MentionsLore},
		{Type: eval.Similar, Value: "x", Threshold: ptr(1.5)},
	} {
		if err := a.Validate(); err == nil {
			t.Errorf("%+v accepted", a)
		}
	}
}

func TestVerdictFormatIsStrict(t *testing.T) {
	good := []string{`{"pass":true,"score":0.9,"reason":"names Tam"}`, "```json\n{\"pass\":false,\"score\":0,\"reason\":\"no\"}\n```"}
	for _, g := range good {
		if _, err := eval.ParseVerdict(g); err != nil {
			t.Errorf("%q: %v", g, err)
		}
	}
	bad := []string{``, `PASS`, `{"pass":"yes","score":1,"reason":"r"}`, `{"pass":true,"score":7,"reason":"r"}`,
		`{"pass":true,"reason":"r"}`, `{"pass":true,"score":1,"reason":""}`, `{"pass":true,"score":1,"reason":"r","extra":1}`,
		`{"pass":true,"score":1,"reason":"r"} and more`, `Sure! {"pass":true,"score":1,"reason":"r"}`}
	for _, b := range bad {
		if _, err := eval.ParseVerdict(b); err == nil {
			t.Errorf("%q parsed", b)
		}
	}
}
