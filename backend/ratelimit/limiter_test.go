package ratelimit

import (
	"context"
	"sync"
	"testing"
	"time"
)

type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) sleep(_ context.Context, d time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
	return nil
}

func TestLimiterBacksOffAndRecovers(t *testing.T) {
	c := &testClock{t: time.Unix(1_700_000_000, 0)}
	l := New(8, c.now, c.sleep)
	ctx := context.Background()
	for range 8 {
		if err := l.Acquire(ctx); err != nil {
			t.Fatal(err)
		}
	}
	start := c.now()
	// Three requests throttled together: one halving, one pause of the longest wait.
	l.Throttle(2 * time.Second)
	l.Throttle(3 * time.Second)
	l.Throttle(1 * time.Second)
	if got := l.Allowed(); got != 4 {
		t.Fatalf("allowed %d after one overload, want 4", got)
	}
	for range 5 {
		l.Release(false)
	}
	if err := l.Acquire(ctx); err != nil {
		t.Fatal(err)
	}
	if waited := c.now().Sub(start); waited != 3*time.Second {
		t.Errorf("the next request waited %s, want the 3 s the server asked", waited)
	}
	// A throttle after the pause is a new overload.
	l.Throttle(time.Second)
	if got := l.Allowed(); got != 2 {
		t.Fatalf("allowed %d after a second overload, want 2", got)
	}
	// Successes bring the speed back, never past the maximum.
	for range 100 {
		if err := l.Acquire(ctx); err != nil {
			t.Fatal(err)
		}
		l.Release(true)
	}
	if got := l.Allowed(); got != 8 {
		t.Errorf("allowed %d after 100 successes, want 8", got)
	}
}
