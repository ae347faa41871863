package app

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/npcstudio/npcstudio/backend/atomicfile"
	"github.com/npcstudio/npcstudio/backend/chat"
	"github.com/npcstudio/npcstudio/backend/cloud"
	"github.com/npcstudio/npcstudio/backend/evals"
	"github.com/npcstudio/npcstudio/backend/fault"
	"github.com/npcstudio/npcstudio/backend/llm"
	"github.com/npcstudio/npcstudio/backend/lore"
	"github.com/npcstudio/npcstudio/backend/persona"
	"github.com/npcstudio/npcstudio/backend/store"
)

// EvalService keeps NPC test suites, runs them against several configurations at once
// (as operations with progress and cancel), keeps the results and their history, and
// ties runs to model versions for approvals.
type EvalService struct {
	a *App
}

// OpEvalRun is the kind of a test run's operation.
const OpEvalRun = "eval.run"

// EvalSuiteRef names a suite by id or name.
type EvalSuiteRef struct {
	Suite string `json:"suite"`
}

// EvalSaveRequest saves a suite (a new version; an empty id creates one).
type EvalSaveRequest struct {
	Suite evals.Suite `json:"suite"`
	Note  string      `json:"note,omitempty"`
}

// EvalFileRequest names a promptfoo YAML file to import.
type EvalFileRequest struct {
	Path string `json:"path"`
}

// EvalExportRequest writes a suite to a promptfoo YAML file.
type EvalExportRequest struct {
	Suite string `json:"suite"`
	Path  string `json:"path"`
}

// EvalRunRequest runs a suite (by id or name, or a promptfoo file at Path, imported
// first) against Configs.
type EvalRunRequest struct {
	OpID    string        `json:"opId,omitempty"`
	Suite   string        `json:"suite,omitempty"`
	Path    string        `json:"path,omitempty"`
	Configs []chat.Config `json:"configs"`
	// Persona asks the cases that name none (and overrides the suite's persona).
	Persona string `json:"persona,omitempty"`
	// Judge grades llm-rubric assertions; nil leaves them unchecked (error outcomes).
	Judge       *chat.Config `json:"judge,omitempty"`
	Concurrency int          `json:"concurrency,omitempty"`
}

// EvalStarted is a run under way: its operation reports evals.Progress, and its done
// event carries the finished evals.Run.
type EvalStarted struct {
	OpID    string `json:"opId"`
	RunID   string `json:"runId"`
	SuiteID string `json:"suiteId"`
	Cases   int    `json:"cases"`
	Configs int    `json:"configs"`
	// Embedder says which embedder checks similarity ("" none: those assertions error).
	Embedder string `json:"embedder"`
}

// EvalRunRef names a run.
type EvalRunRef struct {
	RunID string `json:"runId"`
}

// EvalRunView is a run with its results matrix, failures first.
type EvalRunView struct {
	Run     evals.Run          `json:"run"`
	Results []evals.CaseResult `json:"results"`
}

// EvalAttachRequest ties a run's configuration (Config; -1: its only one) to a model
// version, named by its model package ARN.
type EvalAttachRequest struct {
	VersionARN string `json:"versionArn"`
	RunID      string `json:"runId"`
	Config     int    `json:"config"`
}

// EvalVersionRef names a model version by its model package ARN.
type EvalVersionRef struct {
	VersionARN string `json:"versionArn"`
}

func (s *EvalService) repo() (*evals.Repository, error) {
	st, err := s.a.store()
	if err != nil {
		return nil, err
	}
	return evals.NewRepository(st), nil
}

// Kinds lists the assertion kinds, in the order the window offers them.
func (s *EvalService) Kinds() []string { return evals.Kinds }

// List returns every suite.
func (s *EvalService) List() (out []evals.SuiteSummary, err error) {
	defer guard(s.a.log, &err)
	r, err := s.repo()
	if err != nil {
		return nil, err
	}
	out, err = r.List()
	if out == nil {
		out = []evals.SuiteSummary{}
	}
	return out, err
}

// Get returns a suite's current version.
func (s *EvalService) Get(req EvalSuiteRef) (out evals.SuiteVersion, err error) {
	defer guard(s.a.log, &err)
	r, err := s.repo()
	if err != nil {
		return out, err
	}
	return r.Get(req.Suite)
}

// Save keeps a suite as a new version.
func (s *EvalService) Save(req EvalSaveRequest) (out evals.SuiteVersion, err error) {
	defer guard(s.a.log, &err)
	r, err := s.repo()
	if err != nil {
		return out, err
	}
	return r.Save(req.Suite, s.a.author(), req.Note)
}

// Delete removes a suite (its runs stay in the history).
func (s *EvalService) Delete(req EvalSuiteRef) (err error) {
	defer guard(s.a.log, &err)
	r, err := s.repo()
	if err != nil {
		return err
	}
	v, err := r.Get(req.Suite)
	if err != nil {
		return err
	}
	return r.Delete(v.Suite.ID)
}

// readSuiteFile reads a promptfoo file, bounded.
func readSuiteFile(path string) (evals.Suite, error) {
	if strings.TrimSpace(path) == "" {
		return evals.Suite{}, fault.Invalid("path", "pick a promptfoo YAML file")
	}
	f, err := os.Open(path)
	if err != nil {
		return evals.Suite{}, fmt.Errorf("read test suite: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, evals.MaxFileSize+1))
	if err != nil {
		return evals.Suite{}, fmt.Errorf("read test suite %s: %w", path, err)
	}
	return evals.ParseYAML(path, data)
}

// Import reads a promptfoo YAML file and saves it: as a new version of the suite of the
// same name when there is one (nothing new when unchanged), else as a new suite.
func (s *EvalService) Import(req EvalFileRequest) (out evals.SuiteVersion, err error) {
	defer guard(s.a.log, &err)
	return s.importFile(req.Path)
}

func (s *EvalService) importFile(path string) (evals.SuiteVersion, error) {
	path, err := s.a.userPath("path", path)
	if err != nil {
		return evals.SuiteVersion{}, err
	}
	suite, err := readSuiteFile(path)
	if err != nil {
		return evals.SuiteVersion{}, err
	}
	r, err := s.repo()
	if err != nil {
		return evals.SuiteVersion{}, err
	}
	if cur, err := r.Get(suite.Name); err == nil {
		suite.ID = cur.Suite.ID
	} else if !errors.Is(err, store.ErrNotFound) {
		return evals.SuiteVersion{}, err
	}
	return r.Save(suite, s.a.author(), "imported from "+path)
}

// Export writes a suite to a promptfoo YAML file (atomically) and returns its path.
func (s *EvalService) Export(req EvalExportRequest) (path string, err error) {
	defer guard(s.a.log, &err)
	if req.Path, err = s.a.userPath("path", req.Path); err != nil {
		return "", err
	}
	if req.Path == "" {
		return "", fault.Invalid("path", "say where to write the suite")
	}
	r, err := s.repo()
	if err != nil {
		return "", err
	}
	v, err := r.Get(req.Suite)
	if err != nil {
		return "", err
	}
	data, err := evals.WriteYAML(v.Suite)
	if err != nil {
		return "", err
	}
	if err := atomicfile.Write(req.Path, 0o644, func(w io.Writer) error { _, err := w.Write(data); return err }); err != nil {
		return "", fmt.Errorf("write test suite: %w", err)
	}
	return req.Path, nil
}

// embedder is the lore library's configured embedder, or nil when none is set.
func (s *EvalService) embedder() (lore.Embedder, error) {
	st, err := s.a.store()
	if err != nil {
		return nil, err
	}
	cfg, err := readSetting[LoreEmbedder](st, settingLoreEmbedder)
	if errors.Is(err, store.ErrNotFound) || (err == nil && cfg.Provider == "") {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return s.a.embedder(s.a.ctx(), st, cfg)
}

// Run starts a run as an operation and returns at once. Cancel (OperationService) stops
// it; what was asked is kept and the run is marked stopped.
func (s *EvalService) Run(req EvalRunRequest) (out EvalStarted, err error) {
	defer guard(s.a.log, &err)
	if req.Concurrency < 0 || req.Concurrency > evals.MaxConcurrency {
		return out, fault.Invalid("concurrency", "must be from 1 to %d", evals.MaxConcurrency)
	}
	r, err := s.repo()
	if err != nil {
		return out, err
	}
	var sv evals.SuiteVersion
	switch {
	case req.Path != "":
		if sv, err = s.importFile(req.Path); err != nil {
			return out, err
		}
	case strings.TrimSpace(req.Suite) != "":
		if sv, err = r.Get(req.Suite); err != nil {
			return out, err
		}
	default:
		return out, fault.Invalid("suite", "pick a test suite")
	}
	// Checked before the operation starts, so a bad request is an error of this call.
	if len(req.Configs) == 0 {
		return out, fault.Invalid("configs", "pick at least one configuration (provider, model, mode)")
	}
	for i, c := range req.Configs {
		if err := c.Validate(fmt.Sprintf("configs[%d]", i)); err != nil {
			return out, err
		}
	}
	reg, err := s.a.registry()
	if err != nil {
		return out, err
	}
	for i, c := range req.Configs {
		if _, err := reg.Get(c.Provider); err != nil {
			return out, fmt.Errorf("configs[%d]: %w: add it in Settings or with `npcstudio provider add`", i, err)
		}
	}
	// Every case's persona must exist: checked here, so a typo is an error of this call
	// rather than a run of errors.
	st, err := s.a.store()
	if err != nil {
		return out, err
	}
	pr := persona.NewRepository(st)
	seen := map[string]bool{}
	for i, c := range sv.Suite.Cases {
		ref := cmp.Or(c.Persona, strings.TrimSpace(req.Persona), sv.Suite.Persona)
		if ref == "" {
			return out, fault.Invalid("persona", "case %d asks no persona: name one in the case, the suite, or pick one for the run", i+1)
		}
		if !seen[ref] {
			seen[ref] = true
			if _, err := pr.Get(ref); err != nil {
				return out, fmt.Errorf("case %d: %w", i+1, err)
			}
		}
	}
	cr, err := s.a.Chat.runner(0)
	if err != nil {
		return out, err
	}
	cr.LLM.Retry = llm.RetryPolicy{MaxAttempts: 1}
	opt := evals.Options{Suite: sv, Configs: req.Configs, Persona: strings.TrimSpace(req.Persona), Concurrency: req.Concurrency}
	if req.Judge != nil && strings.TrimSpace(req.Judge.Provider) != "" {
		if _, err := reg.Get(req.Judge.Provider); err != nil {
			return out, fmt.Errorf("judge: %w", err)
		}
		j := *req.Judge
		j.Mode = chat.ModeBase
		opt.Judge = &evals.ProviderJudge{Providers: reg, Config: j, LLM: cr.LLM}
		opt.JudgeConfig = &j
	}
	if opt.Embedder, err = s.embedder(); err != nil {
		s.a.log.Warn("eval: the lore embedder cannot be made; similarity is not checked", "err", err)
		opt.Embedder = nil
	}
	opID := req.OpID
	if opID == "" {
		opID = newID()
	}
	opt.RunID = "er-" + opID
	if len(opt.RunID) > 80 {
		opt.RunID = "er-" + newID()
	}
	out = EvalStarted{OpID: opID, RunID: opt.RunID, SuiteID: sv.Suite.ID, Cases: len(sv.Suite.Cases), Configs: len(req.Configs)}
	if opt.Embedder != nil {
		out.Embedder = opt.Embedder.ID()
	}
	runner := &evals.Runner{Repo: r, Answer: cr}
	s.a.log.Info("test run started", "run", opt.RunID, "suite", sv.Suite.ID, "configs", len(req.Configs))
	if _, err := s.a.ops.Start(opID, OpEvalRun, func(ctx context.Context, op *Op) (any, error) {
		opt.OnProgress = func(p evals.Progress) {
			p.Result = nil // results are read with Results; progress stays small
			op.Progress(p)
		}
		run, err := runner.Run(ctx, opt)
		s.a.log.Info("test run ended", "run", run.ID, "status", run.Status, "err", err)
		return run, err
	}); err != nil {
		return EvalStarted{}, err
	}
	return out, nil
}

// Runs lists runs, newest first (one suite's when Suite is set).
func (s *EvalService) Runs(req EvalSuiteRef) (out []evals.Run, err error) {
	defer guard(s.a.log, &err)
	r, err := s.repo()
	if err != nil {
		return nil, err
	}
	id := ""
	if strings.TrimSpace(req.Suite) != "" {
		v, err := r.Get(req.Suite)
		if err != nil {
			return nil, err
		}
		id = v.Suite.ID
	}
	out, err = r.Runs(id)
	if out == nil {
		out = []evals.Run{}
	}
	return out, err
}

// Results returns a run and its results, failures first.
func (s *EvalService) Results(req EvalRunRef) (out EvalRunView, err error) {
	defer guard(s.a.log, &err)
	r, err := s.repo()
	if err != nil {
		return out, err
	}
	if out.Run, err = r.GetRun(req.RunID); err != nil {
		return out, err
	}
	out.Results, err = r.Results(req.RunID)
	if out.Results == nil {
		out.Results = []evals.CaseResult{}
	}
	return out, err
}

// Trend is a suite's pass rates run after run, oldest first.
func (s *EvalService) Trend(req EvalSuiteRef) (out []evals.TrendPoint, err error) {
	defer guard(s.a.log, &err)
	r, err := s.repo()
	if err != nil {
		return nil, err
	}
	v, err := r.Get(req.Suite)
	if err != nil {
		return nil, err
	}
	out, err = r.Trend(v.Suite.ID)
	if out == nil {
		out = []evals.TrendPoint{}
	}
	return out, err
}

// Attach ties a run's configuration to a model version.
func (s *EvalService) Attach(req EvalAttachRequest) (out evals.Attachment, err error) {
	defer guard(s.a.log, &err)
	r, err := s.repo()
	if err != nil {
		return out, err
	}
	return r.Attach(req.VersionARN, req.RunID, req.Config, s.a.author())
}

// VersionReadiness returns the pass rates of the runs attached to a model version and
// whether every suite's threshold is met.
func (s *EvalService) VersionReadiness(req EvalVersionRef) (out evals.Readiness, err error) {
	defer guard(s.a.log, &err)
	r, err := s.repo()
	if err != nil {
		return out, err
	}
	return r.VersionReadiness(req.VersionARN)
}

// versionEvidence is the test-suite evidence the Models area shows beside a version: the
// newest run of each suite attached to it, with its pass rate against the suite's threshold
// (nil when no run is attached).
func (a *App) versionEvidence(versionARN string) *cloud.Readiness {
	st, err := a.store()
	if err != nil {
		return nil
	}
	repo := evals.NewRepository(st)
	rd, err := repo.VersionReadiness(versionARN)
	if err != nil || len(rd.Suites) == 0 {
		return nil
	}
	out := &cloud.Readiness{Ready: rd.Ready, Reason: rd.Reason, Suites: []cloud.SuiteResult{}}
	for _, g := range rd.Suites {
		sr := cloud.SuiteResult{Suite: g.SuiteName, Rate: g.PassRate, Threshold: g.Threshold, Ready: g.Ready, RunAt: g.RunAt, Detail: g.ConfigLabel}
		if run, err := repo.GetRun(g.RunID); err == nil {
			for _, c := range run.Configs {
				if c.Label == g.ConfigLabel {
					sr.Passed, sr.Total = c.Passed, c.Total
				}
			}
		}
		out.Suites = append(out.Suites, sr)
	}
	return out
}
