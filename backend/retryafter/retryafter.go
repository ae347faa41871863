// Package retryafter reads how long a throttled or busy HTTP server asks its client to
// wait, and waits, for every client in the studio that retries (chat providers, lore
// embedders).
package retryafter

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Parse reads OpenAI's retry-after-ms, or Retry-After in seconds or as an HTTP date
// (measured from now). Zero means the server did not say, or asked for no wait.
func Parse(h http.Header, now time.Time) time.Duration {
	if h == nil {
		return 0
	}
	if ms, err := strconv.ParseFloat(strings.TrimSpace(h.Get("Retry-After-Ms")), 64); err == nil && ms > 0 {
		return time.Duration(ms * float64(time.Millisecond))
	}
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if s, err := strconv.ParseFloat(v, 64); err == nil {
		if s <= 0 {
			return 0
		}
		return time.Duration(s * float64(time.Second))
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return d
		}
	}
	return 0
}

// Sleep waits d, or until ctx ends (then it returns ctx's cause).
func Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return context.Cause(ctx)
	}
}
