package app

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/npcstudio/npcstudio/backend/persona"
	"github.com/npcstudio/npcstudio/backend/secrets"
)

const guardAddr = "127.0.0.1:41234"

// lockedBuffer is a log sink the server goroutines and the test can share.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// guarded is the bridge for a server said to listen on addr, with its app, token and log.
type guarded struct {
	a     *App
	h     http.Handler
	token string
	log   *lockedBuffer
}

func newGuarded(t *testing.T, addr string) guarded {
	t.Helper()
	logs := &lockedBuffer{}
	a := New(Options{DataDir: t.TempDir(), Secrets: secrets.NewMemory(), Logger: slog.New(slog.NewJSONHandler(logs, nil))})
	t.Cleanup(func() { a.Close() })
	token, err := NewBridgeToken()
	if err != nil {
		t.Fatal(err)
	}
	assets := fstest.MapFS{
		"index.html":     {Data: []byte("<html><head><title>x</title></head><body></body></html>")},
		"assets/app.js":  {Data: []byte("console.log('studio')")},
		"assets/app.css": {Data: []byte("body{}")},
	}
	h, err := BridgeHandler(a, assets, BridgeOptions{Addr: addr, Token: token})
	if err != nil {
		t.Fatal(err)
	}
	return guarded{a, h, token, logs}
}

func (g guarded) serve(r *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	g.h.ServeHTTP(rec, r)
	return rec
}

func (g guarded) personas(t *testing.T) int {
	t.Helper()
	page, err := g.a.Personas.List(persona.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return page.Total
}

// studioCall is a bridge call exactly as the studio's own page in Chromium sends it.
func (g guarded) studioCall(body string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "http://"+guardAddr+"/bridge/call", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("Origin", "http://"+guardAddr)
	r.Header.Set("Sec-Fetch-Site", "same-origin")
	r.Header.Set("Sec-Fetch-Mode", "cors")
	r.Header.Set(BridgeTokenHeader, g.token)
	r.AddCookie(&http.Cookie{Name: "npcstudio_41234", Value: g.token})
	return r
}

const createPwned = `{"name":"app.PersonaService.Create","args":[{"name":"Pwned"}]}`

func TestBridgeGuardRefusesEachMissingCheck(t *testing.T) {
	tests := []struct {
		name   string
		change func(r *http.Request, token string)
		status int
		reason string
	}{
		{"token header missing", func(r *http.Request, _ string) { r.Header.Del(BridgeTokenHeader) }, 403, "token missing"},
		{"wrong token header", func(r *http.Request, tok string) { r.Header.Set(BridgeTokenHeader, tok[:len(tok)-1]+"x") }, 403, "wrong token"},
		{"cookie missing", func(r *http.Request, _ string) { r.Header.Del("Cookie") }, 403, "session cookie missing"},
		{"wrong cookie", func(r *http.Request, _ string) {
			r.Header.Del("Cookie")
			r.AddCookie(&http.Cookie{Name: "npcstudio_41234", Value: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"})
		}, 403, "wrong session cookie"},
		{"cookie of a studio on another port", func(r *http.Request, tok string) {
			r.Header.Del("Cookie")
			r.AddCookie(&http.Cookie{Name: "npcstudio_41235", Value: tok})
		}, 403, "session cookie missing"},
		{"rebound Host", func(r *http.Request, _ string) { r.Host = "evil.example:41234" }, 403, "host not allowed"},
		{"Host on another port", func(r *http.Request, _ string) { r.Host = "127.0.0.1:80" }, 403, "host not allowed"},
		{"Host without port", func(r *http.Request, _ string) { r.Host = "localhost" }, 403, "host not allowed"},
		{"foreign Origin", func(r *http.Request, _ string) { r.Header.Set("Origin", "http://evil.example") }, 403, "origin not allowed"},
		{"Origin on another port", func(r *http.Request, _ string) { r.Header.Set("Origin", "http://127.0.0.1:8080") }, 403, "origin not allowed"},
		{"opaque Origin", func(r *http.Request, _ string) { r.Header.Set("Origin", "null") }, 403, "origin not allowed"},
		{"no Origin and no Fetch Metadata", func(r *http.Request, _ string) {
			r.Header.Del("Origin")
			r.Header.Del("Sec-Fetch-Site")
		}, 403, "origin missing"},
		{"same-site page on another port", func(r *http.Request, _ string) { r.Header.Set("Sec-Fetch-Site", "same-site") }, 403, "another site (same-site)"},
		{"cross-site page", func(r *http.Request, _ string) { r.Header.Set("Sec-Fetch-Site", "cross-site") }, 403, "another site (cross-site)"},
		{"unknown Fetch Metadata", func(r *http.Request, _ string) { r.Header.Set("Sec-Fetch-Site", "<b>junk</b>") }, 403, "another site (unknown)"},
		{"text/plain body", func(r *http.Request, _ string) { r.Header.Set("Content-Type", "text/plain") }, 415, "not application/json"},
		{"form body", func(r *http.Request, _ string) { r.Header.Set("Content-Type", "application/x-www-form-urlencoded") }, 415, "not application/json"},
		{"JSON with another charset", func(r *http.Request, _ string) { r.Header.Set("Content-Type", "application/json; charset=latin1") }, 415, "not application/json"},
		{"no content type", func(r *http.Request, _ string) { r.Header.Del("Content-Type") }, 415, "not application/json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := newGuarded(t, guardAddr)
			r := g.studioCall(createPwned)
			tt.change(r, g.token)
			rec := g.serve(r)
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.status, rec.Body)
			}
			var out struct {
				Result json.RawMessage `json:"result"`
				Error  AppError        `json:"error"`
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil || out.Result != nil || out.Error.Code != "forbidden" {
				t.Fatalf("answer: %s (%v)", rec.Body, err)
			}
			if n := g.personas(t); n != 0 {
				t.Fatalf("refused call created %d personas", n)
			}
			logs := g.log.String()
			if !strings.Contains(logs, `"msg":"bridge request refused"`) || !strings.Contains(logs, tt.reason) ||
				!strings.Contains(logs, `"path":"/bridge/call"`) || !strings.Contains(logs, `"method":"POST"`) {
				t.Fatalf("log line: %s", logs)
			}
			if strings.Contains(logs, g.token) {
				t.Fatalf("token in the log: %s", logs)
			}
		})
	}
}

func TestBridgeGuardAdmitsTheStudiosPage(t *testing.T) {
	for _, tt := range []struct {
		name   string
		change func(r *http.Request)
	}{
		{"Chromium", func(*http.Request) {}},
		{"localhost", func(r *http.Request) {
			r.Host = "localhost:41234"
			r.Header.Set("Origin", "http://localhost:41234")
		}},
		{"a browser without Fetch Metadata", func(r *http.Request) { r.Header.Del("Sec-Fetch-Site") }},
		{"Fetch Metadata without Origin", func(r *http.Request) { r.Header.Del("Origin") }},
		{"JSON with UTF-8 charset", func(r *http.Request) { r.Header.Set("Content-Type", "application/json; charset=UTF-8") }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			g := newGuarded(t, guardAddr)
			r := g.studioCall(createPwned)
			tt.change(r)
			rec := g.serve(r)
			var out struct {
				Result persona.PersonaVersion `json:"result"`
				Error  *AppError              `json:"error"`
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &out); rec.Code != 200 || err != nil || out.Error != nil || out.Result.Persona.Name != "Pwned" {
				t.Fatalf("%d %s (%v)", rec.Code, rec.Body, err)
			}
			if n := g.personas(t); n != 1 {
				t.Fatalf("%d personas", n)
			}
		})
	}
}

func TestBridgeGuardPageTokenBecomesCookie(t *testing.T) {
	g := newGuarded(t, guardAddr)
	base := "http://" + guardAddr

	// Without the token: a short page that says where to find it, and nothing of the studio.
	rec := g.serve(httptest.NewRequest(http.MethodGet, base+"/", nil))
	if rec.Code != 403 || !strings.Contains(rec.Body.String(), "npcstudio serve") || strings.Contains(rec.Body.String(), g.token) {
		t.Fatalf("no token: %d %s", rec.Code, rec.Body)
	}
	rec = g.serve(httptest.NewRequest(http.MethodGet, base+"/?token=nope&run=1", nil))
	if rec.Code != 403 || len(rec.Result().Cookies()) != 0 {
		t.Fatalf("wrong token: %d %v", rec.Code, rec.Result().Cookies())
	}
	rec = g.serve(httptest.NewRequest(http.MethodGet, "http://evil.example:41234/?token="+g.token, nil))
	if rec.Code != 403 || len(rec.Result().Cookies()) != 0 {
		t.Fatalf("rebound host with token: %d %v", rec.Code, rec.Result().Cookies())
	}

	// With it: a cookie only this port's studio reads, and the same address without the token.
	rec = g.serve(httptest.NewRequest(http.MethodGet, base+"/?run=1&token="+g.token, nil))
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/?run=1" {
		t.Fatalf("admit: %d %q", rec.Code, rec.Header().Get("Location"))
	}
	cookies := rec.Result().Cookies()
	if len(cookies) != 1 {
		t.Fatalf("cookies: %v", cookies)
	}
	c := cookies[0]
	if c.Name != "npcstudio_41234" || c.Value != g.token || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Path != "/" {
		t.Fatalf("cookie: %+v", c)
	}

	// The page, with the cookie, carries the bridge and the token its calls send back.
	r := httptest.NewRequest(http.MethodGet, base+"/?run=1", nil)
	r.AddCookie(c)
	rec = g.serve(r)
	page := rec.Body.String()
	if rec.Code != 200 || !strings.Contains(page, "<head><script>(function (token)") || !strings.Contains(page, `"`+g.token+`"`) {
		t.Fatalf("page: %d %s", rec.Code, page)
	}
	if rec.Header().Get("X-Frame-Options") != "DENY" {
		t.Fatalf("page may be framed: %v", rec.Header())
	}
	// Another origin's page gets the page neither by fetch nor in a frame, cookie or not; a
	// link the writer follows from it is a navigation and works.
	for _, tt := range []struct {
		site, mode, dest string
		want             int
	}{
		{"same-origin", "navigate", "document", 200},
		{"none", "navigate", "document", 200},
		{"same-site", "navigate", "document", 200},
		{"same-site", "cors", "empty", 403},
		{"same-site", "no-cors", "image", 403},
		{"same-site", "navigate", "iframe", 403},
		{"cross-site", "no-cors", "empty", 403},
	} {
		r := httptest.NewRequest(http.MethodGet, base+"/", nil)
		r.Header.Set("Sec-Fetch-Site", tt.site)
		r.Header.Set("Sec-Fetch-Mode", tt.mode)
		r.Header.Set("Sec-Fetch-Dest", tt.dest)
		r.AddCookie(c)
		if rec := g.serve(r); rec.Code != tt.want {
			t.Errorf("page for %s %s %s: %d, want %d", tt.site, tt.mode, tt.dest, rec.Code, tt.want)
		}
	}

	// Assets: with the cookie, for the studio's own page; not for other sites' pages.
	asset := func(host, site string, cookie bool) int {
		r := httptest.NewRequest(http.MethodGet, "http://"+host+"/assets/app.js", nil)
		if site != "" {
			r.Header.Set("Sec-Fetch-Site", site)
		}
		if cookie {
			r.AddCookie(c)
		}
		return g.serve(r).Code
	}
	for _, tt := range []struct {
		host, site string
		cookie     bool
		want       int
	}{
		{guardAddr, "same-origin", true, 200},
		{guardAddr, "", true, 200},
		{guardAddr, "same-origin", false, 403},
		{guardAddr, "same-site", true, 403},
		{guardAddr, "cross-site", true, 403},
		{"evil.example:41234", "same-origin", true, 403},
	} {
		if got := asset(tt.host, tt.site, tt.cookie); got != tt.want {
			t.Errorf("asset on %s, Sec-Fetch-Site %q, cookie %v: %d, want %d", tt.host, tt.site, tt.cookie, got, tt.want)
		}
	}

	// No other method reaches a route outside /bridge/, whatever it would do.
	r = httptest.NewRequest(http.MethodPost, base+"/", strings.NewReader("x"))
	r.AddCookie(c)
	if rec := g.serve(r); rec.Code != 403 {
		t.Fatalf("POST /: %d", rec.Code)
	}
	if strings.Contains(g.log.String(), g.token) {
		t.Fatalf("token in the log: %s", g.log)
	}
}

func TestBridgeGuardEventStream(t *testing.T) {
	g := newGuarded(t, guardAddr)
	events := func(query string, change func(r *http.Request)) int {
		r := httptest.NewRequest(http.MethodGet, "http://"+guardAddr+"/bridge/events"+query, nil)
		r.Header.Set("Sec-Fetch-Site", "same-origin")
		r.AddCookie(&http.Cookie{Name: "npcstudio_41234", Value: g.token})
		if change != nil {
			change(r)
		}
		return g.serve(r).Code
	}
	// Refusals answer at once; an admitted stream would block, so it is tested over a real
	// connection in TestBridgeCallsServicesAndStreamsEvents.
	for name, tt := range map[string]struct {
		query  string
		change func(r *http.Request)
	}{
		"no token":       {"", nil},
		"wrong token":    {"?token=" + strings.Repeat("A", len(g.token)), nil},
		"foreign Origin": {"?token=" + g.token, func(r *http.Request) { r.Header.Set("Origin", "http://evil.example") }},
		"same-site page": {"?token=" + g.token, func(r *http.Request) { r.Header.Set("Sec-Fetch-Site", "same-site") }},
		"no cookie":      {"?token=" + g.token, func(r *http.Request) { r.Header.Del("Cookie") }},
		"rebound Host":   {"?token=" + g.token, func(r *http.Request) { r.Host = "evil.example:41234" }},
	} {
		if code := events(tt.query, tt.change); code != 403 {
			t.Errorf("%s: %d", name, code)
		}
	}
}

func TestBridgeHandlerNeedsTokenAndPort(t *testing.T) {
	a := newApp(t, t.TempDir())
	if _, err := BridgeHandler(a, fstest.MapFS{}, BridgeOptions{Addr: guardAddr, Token: "short"}); err == nil {
		t.Fatal("short token accepted")
	}
	tok, _ := NewBridgeToken()
	if _, err := BridgeHandler(a, fstest.MapFS{}, BridgeOptions{Addr: "127.0.0.1:0", Token: tok}); err == nil {
		t.Fatal("port 0 accepted")
	}
	other, _ := NewBridgeToken()
	if tok == other || len(tok) < 43 {
		t.Fatalf("tokens %q %q", tok, other)
	}
}
