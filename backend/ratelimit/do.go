package ratelimit

import (
	"context"
	"errors"
	"time"

	"github.com/npcstudio/npcstudio/backend/llm"
	"github.com/npcstudio/npcstudio/backend/retryafter"
)

// DefaultMaxThrottled is how often one request may be throttled, by default, before its
// error is returned.
const DefaultMaxThrottled = 12

// Policy says how Do retries one request.
type Policy struct {
	// Retry bounds the retries of a request that failed in a way worth retrying.
	Retry llm.RetryPolicy
	// MaxThrottled is how often one request may be throttled before its error is
	// returned; throttling is counted apart from Retry, since it says "slower", not
	// "broken".
	MaxThrottled int
	// Sleep passes time (fake clocks in tests).
	Sleep func(ctx context.Context, d time.Duration) error
}

// WithDefaults fills in what p leaves zero: llm.DefaultRetry, DefaultMaxThrottled and
// the real clock.
func (p Policy) WithDefaults() Policy {
	if p.Retry == (llm.RetryPolicy{}) {
		p.Retry = llm.DefaultRetry
	}
	if p.MaxThrottled <= 0 {
		p.MaxThrottled = DefaultMaxThrottled
	}
	_, p.Sleep = Clock(nil, p.Sleep)
	return p
}

// Clock returns now and sleep, with the real clock for either one left nil (tests pass
// a fake clock).
func Clock(now func() time.Time, sleep func(context.Context, time.Duration) error) (func() time.Time, func(context.Context, time.Duration) error) {
	if now == nil {
		now = time.Now
	}
	if sleep == nil {
		sleep = retryafter.Sleep
	}
	return now, sleep
}

// Do makes one request under lim: it waits for a slot, calls call, and on failure
// retries as pol allows. A throttled request (rate limited, or told to come back later)
// pauses every request sharing lim and halves their concurrency, so one provider
// slowing down slows every worker at once. It returns how many requests were made and
// the last error; when ctx ends it returns ctx's error.
func Do(ctx context.Context, lim *Limiter, pol Policy, call func(ctx context.Context) error) (requests int, err error) {
	attempts, throttles := 0, 0
	for {
		if err := lim.Acquire(ctx); err != nil {
			return requests, err
		}
		requests++
		err := call(ctx)
		if err == nil {
			lim.Release(true)
			return requests, nil
		}
		if ctx.Err() != nil {
			lim.Release(false)
			return requests, ctx.Err()
		}
		var le *llm.Error
		isLLM := errors.As(err, &le)
		throttled := isLLM && le.Retryable() && (le.Code == llm.CodeRateLimited || le.RetryAfter > 0)
		if throttled && throttles < pol.MaxThrottled {
			throttles++
			wait := le.RetryAfter
			if wait <= 0 {
				wait = pol.Retry.Backoff(throttles)
			}
			lim.Throttle(wait)
			continue
		}
		lim.Release(false)
		attempts++
		if isLLM && le.Retryable() && !throttled && attempts < pol.Retry.MaxAttempts {
			if serr := pol.Sleep(ctx, pol.Retry.Backoff(attempts)); serr != nil {
				return requests, serr
			}
			continue
		}
		return requests, err
	}
}
