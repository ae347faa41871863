package minilm

import (
	"context"
	"runtime"
	"sync"
	"testing"

	"github.com/npcstudio/npcstudio/backend/lowprio"
)

// TestBackgroundEmbeddingRunsNicer: texts embedded under a background context are embedded
// on threads nicer than the caller's; a writer's own query (an unmarked context) is not.
func TestBackgroundEmbeddingRunsNicer(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("thread priority is lowered on Linux only")
	}
	e := testEmbedder(t)
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	base, err := lowprio.ThreadNice()
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var seen []int
	workerStarted = func() {
		n, _ := lowprio.ThreadNice()
		mu.Lock()
		seen = append(seen, n)
		mu.Unlock()
	}
	defer func() { workerStarted = nil }()
	texts := []string{"the bell of Ashfall", "salt for glass", "the Ember Court"}

	if _, err := e.Embed(lowprio.Background(context.Background()), texts); err != nil {
		t.Fatal(err)
	}
	want := min(19, base+lowprio.Nice)
	for _, n := range seen {
		if n != want {
			t.Fatalf("background workers ran at nice %v, want %d (the caller is at %d)", seen, want, base)
		}
	}
	if len(seen) == 0 {
		t.Fatal("no worker started")
	}

	seen = nil
	if _, err := e.Embed(context.Background(), texts[:1]); err != nil {
		t.Fatal(err)
	}
	for _, n := range seen {
		if n == want && want != base {
			t.Fatalf("a query's worker ran at the background niceness %d", n)
		}
	}
}
