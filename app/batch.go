package app

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/npcstudio/npcstudio/backend/batch"
	"github.com/npcstudio/npcstudio/backend/fault"
	"github.com/npcstudio/npcstudio/backend/llm"
	"github.com/npcstudio/npcstudio/backend/persona"
)

// BatchService writes script lines in bulk from a scene spec: runs started as operations
// (progress with lines per second, ETA, tokens), resumed after a stop, reviewed line by
// line, and exported for Yarn Spinner and the voice booth.
type BatchService struct {
	a *App

	mu     sync.Mutex
	active map[string]string // run id -> operation id
}

// Kinds of the batch operations.
const (
	OpBatchRun        = "batch.run"
	OpBatchRegenerate = "batch.regenerate"
)

// BatchSpecRequest names a spec file (YAML, or CSV by its .csv extension) and the
// provider for beats that name none.
type BatchSpecRequest struct {
	SpecPath string `json:"specPath"`
	Provider string `json:"provider,omitempty"`
}

// BatchSpecSummary is a spec that passed every check.
type BatchSpecSummary struct {
	SpecPath string   `json:"specPath"`
	Scenes   int      `json:"scenes"`
	Lines    int      `json:"lines"`
	Personas []string `json:"personas"`
	Hash     string   `json:"hash"`
}

// BatchRunRequest starts (or, with Resume, finishes) a run of a spec.
type BatchRunRequest struct {
	OpID     string `json:"opId,omitempty"`
	SpecPath string `json:"specPath"`
	Provider string `json:"provider,omitempty"`
	// Concurrency is the most lines written at once (default 4, at most 64).
	Concurrency int `json:"concurrency,omitempty"`
	// Resume finishes the newest unfinished run of the same spec instead of starting one;
	// with none to finish, a new run starts.
	Resume bool `json:"resume,omitempty"`
	// RunID, when set, resumes that run (SpecPath is then not read).
	RunID string `json:"runId,omitempty"`
}

// BatchStarted is a run being written: its operation reports batch.Progress, and its
// done event carries the final Progress.
type BatchStarted struct {
	OpID    string `json:"opId"`
	RunID   string `json:"runId"`
	Lines   int    `json:"lines"`
	Resumed bool   `json:"resumed"`
}

// BatchRef names a run.
type BatchRef struct {
	RunID string `json:"runId"`
}

// BatchLinesRequest pages a run's lines, filtered.
type BatchLinesRequest struct {
	RunID   string `json:"runId"`
	Scene   string `json:"scene,omitempty"`
	Persona string `json:"persona,omitempty"`
	// Status is pending, done or failed; Review is accepted, rejected or "none".
	Status  string `json:"status,omitempty"`
	Review  string `json:"review,omitempty"`
	Flagged bool   `json:"flagged,omitempty"`
	Offset  int    `json:"offset,omitempty"`
	// Limit is at most 500; 0 means 200.
	Limit int `json:"limit,omitempty"`
}

// BatchLinesPage is one page of lines.
type BatchLinesPage struct {
	Lines    []batch.Line `json:"lines"`
	Total    int          `json:"total"`
	Scenes   []string     `json:"scenes"`
	Personas []string     `json:"personas"`
}

// BatchReviewRequest accepts, rejects, edits, notes or resets one line.
type BatchReviewRequest struct {
	RunID  string `json:"runId"`
	LineID string `json:"lineId"`
	// Action is accept, reject, edit, note or reset.
	Action string `json:"action"`
	Text   string `json:"text,omitempty"`
}

// BatchLineRef names one line, for a regenerate.
type BatchLineRef struct {
	OpID   string `json:"opId,omitempty"`
	RunID  string `json:"runId"`
	LineID string `json:"lineId"`
}

// BatchExportRequest writes a run's lines to a folder.
type BatchExportRequest struct {
	RunID   string   `json:"runId"`
	Dir     string   `json:"dir"`
	Formats []string `json:"formats,omitempty"`
	All     bool     `json:"all,omitempty"`
	// Language is the strings table's language column; empty means "en".
	Language string `json:"language,omitempty"`
}

// personaFinder says whether the workspace has a persona, for batch.Check.
type personaFinder struct{ r *persona.Repository }

func (p personaFinder) Exists(name string) error {
	_, err := p.r.Get(name)
	return err
}

// loadSpec reads, parses and checks a spec file: nothing runs on a spec that fails.
func (s *BatchService) loadSpec(path, providerName string) (batch.Spec, error) {
	path, err := s.a.userPath("specPath", path)
	if err != nil {
		return batch.Spec{}, err
	}
	if path == "" {
		return batch.Spec{}, fault.Invalid("specPath", "pick a scene spec (YAML or CSV)")
	}
	st, err := s.a.store()
	if err != nil {
		return batch.Spec{}, err
	}
	f, err := os.Open(path)
	if err != nil {
		return batch.Spec{}, fmt.Errorf("read scene spec: %w", err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return batch.Spec{}, fmt.Errorf("read scene spec: %w", err)
	}
	if info.Size() > batch.MaxSpecBytes {
		return batch.Spec{}, &fault.ValidationError{File: path, Reason: fmt.Sprintf("the spec is %d bytes, more than the %d a spec may have: split it", info.Size(), batch.MaxSpecBytes)}
	}
	data := make([]byte, info.Size())
	if _, err := f.ReadAt(data, 0); err != nil && info.Size() > 0 {
		return batch.Spec{}, fmt.Errorf("read scene spec %s: %w", path, err)
	}
	var spec batch.Spec
	if strings.EqualFold(filepath.Ext(path), ".csv") {
		spec, err = batch.ParseCSV(path, data)
	} else {
		spec, err = batch.ParseSpec(path, data)
	}
	if err != nil {
		return spec, err
	}
	if providerName = strings.TrimSpace(providerName); providerName != "" {
		reg, err := s.a.registry()
		if err != nil {
			return spec, err
		}
		if _, err := reg.Get(providerName); err != nil {
			return spec, fmt.Errorf("%w: add it in Settings or with `npcstudio provider add`", err)
		}
		spec = batch.WithProvider(spec, providerName)
	}
	return spec, batch.Check(spec, personaFinder{persona.NewRepository(st)})
}

// Check parses and checks a spec without running it.
func (s *BatchService) Check(req BatchSpecRequest) (out BatchSpecSummary, err error) {
	defer guard(s.a.log, &err)
	spec, err := s.loadSpec(req.SpecPath, req.Provider)
	if err != nil {
		return out, err
	}
	out = BatchSpecSummary{SpecPath: req.SpecPath, Scenes: len(spec.Scenes), Lines: spec.Lines(), Hash: batch.SpecHash(spec)}
	for _, sc := range spec.Scenes {
		for _, p := range sc.Personas {
			if !slices.Contains(out.Personas, p) {
				out.Personas = append(out.Personas, p)
			}
		}
	}
	return out, nil
}

// runnerFor returns the workspace's batch Runner. Its Writer is the chat Runner (the
// same prompts, lore grounding and providers as a chat) with the provider's own retries
// off: the batch Runner schedules them, slowing every worker when one is throttled.
func (s *BatchService) runnerFor() (*batch.Runner, error) {
	st, err := s.a.store()
	if err != nil {
		return nil, err
	}
	cr, err := s.a.Chat.runner(0)
	if err != nil {
		return nil, err
	}
	cr.LLM.Retry = llm.RetryPolicy{MaxAttempts: 1}
	return &batch.Runner{Repo: batch.NewRepository(st), Writer: cr}, nil
}

func (s *BatchService) repo() (*batch.Repository, error) {
	st, err := s.a.store()
	if err != nil {
		return nil, err
	}
	return batch.NewRepository(st), nil
}

// claim marks a run as being written by opID, or says which operation is writing it.
func (s *BatchService) claim(runID, opID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.active == nil {
		s.active = map[string]string{}
	}
	if op, ok := s.active[runID]; ok {
		return fmt.Errorf("batch run %s is being written (operation %s): %w", runID, op, batch.ErrRunActive)
	}
	s.active[runID] = opID
	return nil
}

func (s *BatchService) release(runID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.active, runID)
}

// Run checks the spec, saves the run with every line pending, and writes the lines as an
// operation; it returns at once. Cancel (OperationService) stops it with every written
// line kept; Run with Resume (or RunID) finishes it.
func (s *BatchService) Run(req BatchRunRequest) (out BatchStarted, err error) {
	defer guard(s.a.log, &err)
	if req.Concurrency < 0 || req.Concurrency > batch.MaxConcurrency {
		return out, fault.Invalid("concurrency", "must be from 1 to %d", batch.MaxConcurrency)
	}
	r, err := s.runnerFor()
	if err != nil {
		return out, err
	}
	var run batch.Run
	switch {
	case req.RunID != "":
		if run, err = r.Repo.Get(req.RunID); err != nil {
			return out, err
		}
		out.Resumed = true
	default:
		spec, err := s.loadSpec(req.SpecPath, req.Provider)
		if err != nil {
			return out, err
		}
		found := false
		if req.Resume {
			if run, found, err = r.Repo.Unfinished(batch.SpecHash(spec)); err != nil {
				return out, err
			}
		}
		if !found {
			if run, err = r.Repo.Create(spec); err != nil {
				return out, err
			}
		}
		out.Resumed = found
	}
	opID := req.OpID
	if opID == "" {
		opID = newID()
	}
	if err := s.claim(run.ID, opID); err != nil {
		return out, err
	}
	out.OpID, out.RunID, out.Lines = opID, run.ID, run.Lines
	s.a.log.Info("batch run started", "run", run.ID, "lines", run.Lines, "resumed", out.Resumed)
	if _, err := s.a.ops.Start(opID, OpBatchRun, func(ctx context.Context, op *Op) (any, error) {
		defer s.release(run.ID)
		p, err := r.Run(ctx, run.ID, batch.Options{Concurrency: req.Concurrency, OnProgress: func(p batch.Progress) {
			p.Line = nil // lines are read by page; progress stays small
			op.Progress(p)
		}})
		s.a.log.Info("batch run stopped", "run", run.ID, "done", p.Done, "failed", p.Failed, "pending", p.Pending, "err", err)
		return p, err
	}); err != nil {
		s.release(run.ID)
		return BatchStarted{}, err
	}
	return out, nil
}

// Regenerate writes one line again, keeping its id, as an operation whose done event
// carries the new batch.Line.
func (s *BatchService) Regenerate(req BatchLineRef) (id string, err error) {
	defer guard(s.a.log, &err)
	r, err := s.runnerFor()
	if err != nil {
		return "", err
	}
	if _, err := r.Repo.Line(req.RunID, req.LineID); err != nil {
		return "", err
	}
	opID := req.OpID
	if opID == "" {
		opID = newID()
	}
	if err := s.claim(req.RunID, opID); err != nil {
		return "", err
	}
	id, err = s.a.ops.Start(opID, OpBatchRegenerate, func(ctx context.Context, op *Op) (any, error) {
		defer s.release(req.RunID)
		return r.Regenerate(ctx, req.RunID, req.LineID)
	})
	if err != nil {
		s.release(req.RunID)
	}
	return id, err
}

// List returns every run with its counts, newest first.
func (s *BatchService) List() (out []batch.Status, err error) {
	defer guard(s.a.log, &err)
	repo, err := s.repo()
	if err != nil {
		return nil, err
	}
	runs, err := repo.List()
	if err != nil {
		return nil, err
	}
	out = []batch.Status{}
	for _, run := range runs {
		st, err := repo.Status(run.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, nil
}

// Status counts a run's lines; an empty RunID means the newest run.
func (s *BatchService) Status(req BatchRef) (out batch.Status, err error) {
	defer guard(s.a.log, &err)
	repo, err := s.repo()
	if err != nil {
		return out, err
	}
	id := req.RunID
	if id == "" {
		runs, err := repo.List()
		if err != nil {
			return out, err
		}
		if len(runs) == 0 {
			return out, fault.NotFound("no batch runs yet: start one with `npcstudio batch run SPEC`")
		}
		id = runs[0].ID
	}
	return repo.Status(id)
}

// Lines returns a page of a run's lines, in spec order, filtered.
func (s *BatchService) Lines(req BatchLinesRequest) (out BatchLinesPage, err error) {
	defer guard(s.a.log, &err)
	repo, err := s.repo()
	if err != nil {
		return out, err
	}
	all, err := repo.Lines(req.RunID)
	if err != nil {
		return out, err
	}
	limit := req.Limit
	if limit <= 0 {
		limit = 200
	}
	limit = min(limit, 500)
	out.Lines = []batch.Line{}
	for _, l := range all {
		if !slices.Contains(out.Scenes, l.Scene) {
			out.Scenes = append(out.Scenes, l.Scene)
		}
		if !slices.Contains(out.Personas, l.Persona) {
			out.Personas = append(out.Personas, l.Persona)
		}
		review := l.Review
		if review == "" {
			review = "none"
		}
		if (req.Scene != "" && l.Scene != req.Scene) || (req.Persona != "" && !strings.EqualFold(l.Persona, req.Persona)) ||
			(req.Status != "" && l.Status != req.Status) || (req.Review != "" && review != req.Review) || (req.Flagged && len(l.Flags) == 0) {
			continue
		}
		if out.Total >= req.Offset && len(out.Lines) < limit {
			out.Lines = append(out.Lines, l)
		}
		out.Total++
	}
	return out, nil
}

// Review accepts, rejects, edits, notes or resets a line.
func (s *BatchService) Review(req BatchReviewRequest) (out batch.Line, err error) {
	defer guard(s.a.log, &err)
	repo, err := s.repo()
	if err != nil {
		return out, err
	}
	return repo.Review(req.RunID, req.LineID, req.Action, req.Text)
}

// Export writes a run's lines (only accepted ones once any was reviewed, unless All).
func (s *BatchService) Export(req BatchExportRequest) (out batch.ExportResult, err error) {
	defer guard(s.a.log, &err)
	if req.Dir, err = s.a.userPath("dir", req.Dir); err != nil {
		return out, err
	}
	repo, err := s.repo()
	if err != nil {
		return out, err
	}
	run, err := repo.Get(req.RunID)
	if err != nil {
		return out, err
	}
	lines, err := repo.Lines(req.RunID)
	if err != nil {
		return out, err
	}
	out, err = batch.Export(run, lines, batch.ExportOptions{Dir: req.Dir, Formats: req.Formats, All: req.All, Language: req.Language})
	if err == nil {
		s.a.log.Info("batch run exported", "run", run.ID, "lines", out.Lines, "files", len(out.Files))
	}
	return out, err
}
