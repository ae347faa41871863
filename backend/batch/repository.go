package batch

import (
	"cmp"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/npcstudio/npcstudio/backend/fault"
	"github.com/npcstudio/npcstudio/backend/store"
)

// Buckets this package keeps (see doc.go).
const (
	BucketRuns  = "batch_runs"
	BucketLines = "batch_lines"
)

// Buckets are the buckets to pass to store.Open.
var Buckets = []string{BucketRuns, BucketLines}

const recordVersion = 1

// ErrNotFound is the store's sentinel, so errors.Is works with either.
var ErrNotFound = store.ErrNotFound

// Run statuses.
const (
	RunPending = "pending" // made, not started, or stopped (cancelled, crashed): resume finishes it
	RunRunning = "running"
	RunDone    = "done" // every line was tried; some may have failed (retryable)
)

// Line statuses.
const (
	LinePending = "pending"
	LineDone    = "done"
	LineFailed  = "failed" // the provider kept failing; a resume or a regenerate tries again
)

// Review verdicts.
const (
	ReviewNone     = ""
	ReviewAccepted = "accepted"
	ReviewRejected = "rejected"
)

// Run is one batch run of a spec.
type Run struct {
	V        int    `json:"v"`
	ID       string `json:"id"`
	SpecFile string `json:"specFile"`
	// SpecHash identifies the spec as run (after --provider), so a resume finds its run.
	SpecHash  string `json:"specHash"`
	Spec      Spec   `json:"spec"`
	Status    string `json:"status"`
	Lines     int    `json:"lines"`
	CreatedAt string `json:"createdAt"`
	UpdatedAt string `json:"updatedAt"`
}

// Flag is a constraint a line misses.
type Flag struct {
	Kind   string `json:"kind"` // FlagTooLong or FlagLoreMissing
	Detail string `json:"detail"`
}

// Flag kinds.
const (
	FlagTooLong     = "too_long"
	FlagLoreMissing = "lore_missing"
)

// Line is one line of a run: where it belongs, what the model wrote, and its review.
type Line struct {
	V         int    `json:"v"`
	RunID     string `json:"runId"`
	ID        string `json:"id"`
	Order     int    `json:"order"`
	Scene     string `json:"scene"`
	Persona   string `json:"persona"`
	Beat      string `json:"beat"`
	Variant   int    `json:"variant"`
	Direction string `json:"direction,omitempty"`
	Player    string `json:"player,omitempty"`

	Status string `json:"status"`
	// Text is the line as it stands (the writer's edit, if any); Generated is what the
	// model last wrote.
	Text      string `json:"text"`
	Generated string `json:"generated,omitempty"`
	Edited    bool   `json:"edited,omitempty"`
	Review    string `json:"review,omitempty"`
	// Note is for the voice director.
	Note  string `json:"note,omitempty"`
	Flags []Flag `json:"flags,omitempty"`

	Provider     string   `json:"provider,omitempty"`
	Model        string   `json:"model,omitempty"`
	Mode         string   `json:"mode,omitempty"`
	InputTokens  int      `json:"inputTokens,omitempty"`
	OutputTokens int      `json:"outputTokens,omitempty"`
	CostUSD      *float64 `json:"costUsd,omitempty"`
	Citations    []string `json:"citations,omitempty"`
	// Attempts counts requests for the current text; Generations counts texts written.
	Attempts    int    `json:"attempts,omitempty"`
	Generations int    `json:"generations,omitempty"`
	Error       string `json:"error,omitempty"`
	ErrorCode   string `json:"errorCode,omitempty"`
	UpdatedAt   string `json:"updatedAt"`
}

// Repository keeps runs and their lines in the workspace.
type Repository struct {
	st  *store.Store
	now func() time.Time
}

// NewRepository uses st, which must have been opened with Buckets.
func NewRepository(st *store.Store) *Repository { return &Repository{st: st, now: time.Now} }

func (r *Repository) timestamp() string { return r.now().UTC().Format(time.RFC3339) }

func lineKey(runID, lineID string) string { return runID + "/" + lineID }

// SpecHash identifies a spec by its content.
func SpecHash(s Spec) string {
	c := s
	c.File = ""
	b, _ := json.Marshal(c)
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:8])
}

// Create saves a new run of spec with every line pending, in one transaction.
func (r *Repository) Create(spec Spec) (Run, error) {
	var rnd [4]byte
	rand.Read(rnd[:])
	now := r.now().UTC()
	run := Run{V: recordVersion, ID: "b" + now.Format("20060102T150405") + "-" + hex.EncodeToString(rnd[:]), SpecFile: spec.File,
		SpecHash: SpecHash(spec), Spec: spec, Status: RunPending, Lines: spec.Lines(), CreatedAt: r.timestamp(), UpdatedAt: r.timestamp()}
	err := r.st.Update(func(tx *bolt.Tx) error {
		if err := store.PutJSON(tx, BucketRuns, run.ID, run); err != nil {
			return err
		}
		order := 0
		for _, sc := range spec.Scenes {
			for _, b := range sc.Beats {
				for v := 1; v <= b.Variants; v++ {
					l := Line{V: recordVersion, RunID: run.ID, ID: LineID(sc.ID, b.Persona, b.ID, v), Order: order, Scene: sc.ID, Persona: b.Persona,
						Beat: b.ID, Variant: v, Direction: b.Direction, Player: b.Player, Status: LinePending,
						Provider: b.Model.Provider, Model: b.Model.Model, Mode: string(b.Model.Mode), UpdatedAt: run.CreatedAt}
					order++
					if err := store.PutJSON(tx, BucketLines, lineKey(run.ID, l.ID), l); err != nil {
						return err
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		return Run{}, fmt.Errorf("save batch run of %s: %w", spec.File, err)
	}
	return run, nil
}

// Get returns a run.
func (r *Repository) Get(runID string) (Run, error) {
	var run Run
	err := r.st.View(func(tx *bolt.Tx) error { return store.GetJSON(tx, BucketRuns, runID, &run) })
	if err != nil {
		return Run{}, fmt.Errorf("batch run %q: %w", runID, err)
	}
	return run, nil
}

// List returns every run, newest first.
func (r *Repository) List() ([]Run, error) {
	var out []Run
	err := r.st.View(func(tx *bolt.Tx) error {
		return store.ForEachJSON(tx, BucketRuns, "", func(_ string, v Run) error {
			v.Spec = Spec{File: v.Spec.File} // lists stay small
			out = append(out, v)
			return nil
		})
	})
	slices.SortFunc(out, func(a, b Run) int { return cmp.Compare(b.ID, a.ID) })
	return out, err
}

// Unfinished returns the newest run of a spec with this hash that still has lines to
// write (pending or failed), if any.
func (r *Repository) Unfinished(specHash string) (Run, bool, error) {
	runs, err := r.List()
	if err != nil {
		return Run{}, false, err
	}
	for _, run := range runs {
		if run.SpecHash != specHash {
			continue
		}
		st, err := r.Status(run.ID)
		if err != nil {
			return Run{}, false, err
		}
		if st.Pending+st.Failed > 0 {
			full, err := r.Get(run.ID)
			return full, err == nil, err
		}
	}
	return Run{}, false, nil
}

// Lines returns a run's lines in spec order.
func (r *Repository) Lines(runID string) ([]Line, error) {
	var lines []Line
	err := r.st.View(func(tx *bolt.Tx) (err error) {
		_, lines, err = readRun(tx, runID)
		return err
	})
	return lines, err
}

// readRun reads a run and its lines, in spec order, in tx.
func readRun(tx *bolt.Tx, runID string) (Run, []Line, error) {
	var run Run
	if err := store.GetJSON(tx, BucketRuns, runID, &run); err != nil {
		return Run{}, nil, fmt.Errorf("batch run %q: %w", runID, err)
	}
	var out []Line
	err := store.ForEachJSON(tx, BucketLines, runID+"/", func(_ string, v Line) error {
		out = append(out, v)
		return nil
	})
	slices.SortFunc(out, func(a, b Line) int { return cmp.Compare(a.Order, b.Order) })
	return run, out, err
}

// snapshot reads a run, its lines and their counts at one moment.
func (r *Repository) snapshot(runID string) (Run, []Line, Status, error) {
	var run Run
	var lines []Line
	err := r.st.View(func(tx *bolt.Tx) (err error) {
		run, lines, err = readRun(tx, runID)
		return err
	})
	if err != nil {
		return Run{}, nil, Status{}, err
	}
	return run, lines, countLines(run, lines), nil
}

// Line returns one line.
func (r *Repository) Line(runID, lineID string) (Line, error) {
	var l Line
	err := r.st.View(func(tx *bolt.Tx) error { return store.GetJSON(tx, BucketLines, lineKey(runID, lineID), &l) })
	if err != nil {
		return Line{}, fmt.Errorf("line %q of batch run %q: %w", lineID, runID, err)
	}
	return l, nil
}

// update changes one line in its own transaction.
func (r *Repository) update(runID, lineID string, fn func(l *Line) error) (Line, error) {
	var l Line
	err := r.st.Update(func(tx *bolt.Tx) error {
		if err := store.GetJSON(tx, BucketLines, lineKey(runID, lineID), &l); err != nil {
			return err
		}
		if err := fn(&l); err != nil {
			return err
		}
		l.UpdatedAt = r.timestamp()
		return store.PutJSON(tx, BucketLines, lineKey(runID, lineID), l)
	})
	if err != nil {
		return Line{}, fmt.Errorf("line %q of batch run %q: %w", lineID, runID, err)
	}
	return l, nil
}

// lineEdit is one change to a line for updateLines.
type lineEdit struct {
	runID, lineID string
	fn            func(l *Line) error
}

// updateLines makes many changes in one transaction (one commit, one sync). An edit
// whose fn fails (or panics) leaves its line as it was and gets the error in errs; the
// others are kept. When fin is set, the same transaction then finishes the run (see
// finishRun), stopped if any edit failed. err is the transaction's own: when set,
// nothing was kept.
func (r *Repository) updateLines(edits []lineEdit, fin *runFinish) (saved []Line, errs []error, err error) {
	saved, errs = make([]Line, len(edits)), make([]error, len(edits))
	err = r.st.Update(func(tx *bolt.Tx) error {
		stamp := r.timestamp()
		failed := false
		for i, e := range edits {
			saved[i], errs[i] = Line{}, nil
			errs[i] = func() (err error) {
				defer func() {
					if p := recover(); p != nil {
						err = fmt.Errorf("internal error keeping line %s: %v", e.lineID, p)
					}
				}()
				var l Line
				if err := store.GetJSON(tx, BucketLines, lineKey(e.runID, e.lineID), &l); err != nil {
					return err
				}
				if err := e.fn(&l); err != nil {
					return err
				}
				l.UpdatedAt = stamp
				if err := store.PutJSON(tx, BucketLines, lineKey(e.runID, e.lineID), l); err != nil {
					return err
				}
				saved[i] = l
				return nil
			}()
			if errs[i] != nil {
				failed = failed || !errors.Is(errs[i], errAlreadyDone)
				errs[i] = fmt.Errorf("line %q of batch run %q: %w", e.lineID, e.runID, errs[i])
			}
		}
		if fin == nil {
			return nil
		}
		fin.stopped = fin.stopped || failed
		return r.finishIn(tx, fin)
	})
	if err != nil {
		return nil, nil, fmt.Errorf("keep %d lines of batch run %q: %w", len(edits), edits[0].runID, err)
	}
	return saved, errs, nil
}

// runFinish asks updateLines to finish a run: stopped says the Run call was stopped;
// status is the run's counts once finished.
type runFinish struct {
	runID   string
	stopped bool
	status  Status
}

// finishRun sets a run's status once a Run call is over, from its lines as they stand:
// done when none is pending and the call was not stopped, else pending. It counts the
// lines and writes the status in one transaction.
func (r *Repository) finishRun(runID string, stopped bool) (Status, error) {
	fin := runFinish{runID: runID, stopped: stopped}
	err := r.st.Update(func(tx *bolt.Tx) error { return r.finishIn(tx, &fin) })
	return fin.status, err
}

func (r *Repository) finishIn(tx *bolt.Tx, fin *runFinish) error {
	run, lines, err := readRun(tx, fin.runID)
	if err != nil {
		return err
	}
	run.Status = RunDone
	if fin.stopped || countLines(run, lines).Pending > 0 {
		run.Status = RunPending
	}
	run.UpdatedAt = r.timestamp()
	fin.status = countLines(run, lines)
	return store.PutJSON(tx, BucketRuns, fin.runID, run)
}

func (r *Repository) setRunStatus(runID, status string) error {
	return r.st.Update(func(tx *bolt.Tx) error {
		var run Run
		if err := store.GetJSON(tx, BucketRuns, runID, &run); err != nil {
			return err
		}
		run.Status, run.UpdatedAt = status, r.timestamp()
		return store.PutJSON(tx, BucketRuns, runID, run)
	})
}

// Status counts a run's lines.
type Status struct {
	RunID        string   `json:"runId"`
	SpecFile     string   `json:"specFile"`
	Status       string   `json:"status"`
	Total        int      `json:"total"`
	Done         int      `json:"done"`
	Failed       int      `json:"failed"`
	Pending      int      `json:"pending"`
	Accepted     int      `json:"accepted"`
	Rejected     int      `json:"rejected"`
	Flagged      int      `json:"flagged"`
	InputTokens  int      `json:"inputTokens"`
	OutputTokens int      `json:"outputTokens"`
	CostUSD      *float64 `json:"costUsd,omitempty"`
	CreatedAt    string   `json:"createdAt"`
}

// Status counts the lines of a run.
func (r *Repository) Status(runID string) (Status, error) {
	_, _, st, err := r.snapshot(runID)
	return st, err
}

// countLines counts lines, the lines of run.
func countLines(run Run, lines []Line) Status {
	st := Status{RunID: run.ID, SpecFile: run.SpecFile, Status: run.Status, Total: len(lines), CreatedAt: run.CreatedAt}
	for _, l := range lines {
		switch l.Status {
		case LineDone:
			st.Done++
		case LineFailed:
			st.Failed++
		default:
			st.Pending++
		}
		switch l.Review {
		case ReviewAccepted:
			st.Accepted++
		case ReviewRejected:
			st.Rejected++
		}
		if len(l.Flags) > 0 {
			st.Flagged++
		}
		st.InputTokens += l.InputTokens
		st.OutputTokens += l.OutputTokens
		if l.CostUSD != nil {
			c := *l.CostUSD
			if st.CostUSD != nil {
				c += *st.CostUSD
			}
			st.CostUSD = &c
		}
	}
	return st
}

// Review actions.
const (
	ActionAccept = "accept"
	ActionReject = "reject"
	ActionEdit   = "edit"
	ActionNote   = "note"
	ActionReset  = "reset"
)

// Review applies a writer's verdict, edit or note to a line. An edit keeps the model's
// text in Generated and is checked against the beat's constraints again.
func (r *Repository) Review(runID, lineID, action, text string) (Line, error) {
	run, err := r.Get(runID)
	if err != nil {
		return Line{}, err
	}
	return r.update(runID, lineID, func(l *Line) error {
		switch action {
		case ActionAccept, ActionReject:
			if l.Status != LineDone {
				return fault.Invalid("line", "line %s has no text yet (%s): regenerate it first", l.ID, l.Status)
			}
			l.Review = map[string]string{ActionAccept: ReviewAccepted, ActionReject: ReviewRejected}[action]
		case ActionReset:
			l.Review = ReviewNone
		case ActionEdit:
			t := strings.TrimSpace(text)
			if t == "" {
				return fault.Invalid("text", "an edited line needs text")
			}
			if l.Status != LineDone {
				l.Status, l.Error, l.ErrorCode = LineDone, "", ""
			}
			l.Text, l.Edited = t, true
			if b, ok := beatOf(run.Spec, l.Scene, l.Beat); ok {
				l.Flags = CheckLine(t, b.Constraints)
			}
		case ActionNote:
			l.Note = strings.TrimSpace(text)
		default:
			return fault.Invalid("action", "%q is not a review action (accept, reject, edit, note, reset)", action)
		}
		return nil
	})
}

func beatOf(s Spec, scene, beat string) (Beat, bool) {
	for _, sc := range s.Scenes {
		if sc.ID != scene {
			continue
		}
		for _, b := range sc.Beats {
			if b.ID == beat {
				return b, true
			}
		}
	}
	return Beat{}, false
}

func sceneOf(s Spec, scene string) (Scene, bool) {
	for _, sc := range s.Scenes {
		if sc.ID == scene {
			return sc, true
		}
	}
	return Scene{}, false
}
