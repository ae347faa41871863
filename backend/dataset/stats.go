package dataset

import (
	"math/bits"
	"slices"
)

// Stats describe the records of a file or version.
type Stats struct {
	// Records counts the records whose tokens were counted (lines that decoded into a record).
	Records int          `json:"records"`
	Tokens  TokenStats   `json:"tokens"`
	Longest []LongRecord `json:"longest"`
	Bytes   int64        `json:"bytes"`
}

// TokenStats is the distribution of tokens a record. Percentiles are exact below 1,024 tokens and
// within 0.2% above (see histogram).
type TokenStats struct {
	Min   int     `json:"min"`
	Max   int     `json:"max"`
	Mean  float64 `json:"mean"`
	P50   int     `json:"p50"`
	P95   int     `json:"p95"`
	Total int64   `json:"total"`
}

// LongRecord is one of the longest records.
type LongRecord struct {
	Line   int `json:"line"`
	Tokens int `json:"tokens"`
}

// longestKept is how many of the longest records a report lists.
const longestKept = 10

// statsBuilder accumulates Stats in memory that does not grow with the number of records.
type statsBuilder struct {
	n        int
	min, max int
	total    int64
	hist     histogram
	longest  []LongRecord // sorted by tokens descending, then line ascending
}

func (s *statsBuilder) add(line, tokens int) {
	if s.n == 0 || tokens < s.min {
		s.min = tokens
	}
	if tokens > s.max {
		s.max = tokens
	}
	s.n++
	s.total += int64(tokens)
	s.hist.add(tokens)
	if len(s.longest) == longestKept && tokens <= s.longest[longestKept-1].Tokens {
		return
	}
	// Lines arrive in order, so placing a record after those with as many tokens keeps ties by line.
	i := 0
	for i < len(s.longest) && s.longest[i].Tokens >= tokens {
		i++
	}
	s.longest = slices.Insert(s.longest, i, LongRecord{Line: line, Tokens: tokens})
	if len(s.longest) > longestKept {
		s.longest = s.longest[:longestKept]
	}
}

func (s *statsBuilder) stats(bytes int64) Stats {
	st := Stats{Records: s.n, Bytes: bytes, Longest: slices.Clone(s.longest)}
	if st.Longest == nil {
		st.Longest = []LongRecord{}
	}
	if s.n > 0 {
		st.Tokens = TokenStats{Min: s.min, Max: s.max, Total: s.total,
			Mean: float64(s.total) / float64(s.n), P50: s.hist.percentile(0.50), P95: s.hist.percentile(0.95)}
	}
	return st
}

// histogram counts values exactly below 1,024 and, above, in buckets of 512 per power of two,
// so a bucket is at most 0.2% wide and ten million tokens need about 7,000 counters.
type histogram struct {
	counts []int64
	n      int64
}

func histBucket(v int) int {
	if v < 1024 {
		return max(v, 0)
	}
	e := bits.Len(uint(v)) - 10
	return 1024 + (e-1)*512 + (v>>e - 512)
}

func histLow(i int) int {
	if i < 1024 {
		return i
	}
	i -= 1024
	e := i/512 + 1
	return (i%512 + 512) << e
}

func (h *histogram) add(v int) {
	i := histBucket(v)
	if i >= len(h.counts) {
		h.counts = append(h.counts, make([]int64, i+1-len(h.counts))...)
	}
	h.counts[i]++
	h.n++
}

// percentile is the nearest-rank percentile p (0 < p <= 1), as the low end of its bucket.
func (h *histogram) percentile(p float64) int {
	if h.n == 0 {
		return 0
	}
	rank := int64(p*float64(h.n) + 0.999999)
	rank = min(max(rank, 1), h.n)
	var seen int64
	for i, c := range h.counts {
		seen += c
		if seen >= rank {
			return histLow(i)
		}
	}
	return histLow(len(h.counts) - 1)
}
