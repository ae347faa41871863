package batch_test

import (
	"context"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/npcstudio/npcstudio/backend/batch"
	"github.com/npcstudio/npcstudio/backend/chat"
	"github.com/npcstudio/npcstudio/backend/llm/openaifake"
	"github.com/npcstudio/npcstudio/backend/testenv"
)

// BenchmarkRunThroughput runs scripts at concurrency 16 against the fake with a fixed 100 ms
// latency (real time) and reports throughput as a share of the ideal (concurrency ÷ latency).
// ideal: 320 lines, every request answered. throttled: 320 lines, every fifth request
// answered 429 with Retry-After: 1 (the waits pass on the test clock at once, the latency is
// real); it fails unless every line is done and written once and the fake got one request per
// line plus one per 429, every line among them. 10k-lines: 10,000 lines. Each reports the peak heap
// in use (sampled every 10 ms) and the peak resident memory (VmHWM, reset at the start) during
// the run; the fake runs in the same process and keeps every request body (fake-kept-MB).
// 2k-lines: 2,000 lines. Where the time goes: line-ms is the mean time of one attempt at a
// line (the chat runner's prompt, the request and its answer; 100 ms at best), inflight the
// mean number of attempts under way over the run (concurrency at best); the ideal-ratio is
// about inflight/concurrency × 100 ms/line-ms.
//
//	go test ./backend/batch -run '^$' -bench RunThroughput -benchtime 1x
func BenchmarkRunThroughput(b *testing.B) {
	const (
		concurrency = 16
		latency     = 100 * time.Millisecond
	)
	run := func(b *testing.B, lines int, throttle, realWaits bool) {
		e := newEnv(b)
		e.fake.Default = openaifake.Reply{Tokens: openaifake.DefaultTokens, Latency: latency}
		bw := &busyWriter{Writer: e.runner.Writer}
		e.runner.Writer = bw
		if realWaits {
			e.runner.Now, e.runner.Sleep = nil, nil
		}
		spec := manyLines(b, lines)
		var elapsed, cpu time.Duration
		var heap, rss uint64
		throttled := 0
		b.ResetTimer()
		for range b.N {
			b.StopTimer()
			r := e.create(b, spec)
			before := len(e.fake.Requests())
			if throttle {
				var script []openaifake.Reply
				for i := 1; i <= 2*lines; i++ {
					rep := openaifake.Reply{Tokens: openaifake.DefaultTokens, Latency: latency}
					if i%5 == 0 {
						rep = openaifake.Reply{Status: 429, RetryAfter: "1", Latency: latency}
					}
					script = append(script, rep)
				}
				e.fake.Script(script...)
			}
			m := testenv.StartMemPeak()
			b.StartTimer()
			start, cpu0 := time.Now(), testenv.CPUTime()
			p, err := e.runner.Run(context.Background(), r.ID, batch.Options{Concurrency: concurrency})
			elapsed += time.Since(start)
			cpu += testenv.CPUTime() - cpu0
			b.StopTimer()
			h, rs := m.Stop()
			heap, rss = max(heap, h), max(rss, rs)
			if err != nil || p.Done != lines || p.Failed != 0 {
				b.Fatalf("%+v, %v", p, err)
			}
			throttled += p.Throttled
			if throttle {
				checkOnce(b, e, r.ID, before, lines, p.Throttled)
			}
			b.StartTimer()
		}
		ideal := float64(concurrency) / latency.Seconds()
		got := float64(lines*b.N) / elapsed.Seconds()
		b.ReportMetric(got, "lines/s")
		b.ReportMetric(got/ideal, "ideal-ratio")
		// CPU of the whole process, the fake's included: it says whether the cores or the
		// run's own waits bound it.
		b.ReportMetric(float64(cpu.Microseconds())/1000/float64(lines*b.N), "cpu-ms/line")
		b.ReportMetric(float64(heap)/(1<<20), "heap-MB")
		b.ReportMetric(float64(rss)/(1<<20), "VmHWM-MB")
		busy, calls := time.Duration(bw.busy.Load()), bw.calls.Load()
		b.ReportMetric(busy.Seconds()*1000/float64(calls), "line-ms")
		b.ReportMetric(busy.Seconds()/elapsed.Seconds(), "inflight")
		if throttle {
			b.ReportMetric(float64(throttled)/float64(b.N), "429s")
		}
		kept := 0
		for _, q := range e.fake.Requests() {
			kept += len(q.Body)
		}
		b.ReportMetric(float64(kept)/(1<<20), "fake-kept-MB")
	}
	b.Run("ideal", func(b *testing.B) { run(b, 320, false, true) })
	b.Run("throttled", func(b *testing.B) { run(b, 320, true, false) })
	b.Run("2k-lines", func(b *testing.B) { run(b, 2000, false, true) })
	b.Run("10k-lines", func(b *testing.B) { run(b, 10000, false, true) })
}

// busyWriter adds up the time spent in its Writer and the calls made.
type busyWriter struct {
	batch.Writer
	busy, calls atomic.Int64
}

func (w *busyWriter) Line(ctx context.Context, persona, text string, cfg chat.Config) (chat.LineReply, error) {
	start := time.Now()
	defer func() {
		w.busy.Add(int64(time.Since(start)))
		w.calls.Add(1)
	}()
	return w.Writer.Line(ctx, persona, text, cfg)
}

// checkOnce fails unless every line of the run is done and written once, and the fake got,
// since it had before requests, one chat request per line and one per 429: every line's
// direction reached it, and the repeated requests add up to the 429s.
func checkOnce(b *testing.B, e *env, runID string, before, lines, throttled int) {
	b.Helper()
	for _, l := range e.lines(b, runID) {
		if l.Status != batch.LineDone || l.Generations != 1 {
			b.Fatalf("line %s: status %s, written %d times", l.ID, l.Status, l.Generations)
		}
	}
	var chats int
	perLine := map[int]int{}
	for _, q := range e.fake.Requests()[before:] {
		if q.Path != "/v1/chat/completions" {
			continue
		}
		chats++
		_, rest, ok := strings.Cut(string(q.Body), "[Direction: Line ")
		num, _, ok2 := strings.Cut(rest, ".]")
		j, err := strconv.Atoi(num)
		if !ok || !ok2 || err != nil {
			b.Fatalf("a chat request without a line's direction: %.300s", q.Body)
		}
		perLine[j]++
	}
	if chats != lines+throttled {
		b.Fatalf("the fake got %d chat requests, want %d lines + %d answered 429", chats, lines, throttled)
	}
	extra := 0
	for j := range lines {
		n := perLine[j]
		if n == 0 {
			b.Fatalf("line %d never reached the fake", j)
		}
		extra += n - 1
	}
	if extra != throttled {
		b.Fatalf("%d repeated requests, want one per 429 (%d)", extra, throttled)
	}
}
