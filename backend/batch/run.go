package batch

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/npcstudio/npcstudio/backend/chat"
	"github.com/npcstudio/npcstudio/backend/fault"
	"github.com/npcstudio/npcstudio/backend/llm"
	"github.com/npcstudio/npcstudio/backend/ratelimit"
)

// Writer writes one line for a persona: *chat.Runner is the one the studio uses, so a
// batch line goes through the very prompt rendering, lore grounding and providers a
// chat reply does. Its llm.Options should not retry (Retry.MaxAttempts 1): the batch
// Runner schedules retries itself, so that one throttled line slows every worker.
type Writer interface {
	Line(ctx context.Context, personaRef, text string, cfg chat.Config) (chat.LineReply, error)
}

var _ Writer = (*chat.Runner)(nil)

// DefaultConcurrency is the number of lines written at once unless told otherwise.
const (
	DefaultConcurrency = 4
	MaxConcurrency     = 64
)

// ErrRunActive is returned when a run is already being written in this process.
var ErrRunActive = errors.New("this batch run is already running")

// Runner writes a run's lines.
type Runner struct {
	Repo   *Repository
	Writer Writer
	// Retry says how often and how long to retry a line whose request failed in a way
	// worth retrying; zero means llm.DefaultRetry. Throttling is counted apart
	// (MaxThrottled), since it says "slower", not "broken".
	Retry        llm.RetryPolicy
	MaxThrottled int
	// Now and Sleep tell and pass time; nil means the real clock. Tests pass a fake clock.
	Now   func() time.Time
	Sleep func(ctx context.Context, d time.Duration) error

	mu     sync.Mutex
	active map[string]bool
}

// Options tune one Run call.
type Options struct {
	// Concurrency is the most lines written at once; 0 means DefaultConcurrency.
	Concurrency int
	// Lines, when set, writes only these lines, again even when they are done
	// (regenerate); otherwise every line not done is written (resume).
	Lines []string
	// OnProgress is called after each line is kept in the workspace (serialised, from
	// the goroutine that commits): a slow OnProgress delays the commits after it, and
	// requests go on until 4 × Concurrency lines wait to be kept.
	OnProgress func(Progress)
}

// Progress is where a run stands.
type Progress struct {
	RunID        string   `json:"runId"`
	Total        int      `json:"total"`
	Done         int      `json:"done"`
	Failed       int      `json:"failed"`
	Pending      int      `json:"pending"`
	InputTokens  int      `json:"inputTokens"`
	OutputTokens int      `json:"outputTokens"`
	CostUSD      *float64 `json:"costUsd,omitempty"`
	// LinesPerSec counts the lines written by this call; ETASeconds is -1 until known.
	LinesPerSec float64 `json:"linesPerSec"`
	ETASeconds  float64 `json:"etaSeconds"`
	// Concurrency is the number of requests the rate limiter allows now.
	Concurrency int `json:"concurrency"`
	Throttled   int `json:"throttled"`
	// Line is the line just finished, if any.
	Line *Line `json:"line,omitempty"`
}

// Run writes the lines of runID that are not done (or opt.Lines), keeping each one in
// the workspace the moment it is written. Cancelling ctx stops it; the lines not
// written stay pending and a later Run finishes them, never writing a done line again.
// A line the provider keeps refusing is marked failed with the reason and the run goes
// on; a later Run retries it.
func (r *Runner) Run(ctx context.Context, runID string, opt Options) (Progress, error) {
	r.mu.Lock()
	if r.active == nil {
		r.active = map[string]bool{}
	}
	if r.active[runID] {
		r.mu.Unlock()
		return Progress{}, fmt.Errorf("batch run %s: %w", runID, ErrRunActive)
	}
	r.active[runID] = true
	r.mu.Unlock()
	defer func() {
		r.mu.Lock()
		delete(r.active, runID)
		r.mu.Unlock()
	}()

	run, lines, st, err := r.Repo.snapshot(runID)
	if err != nil {
		return Progress{}, err
	}
	var todo []Line
	if len(opt.Lines) > 0 {
		byID := map[string]Line{}
		for _, l := range lines {
			byID[l.ID] = l
		}
		for _, id := range opt.Lines {
			l, ok := byID[id]
			if !ok {
				return Progress{}, fault.Invalid("line", "batch run %s has no line %q", runID, id)
			}
			todo = append(todo, l)
		}
	} else {
		for _, l := range lines {
			if l.Status != LineDone {
				todo = append(todo, l)
			}
		}
	}
	conc := opt.Concurrency
	if conc <= 0 {
		conc = DefaultConcurrency
	}
	conc = min(conc, MaxConcurrency, max(1, len(todo)))
	now, sleep := ratelimit.Clock(r.Now, r.Sleep)
	pol := ratelimit.Policy{Retry: r.Retry, MaxThrottled: r.MaxThrottled, Sleep: sleep}.WithDefaults()
	lim := ratelimit.New(conc, now, sleep)

	prog := Progress{RunID: runID, Total: st.Total, Done: st.Done, Failed: st.Failed, Pending: st.Pending,
		InputTokens: st.InputTokens, OutputTokens: st.OutputTokens, CostUSD: st.CostUSD, ETASeconds: -1, Concurrency: conc}
	start := now()
	written := 0
	var pmu sync.Mutex
	report := func(before string, l Line) {
		pmu.Lock()
		defer pmu.Unlock()
		for _, s := range []struct {
			status string
			d      int
		}{{before, -1}, {l.Status, 1}} {
			switch s.status {
			case LineDone:
				prog.Done += s.d
			case LineFailed:
				prog.Failed += s.d
			default:
				prog.Pending += s.d
			}
		}
		if l.Status == LineDone {
			written++
			prog.InputTokens += l.InputTokens
			prog.OutputTokens += l.OutputTokens
			if l.CostUSD != nil {
				c := *l.CostUSD
				if prog.CostUSD != nil {
					c += *prog.CostUSD
				}
				prog.CostUSD = &c
			}
		}
		if secs := now().Sub(start).Seconds(); secs > 0 && written > 0 {
			prog.LinesPerSec = float64(written) / secs
			prog.ETASeconds = float64(prog.Pending) / prog.LinesPerSec
		}
		prog.Concurrency = lim.Allowed()
		prog.Throttled = lim.Throttled()
		if opt.OnProgress != nil {
			p := prog
			p.Line = &l
			opt.OnProgress(p)
		}
	}

	var fatalMu sync.Mutex
	var fatal error
	wctx, stop := context.WithCancel(ctx)
	defer stop()
	fail := func(err error) {
		// The store failed: stop rather than write lines that cannot be kept.
		fatalMu.Lock()
		fatal = errors.Join(fatal, err)
		fatalMu.Unlock()
		stop()
	}
	stopped := func() bool {
		fatalMu.Lock()
		defer fatalMu.Unlock()
		return ctx.Err() != nil || fatal != nil
	}

	// One committer keeps the outcomes: whatever finished while it was committing goes
	// into its next transaction (group commit), so workers never queue behind each
	// other's syncs, and a worker hands its outcome over and takes its next line while
	// the commit runs. A line counts as kept, and is reported, only once its
	// transaction has committed; a crash before that loses at most the uncommitted
	// outcomes, whose lines stay pending and are written on resume. The last group
	// also finishes the run, in the same transaction.
	outcomes := make(chan outcome, 4*conc)
	var live atomic.Int32 // workers not yet done
	live.Store(int32(conc))
	c := committer{repo: r.Repo, runID: runID, report: report, fail: fail, stopped: stopped,
		last: func() bool { return live.Load() == 0 && len(outcomes) == 0 }}
	committed := make(chan struct{})
	go func() {
		defer close(committed)
		// The run is marked running while the first requests are already on their way.
		if err := r.Repo.setRunStatus(runID, RunRunning); err != nil {
			fail(err)
		}
		c.run(outcomes)
	}()

	// Workers take the lines in order straight from todo: no goroutine hands them out,
	// so a worker that finished a line starts its next one without waiting to be fed.
	var next atomic.Int64
	var wg sync.WaitGroup
	for range conc {
		wg.Go(func() {
			defer live.Add(-1)
			for wctx.Err() == nil {
				i := int(next.Add(1)) - 1
				if i >= len(todo) {
					return
				}
				l := todo[i]
				o, err := func() (o outcome, err error) {
					defer func() {
						if p := recover(); p != nil {
							err = fmt.Errorf("internal error writing line %s: %v", l.ID, p)
						}
					}()
					return r.write(wctx, run.Spec, l, len(opt.Lines) > 0, lim, pol)
				}()
				switch {
				case err != nil && wctx.Err() == nil:
					fail(err)
				case err == nil && o.edit.fn != nil:
					outcomes <- o
				}
			}
		})
	}
	wg.Wait()
	close(outcomes)
	<-committed

	left, lerr := c.finished, error(nil)
	if left == nil {
		// No group was last (no line was kept at the end, or the last worker was still
		// leaving when the last group was taken): finish on its own.
		var st Status
		st, lerr = r.Repo.finishRun(runID, stopped())
		left = &st
	}
	var serr error
	if lerr != nil {
		serr = errors.Join(lerr, r.Repo.setRunStatus(runID, RunPending))
	}
	pmu.Lock()
	out := prog
	pmu.Unlock()
	if lerr == nil {
		// The store has the last word: a writer may have edited a line meanwhile.
		out.Done, out.Failed, out.Pending = left.Done, left.Failed, left.Pending
		out.InputTokens, out.OutputTokens, out.CostUSD = left.InputTokens, left.OutputTokens, left.CostUSD
	}
	if fatal != nil {
		return out, errors.Join(fatal, serr)
	}
	if ctx.Err() != nil {
		return out, fmt.Errorf("batch run %s stopped with %d lines to write (resume finishes them): %w", runID, out.Pending+out.Failed, context.Cause(ctx))
	}
	return out, serr
}

// outcome is a line's new state waiting to be kept: before is the status it had, edit
// the change to make.
type outcome struct {
	before string
	edit   lineEdit
}

// maxGroup bounds the lines kept in one transaction.
const maxGroup = 256

// committer keeps a Run call's outcomes.
type committer struct {
	repo    *Repository
	runID   string
	report  func(before string, l Line)
	fail    func(error)
	stopped func() bool
	// last says no outcome will come after the ones taken: every worker is done and
	// none is waiting.
	last func() bool
	// finished is the run's status when the last group finished it.
	finished *Status
}

// run keeps outcomes until the channel closes: it takes every outcome waiting, keeps
// them in one transaction, then reports each line kept. A line done meanwhile (by
// another writer) is skipped; any other failure goes to fail. When the group taken is
// the last, its transaction finishes the run too.
func (c *committer) run(outcomes <-chan outcome) {
	group := make([]outcome, 0, maxGroup)
	edits := make([]lineEdit, 0, maxGroup)
	for o := range outcomes {
		group, edits = append(group[:0], o), edits[:0]
	more:
		for len(group) < maxGroup {
			select {
			case o, ok := <-outcomes:
				if !ok {
					break more
				}
				group = append(group, o)
			default:
				break more
			}
		}
		for _, o := range group {
			edits = append(edits, o.edit)
		}
		var fin *runFinish
		if c.last() {
			fin = &runFinish{runID: c.runID, stopped: c.stopped()}
		}
		saved, errs, err := c.repo.updateLines(edits, fin)
		if err != nil {
			c.fail(err)
			continue
		}
		if fin != nil {
			c.finished = &fin.status
		}
		for i, o := range group {
			switch {
			case errors.Is(errs[i], errAlreadyDone):
			case errs[i] != nil:
				c.fail(errs[i])
			default:
				c.report(o.before, saved[i])
			}
		}
	}
}

// write writes one line, retrying as the policy allows, and returns the change that
// keeps the outcome; none when ctx ended first (the line stays as it was). It returns
// an error only when the line cannot be written at all.
func (r *Runner) write(ctx context.Context, spec Spec, l Line, force bool, lim *ratelimit.Limiter, pol ratelimit.Policy) (outcome, error) {
	sc, ok1 := sceneOf(spec, l.Scene)
	b, ok2 := beatOf(spec, l.Scene, l.Beat)
	if !ok1 || !ok2 {
		return outcome{}, fmt.Errorf("line %s: its scene or beat is not in the run's spec", l.ID)
	}
	cfg := b.Model
	prompt := Prompt(sc, b, l.Variant)
	var reply chat.LineReply
	requests, err := ratelimit.Do(ctx, lim, pol, func(ctx context.Context) error {
		var err error
		reply, err = r.Writer.Line(ctx, b.Persona, prompt, cfg)
		if err == nil && strings.TrimSpace(reply.Text) == "" {
			err = errors.New("the model answered with no text")
		}
		return err
	})
	if err != nil && ctx.Err() != nil {
		return outcome{}, nil // cancelled: the line stays as it was
	}
	o := outcome{before: l.Status, edit: lineEdit{runID: l.RunID, lineID: l.ID}}
	if err == nil {
		text := cleanLine(reply.Text)
		flags := CheckLine(text, b.Constraints)
		var citations []string
		for _, c := range reply.Citations {
			citations = append(citations, c.ID+" "+c.Doc)
		}
		o.edit.fn = func(cur *Line) error {
			if cur.Status == LineDone && !force {
				return errAlreadyDone
			}
			cur.Status, cur.Error, cur.ErrorCode = LineDone, "", ""
			cur.Text = text
			cur.Generated, cur.Edited, cur.Review = cur.Text, false, ReviewNone
			cur.Flags = flags
			cur.Model, cur.Provider, cur.Mode = reply.Model, reply.Provider, string(reply.Mode)
			cur.InputTokens, cur.OutputTokens, cur.CostUSD = 0, 0, reply.CostUSD
			if reply.Usage != nil {
				cur.InputTokens, cur.OutputTokens = reply.Usage.InputTokens, reply.Usage.OutputTokens
			}
			cur.Citations = citations
			cur.Attempts = requests
			cur.Generations++
			return nil
		}
		return o, nil
	}
	shaped := fault.Shape(err, nil)
	o.edit.fn = func(cur *Line) error {
		if cur.Status == LineDone && !force {
			return errAlreadyDone
		}
		if cur.Status == LineDone {
			// A regenerate that failed keeps the line it had.
			cur.Error, cur.ErrorCode = shaped.Message, shaped.Code
			return nil
		}
		cur.Status, cur.Error, cur.ErrorCode, cur.Attempts = LineFailed, shaped.Message, shaped.Code, requests
		return nil
	}
	return o, nil
}

var errAlreadyDone = errors.New("line already written")

// cleanLine makes a model's answer one line of dialogue: white space collapsed (a
// script line is one line).
func cleanLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// Regenerate writes one line again, keeping its id; its review is cleared. When the
// provider fails, a line that had text keeps it and carries the error.
func (r *Runner) Regenerate(ctx context.Context, runID, lineID string) (Line, error) {
	if _, err := r.Run(ctx, runID, Options{Concurrency: 1, Lines: []string{lineID}}); err != nil {
		return Line{}, err
	}
	l, err := r.Repo.Line(runID, lineID)
	if err != nil {
		return l, err
	}
	if l.Error != "" {
		return l, fmt.Errorf("regenerate line %s: %s", lineID, l.Error)
	}
	return l, nil
}
