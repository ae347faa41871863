package dataset

import (
	"context"
	"fmt"
	"github.com/npcstudio/npcstudio/backend/prose"
	"hash/fnv"
	"hash/maphash"
	"slices"
	"strings"
	"unicode"

	bolt "go.etcd.io/bbolt"
)

// Duplicate detection.
//
// Exact duplicates have the same system prompt and turns (tags and source aside).
//
// Near duplicates are found with MinHash over word shingles, then checked exactly. The text is
// the turns only (not the system prompt: every record of a persona shares a long one, which would
// make them all look alike), lower-cased with punctuation removed, cut into overlapping 3-word
// shingles. Two records are near duplicates when the Jaccard similarity of their shingle sets is
// at least the threshold (0.8 by default, which one changed word in a record of 30 words
// passes), not only when they differ in case, spacing or punctuation, which is all that comparing
// normalised text would catch. Comparing every
// pair is 50 million comparisons at 10,000 records; MinHash signatures (64 values) banded for
// locality-sensitive hashing (16 bands of 4) propose candidate pairs in about linear time,
// finding a pair at similarity 0.8 with probability 0.9998, and every candidate is confirmed
// with the exact Jaccard similarity, so a reported pair is never a false positive.

// DefaultNearThreshold is the Jaccard similarity from which two records are near duplicates.
const DefaultNearThreshold = 0.8

const (
	minhashSize = 64
	lshBands    = 16
	lshRows     = minhashSize / lshBands
)

// Kinds of DuplicateGroup.
const (
	DuplicateExact = "exact"
	DuplicateNear  = "near"
)

// RecordRef points at a record of a version.
type RecordRef struct {
	ID   string `json:"id"`
	Line int    `json:"line"`
}

// DuplicateGroup is a set of records that repeat each other. Records are in line order; the
// first is the one dedupe keeps.
type DuplicateGroup struct {
	Kind string `json:"kind"`
	// Similarity is the lowest confirmed similarity between two records of the group (1 for exact).
	Similarity float64     `json:"similarity"`
	Records    []RecordRef `json:"records"`
}

// DedupeRequest finds duplicates in the latest version (or BaseVersion) and, with Apply,
// removes all but the first record of each group as a new version.
type DedupeRequest struct {
	DatasetID   string `json:"datasetId"`
	BaseVersion int    `json:"baseVersion"`
	// Near also finds near duplicates; without it only exact ones.
	Near bool `json:"near"`
	// Threshold is the near-duplicate similarity, in (0, 1]; 0 means DefaultNearThreshold.
	Threshold float64 `json:"threshold"`
	Apply     bool    `json:"apply"`
}

// DedupeResult lists the duplicate groups found.
type DedupeResult struct {
	Groups []DuplicateGroup `json:"groups"`
	// Duplicates is how many records are (or would be) removed.
	Duplicates int `json:"duplicates"`
	// Version is the new version when applied (the searched one otherwise).
	Version Version `json:"version"`
}

type dupGroup struct {
	kind string
	sim  float64
	idx  []int
}

// Dedupe finds duplicate groups and, with req.Apply, removes the duplicates.
func (r *Repository) Dedupe(ctx context.Context, req DedupeRequest) (DedupeResult, error) {
	threshold := req.Threshold
	if threshold == 0 {
		threshold = DefaultNearThreshold
	}
	if threshold < 0 || threshold > 1 {
		return DedupeResult{}, fmt.Errorf("dedupe: %w", &Problem{Field: "threshold", Message: "must be between 0 and 1"})
	}
	res := DedupeResult{Groups: []DuplicateGroup{}}
	find := func(entries []entry, load func(entry) (recordDoc, error)) ([]dupGroup, error) {
		recs := make([]Record, len(entries))
		for i, e := range entries {
			d, err := load(e)
			if err != nil {
				return nil, err
			}
			recs[i] = d.Record
		}
		groups := duplicateGroups(recs, req.Near, threshold)
		for _, g := range groups {
			dg := DuplicateGroup{Kind: g.kind, Similarity: g.sim, Records: make([]RecordRef, len(g.idx))}
			for k, i := range g.idx {
				dg.Records[k] = RecordRef{ID: entries[i].ID, Line: i + 1}
			}
			res.Groups = append(res.Groups, dg)
			res.Duplicates += len(g.idx) - 1
		}
		return groups, nil
	}
	var err error
	if !req.Apply {
		err = r.st.View(func(tx *bolt.Tx) error {
			ds, n, entries, err := r.readVersion(tx, req.DatasetID, req.BaseVersion)
			if err != nil {
				return err
			}
			if res.Version, err = getVersion(tx, ds.ID, n); err != nil {
				return err
			}
			_, err = find(entries, func(e entry) (recordDoc, error) { return r.loadRecord(tx, ds.ID, e) })
			return err
		})
	} else {
		res.Version, err = r.change(ctx, req.DatasetID, req.BaseVersion, func(c *changeSet) (string, error) {
			groups, err := find(c.entries, c.record)
			if err != nil {
				return "", err
			}
			drop := map[int]bool{}
			for _, g := range groups {
				for _, i := range g.idx[1:] {
					drop[i] = true
				}
			}
			kept := c.entries[:0:0]
			for i, e := range c.entries {
				if !drop[i] {
					kept = append(kept, e)
				}
			}
			c.entries = kept
			return "remove " + prose.Count(len(drop), "duplicate"), nil
		})
	}
	if err != nil {
		return DedupeResult{}, fmt.Errorf("dedupe: %w", err)
	}
	return res, nil
}

// duplicateGroups groups records that are exact duplicates and, with near, near duplicates.
// Groups are ordered by their first record; indexes within a group ascend.
func duplicateGroups(recs []Record, near bool, threshold float64) []dupGroup {
	uf := newUnionFind(len(recs))
	minSim := map[int]float64{} // root -> lowest similarity of an edge in its group

	join := func(a, b int, sim float64) {
		ra, rb := uf.find(a), uf.find(b)
		s := sim
		for _, r := range []int{ra, rb} {
			if v, ok := minSim[r]; ok && v < s {
				s = v
			}
		}
		if ra == rb {
			minSim[ra] = s
			return
		}
		delete(minSim, ra)
		delete(minSim, rb)
		minSim[uf.union(ra, rb)] = s
	}

	// Exact: same content hash, confirmed equal.
	seed := maphash.MakeSeed()
	first := map[uint64][]int{}
	reps := make([]int, 0, len(recs)) // one record of each distinct content
	for i, rec := range recs {
		h := contentHash(seed, rec)
		matched := false
		for _, j := range first[h] {
			if recs[j].Equal(rec) {
				join(j, i, 1)
				matched = true
				break
			}
		}
		if !matched {
			first[h] = append(first[h], i)
			reps = append(reps, i)
		}
	}

	if near {
		sets := make(map[int][]uint64, len(reps))
		buckets := map[uint64][]int{}
		for _, i := range reps {
			set := shingles(recs[i])
			if len(set) == 0 {
				continue
			}
			sets[i] = set
			sig := minhash(set)
			for b := 0; b < lshBands; b++ {
				key := bandKey(b, sig[b*lshRows:(b+1)*lshRows])
				buckets[key] = append(buckets[key], i)
			}
		}
		// Buckets in key order, so the similarity a group reports is the same on every run.
		keys := make([]uint64, 0, len(buckets))
		for k, members := range buckets {
			if len(members) > 1 {
				keys = append(keys, k)
			}
		}
		slices.Sort(keys)
		checked := map[[2]int]bool{}
		for _, key := range keys {
			members := buckets[key]
			for x := 1; x < len(members); x++ {
				for y := 0; y < x; y++ {
					a, b := members[y], members[x]
					if uf.find(a) == uf.find(b) || checked[[2]int{a, b}] {
						continue
					}
					checked[[2]int{a, b}] = true
					if s := jaccard(sets[a], sets[b]); s >= threshold {
						join(a, b, s)
					}
				}
			}
		}
	}

	byRoot := map[int][]int{}
	for i := range recs {
		r := uf.find(i)
		byRoot[r] = append(byRoot[r], i)
	}
	var out []dupGroup
	for r, idx := range byRoot {
		if len(idx) < 2 {
			continue
		}
		g := dupGroup{kind: DuplicateExact, sim: minSim[r], idx: idx}
		for _, i := range idx[1:] {
			if !recs[i].Equal(recs[idx[0]]) {
				g.kind = DuplicateNear
				break
			}
		}
		out = append(out, g)
	}
	slices.SortFunc(out, func(a, b dupGroup) int { return a.idx[0] - b.idx[0] })
	return out
}

// shingles returns the sorted, distinct hashes of the 3-word shingles of a record's turns.
// A text of fewer than three words is one shingle.
func shingles(rec Record) []uint64 {
	var words []string
	for _, m := range rec.Messages {
		words = append(words, strings.FieldsFunc(strings.ToLower(m.Content), func(r rune) bool {
			return !unicode.IsLetter(r) && !unicode.IsDigit(r)
		})...)
	}
	if len(words) == 0 {
		return nil
	}
	const k = 3
	n := max(len(words)-k+1, 1)
	set := make([]uint64, 0, n)
	for i := 0; i < n; i++ {
		h := fnv.New64a()
		for _, w := range words[i:min(i+k, len(words))] {
			h.Write([]byte(w))
			h.Write([]byte{0})
		}
		set = append(set, h.Sum64())
	}
	slices.Sort(set)
	return slices.Compact(set)
}

// mix64 is the splitmix64 finalizer, a fast and well-spread 64-bit mixer.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// minhash is the MinHash signature of a shingle set; permutation k hashes h as mix64(h + k*φ).
func minhash(set []uint64) [minhashSize]uint64 {
	var sig [minhashSize]uint64
	for k := range sig {
		sig[k] = ^uint64(0)
	}
	for _, h := range set {
		for k := range sig {
			if v := mix64(h + uint64(k+1)*0x9e3779b97f4a7c15); v < sig[k] {
				sig[k] = v
			}
		}
	}
	return sig
}

func bandKey(band int, rows []uint64) uint64 {
	h := uint64(band) * 0x9e3779b97f4a7c15
	for _, v := range rows {
		h = mix64(h ^ v)
	}
	return h
}

// jaccard is |a ∩ b| / |a ∪ b| for sorted, distinct sets.
func jaccard(a, b []uint64) float64 {
	if len(a) == 0 && len(b) == 0 {
		return 1
	}
	inter := 0
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i] == b[j]:
			inter++
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	return float64(inter) / float64(len(a)+len(b)-inter)
}

type unionFind struct{ parent []int }

func newUnionFind(n int) *unionFind {
	p := make([]int, n)
	for i := range p {
		p[i] = i
	}
	return &unionFind{parent: p}
}

func (u *unionFind) find(x int) int {
	for u.parent[x] != x {
		u.parent[x] = u.parent[u.parent[x]]
		x = u.parent[x]
	}
	return x
}

// union joins two roots, keeping the lower index as root so a group's root is its first record.
func (u *unionFind) union(a, b int) int {
	if b < a {
		a, b = b, a
	}
	u.parent[b] = a
	return a
}
