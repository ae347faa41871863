package app

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/npcstudio/npcstudio/backend/batch"
	"github.com/npcstudio/npcstudio/backend/llm/openaifake"
)

var harbourSpec = filepath.Join("..", "testdata", "batch", "harbour.yaml")

// batchApp is chatApp's workspace with Ada too.
func batchApp(t *testing.T) (*App, *recorder, *openaifake.Server) {
	t.Helper()
	a, rec, fake, _ := chatApp(t)
	if _, err := a.Personas.Create(CreatePersonaRequest{FromFile: filepath.Join("..", "testdata", "persona", "personas", "ada.json")}); err != nil {
		t.Fatal(err)
	}
	return a, rec, fake
}

func TestBatchRunCancelResumeAndRegenerate(t *testing.T) {
	a, rec, fake := batchApp(t)
	// Two lines are written, the third hangs until the run is cancelled.
	fake.Script(openaifake.Reply{Tokens: []string{"One."}}, openaifake.Reply{Tokens: []string{"Two."}}, openaifake.Reply{Hang: true})
	started, err := a.Batch.Run(BatchRunRequest{SpecPath: harbourSpec, Concurrency: 1})
	if err != nil {
		t.Fatal(err)
	}
	if started.Lines != 6 || started.Resumed || started.RunID == "" {
		t.Fatalf("started = %+v", started)
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		st, err := a.Batch.Status(BatchRef{RunID: started.RunID})
		if err != nil {
			t.Fatal(err)
		}
		if st.Done == 2 && len(fake.ChatRequests()) == 3 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the run never reached its third line: %+v", st)
		}
	}
	// A run being written cannot be started twice.
	if _, err := a.Batch.Run(BatchRunRequest{RunID: started.RunID}); !errors.Is(err, batch.ErrRunActive) {
		t.Fatalf("second writer: %v", err)
	}
	if ok, _ := a.Operations.Cancel(CancelRequest{ID: started.OpID}); !ok {
		t.Fatal("the run's operation was not running")
	}
	evs := opEnd(t, rec, started.OpID)
	if last := evs[len(evs)-1]; last.Type != "error" || last.Kind != OpBatchRun {
		t.Fatalf("last event %+v", last)
	}
	st, _ := a.Batch.Status(BatchRef{RunID: started.RunID})
	if st.Done != 2 || st.Pending != 4 || st.Status != batch.RunPending {
		t.Fatalf("after cancel: %+v", st)
	}

	again, err := a.Batch.Run(BatchRunRequest{SpecPath: harbourSpec, Resume: true, Concurrency: 3})
	if err != nil {
		t.Fatal(err)
	}
	if again.RunID != started.RunID || !again.Resumed {
		t.Fatalf("resume started %+v", again)
	}
	evs = opEnd(t, rec, again.OpID)
	last := evs[len(evs)-1]
	p, ok := last.Data.(batch.Progress)
	if last.Type != "done" || !ok || p.Done != 6 || p.Pending != 0 {
		t.Fatalf("resume ended with %+v", last)
	}
	// 2 written, 1 abandoned by the cancel, 4 written on resume: none written twice.
	if n := len(fake.ChatRequests()); n != 7 {
		t.Errorf("%d requests, want 7", n)
	}
	page, err := a.Batch.Lines(BatchLinesRequest{RunID: started.RunID})
	if err != nil || page.Total != 6 || len(page.Scenes) != 2 || len(page.Personas) != 2 {
		t.Fatalf("lines: %+v, %v", page, err)
	}
	for _, l := range page.Lines {
		if l.Generations != 1 {
			t.Errorf("line %s written %d times", l.ID, l.Generations)
		}
	}
	if ada, _ := a.Batch.Lines(BatchLinesRequest{RunID: started.RunID, Persona: "ada"}); ada.Total != 1 {
		t.Errorf("persona filter: %d lines", ada.Total)
	}

	const id = "pier_night-ada-explain-1"
	fake.Script(openaifake.Reply{Tokens: []string{"The keeper let it go dark."}})
	opID, err := a.Batch.Regenerate(BatchLineRef{RunID: started.RunID, LineID: id})
	if err != nil {
		t.Fatal(err)
	}
	evs = opEnd(t, rec, opID)
	l, ok := evs[len(evs)-1].Data.(batch.Line)
	if !ok || l.ID != id || l.Text != "The keeper let it go dark." || l.Generations != 2 {
		t.Fatalf("regenerate ended with %+v", evs[len(evs)-1])
	}
	if _, err := a.Batch.Review(BatchReviewRequest{RunID: started.RunID, LineID: id, Action: "accept"}); err != nil {
		t.Fatal(err)
	}
	x, err := a.Batch.Export(BatchExportRequest{RunID: started.RunID, Dir: t.TempDir(), Formats: []string{"yarn"}})
	if err != nil || x.Lines != 1 || len(x.Files) != 1 || !strings.HasSuffix(x.Files[0], "harbour.yarn") {
		t.Fatalf("export: %+v, %v", x, err)
	}
	if runs, err := a.Batch.List(); err != nil || len(runs) != 1 || runs[0].Accepted != 1 {
		t.Fatalf("list: %+v, %v", runs, err)
	}
}

func TestBatchRunRefusesBadInput(t *testing.T) {
	a, _, fake := batchApp(t)
	for _, req := range []BatchRunRequest{
		{SpecPath: ""},
		{SpecPath: filepath.Join(t.TempDir(), "missing.yaml")},
		{SpecPath: harbourSpec, Concurrency: 1000},
		{SpecPath: harbourSpec, Provider: "nowhere"},
	} {
		if _, err := a.Batch.Run(req); err == nil {
			t.Errorf("%+v was accepted", req)
		}
	}
	if len(fake.ChatRequests()) != 0 {
		t.Error("a refused run sent requests")
	}
}
