package dataset

import (
	"context"
	"fmt"

	"github.com/npcstudio/npcstudio/backend/store"
	bolt "go.etcd.io/bbolt"
)

// Kinds of RecordChange.
const (
	ChangeAdded   = "added"
	ChangeRemoved = "removed"
	ChangeChanged = "changed"
)

// RecordChange is one record that differs between two versions. Before is nil for an added
// record, After for a removed one. Lines are 1-based in each version (0 when absent).
type RecordChange struct {
	ID       string      `json:"id"`
	Kind     string      `json:"kind"`
	FromLine int         `json:"fromLine"`
	ToLine   int         `json:"toLine"`
	Before   *RecordView `json:"before,omitempty"`
	After    *RecordView `json:"after,omitempty"`
}

// DiffRequest compares two versions of a dataset. Version 0 is the empty dataset before the
// first version, so From 0 lists every record of To as added.
type DiffRequest struct {
	DatasetID string `json:"datasetId"`
	From      int    `json:"from"`
	To        int    `json:"to"`
	// Offset and Limit page the changes (Limit 0 means 100, at most 1,000); counts are of all.
	Offset int `json:"offset"`
	Limit  int `json:"limit"`
}

// Diff is what changed from one version to another. A record is changed when its content or
// tags differ; moving a record is not a change.
type Diff struct {
	From    int            `json:"from"`
	To      int            `json:"to"`
	Added   int            `json:"added"`
	Removed int            `json:"removed"`
	Changed int            `json:"changed"`
	Changes []RecordChange `json:"changes"`
}

// Diff compares two versions. Changes are listed removed first (in From's order), then added
// and changed (in To's order).
func (r *Repository) Diff(ctx context.Context, req DiffRequest) (Diff, error) {
	if err := ctx.Err(); err != nil {
		return Diff{}, err
	}
	limit := req.Limit
	if limit <= 0 {
		limit = 100
	}
	limit = min(limit, 1000)
	out := Diff{From: req.From, To: req.To, Changes: []RecordChange{}}
	err := r.st.View(func(tx *bolt.Tx) error {
		ds, err := getDataset(tx, req.DatasetID)
		if err != nil {
			return err
		}
		load := func(n int) ([]entry, error) {
			if n < 0 || n > ds.Head {
				return nil, fmt.Errorf("version %d (the dataset has 1 to %d): %w", n, ds.Head, store.ErrNotFound)
			}
			return r.loadEntries(tx, ds.ID, n)
		}
		from, err := load(req.From)
		if err != nil {
			return err
		}
		to, err := load(req.To)
		if err != nil {
			return err
		}
		fromAt := make(map[string]int, len(from))
		for i, e := range from {
			fromAt[e.ID] = i
		}
		toAt := make(map[string]int, len(to))
		for i, e := range to {
			toAt[e.ID] = i
		}
		var changes []RecordChange // without records yet; filled for the page only
		for i, e := range from {
			if _, ok := toAt[e.ID]; !ok {
				out.Removed++
				changes = append(changes, RecordChange{ID: e.ID, Kind: ChangeRemoved, FromLine: i + 1})
			}
		}
		for j, e := range to {
			i, ok := fromAt[e.ID]
			switch {
			case !ok:
				out.Added++
				changes = append(changes, RecordChange{ID: e.ID, Kind: ChangeAdded, ToLine: j + 1})
			case from[i].Hash != e.Hash:
				out.Changed++
				changes = append(changes, RecordChange{ID: e.ID, Kind: ChangeChanged, FromLine: i + 1, ToLine: j + 1})
			}
		}
		for k := max(req.Offset, 0); k < len(changes) && k < req.Offset+limit; k++ {
			c := changes[k]
			if c.FromLine > 0 {
				d, err := r.loadRecord(tx, ds.ID, from[c.FromLine-1])
				if err != nil {
					return err
				}
				v := view(c.ID, c.FromLine, d)
				c.Before = &v
			}
			if c.ToLine > 0 {
				d, err := r.loadRecord(tx, ds.ID, to[c.ToLine-1])
				if err != nil {
					return err
				}
				v := view(c.ID, c.ToLine, d)
				c.After = &v
			}
			out.Changes = append(out.Changes, c)
		}
		return nil
	})
	if err != nil {
		return Diff{}, fmt.Errorf("diff dataset %s: %w", req.DatasetID, err)
	}
	return out, nil
}
