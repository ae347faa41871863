package app

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"strings"
)

// The browser bridge answers only the studio's own page. Any web page the writer visits can
// send requests to 127.0.0.1, and a DNS-rebinding page can even read the answers, so every
// request passes one guard before any route sees it:
//
//   - Host must name the listening port on 127.0.0.1 or localhost (a rebound name fails here);
//   - the page is served only with this launch's token: once in the URL serve prints, which
//     sets a cookie (HttpOnly, SameSite=Strict) and redirects to the same URL without it, then
//     with the cookie; and only to a navigation or to the studio's own origin (not to another
//     page's fetch, frame or image);
//   - /bridge/* (calls and the event stream) needs the cookie, the token again in a header (the
//     event stream, which cannot set headers, in its query), a same-origin Origin or
//     Sec-Fetch-Site, and calls a JSON body: a cross-site form or no-cors fetch can send none
//     of these, and a preflight is refused;
//   - everything else is an asset: GET or HEAD only, with the cookie, and not fetched by
//     another origin's page.
//
// The guard decides by path prefix before the routes do, so a route added later falls under
// the strictest rule that matches it rather than none. Refusals get 403 (415 for a body that
// is not JSON) and a log line; the token is never logged.

// BridgeTokenHeader carries the launch token on bridge calls.
const BridgeTokenHeader = "X-NPCStudio-Token"

// UploadNameHeader carries an uploaded file's name, URL-encoded (/bridge/upload).
const UploadNameHeader = "X-NPCStudio-Filename"

// NewBridgeToken draws a launch token: 256 random bits, URL-safe.
func NewBridgeToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("draw a bridge token: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// BridgeOptions are what the guard admits.
type BridgeOptions struct {
	// Addr is the address the server listens on, host:port with the real port.
	Addr string
	// Token is this launch's secret (NewBridgeToken); at least 128 bits.
	Token string
}

type bridgeGuard struct {
	token   []byte
	cookie  string
	hosts   map[string]bool
	origins map[string]bool
	log     *slog.Logger
	next    http.Handler
}

func newBridgeGuard(opts BridgeOptions, log *slog.Logger, next http.Handler) (*bridgeGuard, error) {
	if len(opts.Token) < 22 { // 22 base64 characters are 132 bits
		return nil, fmt.Errorf("bridge token too short: draw one with NewBridgeToken")
	}
	host, port, err := net.SplitHostPort(opts.Addr)
	if err != nil || port == "" || port == "0" {
		return nil, fmt.Errorf("bridge address %q: want the listening host:port", opts.Addr)
	}
	g := &bridgeGuard{
		token: []byte(opts.Token),
		// Cookies do not tell ports apart: two studios on one machine keep one cookie each.
		cookie:  "npcstudio_" + port,
		hosts:   map[string]bool{},
		origins: map[string]bool{},
		log:     log,
		next:    next,
	}
	for _, h := range []string{"127.0.0.1", "localhost", host} {
		hp := net.JoinHostPort(h, port)
		g.hosts[hp] = true
		g.origins["http://"+hp] = true
	}
	return g, nil
}

func (g *bridgeGuard) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Content-Security-Policy", "frame-ancestors 'none'")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	h.Set("Referrer-Policy", "no-referrer")
	if !g.hosts[r.Host] {
		g.refuse(w, r, http.StatusForbidden, "host not allowed")
		return
	}
	switch p := r.URL.Path; {
	case strings.HasPrefix(p, "/bridge/"):
		if status, reason := g.checkBridge(r); reason != "" {
			g.refuse(w, r, status, reason)
			return
		}
	case p == "/" || p == "/index.html":
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			g.refuse(w, r, http.StatusForbidden, "method not allowed")
			return
		}
		// A link the writer follows may come from anywhere; a fetch, frame or image may not.
		navigation := r.Header.Get("Sec-Fetch-Mode") == "navigate" && r.Header.Get("Sec-Fetch-Dest") == "document"
		if reason := checkFetchSite(r); reason != "" && !navigation {
			g.refuse(w, r, http.StatusForbidden, reason)
			return
		}
		if r.URL.Query().Has("token") {
			g.admit(w, r)
			return
		}
		if reason := g.checkCookie(r); reason != "" {
			g.refuse(w, r, http.StatusForbidden, reason)
			return
		}
	default:
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			g.refuse(w, r, http.StatusForbidden, "method not allowed")
			return
		}
		if reason := checkFetchSite(r); reason != "" {
			g.refuse(w, r, http.StatusForbidden, reason)
			return
		}
		if reason := g.checkCookie(r); reason != "" {
			g.refuse(w, r, http.StatusForbidden, reason)
			return
		}
	}
	g.next.ServeHTTP(w, r)
}

// admit turns the token in the page URL into the cookie and sends the browser to the same
// URL without it, so it stays out of history, bookmarks and what the page can leak.
func (g *bridgeGuard) admit(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if !g.valid(q.Get("token")) {
		g.refuse(w, r, http.StatusForbidden, "wrong token in URL")
		return
	}
	http.SetCookie(w, &http.Cookie{
		Name:     g.cookie,
		Value:    string(g.token),
		Path:     "/",
		HttpOnly: true,
		SameSite: http.SameSiteStrictMode,
	})
	q.Del("token")
	u := *r.URL
	u.RawQuery = q.Encode()
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, u.RequestURI(), http.StatusSeeOther)
}

func (g *bridgeGuard) checkBridge(r *http.Request) (int, string) {
	site := r.Header.Get("Sec-Fetch-Site")
	if site != "" && site != "same-origin" {
		return http.StatusForbidden, "request from another site (" + fetchSiteName(site) + ")"
	}
	origin := r.Header.Get("Origin")
	if origin != "" && !g.origins[origin] {
		return http.StatusForbidden, "origin not allowed"
	}
	// Chromium and WebKit send Origin on every POST; a client without Fetch Metadata that
	// leaves it out is not the studio's page.
	if origin == "" && r.Method != http.MethodGet && r.Method != http.MethodHead && site != "same-origin" {
		return http.StatusForbidden, "origin missing"
	}
	if reason := g.checkCookie(r); reason != "" {
		return http.StatusForbidden, reason
	}
	tok := r.Header.Get(BridgeTokenHeader)
	if tok == "" && r.Method == http.MethodGet && r.URL.Path == "/bridge/events" {
		tok = r.URL.Query().Get("token") // EventSource cannot set headers
	}
	if tok == "" {
		return http.StatusForbidden, "token missing"
	}
	if !g.valid(tok) {
		return http.StatusForbidden, "wrong token"
	}
	if r.Method == http.MethodPost && r.URL.Path == "/bridge/upload" {
		// An upload is the file's bytes; like a JSON body, a cross-site form cannot send
		// this type without a preflight (which is refused), and the token header above
		// already needs one.
		if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/octet-stream" {
			return http.StatusUnsupportedMediaType, "upload not application/octet-stream"
		}
		return 0, ""
	}
	if r.Method == http.MethodPost && !isJSON(r.Header.Get("Content-Type")) {
		return http.StatusUnsupportedMediaType, "body not application/json"
	}
	return 0, ""
}

// checkFetchSite refuses what a browser says another origin's page asked for: a site that
// shares 127.0.0.1 but not the port ("same-site") is another origin too. A request the writer
// typed ("none") or made by a client without Fetch Metadata passes on to the other checks.
func checkFetchSite(r *http.Request) string {
	if s := r.Header.Get("Sec-Fetch-Site"); s != "" && s != "same-origin" && s != "none" {
		return "request from another site (" + fetchSiteName(s) + ")"
	}
	return ""
}

// fetchSiteName keeps what a client sent out of the log unless it is a value browsers send.
func fetchSiteName(s string) string {
	switch s {
	case "same-site", "cross-site", "none":
		return s
	}
	return "unknown"
}

func (g *bridgeGuard) checkCookie(r *http.Request) string {
	c, err := r.Cookie(g.cookie)
	if err != nil || c.Value == "" {
		return "session cookie missing"
	}
	if !g.valid(c.Value) {
		return "wrong session cookie"
	}
	return ""
}

func (g *bridgeGuard) valid(tok string) bool {
	return subtle.ConstantTimeCompare([]byte(tok), g.token) == 1
}

// isJSON admits "application/json", optionally with a UTF-8 charset and nothing else.
func isJSON(ct string) bool {
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil || mt != "application/json" {
		return false
	}
	for k, v := range params {
		if k != "charset" || !strings.EqualFold(v, "utf-8") {
			return false
		}
	}
	return true
}

const refusedPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>NPC Studio</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 4em auto">
<h1>NPC Studio</h1>
<p>Open the address that <code>npcstudio serve</code> printed when it started: it carries this
launch's key. Each launch prints a new one.</p>
<p><small>Refused: %s.</small></p>
</body></html>
`

func (g *bridgeGuard) refuse(w http.ResponseWriter, r *http.Request, status int, reason string) {
	g.log.Warn("bridge request refused", "method", r.Method, "path", r.URL.Path, "reason", reason,
		"remote", r.RemoteAddr, "origin", r.Header.Get("Origin"), "host", r.Host)
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	if strings.HasPrefix(r.URL.Path, "/bridge/") {
		h.Set("Content-Type", "application/json")
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(map[string]any{"error": AppError{Code: "forbidden",
			Message: "refused: " + reason + "; open the address npcstudio serve printed"}})
		return
	}
	h.Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	fmt.Fprintf(w, refusedPage, html.EscapeString(reason))
}
