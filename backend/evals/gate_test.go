package evals_test

import (
	"context"
	"strings"
	"testing"

	"github.com/npcstudio/npcstudio/backend/chat"
	"github.com/npcstudio/npcstudio/backend/evals"
)

func TestVersionReadiness(t *testing.T) {
	const arn = "arn:aws:sagemaker:eu-west-1:123456789012:model-package/saltmere-npc/3"
	e := newEnv(t)
	sv := e.save(t, miraSuite()) // threshold 0.75
	if r, err := e.repo.VersionReadiness(arn); err != nil || r.Ready || !strings.Contains(r.Reason, "no test run") {
		t.Fatalf("nothing attached: %+v %v", r, err)
	}
	e.local.Default = answer("Tam was my brother.") // passes case 1, fails the forge case
	e.other.Default = answer("Tam was my brother. I keep the forge.")
	run, err := e.runner.Run(context.Background(), evals.Options{Suite: sv, Configs: []chat.Config{local, other}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.repo.Attach(arn, run.ID, -1, "Ana"); err == nil {
		t.Error("a two-configuration run attached without naming the configuration")
	}
	if _, err := e.repo.Attach(arn, run.ID, 0, "Ana"); err != nil {
		t.Fatal(err)
	}
	r, err := e.repo.VersionReadiness(arn)
	if err != nil || r.Ready || len(r.Suites) != 1 || r.Suites[0].PassRate != 0.5 || r.Suites[0].Threshold != 0.75 {
		t.Fatalf("under the threshold: %+v %v", r, err)
	}
	// The candidate configuration passes every case: attach it instead.
	if err := e.repo.Detach(arn, run.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.repo.Attach(arn, run.ID, 1, "Ana"); err != nil {
		t.Fatal(err)
	}
	if r, _ = e.repo.VersionReadiness(arn); !r.Ready || r.Suites[0].PassRate != 1 {
		t.Fatalf("over the threshold: %+v", r)
	}
	// Raising the suite's threshold past what the run reached... is still met at 100%;
	// lowering the pass rate with a newer run of the same suite makes it not ready.
	e.other.Default = answer("As an AI, I cannot.")
	run2, _ := e.runner.Run(context.Background(), evals.Options{Suite: sv, Configs: []chat.Config{other}})
	if _, err := e.repo.Attach(arn, run2.ID, -1, "Ana"); err != nil {
		t.Fatal(err)
	}
	if r, _ = e.repo.VersionReadiness(arn); r.Ready || r.Suites[0].RunID != run2.ID {
		t.Fatalf("the latest run counts: %+v", r)
	}
	if _, err := e.repo.VersionReadiness("bad\narn"); err == nil {
		t.Error("an ARN with a new line was taken")
	}
}
