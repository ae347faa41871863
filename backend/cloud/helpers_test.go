package cloud

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"testing"

	"github.com/npcstudio/npcstudio/backend/cloud/cloudtest"
	"github.com/npcstudio/npcstudio/backend/dataset"
	"github.com/npcstudio/npcstudio/backend/lore"
	"github.com/npcstudio/npcstudio/backend/store"
)

// openStore opens a fresh workspace holding this package's buckets (and the lore and
// dataset ones the pushes read).
func openStore(t *testing.T) *store.Store {
	t.Helper()
	var b []string
	b = append(b, Buckets...)
	b = append(b, dataset.Buckets...)
	b = append(b, lore.Buckets...)
	st, err := store.Open(t.TempDir(), store.Options{Buckets: b})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// localDeployment is a deployment laid out in moto and MinIO (cloudtest.Deploy) with the
// clients this package makes for it.
type localDeployment struct {
	Deployment Deployment
	Clients    *Clients
	Account    string
	Tuning     string
	Lore       string
}

func newLocalDeployment(t *testing.T) *localDeployment {
	t.Helper()
	return connectLocal(t, cloudtest.Deploy(t))
}

// connectLocal connects to the test's deployment l.
func connectLocal(t *testing.T, l *cloudtest.Local) *localDeployment {
	t.Helper()
	d := Deployment{Workload: l.Workload, Stage: l.Stage, Region: l.Region}
	if err := d.Normalize(); err != nil {
		t.Fatal(err)
	}
	c, err := NewClients(context.Background(), d, ClientOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return &localDeployment{Deployment: d, Clients: c, Account: l.Account, Tuning: l.TuningBucket, Lore: l.LoreBucket}
}

// partLog is an HTTP client that records the part numbers of every UploadPart request sent.
type partLog struct {
	mu    sync.Mutex
	parts []int
	base  *http.Client
}

func (p *partLog) Do(r *http.Request) (*http.Response, error) {
	if r.Method == http.MethodPut && r.URL.Query().Get("uploadId") != "" {
		var n int
		fmt.Sscan(r.URL.Query().Get("partNumber"), &n)
		p.mu.Lock()
		p.parts = append(p.parts, n)
		p.mu.Unlock()
	}
	return p.base.Do(r)
}

func (p *partLog) sent() []int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.parts)
}
