package app

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"time"
)

// The browser bridge serves the same frontend and the same bound services over HTTP on
// 127.0.0.1, for end-to-end tests in a real browser and for writers who prefer a browser tab.
// A small script stands in for Wails' window.go and window.runtime: calls are POSTed to
// /bridge/call and events arrive by server-sent events on /bridge/events.

// Dispatcher calls bound methods by their Wails name ("app.ProviderService.List").
type Dispatcher struct {
	methods map[string]reflect.Value
	onPanic func(name string, r any)
}

// NewDispatcher indexes the exported methods of the bound structs like Wails does.
func NewDispatcher(bindings []any) *Dispatcher {
	d := &Dispatcher{methods: map[string]reflect.Value{}}
	for _, b := range bindings {
		v := reflect.ValueOf(b)
		t := v.Type()
		pkg := t.Elem().PkgPath()
		pkg = pkg[strings.LastIndex(pkg, "/")+1:]
		for i := 0; i < t.NumMethod(); i++ {
			m := t.Method(i)
			d.methods[pkg+"."+t.Elem().Name()+"."+m.Name] = v.Method(i)
		}
	}
	return d
}

// Names lists every callable method.
func (d *Dispatcher) Names() []string {
	out := make([]string, 0, len(d.methods))
	for n := range d.methods {
		out = append(out, n)
	}
	return out
}

var errType = reflect.TypeFor[error]()

// Call decodes args into the method's parameters, calls it and returns its result.
func (d *Dispatcher) Call(name string, args []json.RawMessage) (result any, err error) {
	m, ok := d.methods[name]
	if !ok {
		return nil, fmt.Errorf("no bound method %s", name)
	}
	t := m.Type()
	if len(args) != t.NumIn() {
		return nil, fmt.Errorf("%s takes %d arguments, got %d", name, t.NumIn(), len(args))
	}
	in := make([]reflect.Value, len(args))
	for i, raw := range args {
		p := reflect.New(t.In(i))
		if err := json.Unmarshal(raw, p.Interface()); err != nil {
			return nil, fmt.Errorf("%s argument %d: %w", name, i+1, err)
		}
		in[i] = p.Elem()
	}
	defer func() {
		if r := recover(); r != nil {
			if d.onPanic != nil {
				d.onPanic(name, r)
			}
			err = fmt.Errorf("internal error: %v (details are in the log)", r)
		}
	}()
	out := m.Call(in)
	if n := len(out); n > 0 && t.Out(n-1) == errType {
		if e := out[n-1].Interface(); e != nil {
			return nil, e.(error)
		}
		out = out[:n-1]
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out[0].Interface(), nil
}

// sseHub fans events out to every connected page.
type sseHub struct {
	mu   sync.Mutex
	subs map[chan []byte]struct{}
}

func (h *sseHub) Emit(name string, data any) {
	raw, err := json.Marshal(struct {
		Name string `json:"name"`
		Data any    `json:"data"`
	}{name, data})
	if err != nil {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	for c := range h.subs {
		select {
		case c <- raw:
		default: // a page that does not read loses events rather than stall the studio
		}
	}
}

func (h *sseHub) serve(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	c := make(chan []byte, 1024)
	h.mu.Lock()
	h.subs[c] = struct{}{}
	h.mu.Unlock()
	defer func() {
		h.mu.Lock()
		delete(h.subs, c)
		h.mu.Unlock()
	}()
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	fmt.Fprint(w, ": connected\n\n")
	fl.Flush()
	for {
		select {
		case <-r.Context().Done():
			return
		case raw := <-c:
			fmt.Fprintf(w, "data: %s\n\n", raw)
			fl.Flush()
		}
	}
}

// BridgeHandler serves the frontend assets with the bridge script injected, and the bridge,
// all behind the guard (serve_guard.go) for a server listening on opts.Addr.
func BridgeHandler(a *App, assets fs.FS, opts BridgeOptions) (http.Handler, error) {
	hub := &sseHub{subs: map[chan []byte]struct{}{}}
	// A browser page has no working folder: a relative path is refused, as in the window.
	a.workDir = ""
	d := NewDispatcher(a.Bindings())
	d.onPanic = func(name string, r any) { a.log.Error("panic recovered", "method", name, "panic", fmt.Sprint(r)) }
	// The page gets the token it must send back with every call; only a page served to the
	// cookie holder can read it, and the cookie alone cannot make a call.
	tok, _ := json.Marshal(opts.Token)
	script := []byte("<head><script>" + strings.Replace(bridgeJS, "__TOKEN__", string(tok), 1) + "</script>")
	mux := http.NewServeMux()
	mux.HandleFunc("POST /bridge/call", func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			Name string            `json:"name"`
			Args []json.RawMessage `json:"args"`
		}
		w.Header().Set("Content-Type", "application/json")
		if err := json.NewDecoder(io.LimitReader(r.Body, 32<<20)).Decode(&req); err != nil {
			w.WriteHeader(http.StatusBadRequest)
			json.NewEncoder(w).Encode(map[string]any{"error": AppError{Code: "usage", Message: err.Error()}})
			return
		}
		res, err := d.Call(req.Name, req.Args)
		if err != nil {
			json.NewEncoder(w).Encode(map[string]any{"error": FormatError(err)})
			return
		}
		json.NewEncoder(w).Encode(map[string]any{"result": res})
	})
	mux.HandleFunc("GET /bridge/events", hub.serve)
	// The page has no file dialog: a file the writer picks or drops is uploaded here, kept in
	// this launch's folder, and passed on to the services by its path like a picked file.
	up := &uploads{}
	a.mu.Lock()
	a.atClose = append(a.atClose, up.close)
	a.mu.Unlock()
	mux.HandleFunc("POST /bridge/upload", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		r.Body = http.MaxBytesReader(w, r.Body, MaxUpload+1)
		name, _ := url.QueryUnescape(r.Header.Get(UploadNameHeader))
		path, err := up.save(name, r.Body)
		if err != nil {
			a.log.Warn("upload refused", "err", err)
			json.NewEncoder(w).Encode(map[string]any{"error": FormatError(err)})
			return
		}
		a.log.Info("file uploaded from the browser page", "path", path)
		json.NewEncoder(w).Encode(map[string]any{"result": Picked{Paths: []string{path}}})
	})
	files := http.FileServerFS(assets)
	mux.HandleFunc("GET /", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" && r.URL.Path != "/index.html" {
			files.ServeHTTP(w, r)
			return
		}
		page, err := fs.ReadFile(assets, "index.html")
		if err != nil {
			http.Error(w, "frontend not built: run make build", http.StatusNotFound)
			return
		}
		page = withTheme(bytes.Replace(page, []byte("<head>"), script, 1), a.themePref())
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.Write(page)
	})
	g, err := newBridgeGuard(opts, a.log, mux)
	if err != nil {
		return nil, err
	}
	a.SetEmitter(hub)
	return g, nil
}

// Serve runs the browser bridge on addr (127.0.0.1 only) until ctx ends. ready receives the
// page's URL, with this launch's token, once the server listens.
func Serve(ctx context.Context, a *App, assets fs.FS, addr string, ready func(url string)) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("--addr %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("--addr %q: the studio serves only on the loopback address (127.0.0.1)", addr)
	}
	token, err := NewBridgeToken()
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	h, err := BridgeHandler(a, assets, BridgeOptions{Addr: ln.Addr().String(), Token: token})
	if err != nil {
		ln.Close()
		return err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		srv.Shutdown(shut)
	}()
	ready("http://" + ln.Addr().String() + "/?token=" + token)
	if err := srv.Serve(ln); err != http.ErrServerClosed {
		return err
	}
	return nil
}

// bridgeJS stands in for Wails' injected runtime in a browser tab. It is inlined into the
// page with the launch token in place of __TOKEN__.
const bridgeJS = `(function (token) {
  var listeners = {};
  function call(name, args) {
    return fetch('/bridge/call', {method: 'POST', credentials: 'same-origin',
      headers: {'Content-Type': 'application/json', 'X-NPCStudio-Token': token},
      body: JSON.stringify({name: name, args: args})})
      .then(function (r) { return r.json(); })
      .then(function (r) { if (r.error) { throw r.error; } return r.result; });
  }
  function methodProxy(path) {
    return new Proxy(function () {}, {
      get: function (_, key) { return methodProxy(path.concat([String(key)])); },
      apply: function (_, __, args) { return call(path.join('.'), Array.prototype.slice.call(args)); }
    });
  }
  window.go = new Proxy({}, { get: function (_, pkg) { return methodProxy([String(pkg)]); } });
  var es = new EventSource('/bridge/events?token=' + encodeURIComponent(token));
  es.onmessage = function (m) {
    var ev = JSON.parse(m.data);
    (listeners[ev.name] || []).slice().forEach(function (l) {
      l.cb.apply(null, [ev.data]);
      if (l.max > 0 && --l.max === 0) { off(ev.name, l); }
    });
  };
  function off(name, l) { listeners[name] = (listeners[name] || []).filter(function (x) { return x !== l; }); }
  function on(name, cb, max) {
    var l = {cb: cb, max: max || -1};
    (listeners[name] = listeners[name] || []).push(l);
    return function () { off(name, l); };
  }
  // The page has no file dialog: a picked or dropped file is uploaded and used by its path.
  window.__bridgeUpload = function (file) {
    return fetch('/bridge/upload', {method: 'POST', credentials: 'same-origin',
      headers: {'Content-Type': 'application/octet-stream', 'X-NPCStudio-Token': token,
        'X-NPCStudio-Filename': encodeURIComponent(file.name)}, body: file})
      .then(function (r) { return r.json(); })
      .then(function (r) { if (r.error) { throw r.error; } return r.result.paths[0]; });
  };
  window.__bridgeReady = new Promise(function (res) { es.onopen = function () { res(true); }; });
  var noop = function () {};
  window.runtime = {
    EventsOnMultiple: on,
    EventsOn: function (n, cb) { return on(n, cb, -1); },
    EventsOnce: function (n, cb) { return on(n, cb, 1); },
    EventsOff: function (n) { delete listeners[n]; },
    EventsOffAll: function () { listeners = {}; },
    EventsEmit: noop,
    LogPrint: noop, LogTrace: noop, LogDebug: noop, LogInfo: noop, LogWarning: noop, LogError: noop, LogFatal: noop,
    WindowShow: noop, WindowHide: noop, WindowSetTitle: function (t) { document.title = t; },
    BrowserOpenURL: function (u) { window.open(u, '_blank'); },
    Environment: function () { return Promise.resolve({buildType: 'bridge', platform: 'browser', arch: ''}); },
    Quit: noop
  };
})(__TOKEN__);
`
