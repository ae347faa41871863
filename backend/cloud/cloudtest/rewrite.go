package cloudtest

import (
	"bytes"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strconv"
)

// front is what the fronts before moto share: moto behind a reverse proxy whose answers
// they may rewrite, served on 127.0.0.1 at URL.
type front struct {
	URL string

	srv   *http.Server
	proxy *httputil.ReverseProxy
}

// start serves serve, which hands what it does not answer itself to f.proxy: moto at
// target, its answers passed through rewrite.
func (f *front) start(target *url.URL, rewrite func(*http.Response) error, serve http.HandlerFunc) error {
	f.proxy = httputil.NewSingleHostReverseProxy(target)
	f.proxy.ModifyResponse = rewrite
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	f.srv = &http.Server{Handler: serve}
	go f.srv.Serve(ln)
	f.URL = "http://" + ln.Addr().String()
	return nil
}

// Close stops the front.
func (f *front) Close() { f.srv.Close() }

// rewriteItems edits one of moto's JSON answers on its way through a front: fix is called
// on every item of the first of lists the answer holds, or on the whole answer when it
// holds none of them (a Describe rather than a List). An answer that is not a JSON object
// passes unchanged.
func rewriteItems(res *http.Response, lists []string, fix func(item map[string]any)) error {
	body, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil {
		return err
	}
	var doc map[string]any
	if json.Unmarshal(body, &doc) == nil {
		var items []any
		found := false
		for _, k := range lists {
			if items, found = doc[k].([]any); found {
				break
			}
		}
		if found {
			for _, it := range items {
				if item, ok := it.(map[string]any); ok {
					fix(item)
				}
			}
		} else {
			fix(doc)
		}
		if b, err := json.Marshal(doc); err == nil {
			body = b
		}
	}
	res.Body = io.NopCloser(bytes.NewReader(body))
	res.ContentLength = int64(len(body))
	res.Header.Set("Content-Length", strconv.Itoa(len(body)))
	return nil
}
