package llm

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/npcstudio/npcstudio/backend/provider"
	"github.com/npcstudio/npcstudio/backend/retryafter"
)

// RetryPolicy says how a provider retries a request that failed before any of the
// answer reached the caller. Once a token has been passed on, a failure is never
// retried: the part received comes back with Result.Cut set, so the writer can choose
// to ask again.
type RetryPolicy struct {
	// MaxAttempts counts the first attempt too; 1 turns retries off.
	MaxAttempts int
	// BaseDelay is the first wait; each later one doubles, up to MaxDelay.
	BaseDelay time.Duration
	// MaxDelay is the longest wait. A server asking (Retry-After) for longer than this
	// ends the retries with an error that says how long it asked for.
	MaxDelay time.Duration
	// Jitter takes up to this fraction (0 to 1) off each backoff at random, so clients
	// throttled together do not come back together. Retry-After waits are kept exact.
	Jitter float64
}

// DefaultRetry is the policy used when Options.Retry is zero.
var DefaultRetry = RetryPolicy{MaxAttempts: 4, BaseDelay: 500 * time.Millisecond, MaxDelay: 30 * time.Second, Jitter: 0.2}

// backoff is the wait before attempt n+1 when the server did not say.
func (p RetryPolicy) backoff(n int) time.Duration {
	d := p.BaseDelay << (n - 1)
	if d > p.MaxDelay || d <= 0 {
		d = p.MaxDelay
	}
	if p.Jitter > 0 {
		d -= time.Duration(rand.Float64() * p.Jitter * float64(d))
	}
	return d
}

// caller is what every provider shares: who it is, its options with defaults filled in,
// and the retry loop.
type caller struct {
	name, kind string
	opts       Options
}

// sharedTransport pools connections for every provider made without its own client. A
// transport per provider kept one idle connection per provider made (chat and batch make one
// per reply), for 90 s each: a 10,000-line batch run held hundreds of MB in them.
var sharedTransport = newSharedTransport()

// maxIdlePerHost is how many idle connections the shared transport keeps to one
// server: at least as many as requests run at once (batch.MaxConcurrency), so concurrent
// requests reuse their connections instead of dialling anew each round (net/http keeps 2).
const maxIdlePerHost = 64

func newSharedTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = maxIdlePerHost
	t.MaxIdleConns = max(t.MaxIdleConns, 4*maxIdlePerHost)
	return t
}

func newCaller(p provider.Provider, opts Options) *caller {
	if opts.HTTPClient == nil {
		opts.HTTPClient = &http.Client{Transport: sharedTransport}
	}
	if opts.HTTPClient.CheckRedirect == nil {
		hc := *opts.HTTPClient
		hc.CheckRedirect = provider.SameOriginRedirects
		opts.HTTPClient = &hc
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 10 * time.Minute
		if p.Kind == provider.KindNPCAPI {
			opts.Timeout = 60 * time.Second
		}
	}
	if opts.IdleTimeout <= 0 {
		opts.IdleTimeout = 2 * time.Minute
	}
	if opts.Retry == (RetryPolicy{}) {
		opts.Retry = DefaultRetry
	}
	if opts.Retry.MaxAttempts < 1 {
		opts.Retry.MaxAttempts = 1
	}
	if opts.Sleep == nil {
		opts.Sleep = retryafter.Sleep
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &caller{name: p.Name, kind: p.Kind, opts: opts}
}

// attemptFunc sends the request once. It passes each piece of text to emit, returns
// emit's error as is, and fills in the Result's stop reason, usage and speech; the
// caller keeps the text. Failures come back as *Error.
type attemptFunc func(ctx context.Context, emit func(text string) error) (Result, error)

var (
	errAttemptTimeout = errors.New("attempt timed out")
	errIdle           = errors.New("no token in time")
)

// stopError carries an error from the caller's onChunk back out untouched.
type stopError struct{ err error }

func (e *stopError) Error() string { return e.err.Error() }
func (e *stopError) Unwrap() error { return e.err }

// turn is one call of Chat: the text so far, across attempts, and when it began.
type turn struct {
	start   time.Time
	onChunk func(Chunk) error
	text    strings.Builder
	first   time.Duration
}

// emit keeps s and passes it on to the caller.
func (t *turn) emit(s string) error {
	if t.text.Len() == 0 {
		t.first = time.Since(t.start)
	}
	t.text.WriteString(s)
	if t.onChunk != nil {
		if err := t.onChunk(Chunk{Text: s}); err != nil {
			return &stopError{err}
		}
	}
	return nil
}

// result fills in what the turn knows.
func (t *turn) result(r Result, model string, attempts int) Result {
	r.Text, r.Model, r.Attempts = t.text.String(), model, attempts
	r.FirstTokenMs, r.TotalMs = t.first.Milliseconds(), time.Since(t.start).Milliseconds()
	return r
}

// run sends the request under the retry policy and the timeouts.
func (c *caller) run(ctx context.Context, req Request, model string, onChunk func(Chunk) error, attempt attemptFunc) (Result, error) {
	if err := req.validate(); err != nil {
		return Result{Model: model}, err
	}
	t := &turn{start: time.Now(), onChunk: onChunk}
	pol := c.opts.Retry
	for n := 1; ; n++ {
		res, err := c.once(ctx, t, attempt)
		res = t.result(res, model, n)
		if err == nil {
			return res, nil
		}
		delivered := t.text.Len() > 0
		if ctx.Err() != nil {
			res.Cut = delivered
			return res, fmt.Errorf("chat with %s %q stopped: %w", kindLabel(c.kind), c.name, context.Cause(ctx))
		}
		var stop *stopError
		if errors.As(err, &stop) {
			res.Cut = true
			return res, stop.err
		}
		e := c.describe(err, model)
		e.Attempts = n
		if delivered {
			// Never retried: the caller has shown part of this answer already.
			res.Cut = true
			return res, &Error{Code: CodeCut, Provider: c.name, Kind: c.kind, Model: model, Status: e.Status, Attempts: n, Err: e,
				Msg: fmt.Sprintf("the answer was cut after %d characters (%s); the part received is kept: retry for a whole answer", utf8.RuneCountInString(res.Text), e.Msg)}
		}
		if e.Code == CodeCut {
			e.Code, e.Msg = CodeUnavailable, "the connection closed before any answer arrived ("+e.Msg+")"
		}
		if !e.retry || n >= pol.MaxAttempts {
			return res, e
		}
		wait := pol.backoff(n)
		if e.RetryAfter > 0 {
			if e.RetryAfter > pol.MaxDelay {
				e.Msg += fmt.Sprintf("; the server asks to wait %s, longer than the %s this app waits between attempts: try again later", e.RetryAfter.Round(time.Second), pol.MaxDelay)
				return res, e
			}
			wait = e.RetryAfter
		}
		if err := c.opts.Sleep(ctx, wait); err != nil {
			return res, fmt.Errorf("chat with %s %q stopped while waiting to retry (%s): %w", kindLabel(c.kind), c.name, e.Msg, err)
		}
	}
}

// once runs one attempt under the attempt timeout and the idle timeout.
func (c *caller) once(ctx context.Context, t *turn, attempt attemptFunc) (Result, error) {
	idleCtx, stopIdle := context.WithCancelCause(ctx)
	defer stopIdle(nil)
	actx, cancel := context.WithTimeoutCause(idleCtx, c.opts.Timeout, errAttemptTimeout)
	defer cancel()
	idle := time.AfterFunc(c.opts.IdleTimeout, func() { stopIdle(errIdle) })
	defer idle.Stop()
	got := false
	res, err := attempt(actx, func(s string) error {
		if s == "" {
			return nil
		}
		got = true
		idle.Reset(c.opts.IdleTimeout)
		return t.emit(s)
	})
	if err == nil || ctx.Err() != nil {
		return res, err
	}
	switch context.Cause(actx) {
	case errAttemptTimeout:
		if got {
			return res, failure(CodeTimeout, false, err, "the answer was still coming after %s, the longest one attempt may take", c.opts.Timeout)
		}
		return res, failure(CodeTimeout, false, err, "no answer within %s: %s", c.opts.Timeout, c.silenceHint())
	case errIdle:
		if got {
			return res, failure(CodeTimeout, false, err, "the answer stalled: no token for %s", c.opts.IdleTimeout)
		}
		return res, failure(CodeTimeout, false, err, "no answer within %s: %s", c.opts.IdleTimeout, c.silenceHint())
	}
	return res, err
}

// silenceHint says what to check when a server gives no answer at all.
func (c *caller) silenceHint() string {
	switch c.kind {
	case provider.KindBedrock:
		return "check the network (and any proxy) to Bedrock, or allow more time"
	case provider.KindNPCAPI:
		return "check the endpoint URL and the network"
	}
	return "is the server up and the model loaded? A model that is slow to load needs a longer timeout"
}

// describe makes sure err is an *Error that names the provider and model.
func (c *caller) describe(err error, model string) *Error {
	var e *Error
	if !errors.As(err, &e) {
		e = failure(CodeUnavailable, false, err, "%v", err)
	}
	e.Provider, e.Kind, e.Model = c.name, c.kind, model
	return e
}

// Backoff is the wait before attempt n+1 when the server did not say. Callers that
// schedule attempts themselves (a batch run, which keeps other lines going while one
// waits) use it so that every retry in the studio backs off alike.
func (p RetryPolicy) Backoff(n int) time.Duration { return p.backoff(n) }
