package ratelimit

import (
	"context"
	"testing"
	"time"

	"github.com/npcstudio/npcstudio/backend/llm"
)

func TestPolicyDefaults(t *testing.T) {
	p := Policy{}.WithDefaults()
	if p.Retry != llm.DefaultRetry || p.MaxThrottled != DefaultMaxThrottled || p.Sleep == nil {
		t.Errorf("defaults %+v", p)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := p.Sleep(ctx, time.Hour); err != context.Canceled {
		t.Errorf("sleep with an ended context: %v", err)
	}
	slept := false
	own := Policy{Retry: llm.RetryPolicy{MaxAttempts: 2}, MaxThrottled: 3, Sleep: func(context.Context, time.Duration) error { slept = true; return nil }}.WithDefaults()
	if own.Retry.MaxAttempts != 2 || own.MaxThrottled != 3 || own.Sleep(ctx, time.Hour) != nil || !slept {
		t.Errorf("a policy's own values were replaced: %+v", own)
	}
}
