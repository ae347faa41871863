package batch_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/npcstudio/npcstudio/backend/batch"
	"github.com/npcstudio/npcstudio/backend/chat"
	"github.com/npcstudio/npcstudio/backend/llm"
	"github.com/npcstudio/npcstudio/backend/llm/openaifake"
	"github.com/npcstudio/npcstudio/backend/persona"
	"github.com/npcstudio/npcstudio/backend/provider"
	"github.com/npcstudio/npcstudio/backend/secrets"
	"github.com/npcstudio/npcstudio/backend/store"
)

// The crash test runs a batch in a child process (this test binary, the helper-process
// pattern) and kills it with SIGKILL: no deferred code, no Close.
const (
	helperDirEnv = "NPCSTUDIO_BATCH_HELPER_DIR"
	helperRunEnv = "NPCSTUDIO_BATCH_HELPER_RUN"
)

func TestMain(m *testing.M) {
	if dir := os.Getenv(helperDirEnv); dir != "" {
		os.Exit(runHelper(dir, os.Getenv(helperRunEnv)))
	}
	os.Exit(m.Run())
}

// runHelper writes run runID of the workspace in dir, printing each line's id once it
// is kept.
func runHelper(dir, runID string) int {
	buckets := append(append(append(append([]string{}, chat.Buckets...), persona.Buckets...), provider.Buckets...), batch.Buckets...)
	st, err := store.Open(dir, store.Options{Buckets: buckets})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	cr := &chat.Runner{Chats: chat.NewRepository(st), Personas: persona.NewRepository(st), Providers: provider.NewRegistry(st, secrets.NewMemory()),
		LLM: llm.Options{Retry: llm.RetryPolicy{MaxAttempts: 1}}}
	r := &batch.Runner{Repo: batch.NewRepository(st), Writer: cr}
	fmt.Println("ready")
	_, err = r.Run(context.Background(), runID, batch.Options{Concurrency: 2, OnProgress: func(p batch.Progress) { fmt.Println(p.Line.ID) }})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

func TestResumeAfterCrash(t *testing.T) {
	dir := t.TempDir()
	e := newEnvIn(t, dir)
	run := e.create(t, manyLines(t, 10))
	// Three lines are answered; the next requests hang, so the child is surely mid-run
	// when it is killed.
	e.fake.Script(reply("one"), reply("two"), reply("three"), openaifake.Reply{Hang: true}, openaifake.Reply{Hang: true})
	e.st.Close() // the child holds the workspace now

	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), helperDirEnv+"="+dir, helperRunEnv+"="+run.ID)
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	out := bufio.NewScanner(stdout)
	if !out.Scan() || out.Text() != "ready" {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("helper did not start: %q", out.Text())
	}
	var kept []string
	for len(kept) < 3 && out.Scan() {
		kept = append(kept, out.Text())
	}
	for deadline := time.Now().Add(10 * time.Second); len(e.fake.ChatRequests()) < 5 && time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	if len(kept) != 3 {
		t.Fatalf("the child reported %v before it was killed", kept)
	}

	e = reopenEnv(t, dir, e.fake)
	for _, id := range kept {
		if l, err := e.repo.Line(run.ID, id); err != nil || l.Status != batch.LineDone {
			t.Errorf("line %s, reported kept, is %+v (%v)", id, l, err)
		}
	}
	st, _ := e.repo.Status(run.ID)
	if st.Done != 3 || st.Pending != 7 {
		t.Fatalf("after the crash: %+v", st)
	}
	if _, err := e.runner.Run(context.Background(), run.ID, batch.Options{Concurrency: 3}); err != nil {
		t.Fatal(err)
	}
	for _, l := range e.lines(t, run.ID) {
		if l.Status != batch.LineDone || l.Generations != 1 {
			t.Errorf("line %s: status %s, written %d times", l.ID, l.Status, l.Generations)
		}
	}
	// 3 kept, 2 lost with the child, 7 written on resume.
	if n := len(e.fake.ChatRequests()); n != 12 {
		t.Errorf("%d requests, want 12", n)
	}
}
