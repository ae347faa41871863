package cloud

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/npcstudio/npcstudio/backend/cloud/cloudtest"
	"github.com/npcstudio/npcstudio/backend/dataset"
	"github.com/npcstudio/npcstudio/backend/lore"
)

func discover(t *testing.T, ld *localDeployment) Status {
	t.Helper()
	st, err := Discover(context.Background(), ld.Clients, ld.Deployment)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func TestPushLoreCollectionAsOneFile(t *testing.T) {
	ld := newLocalDeployment(t)
	ws := openStore(t)
	lib, err := lore.NewLibrary(ws, lore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer lib.Close()
	dir := t.TempDir()
	files := map[string]string{
		"ember_court.md":  "# The Ember Court\n\nThe court meets at dusk in Émberfall.\n",
		"saltwhistle.txt": "Mira Saltwhistle sells maps that are almost right.\n",
		"other.txt":       "Not in the collection.\n",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := lib.Add(context.Background(), []string{filepath.Join(dir, "ember_court.md"), filepath.Join(dir, "saltwhistle.txt")},
		lore.AddOptions{Collection: "Cités d'Ashfall"}); err != nil {
		t.Fatal(err)
	}
	if _, err := lib.Add(context.Background(), []string{filepath.Join(dir, "other.txt")}, lore.AddOptions{}); err != nil {
		t.Fatal(err)
	}
	st := discover(t, ld)
	req, err := LoreRequest(lib, LoreSource{Collection: "Cités d'Ashfall"}, st)
	if err != nil {
		t.Fatal(err)
	}
	ups := NewUploads(ws)
	plan, err := ups.Stage(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if plan.Upload.Key != "lore/cites-d-ashfall.txt" || plan.Upload.Bucket != ld.Lore {
		t.Errorf("target s3://%s/%s", plan.Upload.Bucket, plan.Upload.Key)
	}
	if !strings.Contains(plan.Replaces, "replaces everything") || !strings.Contains(plan.Upload.Trigger, ld.Deployment.Workload+"-RAG-Ingest-") {
		t.Errorf("plan does not say what it replaces and starts: %+v", plan)
	}
	if _, err := ups.Push(context.Background(), &Transfer{S3: ld.Clients.S3}, plan, false); err != nil {
		t.Fatal(err)
	}
	if ks := cloudtest.Keys(t, ld.Clients.S3, ld.Lore); len(ks) != 1 {
		t.Fatalf("bucket holds %v, want one combined file", ks)
	}
	got := cloudtest.Get(t, ld.Clients.S3, ld.Lore, "lore/cites-d-ashfall.txt")
	if !utf8.Valid(got) {
		t.Fatal("pushed lore is not UTF-8")
	}
	for _, want := range []string{"ember_court.md\n\n# The Ember Court", "Émberfall", "saltwhistle.txt\n\nMira Saltwhistle"} {
		if !bytes.Contains(got, []byte(want)) {
			t.Errorf("pushed lore lacks %q:\n%s", want, got)
		}
	}
	if bytes.Contains(got, []byte("Not in the collection")) {
		t.Error("a document outside the collection was pushed")
	}
	if int64(len(got)) != plan.Upload.Size {
		t.Errorf("size %d, plan said %d", len(got), plan.Upload.Size)
	}
	// Chosen documents instead of a collection.
	req, err = LoreRequest(lib, LoreSource{Docs: []string{"other.txt"}}, st)
	if err != nil || req.Key != "lore/other.txt" {
		t.Fatalf("documents push: key %q, %v", req.Key, err)
	}
	if _, err := LoreRequest(lib, LoreSource{Collection: "nope"}, st); err == nil {
		t.Error("an empty collection was accepted")
	}
}

// claudeFile writes n Claude 3 Haiku records as JSON Lines.
func claudeFile(t *testing.T, n int) string {
	t.Helper()
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, `{"system":"You are Mira.","messages":[{"role":"user","content":"Where is the harbour, question %d?"},{"role":"assistant","content":"Down the hill, past the lantern shop, traveller number %d."}]}`+"\n", i, i)
	}
	p := filepath.Join(t.TempDir(), "mira.jsonl")
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const haiku = "anthropic.claude-3-haiku-20240307-v1:0"

func TestPushDatasetRefusesAnInvalidOneAndSendsNothing(t *testing.T) {
	ld := newLocalDeployment(t)
	ws := openStore(t)
	repo := dataset.NewRepository(ws)
	ctx := context.Background()
	ds, err := repo.CreateDataset(ctx, dataset.CreateDatasetRequest{Name: "Mira lines", BaseModel: haiku})
	if err != nil {
		t.Fatal(err)
	}
	// 31 records: Claude 3 Haiku needs at least 32.
	if _, err := repo.Import(ctx, dataset.ImportRequest{DatasetID: ds.ID, Path: claudeFile(t, 31)}); err != nil {
		t.Fatal(err)
	}
	st := discover(t, ld)
	_, err = DatasetRequest(ctx, repo, DatasetSource{DatasetID: ds.ID}, st, time.Now())
	var inv *DatasetInvalidError
	if !errors.As(err, &inv) || inv.Report.Valid {
		t.Fatalf("push of 31 Haiku records: %v, want DatasetInvalidError", err)
	}
	if !strings.Contains(err.Error(), "nothing was uploaded") {
		t.Errorf("message %q does not say nothing was uploaded", err)
	}
	// A file pushed for a base model it does not fit is refused too.
	_, err = DatasetRequest(ctx, repo, DatasetSource{File: claudeFile(t, 40), BaseModel: "amazon.titan-text-express-v1"}, st, time.Now())
	if !errors.As(err, &inv) {
		t.Fatalf("Claude records pushed for Titan: %v, want DatasetInvalidError", err)
	}
	if ks := cloudtest.Keys(t, ld.Clients.S3, ld.Tuning); len(ks) != 0 {
		t.Fatalf("tuning bucket holds %v after refused pushes", ks)
	}
}

func TestPushDatasetExportsTheBaseModelsFormatToAFreshKey(t *testing.T) {
	ld := newLocalDeployment(t)
	ws := openStore(t)
	repo := dataset.NewRepository(ws)
	ctx := context.Background()
	ds, err := repo.CreateDataset(ctx, dataset.CreateDatasetRequest{Name: "Mira lines", BaseModel: haiku})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := repo.Import(ctx, dataset.ImportRequest{DatasetID: ds.ID, Path: claudeFile(t, 40)}); err != nil {
		t.Fatal(err)
	}
	st := discover(t, ld)
	ups := NewUploads(ws)
	push := func(force bool) (Upload, error) {
		req, err := DatasetRequest(ctx, repo, DatasetSource{DatasetID: ds.ID}, st, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		plan, err := ups.Stage(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		return ups.Push(ctx, &Transfer{S3: ld.Clients.S3}, plan, force)
	}
	up, err := push(false)
	if err != nil {
		t.Fatal(err)
	}
	if up.Bucket != ld.Tuning || !strings.HasPrefix(up.Key, "npcstudio/mira-lines/") || !strings.HasSuffix(up.Key, "/raw-data/data.jsonl") {
		t.Errorf("target s3://%s/%s", up.Bucket, up.Key)
	}
	if !strings.Contains(up.Trigger, ld.Deployment.Workload+"-FMOpsPipeline") {
		t.Errorf("trigger %q", up.Trigger)
	}
	body := cloudtest.Get(t, ld.Clients.S3, ld.Tuning, up.Key)
	lines := 0
	sc := bufio.NewScanner(bytes.NewReader(body))
	for sc.Scan() {
		lines++
		var rec map[string]any
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatalf("line %d: %v", lines, err)
		}
		if _, ok := rec["messages"]; !ok || rec["system"] != "You are Mira." || len(rec) != 2 {
			t.Fatalf("line %d is not a Claude 3 Haiku record: %s", lines, sc.Text())
		}
	}
	if lines != 40 {
		t.Errorf("%d lines, want 40", lines)
	}
	// The same version again is recognised; forced, it goes to another fresh key.
	var ap *AlreadyPushedError
	if _, err := push(false); !errors.As(err, &ap) {
		t.Fatalf("second push: %v, want AlreadyPushedError", err)
	}
	again, err := push(true)
	if err != nil {
		t.Fatal(err)
	}
	if again.Key == up.Key && again.VersionID == up.VersionID {
		t.Errorf("forced push did not make a new object")
	}
}

// A write that fails as on a full disk (ENOSPC from the writer, as the file system returns
// it) leaves no staged file and says what to do.
func TestStagingOnAFullDiskLeavesNothing(t *testing.T) {
	ups := NewUploads(openStore(t))
	req := Request{Kind: KindLore, Bucket: "b", Key: "lore/x.txt", Ext: ".txt",
		Write: func(w io.Writer) error {
			w.Write(bytes.Repeat([]byte("lore "), 1000))
			return &os.PathError{Op: "write", Path: "staged", Err: syscall.ENOSPC}
		}}
	_, err := ups.Stage(context.Background(), req)
	if err == nil || !strings.Contains(err.Error(), "disk is full") || !strings.Contains(err.Error(), "nothing was uploaded") {
		t.Fatalf("stage on a full disk: %v", err)
	}
	left, _ := os.ReadDir(ups.stagingDir())
	if len(left) != 0 {
		t.Errorf("staging keeps %d files after a failed write", len(left))
	}
	if p, _ := ups.Pending(); len(p) != 0 {
		t.Errorf("a failed stage left pending uploads %+v", p)
	}
}
