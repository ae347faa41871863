package app

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/npcstudio/npcstudio/backend/provider"
	"github.com/npcstudio/npcstudio/backend/secrets"
	"github.com/npcstudio/npcstudio/backend/store"
	"github.com/npcstudio/npcstudio/backend/testenv"
)

func newApp(t *testing.T, dir string) *App {
	t.Helper()
	// The tests name testdata files relative to the package, as the command line would.
	wd, _ := os.Getwd()
	a := New(Options{DataDir: dir, Secrets: secrets.NewMemory(), WorkDir: wd})
	t.Cleanup(func() { a.Close() })
	return a
}

func TestSecondOpenIsRefusedAsLocked(t *testing.T) {
	dir := t.TempDir()
	first := newApp(t, dir)
	if s, err := first.Workspace.Status(); err != nil || !s.Open {
		t.Fatalf("first: %+v %v", s, err)
	}
	second := newApp(t, dir)
	s, err := second.Workspace.Status()
	if err != nil {
		t.Fatal(err)
	}
	if s.Open || s.Error == nil || s.Error.Code != "locked" || !strings.Contains(s.Error.Message, dir) {
		t.Fatalf("second open: %+v", s)
	}
	if _, err := second.Providers.List(); err == nil || FormatError(err).Code != "locked" {
		t.Fatalf("service on a locked workspace: %v", err)
	}
	first.Close()
	if s, err := second.Workspace.Reopen(); err != nil || !s.Open {
		t.Fatalf("reopen after the first closed: %+v %v", s, err)
	}
}

func TestNewerWorkspaceIsReportedAndUntouched(t *testing.T) {
	dir := t.TempDir()
	st, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	st.Update(func(tx *bboltTx) error { return tx.Bucket([]byte("meta")).Put([]byte("schema_version"), []byte("99")) })
	st.Close()
	before, _ := os.ReadFile(filepath.Join(dir, store.FileName))
	a := newApp(t, dir)
	s, _ := a.Workspace.Status()
	if s.Open || s.Error == nil || s.Error.Code != "newer_schema" {
		t.Fatalf("status: %+v", s)
	}
	d, _ := a.Workspace.Doctor()
	if d.OK || d.Workspace.Error == nil || d.Workspace.Error.Code != "newer_schema" {
		t.Fatalf("doctor: %+v", d.Workspace)
	}
	a.Close()
	after, _ := os.ReadFile(filepath.Join(dir, store.FileName))
	if !bytes.Equal(before, after) {
		t.Fatal("a workspace from a newer version was changed")
	}
}

func TestDoctorWithAWSIdentityFromMoto(t *testing.T) {
	testenv.UseMotoAWS(t)
	a := newApp(t, t.TempDir())
	r, err := a.Workspace.Doctor()
	if err != nil {
		t.Fatal(err)
	}
	if !r.AWS.Configured || r.AWS.Identity == nil || r.AWS.Identity.Account != "123456789012" {
		t.Fatalf("aws: %+v", r.AWS)
	}
	if !r.Workspace.Open || r.Workspace.Health != "ok" || r.Workspace.SchemaVersion != store.SchemaVersion {
		t.Fatalf("workspace: %+v", r.Workspace)
	}
}

func TestGuardTurnsPanicIntoError(t *testing.T) {
	f := func() (err error) {
		defer guard(discard(), &err)
		var m map[string]int
		m["x"] = 1 // a nil map write panics
		return nil
	}
	err := f()
	if err == nil || !strings.Contains(err.Error(), "internal error") {
		t.Fatalf("got %v", err)
	}
}

func TestOperationsReportDoneErrorCancelAndPanic(t *testing.T) {
	a := newApp(t, t.TempDir())
	rec := &recorder{}
	a.SetEmitter(rec)
	ops := a.ops

	done, err := ops.Start("chosen-id", "count", func(ctx context.Context, op *Op) (any, error) {
		op.Progress(map[string]int{"n": 1})
		return "finished", nil
	})
	if done != "chosen-id" || err != nil {
		t.Fatalf("id: %s %v", done, err)
	}
	failed, _ := ops.Start("", "fail", func(context.Context, *Op) (any, error) { return nil, errors.New("nope") })
	panicked, _ := ops.Start("", "boom", func(context.Context, *Op) (any, error) { panic("kaboom") })
	started := make(chan struct{})
	cancelled, _ := ops.Start("", "wait", func(ctx context.Context, _ *Op) (any, error) {
		close(started)
		<-ctx.Done()
		return nil, ctx.Err()
	})
	<-started
	if ok, _ := a.Operations.Cancel(CancelRequest{ID: cancelled}); !ok {
		t.Fatal("cancel found no operation")
	}
	last := func(id string) OpEvent {
		deadline := time.Now().Add(5 * time.Second)
		for time.Now().Before(deadline) {
			if evs := rec.of(id); len(evs) > 0 && (evs[len(evs)-1].Type == "done" || evs[len(evs)-1].Type == "error") {
				return evs[len(evs)-1]
			}
			time.Sleep(5 * time.Millisecond)
		}
		t.Fatalf("operation %s never ended", id)
		return OpEvent{}
	}
	if ev := last(done); ev.Type != "done" || ev.Data != "finished" || rec.of(done)[0].Type != "progress" {
		t.Fatalf("done: %+v", rec.of(done))
	}
	if ev := last(failed); ev.Type != "error" || ev.Error.Message != "nope" {
		t.Fatalf("failed: %+v", ev)
	}
	if ev := last(panicked); ev.Type != "error" || !strings.Contains(ev.Error.Message, "kaboom") {
		t.Fatalf("panicked: %+v", ev)
	}
	if ev := last(cancelled); ev.Type != "error" || !strings.Contains(ev.Error.Message, "cancelled") {
		t.Fatalf("cancelled: %+v", ev)
	}
}

func TestBridgeCallsServicesAndStreamsEvents(t *testing.T) {
	a := newApp(t, t.TempDir())
	assets := fstest.MapFS{"index.html": {Data: []byte("<html><head><title>x</title></head><body></body></html>")}}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	urls := make(chan string, 1)
	served := make(chan error, 1)
	go func() { served <- Serve(ctx, a, assets, "127.0.0.1:0", func(u string) { urls <- u }) }()
	var printed string
	select {
	case printed = <-urls:
	case err := <-served:
		t.Fatal(err)
	}
	u, err := url.Parse(printed)
	if err != nil || u.Hostname() != "127.0.0.1" || u.Path != "/" || len(u.Query().Get("token")) < 43 {
		t.Fatalf("printed %q (%v)", printed, err)
	}
	token := u.Query().Get("token")
	origin := "http://" + u.Host

	// The printed address sets the cookie and lands on the page without the token.
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar}
	page, err := client.Get(printed)
	if err != nil {
		t.Fatal(err)
	}
	html, _ := io.ReadAll(page.Body)
	page.Body.Close()
	if page.StatusCode != 200 || page.Request.URL.RawQuery != "" {
		t.Fatalf("page: %d at %s", page.StatusCode, page.Request.URL)
	}
	if !strings.Contains(string(html), "<head><script>(function (token)") || !strings.Contains(string(html), `"`+token+`"`) {
		t.Fatalf("bridge script not injected: %s", html)
	}

	call := func(name string, args ...any) map[string]json.RawMessage {
		t.Helper()
		body, _ := json.Marshal(map[string]any{"name": name, "args": args})
		req, _ := http.NewRequest(http.MethodPost, origin+"/bridge/call", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Origin", origin)
		req.Header.Set(BridgeTokenHeader, token)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out map[string]json.RawMessage
		json.NewDecoder(resp.Body).Decode(&out)
		return out
	}
	ok := call("app.ProviderService.Add", AddProviderRequest{Provider: provider.Provider{Name: "ollama", Kind: "openai", BaseURL: "http://127.0.0.1:11434/v1", Model: "llama3.1:8b"}})
	if ok["error"] != nil {
		t.Fatalf("add: %s", ok["error"])
	}
	bad := call("app.ProviderService.Add", AddProviderRequest{Provider: provider.Provider{Name: "x", Kind: "openai"}})
	var e AppError
	json.Unmarshal(bad["error"], &e)
	if e.Code != "invalid" || e.Field != "baseUrl" {
		t.Fatalf("invalid add: %s", bad["error"])
	}
	list := call("app.ProviderService.List")
	var ps []provider.Provider
	json.Unmarshal(list["result"], &ps)
	if len(ps) != 1 || ps[0].Name != "ollama" {
		t.Fatalf("list: %s", list["result"])
	}
	if missing := call("app.NoService.Nope"); missing["error"] == nil {
		t.Fatal("unknown method answered")
	}

	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, origin+"/bridge/events?token="+url.QueryEscape(token), nil)
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("events: %d", resp.StatusCode)
	}
	buf := make([]byte, 256)
	resp.Body.Read(buf) // ": connected"
	if _, err := a.ops.Start("ev1", "x", func(context.Context, *Op) (any, error) { return 42, nil }); err != nil {
		t.Fatal(err)
	}
	got := ""
	for !strings.Contains(got, `"type":"done"`) {
		n, err := resp.Body.Read(buf)
		if err != nil {
			t.Fatalf("events: %v (got %q)", err, got)
		}
		got += string(buf[:n])
	}
	if !strings.Contains(got, `"name":"op:ev1"`) || !strings.Contains(got, `"data":42`) {
		t.Fatalf("event: %s", got)
	}
	cancel()
	if err := <-served; err != nil {
		t.Fatal(err)
	}
}

func TestServeRefusesNonLoopback(t *testing.T) {
	a := newApp(t, t.TempDir())
	err := Serve(context.Background(), a, fstest.MapFS{}, "0.0.0.0:0", func(string) {})
	if err == nil || !strings.Contains(err.Error(), "loopback") {
		t.Fatalf("got %v", err)
	}
}

type recorder struct {
	mu  sync.Mutex
	evs []OpEvent
}

func (r *recorder) Emit(_ string, data any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.evs = append(r.evs, data.(OpEvent))
}

func (r *recorder) of(id string) []OpEvent {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []OpEvent
	for _, e := range r.evs {
		if e.Op == id {
			out = append(out, e)
		}
	}
	return out
}
