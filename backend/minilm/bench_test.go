package minilm

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"syscall"
	"testing"

	"github.com/npcstudio/npcstudio/backend/testenv"
	"time"
)

// benchChunks are lore-sized chunks of 256 tokens (the longest the model takes), so
// chunks/s is the embedder's rate on full chunks.
func benchChunks(n int) []string {
	out := make([]string, n)
	for i := range out {
		var b strings.Builder
		for j := 0; b.Len() < 1600; j++ {
			fmt.Fprintf(&b, "Chunk %d, sentence %d: the wardens of Harrow Keep trade salt for glass along the ashen steppe. ", i, j)
		}
		out[i] = b.String()
	}
	return out
}

// BenchmarkEmbed reports chunks/s with as many workers as GOMAXPROCS (run it with
// -cpu 1,2), and the CPU time per chunk, which holds when other work shares the cores.
func BenchmarkEmbed(b *testing.B) {
	e := testEmbedder(b)
	workers := runtime.GOMAXPROCS(0)
	chunks := benchChunks(2 * workers)
	if n := len(e.Tokens(chunks[0])); n != MaxTokens {
		b.Fatalf("a bench chunk has %d tokens, want %d", n, MaxTokens)
	}
	old := e.Workers
	e.Workers = workers
	defer func() { e.Workers = old }()
	cpu0 := cpuTime()
	b.ResetTimer()
	for range b.N {
		if _, err := e.Embed(context.Background(), chunks); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*len(chunks))/b.Elapsed().Seconds(), "chunks/s")
	b.ReportMetric((cpuTime()-cpu0).Seconds()*1000/float64(b.N*len(chunks)), "cpu-ms/chunk")
}

// cpuTime is the process's user and system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkLoad reads the model and reports the heap it keeps (the weights as float32 and
// the tokenizer's vocabulary).
func BenchmarkLoad(b *testing.B) {
	dir := testenv.MiniLMDir(b)
	var keep *Embedder
	for range b.N {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		e, err := Load(dir)
		if err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "MB-heap")
		keep = e
	}
	runtime.KeepAlive(keep)
}
