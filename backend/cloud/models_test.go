package cloud

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/npcstudio/npcstudio/backend/cloud/cloudtest"
)

// modelsDeployment is a local deployment with the fronts, for the model registry tests.
type modelsDeployment struct {
	*localDeployment
	l *cloudtest.Local
}

func newModelsDeployment(t *testing.T) *modelsDeployment {
	t.Helper()
	l := cloudtest.Deploy(t)
	d := Deployment{Workload: l.Workload, Stage: l.Stage, Region: l.Region, Account: l.Account}
	if err := d.Normalize(); err != nil {
		t.Fatal(err)
	}
	c, err := NewClients(context.Background(), d, ClientOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return &modelsDeployment{&localDeployment{Deployment: d, Clients: c, Account: l.Account, Tuning: l.TuningBucket, Lore: l.LoreBucket}, l}
}

const updateTarget = "SageMaker.UpdateModelPackage"

// Three runs registered: one with its report and metrics, one with a malformed report, one
// with none. The list shows all three, newest first, with the gaps named.
func TestListAndShowVersions(t *testing.T) {
	m := newModelsDeployment(t)
	ctx := context.Background()
	v1 := m.l.RegisterVersion(t, "exec1")
	v2 := m.l.RegisterVersion(t, "exec2")
	v3 := m.l.RegisterVersion(t, "exec3")
	v4 := m.l.RegisterVersion(t, "exec4")
	huge := append([]byte(`{"Loss": 1, "Perplexity": 2, "pad": "`), bytes.Repeat([]byte("x"), 70<<10)...)
	if err := m.l.Evidence(ctx, v4, append(huge, `"}`...), nil, nil); err != nil {
		t.Fatal(err)
	}
	train := [][2]float64{{0, 2.5}, {10, 2.0}, {20, 1.5}}
	valid := [][2]float64{{10, 2.2}, {20, 1.7}}
	if err := m.l.Evidence(ctx, v1, []byte(`{"Loss": 1.42, "Perplexity": 4.14}`), train, valid); err != nil {
		t.Fatal(err)
	}
	if err := m.l.Evidence(ctx, v2, []byte(`{"Loss": "low", "Perplexity": 3}`), nil, nil); err != nil {
		t.Fatal(err)
	}
	m.l.Bedrock.AddThroughput("pt-one", v1.Model, "InService", 2)

	vs, err := ListVersions(ctx, m.Clients, m.Deployment, ModelsOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != 4 || vs[0].Version != v4.Number || vs[3].Version != v1.Number {
		t.Fatalf("versions, newest first: %+v", vs)
	}
	got := map[int]ModelVersion{}
	for _, v := range vs {
		got[v.Version] = v
		if v.Status != VersionPending {
			t.Errorf("version %d is %s, want %s", v.Version, v.Status, VersionPending)
		}
	}
	one := got[v1.Number]
	if one.Evaluation == nil || one.Evaluation.Loss != 1.42 || one.Evaluation.Perplexity != 4.14 || len(one.Gaps) != 0 {
		t.Errorf("version with a report: %+v, gaps %v", one.Evaluation, one.Gaps)
	}
	if one.Metadata.ModelARN != v1.Model || one.Metadata.JobName != v1.JobName || one.Metadata.BaseModelARN == "" || one.Metadata.OutputData != v1.Output {
		t.Errorf("metadata: %+v", one.Metadata)
	}
	if len(one.Throughputs) != 1 || one.Throughputs[0].Status != "InService" || one.Throughputs[0].ModelUnits != 2 {
		t.Errorf("throughputs of version 1: %+v", one.Throughputs)
	}
	if g := strings.Join(got[v2.Number].Gaps, "; "); got[v2.Number].Evaluation != nil || !strings.Contains(g, "field Loss is \"low\", not a number") ||
		!strings.Contains(g, v2.ExecID+"/evaluation/evaluation_report.json") {
		t.Errorf("malformed report: %+v gaps %q", got[v2.Number].Evaluation, g)
	}
	if g := strings.Join(got[v3.Number].Gaps, "; "); got[v3.Number].Evaluation != nil || !strings.Contains(g, "is missing") {
		t.Errorf("missing report: gaps %q", g)
	}
	if g := strings.Join(got[v4.Number].Gaps, "; "); got[v4.Number].Evaluation != nil || !strings.Contains(g, "larger than 64 KB") {
		t.Errorf("huge report: gaps %q", g)
	}
	if len(got[v3.Number].Throughputs) != 0 {
		t.Errorf("version 3 has another model's throughput: %+v", got[v3.Number].Throughputs)
	}

	show, err := ShowVersion(ctx, m.Clients, m.Deployment, v1.Number, ModelsOptions{Readiness: func(arn string) *Readiness {
		if arn != v1.ARN {
			return nil
		}
		return &Readiness{Suites: []SuiteResult{{Suite: "Mira stays in character", Passed: 9, Total: 10, Rate: 0.9}}}
	}})
	if err != nil {
		t.Fatal(err)
	}
	j := show.Job
	if j == nil || j.Name != v1.JobName || j.HyperParameters["epochCount"] != "2" {
		t.Fatalf("job: %+v, gaps %q", j, show.Gaps)
	}
	if len(j.Training) != 3 || j.Training[2].Step != 20 || j.Training[2].Loss != 1.5 || len(j.Validation) != 2 || j.Validation[1].Loss != 1.7 {
		t.Errorf("loss curves: %+v %+v", j.Training, j.Validation)
	}
	if show.Readiness == nil || show.Readiness.Suites[0].Rate != 0.9 {
		t.Errorf("readiness: %+v", show.Readiness)
	}
	three, err := ShowVersion(ctx, m.Clients, m.Deployment, v3.Number, ModelsOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if g := strings.Join(three.Gaps, "; "); !strings.Contains(g, "step_wise_training_metrics.csv is missing") || !strings.Contains(g, "validation_metrics.csv is missing") {
		t.Errorf("missing metrics: %q", g)
	}
	if _, err := ShowVersion(ctx, m.Clients, m.Deployment, 99, ModelsOptions{}); err == nil || !strings.Contains(err.Error(), "version 99") {
		t.Errorf("unknown version: %v", err)
	}
}

func TestParseLossCSV(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
	}{
		{"no loss column", "step_number,epoch_number,perplexity\n0,0,3\n", "line 1: no column training_loss"},
		{"a word for a number", "step_number,epoch_number,training_loss,perplexity\n0,0,1.5,4\n10,0,high,4\n", `line 3: training_loss is "high"`},
		{"empty", "", "line 1: no header"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := parseLossCSV([]byte(tc.in), "training_loss"); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want %q", err, tc.want)
			}
		})
	}
	pts, err := parseLossCSV([]byte("\ufeffstep_number,epoch_number,training_loss,perplexity\n0,0,2.5,12.18\n5,1,2.0,7.39\n"), "training_loss")
	if err != nil || len(pts) != 2 || pts[1].Epoch != 1 || pts[1].Perplexity != 7.39 {
		t.Fatalf("%+v %v", pts, err)
	}
}

// Approve with a note where a throughput is InService: the registry says Approved with the
// note, the audit log has the caller, the deployment's rule updated CustomModelName and
// started the pipeline. Approving again sends nothing.
func TestApproveThenApproveAgain(t *testing.T) {
	m := newModelsDeployment(t)
	ctx := context.Background()
	v := m.l.RegisterVersion(t, "execa")
	pt := m.l.Bedrock.AddThroughput("pt-a", v.Model, "InService", 1)
	log := NewApprovals(openStore(t))
	dec, err := log.Decide(ctx, m.Clients, m.Deployment, DecisionRequest{Version: v.Number, Action: ActionApprove, Note: "Mira sounds right; QA please"})
	if err != nil {
		t.Fatal(err)
	}
	if dec.Previous != VersionPending || dec.NewStatus != VersionApproved || !strings.HasPrefix(dec.Caller, "arn:aws:") || dec.Forced {
		t.Errorf("decision: %+v", dec)
	}
	show, err := ShowVersion(ctx, m.Clients, m.Deployment, v.Number, ModelsOptions{Decisions: mustList(t, log)})
	if err != nil {
		t.Fatal(err)
	}
	if show.Status != VersionApproved || show.Note != "Mira sounds right; QA please" || show.DecidedBy != dec.Caller || show.Metadata.ModelARN != v.Model {
		t.Errorf("after approval: %+v", show)
	}
	st, err := ReadDeploymentState(ctx, m.Clients, m.Deployment)
	if err != nil {
		t.Fatal(err)
	}
	if st.CustomModelName != pt || len(st.Stages) != 4 || st.Stages[1].Name != "QA" || st.Stages[1].Status != "InProgress" || !st.Running {
		t.Errorf("deployment after approval: %+v", st)
	}
	// Next look: QA done, system tests running.
	if st, _ = ReadDeploymentState(ctx, m.Clients, m.Deployment); st.Stages[1].Status != "Succeeded" || st.Stages[2].Status != "InProgress" {
		t.Errorf("pipeline did not move on: %+v", st.Stages)
	}

	sent := m.l.SageMaker.Calls(updateTarget)
	_, err = log.Decide(ctx, m.Clients, m.Deployment, DecisionRequest{Version: v.Number, Action: ActionApprove, Note: "again"})
	var already *AlreadyDecidedError
	if !errors.As(err, &already) || !strings.Contains(err.Error(), "already approved: nothing was sent") {
		t.Fatalf("approve twice: %v", err)
	}
	if n := m.l.SageMaker.Calls(updateTarget); n != sent {
		t.Errorf("approving twice sent %d updates", n-sent)
	}
	if ds := mustList(t, log); len(ds) != 1 {
		t.Errorf("audit log after a refusal: %+v", ds)
	}
}

func mustList(t *testing.T, a *Approvals) []Decision {
	t.Helper()
	ds, err := a.List()
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

// With no InService throughput, approval is refused with the reason and the fix and sends
// nothing; --force sends it (and the deployment's Lambda, finding none, changes nothing).
func TestApproveRefusedWithoutThroughputUnlessForced(t *testing.T) {
	m := newModelsDeployment(t)
	ctx := context.Background()
	v := m.l.RegisterVersion(t, "execb")
	m.l.Bedrock.AddThroughput("pt-b", v.Model, "Creating", 1)
	log := NewApprovals(openStore(t))
	_, err := log.Decide(ctx, m.Clients, m.Deployment, DecisionRequest{Version: v.Number, Action: ActionApprove, Note: "ship it"})
	var none *NoThroughputError
	if !errors.As(err, &none) || !strings.Contains(err.Error(), "pt-b is Creating") || !strings.Contains(err.Error(), "create-provisioned-model-throughput") ||
		!strings.Contains(err.Error(), "--force") {
		t.Fatalf("approval without throughput: %v", err)
	}
	if n := m.l.SageMaker.Calls(updateTarget); n != 0 {
		t.Errorf("a refused approval sent %d updates", n)
	}
	if ds := mustList(t, log); len(ds) != 0 {
		t.Errorf("a refused approval was logged: %+v", ds)
	}
	dec, err := log.Decide(ctx, m.Clients, m.Deployment, DecisionRequest{Version: v.Number, Action: ActionApprove, Note: "ship it", Force: true})
	if err != nil || !dec.Forced || dec.NewStatus != VersionApproved {
		t.Fatalf("forced approval: %+v %v", dec, err)
	}
	if n := m.l.SageMaker.Calls(updateTarget); n != 1 {
		t.Errorf("forced approval sent %d updates", n)
	}
	st, err := ReadDeploymentState(ctx, m.Clients, m.Deployment)
	if err != nil {
		t.Fatal(err)
	}
	if st.CustomModelName != "PLACEHOLDER" || len(st.Stages) == 0 || st.Stages[0].Status != "" {
		t.Errorf("the Lambda found no throughput, yet: %+v", st)
	}
}

// Reject with a note; a long note is refused before anything is sent; a failing registry
// call leaves the status and says so.
func TestRejectLongNoteAndRegistryFailure(t *testing.T) {
	m := newModelsDeployment(t)
	ctx := context.Background()
	v := m.l.RegisterVersion(t, "execc")
	log := NewApprovals(openStore(t))

	_, err := log.Decide(ctx, m.Clients, m.Deployment, DecisionRequest{Version: v.Number, Action: ActionReject, Note: strings.Repeat("é", NoteLimit+1)})
	if err == nil || !strings.Contains(err.Error(), "1025 characters") || !strings.Contains(err.Error(), "at most 1024") {
		t.Fatalf("long note: %v", err)
	}
	if n := m.l.SageMaker.Calls(updateTarget) + m.l.SageMaker.Calls("SageMaker.ListModelPackages"); n != 0 {
		t.Errorf("a refused note sent %d requests", n)
	}

	m.l.SageMaker.DenyNext(updateTarget)
	_, err = log.Decide(ctx, m.Clients, m.Deployment, DecisionRequest{Version: v.Number, Action: ActionReject, Note: "too stiff"})
	var reg *RegistryError
	if !errors.As(err, &reg) || !strings.Contains(err.Error(), "is still PendingManualApproval") || !strings.Contains(err.Error(), "access denied") {
		t.Fatalf("registry failure: %v", err)
	}
	show, err := ShowVersion(ctx, m.Clients, m.Deployment, v.Number, ModelsOptions{})
	if err != nil || show.Status != VersionPending {
		t.Fatalf("after a failed update: %s %v", show.Status, err)
	}

	note := strings.Repeat("n", NoteLimit)
	dec, err := log.Decide(ctx, m.Clients, m.Deployment, DecisionRequest{Version: v.Number, Action: ActionReject, Note: note})
	if err != nil || dec.NewStatus != VersionRejected {
		t.Fatalf("reject: %+v %v", dec, err)
	}
	show, _ = ShowVersion(ctx, m.Clients, m.Deployment, v.Number, ModelsOptions{})
	if show.Status != VersionRejected || show.Note != note {
		t.Errorf("after rejection: %s %q", show.Status, show.Note)
	}
	ds := mustList(t, log)
	if len(ds) != 2 || ds[0].Error == "" || ds[0].NewStatus != VersionPending || ds[1].Previous != VersionPending ||
		ds[1].NewStatus != VersionRejected || ds[1].Note != note || ds[1].VersionARN != v.ARN || ds[1].Caller == "" {
		t.Errorf("audit log: %+v", ds)
	}
}
