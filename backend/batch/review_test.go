package batch_test

import (
	"context"
	"strings"
	"testing"

	"github.com/npcstudio/npcstudio/backend/batch"
	"github.com/npcstudio/npcstudio/backend/llm/openaifake"
)

func TestRegenerateKeepsTheID(t *testing.T) {
	e, run := reviewedExample(t)
	const id = "forge_dusk-mira_saltwhistle-greet-1"
	before, _ := e.repo.Line(run.ID, id)
	e.fake.Script(reply("Back again with more iron for the sea to eat?"))
	l, err := e.runner.Regenerate(context.Background(), run.ID, id)
	if err != nil {
		t.Fatal(err)
	}
	if l.ID != id || l.Text == before.Text || l.Text != "Back again with more iron for the sea to eat?" || l.Review != batch.ReviewNone || l.Generations != 2 {
		t.Fatalf("regenerated = %+v (before %q)", l, before.Text)
	}
	// Only that line was asked for again; the others are as they were.
	if n := e.chatRequests(); n != 7 {
		t.Errorf("%d requests, want 7", n)
	}
	others := 0
	for _, o := range e.lines(t, run.ID) {
		if o.ID != id && o.Generations == 1 {
			others++
		}
	}
	if others != 5 {
		t.Errorf("%d other lines untouched, want 5", others)
	}

	// A regenerate the provider refuses keeps the text the line had.
	e.fake.Script(openaifake.Reply{Status: 400})
	if _, err := e.runner.Regenerate(context.Background(), run.ID, id); err == nil || !strings.Contains(err.Error(), "refused") {
		t.Fatalf("err = %v", err)
	}
	kept, _ := e.repo.Line(run.ID, id)
	if kept.Text != l.Text || kept.Status != batch.LineDone || kept.Error == "" {
		t.Errorf("after a failed regenerate: %+v", kept)
	}
	if _, err := e.runner.Regenerate(context.Background(), run.ID, "nope-x-y-1"); err == nil {
		t.Error("regenerating an unknown line worked")
	}
}

func TestReviewRules(t *testing.T) {
	e := newEnv(t)
	run := e.create(t, e.example(t))
	const id = "forge_dusk-mira_saltwhistle-price-1"
	if _, err := e.repo.Review(run.ID, id, batch.ActionAccept, ""); err == nil || !strings.Contains(err.Error(), "no text yet") {
		t.Fatalf("accepting a line with no text: %v", err)
	}
	if _, err := e.repo.Review(run.ID, id, "approve", ""); err == nil {
		t.Fatal("an unknown action worked")
	}
	if _, err := e.repo.Review(run.ID, id, batch.ActionEdit, "  "); err == nil {
		t.Fatal("an empty edit worked")
	}
	// A writer may write a line the model has not: the edit is checked like a model's.
	l, err := e.repo.Review(run.ID, id, batch.ActionEdit, "Twelve silver, and that's a friend's price.")
	if err != nil {
		t.Fatal(err)
	}
	if l.Status != batch.LineDone || !l.Edited || len(l.Flags) != 1 || l.Flags[0].Kind != batch.FlagLoreMissing {
		t.Fatalf("edited = %+v", l)
	}
	// A resume leaves the written line alone.
	if _, err := e.runner.Run(context.Background(), run.ID, batch.Options{}); err != nil {
		t.Fatal(err)
	}
	if e.chatRequests() != 5 {
		t.Errorf("%d requests, want 5 (the edited line is done)", e.chatRequests())
	}
	if got, _ := e.repo.Line(run.ID, id); got.Text != l.Text {
		t.Errorf("resume replaced the writer's line with %q", got.Text)
	}
}

func TestLineIDsSameAcrossRuns(t *testing.T) {
	e := newEnv(t)
	a := e.create(t, e.example(t))
	b := e.create(t, e.example(t))
	la, lb := e.lines(t, a.ID), e.lines(t, b.ID)
	if len(la) != 6 || len(la) != len(lb) {
		t.Fatalf("%d and %d lines", len(la), len(lb))
	}
	for i := range la {
		if la[i].ID != lb[i].ID {
			t.Errorf("line %d: %s then %s", i, la[i].ID, lb[i].ID)
		}
	}
}
