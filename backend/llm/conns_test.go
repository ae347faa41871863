package llm_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/npcstudio/npcstudio/backend/llm"
	"github.com/npcstudio/npcstudio/backend/llm/openaifake"
	"github.com/npcstudio/npcstudio/backend/provider"
)

// Providers made without their own client (one per reply, as chat and batch make them)
// keep the connections of requests run at once: later rounds of 16 concurrent requests
// reuse the 16 connections of the first instead of dialling new ones. (net/http's
// default keeps 2 a server, so each later round dialled 14.)
func TestConcurrentRequestsReuseTheirConnections(t *testing.T) {
	const conc = 16
	fake := openaifake.New()
	t.Cleanup(fake.Close)
	// The server holds each request until conc have arrived, so every round has conc
	// requests on the wire at once, and notes the client address of each.
	var mu sync.Mutex
	arrived := 0
	round := make(chan struct{})
	addrs := map[string]bool{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		addrs[r.RemoteAddr] = true
		arrived++
		wait := round
		if arrived%conc == 0 {
			close(round)
			round = make(chan struct{})
		}
		mu.Unlock()
		select {
		case <-wait:
		case <-r.Context().Done():
			return
		}
		fake.Config.Handler.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	var s sleeps
	const rounds = 3
	for n := range rounds {
		var wg sync.WaitGroup
		errs := make(chan error, conc)
		for range conc {
			wg.Go(func() {
				p, err := llm.New(provider.Provider{Name: "local", Kind: provider.KindOpenAI, BaseURL: srv.URL + "/v1", Model: "m"}, "", opts(&s))
				if err == nil {
					_, err = p.Chat(context.Background(), ask("hello"), nil)
				}
				errs <- err
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatalf("round %d: %v", n+1, err)
			}
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if arrived != rounds*conc {
		t.Fatalf("%d requests, want %d", arrived, rounds*conc)
	}
	// A connection goes back to the pool just after its answer was read, so a request
	// of the next round may now and then find it not back yet and dial; a pool that
	// keeps too few dials 14 a round.
	if len(addrs) >= 2*conc {
		t.Errorf("%d connections for %d rounds of %d concurrent requests, want about %d", len(addrs), rounds, conc, conc)
	}
}
