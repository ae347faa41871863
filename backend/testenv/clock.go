package testenv

import (
	"context"
	"sync"
	"time"
)

// Clock is a fake clock: Sleep moves it on at once, so waits (Retry-After, backoff) cost
// no real time and no test depends on the machine's speed. Its Now and Sleep fit the
// runners' Now and Sleep hooks.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a Clock set to 1 March 2026, 12:00 UTC.
func NewClock() *Clock { return &Clock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)} }

func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Sleep moves the clock on by d, unless ctx has ended.
func (c *Clock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
	return nil
}
