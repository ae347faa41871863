package lowprio

import (
	"context"
	"runtime"
	"testing"
)

func TestBackgroundMark(t *testing.T) {
	if Is(context.Background()) {
		t.Fatal("an unmarked context is background work")
	}
	if !Is(Background(context.Background())) {
		t.Fatal("a marked context is not background work")
	}
}

// TestLowerThread: the goroutine that lowers its thread runs at Nice; the test's own
// thread keeps its priority.
func TestLowerThread(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("thread priority is lowered on Linux only")
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	before, err := ThreadNice()
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan [2]int, 1)
	go func() {
		runtime.LockOSThread()
		b, _ := ThreadNice()
		if err := LowerThread(); err != nil {
			t.Error(err)
		}
		a, _ := ThreadNice()
		got <- [2]int{b, a}
	}()
	if n := <-got; n[1] != min(19, n[0]+Nice) {
		t.Fatalf("the background thread went from nice %d to %d, want %d", n[0], n[1], min(19, n[0]+Nice))
	}
	if after, _ := ThreadNice(); after != before {
		t.Fatalf("the caller's thread moved from nice %d to %d", before, after)
	}
}
