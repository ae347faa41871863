package lore

import (
	"context"
	"testing"
	"time"

	"github.com/npcstudio/npcstudio/backend/minilm"
	"github.com/npcstudio/npcstudio/backend/testenv"
)

// BenchmarkSearchWhileEmbedding is a search of a 1 MB library (about 1,150 chunks) while
// the built-in embedder embeds it from scratch: how long until the first result, how long
// until search is hybrid (the model loaded and a first batch embedded), and the latency of
// searches meanwhile. Run it once:
//
//	go test ./backend/lore -run '^$' -bench SearchWhileEmbedding -benchtime 1x
func BenchmarkSearchWhileEmbedding(b *testing.B) {
	model := testenv.MiniLMDir(b)
	dir := b.TempDir()
	corpus(b, dir, 1150, 64<<10)
	ctx := context.Background()
	for range b.N {
		lib := newLibrary(b, Options{})
		if _, err := lib.Add(ctx, []string{dir}, AddOptions{}); err != nil {
			b.Fatal(err)
		}
		q := Query{Text: "the keeper of the ember vault and its glass", K: 5}
		start := time.Now()
		lib.SetEmbedder(minilm.NewLazy(model), nil)
		if _, err := lib.Search(ctx, q); err != nil {
			b.Fatal(err)
		}
		first := time.Since(start)
		var hybrid time.Duration
		var lat []time.Duration
		for len(lat) < 20 {
			t0 := time.Now()
			res, err := lib.Search(ctx, q)
			if err != nil {
				b.Fatal(err)
			}
			if res.Mode == Hybrid {
				if hybrid == 0 {
					hybrid = time.Since(start)
				}
				lat = append(lat, time.Since(t0))
			}
			time.Sleep(20 * time.Millisecond)
		}
		var sum time.Duration
		for _, d := range lat {
			sum += d
		}
		st := lib.EmbedStatus()
		b.ReportMetric(float64(first.Microseconds())/1000, "first-result-ms")
		b.ReportMetric(float64(hybrid.Milliseconds()), "first-hybrid-ms")
		b.ReportMetric(float64(sum.Microseconds())/1000/float64(len(lat)), "hybrid-search-ms")
		b.ReportMetric(float64(st.Total), "chunks")
		lib.SetEmbedder(nil, nil)
	}
}
