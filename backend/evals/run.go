package evals

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/npcstudio/npcstudio/backend/chat"
	"github.com/npcstudio/npcstudio/backend/fault"
	"github.com/npcstudio/npcstudio/backend/llm"
	"github.com/npcstudio/npcstudio/backend/lore"
	"github.com/npcstudio/npcstudio/backend/ratelimit"
	"github.com/npcstudio/npcstudio/backend/store"
)

// Answerer makes an NPC's answer; *chat.Runner is the one the studio uses, so a test's
// answer goes through the very prompt rendering, lore grounding and providers a chat
// reply does. Its llm.Options should not retry: the Runner schedules retries itself.
type Answerer interface {
	LineAfter(ctx context.Context, personaRef string, history []chat.Turn, text string, cfg chat.Config) (chat.LineReply, error)
}

var _ Answerer = (*chat.Runner)(nil)

// Run statuses.
const (
	RunRunning = "running"
	RunDone    = "done"
	RunStopped = "stopped" // cancelled or failed midway; the cases not run count as not passed
)

// Limits of one run.
const (
	MaxConfigs         = 8
	DefaultConcurrency = 4
	MaxConcurrency     = 32
)

// ConfigSummary is how one configuration did in a run.
type ConfigSummary struct {
	Config chat.Config `json:"config"`
	Label  string      `json:"label"`
	Total  int         `json:"total"`
	Passed int         `json:"passed"`
	Failed int         `json:"failed"`
	// Errors are cases whose answer could not be made or an assertion not checked.
	Errors   int     `json:"errors"`
	PassRate float64 `json:"passRate"`
}

// Run is one run of a suite against one or more configurations.
type Run struct {
	V            int             `json:"v"`
	ID           string          `json:"id"`
	SuiteID      string          `json:"suiteId"`
	SuiteName    string          `json:"suiteName"`
	SuiteVersion int             `json:"suiteVersion"`
	Threshold    float64         `json:"threshold,omitempty"`
	Persona      string          `json:"persona,omitempty"`
	Judge        *chat.Config    `json:"judge,omitempty"`
	Embedder     string          `json:"embedder,omitempty"`
	Cases        int             `json:"cases"`
	Configs      []ConfigSummary `json:"configs"`
	Status       string          `json:"status"`
	Error        string          `json:"error,omitempty"`
	CreatedAt    string          `json:"createdAt"`
	FinishedAt   string          `json:"finishedAt,omitempty"`
}

// TurnAnswer is an earlier turn of a multi-turn case and what the NPC answered.
type TurnAnswer struct {
	Message string `json:"message"`
	Answer  string `json:"answer"`
}

// CaseResult is one case asked of one configuration.
type CaseResult struct {
	V           int          `json:"v"`
	RunID       string       `json:"runId"`
	Config      int          `json:"config"`
	ConfigLabel string       `json:"configLabel"`
	Case        int          `json:"case"`
	Description string       `json:"description,omitempty"`
	Persona     string       `json:"persona"`
	Turns       []TurnAnswer `json:"turns,omitempty"`
	Message     string       `json:"message"`
	Answer      string       `json:"answer"`
	Model       string       `json:"model,omitempty"`
	Pass        bool         `json:"pass"`
	// Status is pass, fail or error (the answer could not be made, or an assertion not checked).
	Status   string    `json:"status"`
	Error    string    `json:"error,omitempty"`
	Outcomes []Outcome `json:"outcomes"`
}

func resultKey(runID string, cfg, c int) string { return fmt.Sprintf("%s/%03d/%05d", runID, cfg, c) }

// Options are what one run asks.
type Options struct {
	Suite   SuiteVersion
	Configs []chat.Config
	// Persona asks every case that names no persona of its own (and overrides the suite's).
	Persona string
	// Judge grades llm-rubric assertions; JudgeConfig records who it is. Nil: those
	// assertions end in an error outcome.
	Judge       Judge
	JudgeConfig *chat.Config
	// Embedder checks similar assertions; nil: they end in an error outcome saying so.
	Embedder    lore.Embedder
	Concurrency int
	// RunID, when set, is the new run's id (the window picks it to follow progress).
	RunID string
	// OnProgress is called after each case (serialised).
	OnProgress func(Progress)
}

// Progress is where a run stands.
type Progress struct {
	RunID  string      `json:"runId"`
	Total  int         `json:"total"`
	Done   int         `json:"done"`
	Passed int         `json:"passed"`
	Failed int         `json:"failed"`
	Errors int         `json:"errors"`
	Result *CaseResult `json:"result,omitempty"`
}

// Runner runs suites.
type Runner struct {
	Repo   *Repository
	Answer Answerer
	// Retry, MaxThrottled, Now and Sleep are as in batch: zero values mean
	// llm.DefaultRetry, 12 throttles a request, the real clock.
	Retry        llm.RetryPolicy
	MaxThrottled int
	Now          func() time.Time
	Sleep        func(ctx context.Context, d time.Duration) error
}

// limitedJudge grades under its provider's limiter, with the same retries as answers.
type limitedJudge struct {
	j   Judge
	lim *ratelimit.Limiter
	pol ratelimit.Policy
}

func (l limitedJudge) Grade(ctx context.Context, system, user string) (string, error) {
	var out string
	_, err := ratelimit.Do(ctx, l.lim, l.pol, func(ctx context.Context) error {
		var err error
		out, err = l.j.Grade(ctx, system, user)
		return err
	})
	return out, err
}

// Run asks every case of opt.Suite of every configuration, concurrently, sharing one
// adaptive rate limiter per provider, and keeps each result as it is made. Cancelling
// ctx stops it; the run is kept as stopped with what was done.
func (r *Runner) Run(ctx context.Context, opt Options) (Run, error) {
	s := opt.Suite.Suite
	if len(opt.Configs) == 0 {
		return Run{}, fault.Invalid("configs", "pick at least one configuration (provider, model, mode)")
	}
	if len(opt.Configs) > MaxConfigs {
		return Run{}, fault.Invalid("configs", "%d configurations; at most %d at once", len(opt.Configs), MaxConfigs)
	}
	for i, c := range opt.Configs {
		if err := c.Validate(fmt.Sprintf("configs[%d]", i)); err != nil {
			return Run{}, err
		}
	}
	if len(s.Cases) == 0 {
		return Run{}, fault.Invalid("suite", "suite %s has no cases", s.Name)
	}
	for i, c := range s.Cases {
		if cmp.Or(c.Persona, opt.Persona, s.Persona) == "" {
			return Run{}, fault.Invalid("persona", "case %d (%s) asks no persona: name one in the case, the suite, or with --persona", i+1, cmp.Or(c.Description, c.Message))
		}
	}
	now, sleep := ratelimit.Clock(r.Now, r.Sleep)
	pol := ratelimit.Policy{Retry: r.Retry, MaxThrottled: r.MaxThrottled, Sleep: sleep}.WithDefaults()
	conc := opt.Concurrency
	if conc <= 0 {
		conc = DefaultConcurrency
	}
	conc = min(conc, MaxConcurrency)

	run := Run{V: recordVersion, ID: cmp.Or(opt.RunID, "er-"+now().UTC().Format("20060102T150405")+"-"+randomHex(3)),
		SuiteID: s.ID, SuiteName: s.Name, SuiteVersion: opt.Suite.N, Threshold: s.Threshold, Persona: opt.Persona,
		Judge: opt.JudgeConfig, Cases: len(s.Cases), Status: RunRunning, CreatedAt: now().UTC().Format(timeFormat)}
	if opt.Embedder != nil {
		run.Embedder = opt.Embedder.ID()
	}
	for _, c := range opt.Configs {
		run.Configs = append(run.Configs, ConfigSummary{Config: c, Label: c.Label(), Total: len(s.Cases)})
	}
	if err := r.Repo.putRun(run, true); err != nil {
		return run, err
	}

	limiters := map[string]*ratelimit.Limiter{}
	limiter := func(provider string) *ratelimit.Limiter {
		if limiters[provider] == nil {
			limiters[provider] = ratelimit.New(conc, now, sleep)
		}
		return limiters[provider]
	}
	for _, c := range opt.Configs {
		limiter(c.Provider)
	}
	checker := Checker{Embedder: opt.Embedder}
	if opt.Judge != nil {
		lim := limiter("judge")
		if opt.JudgeConfig != nil {
			lim = limiter(opt.JudgeConfig.Provider)
		}
		checker.Judge = limitedJudge{j: opt.Judge, lim: lim, pol: pol}
	}

	type job struct{ cfg, c int }
	jobs := make(chan job)
	prog := Progress{RunID: run.ID, Total: len(s.Cases) * len(opt.Configs)}
	var pmu sync.Mutex
	var fatal error
	wctx, stop := context.WithCancel(ctx)
	defer stop()
	var wg sync.WaitGroup
	// Each provider gets up to conc requests at once (its limiter lowers that while it
	// throttles), so one slow provider does not hold the others' workers.
	for range min(conc*len(limiters), prog.Total) {
		wg.Go(func() {
			for j := range jobs {
				res := r.ask(wctx, run.ID, opt, j.cfg, j.c, limiters[opt.Configs[j.cfg].Provider], pol, checker)
				if wctx.Err() != nil {
					continue // cut short: not kept, the case counts as not run
				}
				err := r.Repo.st.Update(func(tx *bolt.Tx) error { return store.PutJSON(tx, BucketResults, resultKey(run.ID, j.cfg, j.c), res) })
				pmu.Lock()
				if err != nil {
					fatal = errors.Join(fatal, err)
					stop()
				} else {
					prog.Done++
					switch res.Status {
					case OutcomePass:
						prog.Passed++
					case OutcomeFail:
						prog.Failed++
					default:
						prog.Errors++
					}
					if opt.OnProgress != nil {
						p := prog
						p.Result = &res
						opt.OnProgress(p)
					}
				}
				pmu.Unlock()
			}
		})
	}
	// Case by case, each configuration in turn, so the configurations advance side by side.
feed:
	for i := range s.Cases {
		for ci := range opt.Configs {
			select {
			case jobs <- job{ci, i}:
			case <-wctx.Done():
				break feed
			}
		}
	}
	close(jobs)
	wg.Wait()

	results, err := r.Repo.Results(run.ID)
	if err != nil {
		fatal = errors.Join(fatal, err)
	}
	summarize(&run, results)
	run.Status = RunDone
	if ctx.Err() != nil || fatal != nil {
		run.Status = RunStopped
		run.Error = cmp.Or(errText(fatal), "stopped before every case was asked")
	}
	run.FinishedAt = now().UTC().Format(timeFormat)
	if err := r.Repo.putRun(run, false); err != nil {
		return run, errors.Join(fatal, err)
	}
	if fatal != nil {
		return run, fatal
	}
	if ctx.Err() != nil {
		return run, fmt.Errorf("test run %s stopped: %w", run.ID, context.Cause(ctx))
	}
	return run, nil
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func summarize(run *Run, results []CaseResult) {
	for i := range run.Configs {
		c := &run.Configs[i]
		c.Passed, c.Failed, c.Errors = 0, 0, 0
	}
	for _, res := range results {
		if res.Config < 0 || res.Config >= len(run.Configs) {
			continue
		}
		c := &run.Configs[res.Config]
		switch res.Status {
		case OutcomePass:
			c.Passed++
		case OutcomeFail:
			c.Failed++
		default:
			c.Errors++
		}
	}
	for i := range run.Configs {
		c := &run.Configs[i]
		if c.Total > 0 {
			c.PassRate = float64(c.Passed) / float64(c.Total)
		}
	}
}

// ask makes one case's answer (each earlier turn first) and checks it.
func (r *Runner) ask(ctx context.Context, runID string, opt Options, ci, i int, lim *ratelimit.Limiter, pol ratelimit.Policy, checker Checker) (res CaseResult) {
	s := opt.Suite.Suite
	c := s.Cases[i]
	cfg := opt.Configs[ci]
	res = CaseResult{V: recordVersion, RunID: runID, Config: ci, ConfigLabel: cfg.Label(), Case: i, Description: c.Description,
		Persona: cmp.Or(c.Persona, opt.Persona, s.Persona), Message: c.Message, Status: OutcomeError, Outcomes: []Outcome{}}
	defer func() {
		if p := recover(); p != nil {
			res.Status, res.Pass, res.Error = OutcomeError, false, fmt.Sprintf("internal error asking case %d: %v", i+1, p)
		}
	}()
	var history []chat.Turn
	say := func(text string) (chat.LineReply, error) {
		var reply chat.LineReply
		_, err := ratelimit.Do(ctx, lim, pol, func(ctx context.Context) error {
			var err error
			reply, err = r.Answer.LineAfter(ctx, res.Persona, history, text, cfg)
			if err == nil && strings.TrimSpace(reply.Text) == "" {
				err = errors.New("the model answered with no text")
			}
			return err
		})
		return reply, err
	}
	for _, t := range c.Turns {
		reply, err := say(t)
		if err != nil {
			res.Error = "turn " + fmt.Sprint(len(res.Turns)+1) + ": " + fault.Shape(err, nil).Message
			return res
		}
		res.Turns = append(res.Turns, TurnAnswer{Message: t, Answer: reply.Text})
		history = append(history, chat.Turn{Role: chat.RoleUser, Text: t}, chat.Turn{Role: chat.RoleAssistant, Text: reply.Text})
	}
	reply, err := say(c.Message)
	if err != nil {
		res.Error = fault.Shape(err, nil).Message
		return res
	}
	res.Answer, res.Model = strings.TrimSpace(reply.Text), reply.Model
	res.Status, res.Pass = OutcomePass, true
	for _, a := range c.Assert {
		o := checker.Check(ctx, a, res.Persona, c.Message, res.Answer)
		res.Outcomes = append(res.Outcomes, o)
		switch {
		case o.Outcome == OutcomeError:
			res.Status, res.Pass = OutcomeError, false
		case o.Outcome == OutcomeFail && res.Status != OutcomeError:
			res.Status, res.Pass = OutcomeFail, false
		}
	}
	return res
}

func (r *Repository) putRun(run Run, create bool) error {
	return r.st.Update(func(tx *bolt.Tx) error {
		if create && tx.Bucket([]byte(BucketRuns)).Get([]byte(run.ID)) != nil {
			return fault.Invalid("runId", "a test run %s already exists", run.ID)
		}
		return store.PutJSON(tx, BucketRuns, run.ID, run)
	})
}

// GetRun returns a run.
func (r *Repository) GetRun(id string) (Run, error) {
	var out Run
	err := r.st.View(func(tx *bolt.Tx) error { return store.GetJSON(tx, BucketRuns, id, &out) })
	return out, err
}

// Runs lists runs, newest first; suiteID, when set, keeps that suite's.
func (r *Repository) Runs(suiteID string) ([]Run, error) {
	var out []Run
	err := r.st.View(func(tx *bolt.Tx) error {
		return store.ForEachJSON(tx, BucketRuns, "", func(_ string, run Run) error {
			if suiteID == "" || run.SuiteID == suiteID {
				out = append(out, run)
			}
			return nil
		})
	})
	slices.SortFunc(out, func(a, b Run) int { return strings.Compare(b.CreatedAt, a.CreatedAt) })
	return out, err
}

// Results returns a run's results, failures first (errors, then fails, then passes),
// each group by configuration and case.
func (r *Repository) Results(runID string) ([]CaseResult, error) {
	var out []CaseResult
	err := r.st.View(func(tx *bolt.Tx) error {
		return store.ForEachJSON(tx, BucketResults, runID+"/", func(_ string, res CaseResult) error {
			out = append(out, res)
			return nil
		})
	})
	rank := map[string]int{OutcomeError: 0, OutcomeFail: 1, OutcomePass: 2}
	slices.SortStableFunc(out, func(a, b CaseResult) int { return cmp.Compare(rank[a.Status], rank[b.Status]) })
	return out, err
}

// TrendPoint is one run in a suite's history.
type TrendPoint struct {
	RunID     string `json:"runId"`
	CreatedAt string `json:"createdAt"`
	// PassRates are by configuration label.
	PassRates map[string]float64 `json:"passRates"`
}

// Trend is a suite's pass rates run after run, oldest first.
func (r *Repository) Trend(suiteID string) ([]TrendPoint, error) {
	runs, err := r.Runs(suiteID)
	if err != nil {
		return nil, err
	}
	var out []TrendPoint
	for i := len(runs) - 1; i >= 0; i-- {
		p := TrendPoint{RunID: runs[i].ID, CreatedAt: runs[i].CreatedAt, PassRates: map[string]float64{}}
		for _, c := range runs[i].Configs {
			p.PassRates[c.Label] = c.PassRate
		}
		out = append(out, p)
	}
	return out, nil
}
