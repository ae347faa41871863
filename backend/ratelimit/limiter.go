package ratelimit

import (
	"context"
	"sync"
	"time"
)

// Limiter bounds the requests in flight and adapts to the provider: a throttled request
// halves the allowed concurrency and pauses every worker for the wait the server asked
// (Retry-After) or the backoff; each success raises the allowance again by about one
// request per round, up to the maximum (additive increase, multiplicative decrease).
type Limiter struct {
	mu       sync.Mutex
	max      int
	limit    float64
	inflight int
	until    time.Time
	wake     chan struct{}
	now      func() time.Time
	sleep    func(ctx context.Context, d time.Duration) error

	throttled int
}

// New returns a Limiter allowing max requests at once; now and sleep tell and pass time.
func New(max int, now func() time.Time, sleep func(context.Context, time.Duration) error) *Limiter {
	return &Limiter{max: max, limit: float64(max), wake: make(chan struct{}), now: now, sleep: sleep}
}

// broadcast wakes every waiter; the caller holds mu.
func (l *Limiter) broadcast() {
	close(l.wake)
	l.wake = make(chan struct{})
}

// Acquire waits for a slot: the pause over and fewer requests in flight than allowed.
func (l *Limiter) Acquire(ctx context.Context) error {
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		l.mu.Lock()
		if wait := l.until.Sub(l.now()); wait > 0 {
			l.mu.Unlock()
			if err := l.sleep(ctx, wait); err != nil {
				return err
			}
			continue
		}
		if l.inflight < max(1, int(l.limit)) {
			l.inflight++
			l.mu.Unlock()
			return nil
		}
		ch := l.wake
		l.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// Release gives a slot back; ok says the request succeeded.
func (l *Limiter) Release(ok bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.inflight--
	if ok && l.limit < float64(l.max) {
		l.limit = min(float64(l.max), l.limit+1/l.limit)
	}
	l.broadcast()
}

// Throttle gives a slot back after the provider throttled the request, and pauses
// everyone for wait. Throttles that arrive during a pause do not cut the allowance
// again: they are the same overload seen by several requests.
func (l *Limiter) Throttle(wait time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.inflight--
	l.throttled++
	now := l.now()
	if !now.Before(l.until) {
		l.limit = max(1, l.limit/2)
	}
	if t := now.Add(wait); t.After(l.until) {
		l.until = t
	}
	l.broadcast()
}

// Allowed is the concurrency allowed now.
func (l *Limiter) Allowed() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return max(1, int(l.limit))
}

// Throttled is how many requests the provider has throttled so far.
func (l *Limiter) Throttled() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.throttled
}
