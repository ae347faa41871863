package cli

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/npcstudio/npcstudio/backend/cloud/cloudtest"
	"github.com/npcstudio/npcstudio/backend/llm/bedrockfake"
	"github.com/npcstudio/npcstudio/backend/secrets"
)

// The models commands against the local deployment: list and show with the evidence and its
// gaps, refusals that send nothing (no --yes off a terminal, a long note, no throughput),
// approve, approve again, reject, and the audit log.
func TestModelsCommands(t *testing.T) {
	l := cloudtest.Deploy(t)
	ctx := context.Background()
	dir := t.TempDir()
	sec := secrets.NewMemory()
	npc := func(stdin string, args ...string) result {
		return run(t, sec, stdin, append([]string{"--data-dir", dir}, args...)...)
	}
	if r := npc("", "cloud", "connect", "--workload", l.Workload, "--stage", "QA", "--region", l.Region); r.code != ExitOK {
		t.Fatalf("connect: %+v", r)
	}
	v1 := l.RegisterVersion(t, "run1")
	v2 := l.RegisterVersion(t, "run2")
	if err := l.Evidence(ctx, v1, []byte(`{"Loss": 1.8, "Perplexity": 6.05}`), [][2]float64{{0, 2.4}, {10, 1.9}}, [][2]float64{{10, 2.0}}); err != nil {
		t.Fatal(err)
	}
	if err := l.Evidence(ctx, v2, []byte(`{"Loss": 1.1`), nil, nil); err != nil {
		t.Fatal(err)
	}

	r := npc("", "models", "list")
	if r.code != ExitOK || !strings.Contains(r.stdout, "1.800") || !strings.Contains(r.stdout, "6.05") ||
		!strings.Contains(r.stdout, "version 2: evaluation: s3://"+l.TuningBucket+"/run2/evaluation/evaluation_report.json is not JSON") {
		t.Fatalf("list: %+v", r)
	}
	if i, j := strings.Index(r.stdout, "\n2 "), strings.Index(r.stdout, "\n1 "); i < 0 || j < i {
		t.Errorf("list is not newest first:\n%s", r.stdout)
	}
	var shown struct {
		Status string `json:"status"`
		Job    struct {
			Training []struct {
				Step, Loss float64
			} `json:"training"`
		} `json:"job"`
		Gaps []string `json:"gaps"`
	}
	r = npc("", "models", "show", "1", "--json")
	if err := json.Unmarshal([]byte(r.stdout), &shown); err != nil || r.code != ExitOK || len(shown.Job.Training) != 2 || shown.Job.Training[1].Loss != 1.9 {
		t.Fatalf("show 1: %v %+v", err, r)
	}
	if r := npc("", "models", "show", "2"); r.code != ExitOK || !strings.Contains(r.stdout, "missing     loss curve: ") {
		t.Fatalf("show 2: %+v", r)
	}

	updates := func() int { return l.SageMaker.Calls("SageMaker.UpdateModelPackage") }
	if r := npc("", "models", "approve", "1", "--note", "good"); r.code != ExitUsage || !strings.Contains(r.stderr, "--yes") {
		t.Fatalf("approve off a terminal without --yes: %+v", r)
	}
	if r := npc("", "models", "approve", "1", "--note", strings.Repeat("x", 1025), "--yes"); r.code != ExitError || !strings.Contains(r.stderr, "at most 1024") {
		t.Fatalf("long note: %+v", r)
	}
	if r := npc("", "models", "approve", "1", "--note", "good", "--yes"); r.code != ExitError || !strings.Contains(r.stderr, "no provisioned throughput exists") ||
		!strings.Contains(r.stderr, "--force") {
		t.Fatalf("approve without throughput: %+v", r)
	}
	if n := updates(); n != 0 {
		t.Fatalf("refused decisions sent %d updates", n)
	}

	pt := l.Bedrock.AddThroughput("mira-pt", v1.Model, "InService", 1)
	// On a terminal the question says what happens next; no sends nothing.
	was := isTerminal
	isTerminal = func(any) bool { return true }
	t.Cleanup(func() { isTerminal = was })
	r = npc("n\n", "models", "approve", "1", "--note", "Mira sounds right")
	if r.code != ExitError || !strings.Contains(r.stderr, "restarts "+l.Workload+"-Pipeline, which runs QA, then the system tests, then PROD") || updates() != 0 {
		t.Fatalf("answer no: %+v", r)
	}
	r = npc("y\n", "models", "approve", "1", "--note", "Mira sounds right", "--json")
	var dec struct {
		Caller, Previous string
		NewStatus        string `json:"newStatus"`
		Prev             string `json:"previousStatus"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &dec); err != nil || r.code != ExitOK || dec.NewStatus != "Approved" || dec.Prev != "PendingManualApproval" {
		t.Fatalf("approve: %v %+v", err, r)
	}
	isTerminal = was
	if r := npc("", "models", "approve", "1", "--note", "again", "--yes"); r.code != ExitError || !strings.Contains(r.stderr, "already approved: nothing was sent") {
		t.Fatalf("approve twice: %+v", r)
	}
	if n := updates(); n != 1 {
		t.Fatalf("%d updates sent, want 1", n)
	}
	r = npc("", "models", "deployment")
	if r.code != ExitOK || !strings.Contains(r.stdout, "CustomModelName  "+pt) || !strings.Contains(r.stdout, "QA             InProgress") {
		t.Fatalf("deployment: %+v", r)
	}
	if r := npc("", "models", "reject", "2", "--note", "stiff in the tavern", "--yes"); r.code != ExitOK || !strings.Contains(r.stdout, "PendingManualApproval -> Rejected") {
		t.Fatalf("reject: %+v", r)
	}
	r = npc("", "models", "history", "--json")
	var hist []struct {
		Caller, Note, Action string
		Version              int
		Prev                 string `json:"previousStatus"`
		New                  string `json:"newStatus"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &hist); err != nil || len(hist) != 2 {
		t.Fatalf("history: %v %+v", err, r)
	}
	if h := hist[0]; h.Version != v2.Number || h.Action != "reject" || h.Note != "stiff in the tavern" || h.New != "Rejected" || !strings.HasPrefix(h.Caller, "arn:aws:") {
		t.Errorf("newest decision: %+v", h)
	}
	if h := hist[1]; h.Version != v1.Number || h.Prev != "PendingManualApproval" || h.New != "Approved" || h.Note != "Mira sounds right" {
		t.Errorf("first decision: %+v", h)
	}
	if r := npc("", "models", "show", "1"); !strings.Contains(r.stdout, "by "+hist[1].Caller) || !strings.Contains(r.stdout, "note        Mira sounds right") {
		t.Errorf("show after approval: %+v", r)
	}
}

// Talking to a version reaches its custom model through its InService provisioned throughput
// on the workspace's Bedrock provider; a compare sends the line to production's model too.
func TestModelsTalk(t *testing.T) {
	l := cloudtest.Deploy(t)
	fake := bedrockfake.New()
	t.Cleanup(fake.Close)
	t.Setenv("AWS_ENDPOINT_URL_BEDROCK_RUNTIME", fake.URL)
	_, do := chatCLI(t)
	if r := do("cloud", "connect", "--workload", l.Workload, "--stage", "QA", "--region", l.Region); r.code != ExitOK {
		t.Fatalf("connect: %+v", r)
	}
	v1 := l.RegisterVersion(t, "talk1")
	if r := do("models", "talk", "1", "Mira Saltwhistle", "--message", "Hello"); r.code != ExitError || !strings.Contains(r.stderr, "needs an Amazon Bedrock provider") {
		t.Fatalf("talk with no Bedrock provider: %+v", r)
	}
	if r := do("provider", "add", "team", "--kind", "bedrock", "--region", l.Region, "--model-id", "amazon.titan-text-express-v1"); r.code != ExitOK {
		t.Fatalf("%+v", r)
	}
	if r := do("models", "talk", "1", "Mira Saltwhistle", "--message", "Hello"); r.code != ExitError || !strings.Contains(r.stderr, "cannot be talked to yet") ||
		!strings.Contains(r.stderr, v1.Model) || len(fake.Requests()) != 0 {
		t.Fatalf("talk with no throughput: %+v", r)
	}
	pt1 := l.Bedrock.AddThroughput("talk1-pt", v1.Model, "InService", 1)
	if r := do("models", "talk", "1", "Mira Saltwhistle", "--message", "Can you mend this anchor?"); r.code != ExitOK {
		t.Fatalf("talk: %+v", r)
	}
	if reqs := fake.Requests(); len(reqs) != 1 || reqs[0].ModelID != pt1 {
		t.Fatalf("talk sent %+v, want one request to %s", reqs, pt1)
	}
	if r := do("models", "approve", "1", "--note", "in production", "--yes"); r.code != ExitOK {
		t.Fatalf("approve: %+v", r)
	}
	v2 := l.RegisterVersion(t, "talk2")
	pt2 := l.Bedrock.AddThroughput("talk2-pt", v2.Model, "InService", 1)
	if r := do("models", "talk", "2", "Mira Saltwhistle", "--message", "Who keeps the light?", "--compare", "--json"); r.code != ExitOK {
		t.Fatalf("compare: %+v", r)
	}
	var models []string
	for _, q := range fake.Requests()[1:] {
		models = append(models, q.ModelID)
	}
	slices.Sort(models)
	want := []string{pt1, pt2}
	slices.Sort(want)
	if !slices.Equal(models, want) {
		t.Fatalf("compare reached %v, want the candidate's and production's throughputs %v", models, want)
	}
}
