package testenv

import (
	"context"
	"testing"
	"time"
)

func TestClockSleepMovesItOnUnlessCancelled(t *testing.T) {
	c := NewClock()
	start := c.Now()
	if err := c.Sleep(context.Background(), time.Hour); err != nil || c.Now().Sub(start) != time.Hour {
		t.Fatalf("slept %v, err %v", c.Now().Sub(start), err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := c.Sleep(ctx, time.Hour); err != context.Canceled || c.Now().Sub(start) != time.Hour {
		t.Errorf("a cancelled sleep: err %v, moved to %v", err, c.Now().Sub(start))
	}
}
