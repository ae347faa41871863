package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/npcstudio/npcstudio/backend/cloud/cloudtest"
	"github.com/npcstudio/npcstudio/backend/secrets"
)

// TestCloudConnectAndPush walks the writer's path against the local deployment: connect,
// see it, push a collection (refused without --yes off a terminal), refuse the same push
// again, refuse an invalid dataset with exit 3, and list the history.
func TestCloudConnectAndPush(t *testing.T) {
	l := cloudtest.Deploy(t)
	dir := t.TempDir()
	sec := secrets.NewMemory()
	npc := func(args ...string) result {
		return run(t, sec, "", append([]string{"--data-dir", dir}, args...)...)
	}
	decode := func(r result, v any) {
		t.Helper()
		if err := json.Unmarshal([]byte(r.stdout), v); err != nil {
			t.Fatalf("%v: %+v", err, r)
		}
	}

	// Pushing before connecting says what to do.
	if r := npc("push", "lore", "--collection", "ashfall", "--yes"); r.code != ExitError || !strings.Contains(r.stderr, "cloud connect") {
		t.Fatalf("push with no deployment: %+v", r)
	}

	r := npc("cloud", "connect", "--workload", l.Workload, "--stage", "qa", "--region", l.Region, "--json")
	var st struct {
		Missing    int    `json:"missing"`
		LoreBucket string `json:"loreBucket"`
		Identity   struct {
			ARN     string `json:"arn"`
			Account string `json:"account"`
		} `json:"identity"`
		CustomModelName string `json:"customModelName"`
	}
	decode(r, &st)
	if r.code != ExitOK || st.Missing != 0 || st.LoreBucket != l.LoreBucket || st.Identity.Account != l.Account || st.CustomModelName != "PLACEHOLDER" {
		t.Fatalf("connect: %+v", r)
	}
	if r := npc("cloud", "status"); r.code != ExitOK || !strings.Contains(r.stdout, "[ok  ] lore bucket (QA): "+l.LoreBucket) ||
		!strings.Contains(r.stdout, "signed in as "+st.Identity.ARN) {
		t.Fatalf("status: %+v", r)
	}
	if r := npc("cloud", "list"); r.code != ExitOK || !strings.Contains(r.stdout, "*  "+l.Workload+"-QA") {
		t.Fatalf("list: %+v", r)
	}

	if r := npc("lore", "add", world, "--collection", "ashfall"); r.code != ExitOK {
		t.Fatalf("lore add: %+v", r)
	}
	// Off a terminal, a push needs --yes; nothing is sent without it.
	if r := npc("push", "lore", "--collection", "ashfall"); r.code != ExitUsage || !strings.Contains(r.stderr, "--yes") {
		t.Fatalf("push without --yes: %+v", r)
	}
	if ks := l.Keys(t, l.LoreBucket); len(ks) != 0 {
		t.Fatalf("a push without --yes sent %v", ks)
	}
	// Another stage of the deployment: its lore bucket is not there, and nothing is sent.
	if r := npc("push", "lore", "--collection", "ashfall", "--stage", "PROD", "--yes"); r.code != ExitError ||
		!strings.Contains(r.stderr, "PROD lore bucket") || !strings.Contains(r.stderr, "cloud status") {
		t.Fatalf("push to a stage without a lore bucket: %+v", r)
	}
	r = npc("push", "lore", "--collection", "ashfall", "--yes", "--json")
	var up struct {
		ID, Key, Bucket, Status, SHA256, VersionID, By string
	}
	decode(r, &up)
	if r.code != ExitOK || up.Key != "lore/ashfall.txt" || up.Status != "done" || up.VersionID == "" || up.By != st.Identity.ARN {
		t.Fatalf("push lore: %+v", r)
	}
	if body := l.Get(t, l.LoreBucket, "lore/ashfall.txt"); !strings.Contains(string(body), "ember-court.md") {
		t.Fatalf("pushed lore lacks a document of the collection: %.200s", body)
	}
	// The deployment's trigger starts hydration; runs shows it with the push that started it.
	job := l.PlayTrigger(t, l.LoreBucket, up.Key, time.Now())
	r = npc("cloud", "runs", "--json")
	var runs struct {
		Runs []struct{ Kind, Name, Status, UploadID string } `json:"runs"`
	}
	decode(r, &runs)
	if r.code != ExitOK || len(runs.Runs) != 1 || runs.Runs[0].Name != job || runs.Runs[0].UploadID != up.ID || runs.Runs[0].Kind != "hydration" {
		t.Fatalf("runs: %+v", r)
	}
	if r := npc("cloud", "runs"); r.code != ExitOK || !strings.Contains(r.stdout, job) || !strings.Contains(r.stdout, up.ID) {
		t.Fatalf("runs: %+v", r)
	}
	// The history now names the run the push started.
	if r := npc("uploads", "list"); r.code != ExitOK || !strings.Contains(r.stdout, job) {
		t.Fatalf("uploads list does not name the run: %+v", r)
	}
	r = npc("push", "lore", "--collection", "ashfall", "--yes", "--json")
	var e struct {
		Error struct{ Code, Message string }
	}
	decode(r, &e)
	if r.code != ExitError || e.Error.Code != "already_pushed" || !strings.Contains(e.Error.Message, "--force") {
		t.Fatalf("same push again: %+v", r)
	}

	// 31 records: Claude 3 Haiku takes at least 32. Exit 3, the report printed, nothing sent.
	var b strings.Builder
	for i := range 31 {
		fmt.Fprintf(&b, `{"system":"You are Mira.","messages":[{"role":"user","content":"Which way to the docks, %d?"},{"role":"assistant","content":"Follow the gulls down the hill, friend %d."}]}`+"\n", i, i)
	}
	file := filepath.Join(t.TempDir(), "mira.jsonl")
	os.WriteFile(file, []byte(b.String()), 0o644)
	if r := npc("dataset", "import", "Mira lines", file, "--base-model", "anthropic.claude-3-haiku-20240307-v1:0"); r.code != ExitOK {
		t.Fatalf("import: %+v", r)
	}
	r = npc("push", "dataset", "Mira lines", "--yes")
	if r.code != ExitInvalid || !strings.Contains(r.stdout, "nothing was uploaded") || !strings.Contains(r.stdout, "32") {
		t.Fatalf("push of an invalid dataset: %+v", r)
	}
	if ks := l.Keys(t, l.TuningBucket); len(ks) != 0 {
		t.Fatalf("an invalid dataset reached the tuning bucket: %v", ks)
	}
	// A file needs its base model; a valid one goes to a fresh raw-data key.
	if r := npc("push", "dataset", file, "--yes"); r.code != ExitUsage {
		t.Fatalf("file push without --base-model: %+v", r)
	}
	fmt.Fprintf(&b, `{"system":"You are Mira.","messages":[{"role":"user","content":"And the harbour master?"},{"role":"assistant","content":"Asleep, as ever, by the bell."}]}`+"\n")
	os.WriteFile(file, []byte(b.String()), 0o644)
	r = npc("push", "dataset", file, "--base-model", "anthropic.claude-3-haiku-20240307-v1:0", "--yes", "--json")
	decode(r, &up)
	if r.code != ExitOK || up.Bucket != l.TuningBucket || !strings.HasSuffix(up.Key, "/raw-data/data.jsonl") {
		t.Fatalf("push dataset file: %+v", r)
	}

	r = npc("uploads", "list", "--json")
	var hist struct {
		Uploads []struct{ Kind, Key, Status string } `json:"uploads"`
	}
	decode(r, &hist)
	if r.code != ExitOK || len(hist.Uploads) != 2 || hist.Uploads[0].Kind != "dataset" || hist.Uploads[1].Key != "lore/ashfall.txt" {
		t.Fatalf("uploads list: %+v", r)
	}
	if r := npc("push", "--resume", "--json"); r.code != ExitOK || !strings.Contains(r.stdout, `"finished": []`) {
		t.Fatalf("resume with nothing unfinished: %+v", r)
	}
	if r := npc("cloud", "remove", l.Workload+"-QA"); r.code != ExitOK {
		t.Fatalf("remove: %+v", r)
	}
	if r := npc("cloud", "status"); r.code != ExitError || !strings.Contains(r.stderr, "cloud connect") {
		t.Fatalf("status after removing the only deployment: %+v", r)
	}
}

// On a terminal a push shows what it will send, where, what it starts and replaces, and asks;
// no sends nothing; yes pushes with a progress bar.
func TestCloudPushAsksOnATerminal(t *testing.T) {
	l := cloudtest.Deploy(t)
	dir := t.TempDir()
	sec := secrets.NewMemory()
	npc := func(stdin string, args ...string) result {
		return run(t, sec, stdin, append([]string{"--data-dir", dir}, args...)...)
	}
	if r := npc("", "cloud", "connect", "--workload", l.Workload, "--stage", "QA", "--region", l.Region); r.code != ExitOK {
		t.Fatalf("connect: %+v", r)
	}
	if r := npc("", "lore", "add", world, "--collection", "ashfall"); r.code != ExitOK {
		t.Fatalf("lore add: %+v", r)
	}
	was := isTerminal
	isTerminal = func(any) bool { return true }
	t.Cleanup(func() { isTerminal = was })

	r := npc("n\n", "push", "lore", "--collection", "ashfall")
	for _, want := range []string{"to      s3://" + l.LoreBucket + "/lore/ashfall.txt", "starts  hydration: SageMaker processing job " + l.Workload + "-RAG-Ingest-",
		"NOTE    This file replaces everything the stage's lore index holds", "Push? [y/N]"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("the question lacks %q:\n%s", want, r.stderr)
		}
	}
	if r.code != ExitError || !strings.Contains(r.stderr, "not pushed") {
		t.Fatalf("answer no: %+v", r)
	}
	if ks := l.Keys(t, l.LoreBucket); len(ks) != 0 {
		t.Fatalf("answering no sent %v", ks)
	}
	if staged, _ := os.ReadDir(filepath.Join(dir, "cloud", "staging")); len(staged) != 0 {
		t.Errorf("answering no left %d staged files", len(staged))
	}
	r = npc("y\n", "push", "lore", "--collection", "ashfall")
	if r.code != ExitOK || !strings.Contains(r.stderr, "100%") || !strings.Contains(r.stdout, "pushed lore collection") {
		t.Fatalf("answer yes: %+v", r)
	}
	if ks := l.Keys(t, l.LoreBucket); len(ks) != 1 {
		t.Fatalf("bucket holds %v", ks)
	}
}
