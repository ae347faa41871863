package dataset

import (
	"context"
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"math"
	"slices"

	bolt "go.etcd.io/bbolt"
)

// SplitOptions choose a validation set. The split depends only on the seed and the record ids,
// so the same seed gives the same split on every machine, and adding records does not move
// the others between the sets (beyond the one the new size needs).
type SplitOptions struct {
	Seed int64 `json:"seed"`
	// ValidationFraction is the share of records for validation, between 0 and 1.
	ValidationFraction float64 `json:"validationFraction"`
	// ValidationRecords, when not 0, is the exact number of validation records (instead of the fraction).
	ValidationRecords int `json:"validationRecords"`
}

// SplitIndexes splits records (by id) into training and validation indexes, each ascending.
// Each id gets a score hashed from the seed and the id; the lowest scores go to validation.
func SplitIndexes(ids []string, opts SplitOptions) (training, validation []int, err error) {
	n := len(ids)
	k := opts.ValidationRecords
	if k == 0 {
		if opts.ValidationFraction <= 0 || opts.ValidationFraction >= 1 {
			return nil, nil, &Problem{Field: "validationFraction", Message: "must be between 0 and 1 (or set validationRecords)"}
		}
		k = int(math.Round(opts.ValidationFraction * float64(n)))
	}
	if k < 1 || k >= n {
		return nil, nil, &Problem{Field: "split", Message: fmt.Sprintf("a split of %d records needs at least one record in each set, not %d for validation", n, k)}
	}
	var seed [8]byte
	binary.LittleEndian.PutUint64(seed[:], uint64(opts.Seed))
	score := make([]uint64, n)
	for i, id := range ids {
		h := fnv.New64a()
		h.Write(seed[:])
		h.Write([]byte(id))
		score[i] = mix64(h.Sum64())
	}
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		if score[a] != score[b] {
			if score[a] < score[b] {
				return -1
			}
			return 1
		}
		return a - b
	})
	validation = slices.Clone(order[:k])
	training = slices.Clone(order[k:])
	slices.Sort(validation)
	slices.Sort(training)
	return training, validation, nil
}

// SplitRequest previews a split of a version (0: the latest).
type SplitRequest struct {
	DatasetID string       `json:"datasetId"`
	Version   int          `json:"version"`
	Split     SplitOptions `json:"split"`
}

// SplitResult counts the records of each set, with what the base model would object to.
type SplitResult struct {
	Training   int `json:"training"`
	Validation int `json:"validation"`
	// ValidationLines are the version lines that go to validation (ascending).
	ValidationLines []int    `json:"validationLines"`
	Warnings        []string `json:"warnings"`
}

// Split previews a seeded split; Export and ValidateVersion take the same options and make the
// same split.
func (r *Repository) Split(ctx context.Context, req SplitRequest) (SplitResult, error) {
	if err := ctx.Err(); err != nil {
		return SplitResult{}, err
	}
	var ids []string
	var model string
	err := r.st.View(func(tx *bolt.Tx) error {
		ds, _, entries, err := r.readVersion(tx, req.DatasetID, req.Version)
		model, ids = ds.BaseModel, entryIDs(entries)
		return err
	})
	if err != nil {
		return SplitResult{}, fmt.Errorf("split dataset: %w", err)
	}
	train, val, err := SplitIndexes(ids, req.Split)
	if err != nil {
		return SplitResult{}, fmt.Errorf("split dataset: %w", err)
	}
	res := SplitResult{Training: len(train), Validation: len(val), ValidationLines: make([]int, len(val)), Warnings: []string{}}
	for i, v := range val {
		res.ValidationLines[i] = v + 1
	}
	if m, err := LookupBaseModel(model); err == nil {
		l := m.Limits
		if l.MaxValidationRecords > 0 && len(val) > l.MaxValidationRecords {
			res.Warnings = append(res.Warnings, fmt.Sprintf("%s takes at most %s validation records", m.Name, count(int64(l.MaxValidationRecords))))
		}
		if l.MinTrainingRecords > 0 && len(train) < l.MinTrainingRecords {
			res.Warnings = append(res.Warnings, fmt.Sprintf("%s needs at least %s training records", m.Name, count(int64(l.MinTrainingRecords))))
		}
	}
	return res, nil
}

func entryIDs(entries []entry) []string {
	ids := make([]string, len(entries))
	for i, e := range entries {
		ids[i] = e.ID
	}
	return ids
}
