package app

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/npcstudio/npcstudio/backend/cloud"
	"github.com/npcstudio/npcstudio/backend/cloud/cloudtest"
)

// titanFile writes about size bytes of Titan input/output records.
func titanFile(t *testing.T, size int) string {
	t.Helper()
	var b strings.Builder
	for i := 0; b.Len() < size; i++ {
		fmt.Fprintf(&b, `{"input":"Tell me about the lighthouse keeper, number %d, and the storm of the old year.","output":"%s"}`+"\n",
			i, strings.Repeat("She kept the lamp lit through every gale. ", 12))
	}
	p := filepath.Join(t.TempDir(), "keeper.jsonl")
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// A push cancelled from the window leaves no object (so no pipeline starts), keeps its
// finished parts, and Resume finishes it without sending them again.
func TestCloudPushCancelThenResume(t *testing.T) {
	l := cloudtest.Deploy(t)
	a := newApp(t, t.TempDir())
	rec := &recorder{}
	a.SetEmitter(rec)
	svc := a.Cloud
	var cancelAt atomic.Int32
	cancelAt.Store(2)
	svc.transfer = func(tr *cloud.Transfer) {
		tr.PartSize, tr.Concurrency = cloud.MinPartSize, 1
		tr.OnPartSaved = func(n int32) {
			if n == cancelAt.Load() {
				a.ops.Cancel("push-1")
			}
		}
	}
	st, err := svc.Connect(ConnectRequest{Deployment: cloud.Deployment{Workload: l.Workload, Stage: "QA", Region: l.Region}})
	if err != nil || st.Missing != 0 {
		t.Fatalf("connect: %+v %v", st, err)
	}
	file := titanFile(t, 3*cloud.MinPartSize+1000)
	plan, err := svc.PlanDataset(DatasetPlanRequest{Source: cloud.DatasetSource{File: file, BaseModel: "amazon.titan-text-express-v1"}})
	if err != nil {
		t.Fatal(err)
	}
	if plan.Upload.Bucket != l.TuningBucket || !strings.HasSuffix(plan.Upload.Key, "/raw-data/data.jsonl") || !strings.Contains(plan.Upload.Trigger, "FMOpsPipeline") {
		t.Fatalf("plan %+v", plan.Upload)
	}
	id, err := svc.Push(PushRequest{OpID: "push-1", PlanID: plan.Upload.ID})
	if err != nil {
		t.Fatal(err)
	}
	evs := waitOp(t, rec, id)
	last := evs[len(evs)-1]
	if last.Type != "error" || !strings.Contains(last.Error.Message, "push --resume") {
		t.Fatalf("cancelled push ended with %+v", last)
	}
	if ks := l.Keys(t, l.TuningBucket); len(ks) != 0 {
		t.Fatalf("a cancelled push left %v in the tuning bucket", ks)
	}
	hist, _ := svc.Uploads()
	if len(hist) != 1 || hist[0].Status != cloud.StatusUploading {
		t.Fatalf("history after cancel: %+v", hist)
	}

	cancelAt.Store(-1)
	id, err = svc.Resume(ResumeRequest{OpID: "resume-1"})
	if err != nil {
		t.Fatal(err)
	}
	res := done[ResumeResult](t, waitOp(t, rec, id))
	if len(res.Finished) != 1 {
		t.Fatalf("resume finished %+v", res)
	}
	up := res.Finished[0]
	raw, _ := os.ReadFile(file)
	sum := sha256.Sum256(raw)
	if got := l.Get(t, l.TuningBucket, up.Key); sha256.Sum256(got) != sum || up.SHA256 != hex.EncodeToString(sum[:]) {
		t.Fatal("the resumed object is not the file pushed")
	}
	var sawProgress bool
	for _, e := range rec.of("resume-1") {
		if p, ok := e.Data.(PushProgress); ok && e.Type == "progress" && p.Total == up.Size {
			sawProgress = true
		}
	}
	if !sawProgress {
		t.Error("resume reported no progress")
	}
}

func TestCloudDiscardRemovesTheStagedFile(t *testing.T) {
	l := cloudtest.Deploy(t)
	a := newApp(t, t.TempDir())
	svc := a.Cloud
	if _, err := svc.Connect(ConnectRequest{Deployment: cloud.Deployment{Workload: l.Workload, Stage: "QA", Region: l.Region}}); err != nil {
		t.Fatal(err)
	}
	plan, err := svc.PlanDataset(DatasetPlanRequest{Source: cloud.DatasetSource{File: titanFile(t, 2000), BaseModel: "amazon.titan-text-express-v1"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(plan.Upload.File); err != nil {
		t.Fatalf("staged file: %v", err)
	}
	if err := svc.Discard(PlanRequest{ID: plan.Upload.ID}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(plan.Upload.File); !os.IsNotExist(err) {
		t.Fatalf("staged file after discard: %v", err)
	}
	if _, err := svc.Push(PushRequest{PlanID: plan.Upload.ID}); err == nil {
		t.Fatal("a discarded plan was pushed")
	}
	if ks := l.Keys(t, l.TuningBucket); len(ks) != 0 {
		t.Fatalf("bucket holds %v", ks)
	}
}
