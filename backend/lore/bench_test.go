package lore

import (
	"context"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
)

// Benchmarks (figures in docs/BENCHMARKS.md). Run them one at a time, on one core for the
// latency goal, e.g.:
//
//	go test ./backend/lore -run '^$' -bench BenchmarkSearch -benchtime 300x -cpu 1
//	go test ./backend/lore -run '^$' -bench BenchmarkIngest -benchtime 1x
//
// The corpus is generated: pseudo-words drawn with a Zipf law, in paragraphs of about 900
// characters (one chunk each with the default chunking). Vectors for the latency
// benchmarks are random unit vectors put straight into memory, and queries are embedded
// with the toy HashEmbedder, so the figures are the search itself, not a model server.

// words draws pseudo-words with a Zipf law from a fixed vocabulary, the same for every run.
type words struct {
	rng   *rand.Rand
	vocab []string
	zipf  *rand.Zipf
}

func newWords() *words {
	rng := rand.New(rand.NewPCG(1, 2))
	vocab := make([]string, 20000)
	syll := []string{"ka", "ro", "mi", "sel", "dor", "an", "eth", "ul", "vin", "gra", "th", "or", "is", "ne", "bal", "ash", "em", "ber", "qu", "il"}
	for i := range vocab {
		var w strings.Builder
		for n := 2 + rng.IntN(3); n > 0; n-- {
			w.WriteString(syll[rng.IntN(len(syll))])
		}
		vocab[i] = w.String()
	}
	return &words{rng: rng, vocab: vocab, zipf: rand.NewZipf(rand.New(rand.NewPCG(3, 4)), 1.1, 1, uint64(len(vocab)-1))}
}

// sentence is n words, the first capitalised, with no final stop.
func (w *words) sentence(n int) string {
	var s strings.Builder
	for i := 0; i < n; i++ {
		word := w.vocab[w.zipf.Uint64()]
		if i == 0 {
			word = strings.ToUpper(word[:1]) + word[1:]
		}
		s.WriteString(word)
		if i < n-1 {
			s.WriteByte(' ')
		}
	}
	return s.String()
}

// paragraph is sentences up to at least size characters, ending with a blank line.
func (w *words) paragraph(size int) string {
	var para strings.Builder
	for para.Len() < size {
		para.WriteString(w.sentence(6 + w.rng.IntN(12)))
		para.WriteString(". ")
	}
	return strings.TrimSpace(para.String()) + "\n\n"
}

// corpus writes files of about perFile bytes holding paragraphs of about 900 characters,
// paragraphs in all.
func corpus(tb testing.TB, dir string, paragraphs, perFile int) {
	tb.Helper()
	w := newWords()
	var f *os.File
	size, file := 0, 0
	for p := 0; p < paragraphs; p++ {
		if f == nil || size >= perFile {
			if f != nil {
				f.Close()
			}
			var err error
			f, err = os.Create(filepath.Join(dir, fmt.Sprintf("part-%04d.md", file)))
			if err != nil {
				tb.Fatal(err)
			}
			file++
			size = 0
		}
		s := w.paragraph(850)
		f.WriteString(s)
		size += len(s)
	}
	f.Close()
}

// wikiCorpus writes files Markdown pages of 2 to 6 KB (4 KB on average), as a wiki exports
// them: a title, an infobox-like list, sections with headings, paragraphs of 200 to 900
// characters; 1,000 pages a folder. It returns the bytes written.
func wikiCorpus(tb testing.TB, dir string, files int) (total int64) {
	tb.Helper()
	w := newWords()
	for i := 0; i < files; i++ {
		want := 2048 + w.rng.IntN(4097)
		var page strings.Builder
		page.WriteString("# " + w.sentence(1+w.rng.IntN(3)) + "\n\n")
		for range 2 + w.rng.IntN(3) {
			page.WriteString("- **" + w.sentence(1) + ":** " + w.sentence(1+w.rng.IntN(4)) + "\n")
		}
		page.WriteString("\n")
		for page.Len() < want {
			if w.rng.IntN(3) == 0 {
				page.WriteString("## " + w.sentence(1+w.rng.IntN(3)) + "\n\n")
			}
			page.WriteString(w.paragraph(200 + w.rng.IntN(700)))
		}
		sub := filepath.Join(dir, fmt.Sprintf("ns-%02d", i/1000))
		if i%1000 == 0 {
			if err := os.MkdirAll(sub, 0o755); err != nil {
				tb.Fatal(err)
			}
		}
		if err := os.WriteFile(filepath.Join(sub, fmt.Sprintf("page-%05d.md", i)), []byte(page.String()), 0o644); err != nil {
			tb.Fatal(err)
		}
		total += int64(page.Len())
	}
	return total
}

// BenchmarkIngest imports a 50 MB corpus into a new library: throughput in MB/s and chunks/s.
func BenchmarkIngest(b *testing.B) {
	dir := b.TempDir()
	corpus(b, dir, 57000, 1<<20) // about 50 MB in 1 MB files
	var total int64
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		fi, _ := e.Info()
		total += fi.Size()
	}
	b.SetBytes(total)
	b.ResetTimer()
	for b.Loop() {
		b.StopTimer()
		lib := newLibrary(b, Options{})
		b.StartTimer()
		start := time.Now()
		rep, err := lib.Add(context.Background(), []string{dir}, AddOptions{})
		el := time.Since(start)
		if err != nil || len(rep.Failed) > 0 {
			b.Fatalf("%v %+v", err, rep.Failed)
		}
		chunks := 0
		for _, d := range rep.Added {
			chunks += d.Chunks
		}
		b.ReportMetric(float64(chunks)/el.Seconds(), "chunks/s")
		b.ReportMetric(float64(total)/(1<<20), "corpus-MB")
	}
}

// fillVectors gives every chunk a random unit vector of dim dimensions, in memory, and
// makes it the active set with the toy embedder for queries.
func fillVectors(lib *Library, dim int) *vectorSet {
	rng := rand.New(rand.NewPCG(uint64(dim), 9))
	set := newVectorSet(HashEmbedder{N: dim})
	lib.mu.Lock()
	defer lib.mu.Unlock()
	n := 0
	for _, d := range lib.docs {
		n += d.Chunks
	}
	set.data = make([]float32, 0, n*dim)
	v := make([]float32, dim)
	for id, d := range lib.docs {
		for ord := 0; ord < d.Chunks; ord++ {
			for i := range v {
				v[i] = float32(rng.NormFloat64())
			}
			normalize(v)
			set.add(id, ord, v)
		}
	}
	set.loaded = true
	lib.vectors.active = set
	return set
}

var benchQueries = []string{
	"kasel dorro", "emberash vinul", "the qurom of anthis", "gramiel selor balne", "ulkaro", "ithne dorber ashem",
	"robalis kaor", "vingra ulnemi", "thorash", "miseldor anemi ulka", "berqu ilth", "eth anro kasel",
}

// searchLatency runs queries and reports p50 and p95 in milliseconds.
func searchLatency(b *testing.B, lib *Library, mode Mode, k int) {
	var times []time.Duration
	ctx := context.Background()
	i := 0
	for b.Loop() {
		q := benchQueries[i%len(benchQueries)]
		i++
		start := time.Now()
		res, err := lib.Search(ctx, Query{Text: q, K: k, Mode: mode})
		times = append(times, time.Since(start))
		if err != nil || res.Mode != mode {
			b.Fatalf("%v %s", err, res.Mode)
		}
	}
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	pct := func(p float64) float64 {
		return float64(times[min(len(times)-1, int(p*float64(len(times))))].Microseconds()) / 1000
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.95), "p95-ms")
}

// BenchmarkSearch measures top-10 query latency for each mode at 10k and 100k chunks.
func BenchmarkSearch(b *testing.B) {
	for _, size := range []int{10000, 100000} {
		dir := b.TempDir()
		corpus(b, dir, size, 4<<20)
		lib := newLibrary(b, Options{})
		rep, err := lib.Add(context.Background(), []string{dir}, AddOptions{})
		if err != nil || len(rep.Failed) > 0 {
			b.Fatalf("%v %+v", err, rep.Failed)
		}
		chunks := 0
		for _, d := range lib.List(DocFilter{}) {
			chunks += d.Chunks
		}
		b.Run(fmt.Sprintf("chunks=%dk/keyword", chunks/1000), func(b *testing.B) { searchLatency(b, lib, Keyword, 10) })
		for _, dim := range []int{384, 1024} {
			fillVectors(lib, dim)
			b.Run(fmt.Sprintf("chunks=%dk/vector-%d", chunks/1000, dim), func(b *testing.B) { searchLatency(b, lib, Vector, 10) })
			b.Run(fmt.Sprintf("chunks=%dk/hybrid-%d", chunks/1000, dim), func(b *testing.B) { searchLatency(b, lib, Hybrid, 10) })
		}
		lib.mu.Lock()
		lib.vectors.active = nil
		lib.mu.Unlock()
		runtime.GC()
	}
}

// BenchmarkMemory reports what 100k chunks cost: heap for the library with 384- and
// 1024-dimension vectors, and the keyword index and workspace on disk.
func BenchmarkMemory(b *testing.B) {
	for b.Loop() {
		dir := b.TempDir()
		corpus(b, dir, 100000, 4<<20)
		runtime.GC()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		data := b.TempDir()
		st := openStore(b, data)
		lib, err := NewLibrary(st, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := lib.Add(context.Background(), []string{dir}, AddOptions{}); err != nil {
			b.Fatal(err)
		}
		heap := func() float64 {
			runtime.GC()
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			return float64(ms.HeapInuse-before.HeapInuse) / (1 << 20)
		}
		b.ReportMetric(heap(), "heap-keyword-MB")
		fillVectors(lib, 384)
		b.ReportMetric(heap(), "heap-384d-MB")
		fillVectors(lib, 1024)
		b.ReportMetric(heap(), "heap-1024d-MB")
		b.ReportMetric(dirSize(filepath.Join(data, "lore", "keyword.bleve")), "keyword-disk-MB")
		b.ReportMetric(dirSize(filepath.Join(data, "workspace.db")), "workspace-disk-MB")
		lib.Close()
		st.Close()
	}
}

func dirSize(path string) float64 {
	var n int64
	filepath.Walk(path, func(_ string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			n += fi.Size()
		}
		return nil
	})
	return float64(n) / (1 << 20)
}

// BenchmarkRecall reports recall@5 on the project's lore questions for each mode. The
// vectors come from the toy HashEmbedder (shared words, no meaning), so the vector and
// hybrid figures show the machinery works, not what a real embedding model would reach.
func BenchmarkRecall(b *testing.B) {
	lib := newLibrary(b, Options{})
	addWorld(b, lib)
	lib.SetEmbedder(HashEmbedder{N: 384}, nil)
	waitEmbedded(b, lib)
	qs := loadQuestions(b)
	for b.Loop() {
		for _, mode := range []Mode{Keyword, Vector, Hybrid} {
			r, _ := recallAt5(b, lib, qs, mode)
			b.ReportMetric(r, "recall5-"+string(mode))
		}
	}
}

// BenchmarkVectorScan is the exact scan alone: top-10 of 100k unit vectors, with vek's
// AVX2 dot product and with a plain Go loop for comparison.
func BenchmarkVectorScan(b *testing.B) {
	for _, dim := range []int{384, 1024} {
		rng := rand.New(rand.NewPCG(5, uint64(dim)))
		set := newVectorSet(HashEmbedder{N: dim})
		v := make([]float32, dim)
		for i := 0; i < 100000; i++ {
			for j := range v {
				v[j] = float32(rng.NormFloat64())
			}
			normalize(v)
			set.add("doc", i, v)
		}
		q := append([]float32(nil), set.data[:dim]...)
		b.Run(fmt.Sprintf("dim=%d/vek", dim), func(b *testing.B) {
			b.SetBytes(int64(len(set.data) * 4))
			for b.Loop() {
				if hits := set.search(q, nil, 10); hits[0].row != 0 {
					b.Fatal("the query itself is not first")
				}
			}
		})
		b.Run(fmt.Sprintf("dim=%d/go-loop", dim), func(b *testing.B) {
			b.SetBytes(int64(len(set.data) * 4))
			for b.Loop() {
				best := float32(-2)
				for r := range set.rows {
					row := set.data[r*dim : (r+1)*dim]
					var s float32
					for i, x := range row {
						s += x * q[i]
					}
					best = max(best, s)
				}
				if best < 0.99 {
					b.Fatal(best)
				}
			}
		})
	}
}

// bareBleve indexes the Markdown files under dir the way a bare bleve program would: the
// same chunker and chunking, the same index mapping, batches of 512 chunks, nothing else
// (no workspace, no stored text, no duplicate checks).
func bareBleve(b *testing.B, dir, indexPath string) (chunks int) {
	idx, err := bleve.New(indexPath, keywordMapping())
	if err != nil {
		b.Fatal(err)
	}
	defer idx.Close()
	kw := &keywordIndex{idx: idx}
	opt, _ := ChunkOptions{}.Normalize()
	batch := idx.NewBatch()
	n := 0
	err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		docID := strings.TrimSuffix(d.Name(), ".md")
		title := docTitle(d.Name())
		return ChunkText(f, opt, func(c Chunk) error {
			c.DocID = docID
			if err := kw.put(batch, c, title); err != nil {
				return err
			}
			chunks++
			if n++; n == chunkBatch {
				n = 0
				if err := idx.Batch(batch); err != nil {
					return err
				}
				batch.Reset()
			}
			return nil
		})
	})
	if err == nil {
		err = idx.Batch(batch)
	}
	if err != nil {
		b.Fatal(err)
	}
	return chunks
}

// BenchmarkIngestVsBleve imports a folder into a new library as `lore add` does (progress
// taken at every call, kept as the window's operation does) and indexes the same files with
// bareBleve, in the same iteration, in the order studio, bleve, bleve, studio so that
// neither side always runs first or on a warmer cache. It reports the library's throughput
// as a share of bleve's, by wall-clock time (ratio) and by CPU time (cpu-ratio); 1 = as
// fast. small-files: 12,000 wiki pages of 2 to 6 KB (50.6 MB); one-large-file: 36 MB.
// The CPU profiles (-cpuprofile) label each side's work, its index's goroutines included:
// go tool pprof -tagfocus side=studio.
func BenchmarkIngestVsBleve(b *testing.B) {
	for _, tc := range []struct {
		name    string
		write   func(dir string)
		atLeast int // files
	}{
		{"small-files", func(dir string) { wikiCorpus(b, dir, 12000) }, 10000},
		{"one-large-file", func(dir string) { corpus(b, dir, 40000, 1<<30) }, 1},
	} {
		b.Run(tc.name, func(b *testing.B) {
			dir := b.TempDir()
			tc.write(dir)
			var total int64
			files := 0
			filepath.WalkDir(dir, func(_ string, d fs.DirEntry, _ error) error {
				if fi, err := d.Info(); err == nil && !d.IsDir() {
					total += fi.Size()
					files++
				}
				return nil
			})
			if files < tc.atLeast {
				b.Fatalf("the corpus has %d files, want at least %d", files, tc.atLeast)
			}
			b.SetBytes(total)
			var studio, bare, studioCPU, bareCPU time.Duration
			runStudio := func() {
				st := openStore(b, b.TempDir())
				var last any
				lastAt := time.Now()
				var rep AddReport
				var err error
				runtime.GC() // the other side's garbage is not this side's work
				start, cpu := time.Now(), processCPU()
				pprof.Do(context.Background(), pprof.Labels("side", "studio"), func(ctx context.Context) {
					var lib *Library
					if lib, err = NewLibrary(st, Options{}); err != nil {
						return
					}
					rep, err = lib.Add(ctx, []string{dir}, AddOptions{Progress: func(p AddProgress) {
						if now := time.Now(); now.Sub(lastAt) >= 100*time.Millisecond {
							last, lastAt = p, now
						}
					}})
					// The timing ends when the index is closed: its segments are on disk.
					lib.Close()
				})
				studio += time.Since(start)
				studioCPU += processCPU() - cpu
				st.Close()
				_ = last
				if err != nil || len(rep.Failed) > 0 || len(rep.Added) != files {
					b.Fatalf("%v %d added of %d, %+v", err, len(rep.Added), files, rep.Failed)
				}
			}
			runBare := func() {
				path := filepath.Join(b.TempDir(), "bare.bleve")
				runtime.GC()
				start, cpu := time.Now(), processCPU()
				pprof.Do(context.Background(), pprof.Labels("side", "bleve"), func(context.Context) {
					bareBleve(b, dir, path)
				})
				bare += time.Since(start)
				bareCPU += processCPU() - cpu
			}
			for b.Loop() {
				runStudio()
				runBare()
				runBare()
				runStudio()
			}
			mb := float64(total) / (1 << 20) * float64(2*b.N)
			b.ReportMetric(mb/studio.Seconds(), "studio-MB/s")
			b.ReportMetric(mb/bare.Seconds(), "bleve-MB/s")
			b.ReportMetric(bare.Seconds()/studio.Seconds(), "ratio")
			b.ReportMetric(bareCPU.Seconds()/studioCPU.Seconds(), "cpu-ratio")
			b.ReportMetric(studioCPU.Seconds()/float64(2*b.N), "studio-cpu-s")
			b.ReportMetric(bareCPU.Seconds()/float64(2*b.N), "bleve-cpu-s")
			b.ReportMetric(float64(files), "files")
		})
	}
}

// processCPU is the CPU time this process has used (user and system): under load it holds
// where wall-clock time does not, but it leaves out time waiting for the disk.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
