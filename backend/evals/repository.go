package evals

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/npcstudio/npcstudio/backend/fault"
	"github.com/npcstudio/npcstudio/backend/store"
)

// Buckets this package keeps (see doc.go).
const (
	BucketSuites        = "eval_suites"
	BucketSuiteVersions = "eval_suite_versions"
	BucketRuns          = "eval_runs"
	BucketResults       = "eval_results"
	BucketGates         = "eval_gates"
)

// Buckets are the buckets to pass to store.Open.
var Buckets = []string{BucketSuites, BucketSuiteVersions, BucketRuns, BucketResults, BucketGates}

const recordVersion = 1

// ErrNotFound is the store's sentinel.
var ErrNotFound = store.ErrNotFound

// SuiteSummary is a suite's head: what the list shows.
type SuiteSummary struct {
	V         int     `json:"v"`
	ID        string  `json:"id"`
	Name      string  `json:"name"`
	Persona   string  `json:"persona,omitempty"`
	Cases     int     `json:"cases"`
	Threshold float64 `json:"threshold,omitempty"`
	Version   int     `json:"version"`
	UpdatedAt string  `json:"updatedAt"`
	UpdatedBy string  `json:"updatedBy,omitempty"`
}

// SuiteVersion is one saved version of a suite.
type SuiteVersion struct {
	V       int    `json:"v"`
	N       int    `json:"n"`
	Author  string `json:"author,omitempty"`
	SavedAt string `json:"savedAt"`
	Note    string `json:"note,omitempty"`
	Suite   Suite  `json:"suite"`
}

// Repository keeps suites, runs, results and gate attachments in the workspace.
type Repository struct {
	st  *store.Store
	now func() time.Time
}

// NewRepository returns the repository of st.
func NewRepository(st *store.Store) *Repository { return &Repository{st: st, now: time.Now} }

// timeFormat is RFC 3339 with a fixed number of digits, so that times sort as text.
const timeFormat = "2006-01-02T15:04:05.000000000Z07:00"

func (r *Repository) timestamp() string { return r.now().UTC().Format(timeFormat) }

func versionKey(id string, n int) string { return fmt.Sprintf("%s/%08d", id, n) }

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func slug(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
			if b.Len() >= 40 {
				break
			}
		} else {
			dash = true
		}
	}
	if b.Len() == 0 {
		return "suite"
	}
	return b.String()
}

// Save validates s and keeps it as a new version: a suite without an id (or with one
// not stored) is created. Saving what the current version already holds changes nothing.
func (r *Repository) Save(s Suite, author, note string) (SuiteVersion, error) {
	if err := s.Validate(""); err != nil {
		return SuiteVersion{}, err
	}
	var out SuiteVersion
	err := r.st.Update(func(tx *bolt.Tx) error {
		var head SuiteSummary
		n := 1
		if s.ID != "" {
			if err := store.GetJSON(tx, BucketSuites, s.ID, &head); err == nil {
				var cur SuiteVersion
				if err := store.GetJSON(tx, BucketSuiteVersions, versionKey(s.ID, head.Version), &cur); err != nil {
					return err
				}
				if reflect.DeepEqual(stripLines(cur.Suite), stripLines(s)) {
					out = cur
					return nil
				}
				n = head.Version + 1
			} else if !errors.Is(err, store.ErrNotFound) {
				return err
			}
		} else {
			b := tx.Bucket([]byte(BucketSuites))
			for {
				s.ID = slug(s.Name) + "-" + randomHex(2)
				if b.Get([]byte(s.ID)) == nil {
					break
				}
			}
		}
		out = SuiteVersion{V: recordVersion, N: n, Author: author, SavedAt: r.timestamp(), Note: note, Suite: s}
		if err := store.PutJSON(tx, BucketSuiteVersions, versionKey(s.ID, n), out); err != nil {
			return err
		}
		return store.PutJSON(tx, BucketSuites, s.ID, SuiteSummary{V: recordVersion, ID: s.ID, Name: s.Name, Persona: s.Persona,
			Cases: len(s.Cases), Threshold: s.Threshold, Version: n, UpdatedAt: out.SavedAt, UpdatedBy: author})
	})
	return out, err
}

// stripLines drops file positions, which say nothing about what a suite asks.
func stripLines(s Suite) Suite {
	s.Cases = slices.Clone(s.Cases)
	for i := range s.Cases {
		c := &s.Cases[i]
		c.Line = 0
		c.Assert = slices.Clone(c.Assert)
		for j := range c.Assert {
			c.Assert[j].Line = 0
		}
	}
	return s
}

// Get returns a suite's current version; ref is its id or its name (any case).
func (r *Repository) Get(ref string) (SuiteVersion, error) {
	var out SuiteVersion
	err := r.st.View(func(tx *bolt.Tx) error {
		id, err := findSuite(tx, ref)
		if err != nil {
			return err
		}
		var head SuiteSummary
		if err := store.GetJSON(tx, BucketSuites, id, &head); err != nil {
			return err
		}
		return store.GetJSON(tx, BucketSuiteVersions, versionKey(id, head.Version), &out)
	})
	return out, err
}

func findSuite(tx *bolt.Tx, ref string) (string, error) {
	ref = strings.TrimSpace(ref)
	if tx.Bucket([]byte(BucketSuites)).Get([]byte(ref)) != nil {
		return ref, nil
	}
	var found []string
	store.ForEachJSON(tx, BucketSuites, "", func(_ string, h SuiteSummary) error {
		if strings.EqualFold(h.Name, ref) {
			found = append(found, h.ID)
		}
		return nil
	})
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return "", fmt.Errorf("test suite %q: %w", ref, store.ErrNotFound)
	}
	return "", fault.Invalid("suite", "%d suites are named %q: use an id (%s)", len(found), ref, strings.Join(found, ", "))
}

// Version returns version n of suite id.
func (r *Repository) Version(id string, n int) (SuiteVersion, error) {
	var out SuiteVersion
	err := r.st.View(func(tx *bolt.Tx) error { return store.GetJSON(tx, BucketSuiteVersions, versionKey(id, n), &out) })
	return out, err
}

// History lists the versions of suite id, oldest first (suites only, no cases).
func (r *Repository) History(id string) ([]SuiteVersion, error) {
	var out []SuiteVersion
	err := r.st.View(func(tx *bolt.Tx) error {
		return store.ForEachJSON(tx, BucketSuiteVersions, id+"/", func(_ string, v SuiteVersion) error {
			v.Suite.Cases = nil
			out = append(out, v)
			return nil
		})
	})
	return out, err
}

// List returns every suite's head, by name.
func (r *Repository) List() ([]SuiteSummary, error) {
	var out []SuiteSummary
	err := r.st.View(func(tx *bolt.Tx) error {
		return store.ForEachJSON(tx, BucketSuites, "", func(_ string, h SuiteSummary) error {
			out = append(out, h)
			return nil
		})
	})
	slices.SortFunc(out, func(a, b SuiteSummary) int { return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)) })
	return out, err
}

// Delete removes a suite and its versions; its runs stay in the history.
func (r *Repository) Delete(id string) error {
	return r.st.Update(func(tx *bolt.Tx) error {
		if err := store.Delete(tx, BucketSuites, id); err != nil {
			return err
		}
		return deletePrefix(tx, BucketSuiteVersions, id+"/")
	})
}

func deletePrefix(tx *bolt.Tx, bucket, prefix string) error {
	c := tx.Bucket([]byte(bucket)).Cursor()
	var keys [][]byte
	for k, _ := c.Seek([]byte(prefix)); k != nil && strings.HasPrefix(string(k), prefix); k, _ = c.Next() {
		keys = append(keys, slices.Clone(k))
	}
	for _, k := range keys {
		if err := tx.Bucket([]byte(bucket)).Delete(k); err != nil {
			return err
		}
	}
	return nil
}
