package cloud

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/npcstudio/npcstudio/backend/cloud/cloudtest"
)

// Pushes, the runs their triggers start in moto, and the runs listed with the push that
// started each.
func TestRunsAreMatchedToThePushesThatStartedThem(t *testing.T) {
	l := cloudtest.Deploy(t)
	ld := connectLocal(t, l)
	c, d := ld.Clients, ld.Deployment
	ups := NewUploads(openStore(t))
	push := func(bucket, key, body string) Upload {
		t.Helper()
		req := rawRequest(ld, bucket, key, []byte(body))
		if bucket == l.TuningBucket {
			req.Kind = KindDataset
		}
		plan, err := ups.Stage(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		up, err := ups.Push(context.Background(), &Transfer{S3: c.S3}, plan, false)
		if err != nil {
			t.Fatal(err)
		}
		return up
	}

	before, err := ListRuns(context.Background(), c, d, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(before.Runs) != 0 {
		t.Fatalf("a fresh deployment has runs: %+v", before.Runs)
	}
	lorePush := push(l.LoreBucket, "lore/ashfall.txt", "The Ember Court meets at dusk.")
	job := l.PlayTrigger(t, l.LoreBucket, "lore/ashfall.txt", time.Now())
	dsPush := push(l.TuningBucket, "npcstudio/mira/20260101T000000Z-abcd1234/raw-data/data.jsonl", `{"input":"a","output":"b"}`)
	exec := l.PlayTrigger(t, l.TuningBucket, dsPush.Key, time.Now())

	history, _ := ups.List()
	runs, err := ListRuns(context.Background(), c, d, history)
	if err != nil {
		t.Fatal(err)
	}
	if len(runs.Runs) != 2 {
		t.Fatalf("runs %+v, want the hydration job and the pipeline execution", runs)
	}
	byKind := map[string]Run{}
	for _, r := range runs.Runs {
		byKind[r.Kind] = r
	}
	h, tu := byKind[RunHydration], byKind[RunTuning]
	if h.Name != job || h.UploadID != lorePush.ID || h.Started == "" {
		t.Errorf("hydration run %+v, want job %s matched to upload %s", h, job, lorePush.ID)
	}
	if tu.ARN != exec || tu.UploadID != dsPush.ID || !strings.HasSuffix(exec, "/"+tu.Name) {
		t.Errorf("tuning run %+v, want execution %s matched to upload %s", tu, exec, dsPush.ID)
	}
	// moto ends both at once: the statuses are the cloud's own.
	if tu.Status != "Succeeded" || tu.Running || h.Status != "Completed" || h.Running {
		t.Errorf("statuses: tuning %s (running %v), hydration %s (running %v)", tu.Status, tu.Running, h.Status, h.Running)
	}
}

func TestMatchUploadsGivesEachRunToTheLatestPushBeforeIt(t *testing.T) {
	d := Deployment{Workload: "Ada", Stage: "QA", Region: "us-east-1"}
	ups := []Upload{
		{ID: "u1", Kind: KindLore, Status: StatusDone, Workload: "Ada", Region: "us-east-1", Finished: "2026-01-01T10:00:00Z"},
		{ID: "u2", Kind: KindLore, Status: StatusDone, Workload: "Ada", Region: "us-east-1", Finished: "2026-01-01T11:00:00Z"},
		{ID: "u3", Kind: KindDataset, Status: StatusDone, Workload: "Ada", Region: "us-east-1", Finished: "2026-01-01T10:30:00Z"},
		{ID: "other", Kind: KindLore, Status: StatusDone, Workload: "Bob", Region: "us-east-1", Finished: "2026-01-01T09:00:00Z"},
	}
	runs := []Run{
		{Kind: RunHydration, Name: "late", Started: "2026-01-01T11:00:02Z"},
		{Kind: RunHydration, Name: "early", Started: "2026-01-01T10:00:01Z"},
		{Kind: RunHydration, Name: "before-any", Started: "2026-01-01T08:00:00Z"},
		{Kind: RunTuning, Name: "tuning", Started: "2026-01-01T10:30:03Z"},
	}
	matchUploads(runs, ups, d)
	want := map[string]string{"late": "u2", "early": "u1", "before-any": "", "tuning": "u3"}
	for _, r := range runs {
		if r.UploadID != want[r.Name] {
			t.Errorf("run %s matched %q, want %q", r.Name, r.UploadID, want[r.Name])
		}
	}
}

// The whole path with the trigger played for real: a push lands in MinIO, MinIO's bucket
// notification reaches the webhook, which starts the run in moto; runs then shows it with
// the push that started it. A multipart push notifies once, when it completes.
func TestPushStartsItsRunThroughTheBucketNotification(t *testing.T) {
	tr := cloudtest.DeployTriggered(t)
	ld := connectLocal(t, tr.Local)
	c, d := ld.Clients, ld.Deployment
	st, err := Discover(context.Background(), c, d)
	if err != nil || st.Missing != 0 {
		t.Fatalf("discover: %+v %v", st, err)
	}
	ups := NewUploads(openStore(t))
	started := func(what string) string {
		t.Helper()
		select {
		case name := <-tr.Started:
			return name
		case <-time.After(2 * time.Minute): // a guard against a hang, not a speed check
			t.Fatalf("%s: no run started", what)
			return ""
		}
	}

	plan, err := ups.Stage(context.Background(), rawRequest(ld, tr.LoreBucket, "lore/ashfall.txt", payload(5, 2*MinPartSize+10)))
	if err != nil {
		t.Fatal(err)
	}
	lorePush, err := ups.Push(context.Background(), &Transfer{S3: c.S3, PartSize: MinPartSize}, plan, false)
	if err != nil {
		t.Fatal(err)
	}
	job := started("lore push")

	req := rawRequest(ld, tr.TuningBucket, "", []byte(`{"input":"Who keeps the light?","output":"Old Maren, since the storm."}`+"\n"))
	req.Kind, req.Ext = KindDataset, ".jsonl"
	req.KeyFor = func(sum string) string { return "npcstudio/maren/20260101T000000Z-" + sum[:8] + "/raw-data/data.jsonl" }
	plan, err = ups.Stage(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	dsPush, err := ups.Push(context.Background(), &Transfer{S3: c.S3}, plan, false)
	if err != nil {
		t.Fatal(err)
	}
	exec := started("dataset push")
	select {
	case extra := <-tr.Started:
		t.Fatalf("a run started that no push asked for: %s", extra)
	default:
	}

	history, _ := ups.List()
	runs, err := ListRuns(context.Background(), c, d, history)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range runs.Runs {
		got[r.ARN] = r.UploadID
		got[r.Name] = r.UploadID
	}
	if got[job] != lorePush.ID || got[exec] != dsPush.ID {
		t.Fatalf("runs %+v: want %s from %s and %s from %s", runs.Runs, job, lorePush.ID, exec, dsPush.ID)
	}
}

// A tuning run lists its steps; a failed step shows its reason and what to do.
func TestTuningRunStepsAndAFailure(t *testing.T) {
	l := cloudtest.Deploy(t)
	d := Deployment{Workload: l.Workload, Stage: l.Stage, Region: l.Region}
	if err := d.Normalize(); err != nil {
		t.Fatal(err)
	}
	c, err := NewClients(context.Background(), d, ClientOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ok := l.PlayTrigger(t, l.TuningBucket, "npcstudio/a/1/raw-data/data.jsonl", time.Now())
	bad := l.PlayTrigger(t, l.TuningBucket, "npcstudio/b/2/raw-data/data.jsonl", time.Now())
	l.SageMaker.FailStep(bad, "DataPreprocessing", "ClientError: line 3 of data.jsonl has no output")
	quota := l.PlayTrigger(t, l.TuningBucket, "npcstudio/c/3/raw-data/data.jsonl", time.Now())
	quotaJob := l.Workload + "-TuningJob-" + quota[strings.LastIndexByte(quota, '/')+1:]
	l.SageMaker.FailStep(quota, "FineTuning", "Job failed: see the customization job")
	l.Bedrock.FailJob(quotaJob, "Insufficient quota for model customization")
	runs, err := ListRuns(context.Background(), c, d, nil)
	if err != nil {
		t.Fatal(err)
	}
	byARN := map[string]Run{}
	for _, r := range runs.Runs {
		byARN[r.ARN] = r
	}
	good := byARN[ok]
	var names []string
	for _, s := range good.Steps {
		names = append(names, s.Name+":"+s.Status)
	}
	if strings.Join(names, " ") != "DataPreprocessing:Succeeded FineTuning:Succeeded ModelEvaluation:Succeeded Register-RegisterModel:Succeeded" {
		t.Errorf("steps of a finished run: %v (notes %v)", names, runs.Notes)
	}
	if good.Job == nil || good.Job.Name != l.Workload+"-TuningJob-"+good.Name || good.Job.Status == "" {
		t.Errorf("customization job of a run: %+v (notes %v)", good.Job, runs.Notes)
	}
	failed := byARN[bad]
	if failed.Status != "Failed" || len(failed.Steps) != 1 || failed.Steps[0].FailureReason != "ClientError: line 3 of data.jsonl has no output" {
		t.Fatalf("failed run %+v", failed)
	}
	if !strings.Contains(failed.Hint, "npcstudio dataset validate") {
		t.Errorf("hint %q does not say what to do about a refused dataset", failed.Hint)
	}
	q := byARN[quota]
	if q.Job == nil || q.Job.Status != "Failed" || !strings.Contains(q.Hint, "Insufficient quota") || !strings.Contains(q.Hint, quotaJob) {
		t.Errorf("run whose customization job failed: %+v hint %q", q.Job, q.Hint)
	}
}
