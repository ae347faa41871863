package app

import (
	"context"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/npcstudio/npcstudio/backend/chat"
	"github.com/npcstudio/npcstudio/backend/llm/openaifake"
)

// stopped waits for ch, failing the test when the work it stands for never comes.
func stopped(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(30 * time.Second):
		t.Fatalf("%s never happened", what)
	}
}

func TestReusedOperationIDIsRefused(t *testing.T) {
	a := newApp(t, t.TempDir())
	rec := &recorder{}
	a.SetEmitter(rec)
	started := make(chan struct{})
	id, err := a.ops.Start("same", "first", func(ctx context.Context, _ *Op) (any, error) {
		close(started)
		<-ctx.Done()
		return nil, ctx.Err()
	})
	if err != nil || id != "same" {
		t.Fatalf("%q %v", id, err)
	}
	<-started
	second := make(chan struct{})
	t.Cleanup(func() { close(second) })
	_, err = a.ops.Start("same", "second", func(ctx context.Context, _ *Op) (any, error) {
		<-second
		return nil, nil
	})
	if err == nil {
		t.Fatal("a running operation's id was taken over")
	}
	if e := FormatError(err); e.Code != "invalid" || e.Field != "opId" || !strings.Contains(e.Message, "still running") {
		t.Fatalf("a running operation's id reused: %+v", e)
	}
	// The first keeps its id, so it can still be stopped.
	if ok, _ := a.Operations.Cancel(CancelRequest{ID: "same"}); !ok {
		t.Fatal("the first operation is not found by its id")
	}
	if evs := opEnd(t, rec, "same"); evs[len(evs)-1].Kind != "first" {
		t.Fatalf("ended: %+v", evs)
	}

	// Once it has ended, its id may be used again.
	again := make(chan struct{})
	if _, err := a.ops.Start("same", "again", func(context.Context, *Op) (any, error) { close(again); return nil, nil }); err != nil {
		t.Fatal(err)
	}
	stopped(t, again, "the operation with the reused id")
}

// Close cancels a running operation, and closes the workspace only once it has returned:
// what the operation saves on its way out is kept.
func TestCloseWaitsForRunningOperations(t *testing.T) {
	dir := t.TempDir()
	a := newApp(t, dir)
	st, err := a.store()
	if err != nil {
		t.Fatal(err)
	}
	// The operation, once cancelled, holds on until released: by Close starting to wait
	// for it, or, when Close does not wait, by Close closing the workspace.
	release := make(chan struct{})
	var once sync.Once
	free := func() { once.Do(func() { close(release) }) }
	var returned, closedEarly atomic.Bool
	a.ops.waiting = free
	a.beforeClose = func() {
		closedEarly.Store(!returned.Load())
		free()
	}
	started := make(chan struct{})
	var saveErr, lateErr error
	if _, err := a.ops.Start("", "test.slow", func(ctx context.Context, _ *Op) (any, error) {
		close(started)
		<-ctx.Done()
		<-release
		_, lateErr = a.ops.Start("", "test.late", func(context.Context, *Op) (any, error) { return nil, nil })
		saveErr = writeSetting(st, "test.saved-on-cancel", "kept")
		returned.Store(true)
		return nil, ctx.Err()
	}); err != nil {
		t.Fatal(err)
	}
	<-started
	if err := a.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	if closedEarly.Load() {
		t.Fatal("the workspace was closed while an operation was still running")
	}
	if saveErr != nil {
		t.Fatalf("the cancelled operation could not save: %v", saveErr)
	}
	if lateErr == nil || FormatError(lateErr).Code != "busy" || !strings.Contains(lateErr.Error(), "closing") {
		t.Errorf("an operation started while closing: %v", lateErr)
	}

	b := newApp(t, dir)
	st2, err := b.store()
	if err != nil {
		t.Fatal(err)
	}
	if v, err := readSetting[string](st2, "test.saved-on-cancel"); err != nil || v != "kept" {
		t.Fatalf("after reopening: %q %v", v, err)
	}
}

// An operation that does not stop is named, and Close still closes the workspace.
func TestCloseNamesOperationsThatDoNotStop(t *testing.T) {
	a := newApp(t, t.TempDir())
	a.ops.wait = 0
	release := make(chan struct{})
	defer close(release)
	id, err := a.ops.Start("", "test.stubborn", func(context.Context, *Op) (any, error) {
		<-release
		return nil, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	err = a.Close()
	if err == nil || !strings.Contains(err.Error(), "test.stubborn "+id) {
		t.Fatalf("close: %v", err)
	}
	if _, err := a.store(); err == nil {
		t.Fatal("the workspace is still open")
	}
}

// Export stops running operations first, so the archive holds what they saved on their way out.
func TestExportWaitsForRunningOperations(t *testing.T) {
	a := newApp(t, t.TempDir())
	st, err := a.store()
	if err != nil {
		t.Fatal(err)
	}
	started, ended := make(chan struct{}), make(chan struct{})
	id, err := a.ops.Start("", "test.slow", func(ctx context.Context, _ *Op) (any, error) {
		defer close(ended)
		close(started)
		<-ctx.Done()
		return nil, writeSetting(st, "test.saved-on-cancel", "kept")
	})
	if err != nil {
		t.Fatal(err)
	}
	<-started
	archive := filepath.Join(t.TempDir(), "ws.npcws")
	_, exportErr := a.Workspace.Export(ArchiveRequest{Path: archive})
	a.ops.Cancel(id) // lets the operation go when Export did not stop it
	stopped(t, ended, "the operation's end")
	if exportErr != nil {
		t.Fatal(exportErr)
	}
	// The studio goes on after an export: operations start again.
	ran := make(chan struct{})
	if _, err := a.ops.Start("", "test.after", func(context.Context, *Op) (any, error) { close(ran); return nil, nil }); err != nil {
		t.Fatal(err)
	}
	stopped(t, ran, "an operation after the export")

	b := newApp(t, t.TempDir())
	if _, err := b.Workspace.Import(ArchiveRequest{Path: archive}); err != nil {
		t.Fatal(err)
	}
	st2, err := b.store()
	if err != nil {
		t.Fatal(err)
	}
	if v, err := readSetting[string](st2, "test.saved-on-cancel"); err != nil || v != "kept" {
		t.Fatalf("in the archive: %q %v", v, err)
	}
}

// Quitting while a reply streams keeps the part received, marked stopped.
func TestCloseKeepsAStoppedChatReply(t *testing.T) {
	a, rec, fake, v := chatApp(t)
	a.Chat.llm.IdleTimeout = time.Hour
	// The first token comes at once; the next never before the studio quits.
	fake.Script(openaifake.Reply{Tokens: []string{"Slow", " and", " steady"}, TokenDelay: time.Hour})
	id, err := a.Chat.Send(SendRequest{ChatID: v.Chat.ID, Message: "Go on.", Config: chat.Config{Provider: "local", Mode: chat.ModeBase}})
	if err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		if text, _ := streamed(rec.of(id), 0); text == "Slow" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no token arrived")
		}
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}

	b := newApp(t, a.dataDir)
	got, err := b.Chat.Get(ChatRef{ID: v.Chat.ID})
	if err != nil {
		t.Fatal(err)
	}
	var last chat.Message
	for _, m := range got.Messages {
		if m.ID == got.Path[len(got.Path)-1] {
			last = m
		}
	}
	if last.Role != chat.RoleAssistant || last.Text != "Slow" || !last.Stopped {
		t.Fatalf("after reopening, the chat ends with %+v", last)
	}
}
