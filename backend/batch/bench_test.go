package batch_test

import (
	"context"
	"testing"
	"time"

	"github.com/npcstudio/npcstudio/backend/batch"
	"github.com/npcstudio/npcstudio/backend/llm/openaifake"
)

// BenchmarkRunThroughput writes 320 lines at concurrency 16 against the fake with a fixed
// 100 ms latency and reports throughput as a share of the ideal (concurrency / latency).
func BenchmarkRunThroughput(b *testing.B) {
	const (
		lines       = 320
		concurrency = 16
		latency     = 100 * time.Millisecond
	)
	e := newEnv(b)
	e.fake.Default = openaifake.Reply{Tokens: openaifake.DefaultTokens, Latency: latency}
	// Real time here: the fake's latency is real.
	e.runner.Now, e.runner.Sleep = nil, nil
	spec := manyLines(b, lines)
	var elapsed time.Duration
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		run := e.create(b, spec)
		b.StartTimer()
		start := time.Now()
		p, err := e.runner.Run(context.Background(), run.ID, batch.Options{Concurrency: concurrency})
		elapsed += time.Since(start)
		if err != nil || p.Done != lines {
			b.Fatalf("%+v, %v", p, err)
		}
	}
	ideal := float64(concurrency) / latency.Seconds()
	got := float64(lines*b.N) / elapsed.Seconds()
	b.ReportMetric(got, "lines/s")
	b.ReportMetric(got/ideal, "ideal-ratio")
}
