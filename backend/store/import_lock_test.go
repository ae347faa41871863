package store

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// While Import renames the new files in, the workspace stays locked: an open in that moment
// is refused, and an open that was already waiting for the lock is refused the replaced
// file rather than handed it to write into.
func TestImportHoldsTheLockThroughTheSwap(t *testing.T) {
	src := exampleWorkspace(t, t.TempDir())
	srcInfo, _ := src.Info()
	archive := filepath.Join(t.TempDir(), "w.npcws")
	if _, err := src.Export(context.Background(), archive, "dev"); err != nil {
		t.Fatal(err)
	}
	dst := t.TempDir()
	openTest(t, dst).Close()
	path := filepath.Join(dst, FileName)

	type opened struct {
		s   *Store
		err error
	}
	waiter := make(chan opened, 1)
	var swapped bool
	beforeSwap = func() {
		swapped = true
		_, err := Open(dst, Options{Timeout: 100 * time.Millisecond})
		assertLocked(t, err, path)

		// Another window starts opening the workspace now: let it open the file and
		// start waiting for the lock, then go on with the swap.
		waiting := make(chan struct{})
		var once sync.Once
		openedForLock = func(p string, readOnly bool) {
			if p == path && !readOnly {
				once.Do(func() { close(waiting) })
			}
		}
		go func() {
			s, err := Open(dst, Options{Timeout: time.Minute})
			waiter <- opened{s, err}
		}()
		select {
		case <-waiting:
		case r := <-waiter: // it did not wait: it must not have the file about to be replaced
			waiter <- r
		}
	}
	t.Cleanup(func() { beforeSwap, openedForLock = nil, nil })

	if _, err := Import(context.Background(), archive, dst); err != nil {
		t.Fatal(err)
	}
	if !swapped {
		t.Fatal("the swap hook did not run")
	}
	var r opened
	select {
	case r = <-waiter:
	case <-time.After(2 * time.Minute):
		t.Fatal("the waiting open never ended")
	}
	switch {
	case r.err != nil:
		if !errors.Is(r.err, ErrLocked) {
			t.Fatalf("the waiting open: %v", r.err)
		}
	default:
		info, _ := r.s.Info()
		r.s.Close()
		if info.WorkspaceID != srcInfo.WorkspaceID {
			t.Fatalf("the waiting open got workspace %s, the one replaced; want the imported %s", info.WorkspaceID, srcInfo.WorkspaceID)
		}
	}
	assertSameWorkspace(t, src.Dir(), dst, srcInfo.WorkspaceID)
}
