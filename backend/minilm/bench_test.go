package minilm

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/npcstudio/npcstudio/backend/testenv"
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

// BenchmarkLoad reads the model and reports the heap it keeps (the weights, the encoder's
// as half floats where the kernel widens them, and the tokenizer's vocabulary).
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

// torchRun is one thread count's timing from testdata/torch_embed.py.
type torchRun struct {
	Threads int     `json:"threads"`
	Chunks  int     `json:"chunks"`
	Wall    float64 `json:"wall_s"`
	CPU     float64 `json:"cpu_s"`
}

// BenchmarkEmbedVsTorch embeds the same 256-token chunks with this package and with
// PyTorch (transformers' BertModel, as sentence-transformers runs it; testdata/torch_embed.py),
// on one and on two cores, alternating the two in each round, and reports both rates and
// their ratio. It needs a Python with torch, transformers and tokenizers in
// $NPCSTUDIO_TORCH_PYTHON (make bench makes one in .cache/torch-venv) and skips without.
// The first chunk's vectors must agree (cosine ≥ 0.9999), so both sides did the same work.
func BenchmarkEmbedVsTorch(b *testing.B) {
	py := os.Getenv("NPCSTUDIO_TORCH_PYTHON")
	if py == "" {
		b.Skip("NPCSTUDIO_TORCH_PYTHON is not set (a Python with torch, transformers and tokenizers)")
	}
	dir := testenv.MiniLMDir(b)
	e := testEmbedder(b)
	chunks := benchChunks(8)
	const rounds = 2
	req, _ := json.Marshal(map[string]any{"model": dir, "texts": chunks, "threads": []int{1, 2}, "rounds": rounds})
	type totals struct{ goWall, goCPU, tWall, tCPU float64 }
	sum := map[int]*totals{1: {}, 2: {}}
	oldWorkers, oldProcs := e.Workers, runtime.GOMAXPROCS(0)
	defer func() { e.Workers = oldWorkers; runtime.GOMAXPROCS(oldProcs) }()
	var first []float32
	for range b.N {
		cmd := exec.Command(py, "backend/minilm/testdata/torch_embed.py")
		cmd.Dir = repoRoot(b)
		cmd.Stdin = bytes.NewReader(req)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			b.Fatalf("torch_embed.py: %v\n%s", err, stderr.String())
		}
		var res struct {
			Torch string     `json:"torch"`
			Runs  []torchRun `json:"runs"`
			First []float64  `json:"first"`
		}
		if err := json.Unmarshal(out, &res); err != nil {
			b.Fatalf("torch_embed.py output: %v", err)
		}
		b.Logf("PyTorch %s", res.Torch)
		for _, r := range res.Runs {
			sum[r.Threads].tWall += r.Wall / float64(r.Chunks)
			sum[r.Threads].tCPU += r.CPU / float64(r.Chunks)
		}
		for _, threads := range []int{1, 2} {
			runtime.GOMAXPROCS(threads)
			e.Workers = threads
			vecs, err := e.Embed(context.Background(), chunks) // warm-up, as the Python side does
			if err != nil {
				b.Fatal(err)
			}
			first = vecs[0]
			wall0, cpu0 := time.Now(), cpuTime()
			for range rounds {
				if _, err := e.Embed(context.Background(), chunks); err != nil {
					b.Fatal(err)
				}
			}
			n := float64(rounds * len(chunks))
			sum[threads].goWall += time.Since(wall0).Seconds() / n
			sum[threads].goCPU += (cpuTime() - cpu0).Seconds() / n
		}
		var dot float64
		for i, v := range res.First {
			dot += v * float64(first[i])
		}
		if dot < 0.9999 {
			b.Fatalf("the first chunk's vectors differ: cosine %.6f", dot)
		}
	}
	for _, threads := range []int{1, 2} {
		s := sum[threads]
		n := float64(b.N)
		b.ReportMetric(n/s.goWall, fmt.Sprintf("go-chunks/s-%dcore", threads))
		b.ReportMetric(n/s.tWall, fmt.Sprintf("torch-chunks/s-%dcore", threads))
		b.ReportMetric(s.tWall/s.goWall, fmt.Sprintf("ratio-%dcore", threads))
		b.ReportMetric(s.goCPU*1000/n, fmt.Sprintf("go-cpu-ms/chunk-%dcore", threads))
		b.ReportMetric(s.tCPU*1000/n, fmt.Sprintf("torch-cpu-ms/chunk-%dcore", threads))
	}
}

// repoRoot is the repository's root, two folders above this package.
func repoRoot(t testing.TB) string {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Join(wd, "..", "..")
}
