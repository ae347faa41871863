package llm

import (
	"bytes"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/npcstudio/npcstudio/backend/provider"
)

func TestBackoff(t *testing.T) {
	p := RetryPolicy{MaxAttempts: 8, BaseDelay: 100 * time.Millisecond, MaxDelay: time.Second}
	want := []time.Duration{100, 200, 400, 800, 1000, 1000, 1000}
	for i, w := range want {
		if got := p.backoff(i + 1); got != w*time.Millisecond {
			t.Errorf("wait before attempt %d: %v, want %v", i+2, got, w*time.Millisecond)
		}
	}
	if got := p.backoff(80); got != time.Second {
		t.Errorf("after many attempts: %v, want the cap", got)
	}
	p.Jitter = 0.5
	for range 200 {
		if got := p.backoff(3); got < 200*time.Millisecond || got > 400*time.Millisecond {
			t.Fatalf("jittered wait %v outside [200ms, 400ms]", got)
		}
	}
}

func TestDefaults(t *testing.T) {
	npc := newCaller(provider.Provider{Kind: provider.KindNPCAPI}, Options{})
	if npc.opts.Timeout <= 29*time.Second {
		t.Errorf("deployed API timeout %v: must outlast API Gateway's 29 s so its 504 is seen", npc.opts.Timeout)
	}
	oa := newCaller(provider.Provider{Kind: provider.KindOpenAI}, Options{})
	if oa.opts.Retry != DefaultRetry || oa.opts.Timeout != 10*time.Minute || oa.opts.IdleTimeout != 2*time.Minute || oa.opts.HTTPClient == nil {
		t.Errorf("defaults %+v", oa.opts)
	}
	one := newCaller(provider.Provider{Kind: provider.KindOpenAI}, Options{Retry: RetryPolicy{BaseDelay: time.Second}})
	if one.opts.Retry.MaxAttempts != 1 {
		t.Errorf("a policy without attempts makes %d", one.opts.Retry.MaxAttempts)
	}
}

// TestPlainBody: request bodies reach net/http without io.WriterTo, so smithy-go's
// closed body cannot fail the request write (and close the connection) under a stream.
func TestPlainBody(t *testing.T) {
	var got io.Reader
	rt := plainBody{roundTripFunc(func(r *http.Request) (*http.Response, error) {
		got = r.Body
		return &http.Response{StatusCode: 200, Body: http.NoBody}, nil
	})}
	body := io.NopCloser(bytes.NewReader([]byte(`{"messages":[]}`)))
	if _, ok := body.(io.WriterTo); !ok {
		t.Fatal("the test body must offer WriteTo, as smithy-go's does")
	}
	req, _ := http.NewRequest(http.MethodPost, "http://127.0.0.1/model/m/converse-stream", body)
	if _, err := rt.RoundTrip(req); err != nil {
		t.Fatal(err)
	}
	if _, ok := got.(io.WriterTo); ok {
		t.Error("the body still offers WriteTo")
	}
	if req.Body != body {
		t.Error("the caller's request was changed")
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// Providers made without their own client share one pool of connections, so making one per
// reply (chat, batch) does not keep a connection per reply open.
func TestProvidersShareOneTransport(t *testing.T) {
	a := newCaller(provider.Provider{Name: "a", Kind: provider.KindOpenAI}, Options{})
	b := newCaller(provider.Provider{Name: "b", Kind: provider.KindOpenAI}, Options{})
	if a.opts.HTTPClient.Transport == nil || a.opts.HTTPClient.Transport != b.opts.HTTPClient.Transport {
		t.Fatalf("transports %p and %p", a.opts.HTTPClient.Transport, b.opts.HTTPClient.Transport)
	}
}
