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
	"strings"
	"sync"
	"time"
)

// BedrockFront stands in front of moto for Bedrock's control plane. moto answers the
// customization job calls but writes times as "2006-01-02 15:04:05" (Bedrock writes RFC 3339,
// and the SDK refuses anything else) and a failure message on every job; the front puts
// both right, so the SDK reads the jobs as it reads Bedrock's. A test can make a job fail.
type BedrockFront struct {
	URL string

	srv *http.Server
	mu  sync.Mutex
	// failed maps job names to their failure message.
	failed map[string]string
}

// StartBedrockFront serves the front on 127.0.0.1 before the moto at motoURL.
func StartBedrockFront(motoURL string) (*BedrockFront, error) {
	target, err := url.Parse(motoURL)
	if err != nil {
		return nil, err
	}
	f := &BedrockFront{failed: map[string]string{}}
	proxy := httputil.NewSingleHostReverseProxy(target)
	proxy.ModifyResponse = f.rewrite
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	f.srv = &http.Server{Handler: proxy}
	go f.srv.Serve(ln)
	f.URL = "http://" + ln.Addr().String()
	return f, nil
}

// Close stops the front.
func (f *BedrockFront) Close() { f.srv.Close() }

// FailJob makes the customization job fail with message.
func (f *BedrockFront) FailJob(name, message string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failed[name] = message
}

func (f *BedrockFront) rewrite(res *http.Response) error {
	if !strings.HasPrefix(res.Request.URL.Path, "/model-customization-jobs") || res.StatusCode != http.StatusOK {
		return nil
	}
	body, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil {
		return err
	}
	var doc map[string]any
	if json.Unmarshal(body, &doc) == nil {
		fix := func(job map[string]any) {
			for _, k := range []string{"creationTime", "lastModifiedTime", "endTime"} {
				if s, ok := job[k].(string); ok {
					if t, err := time.Parse(time.DateTime, s); err == nil {
						job[k] = t.UTC().Format(time.RFC3339)
					}
				}
			}
			name, _ := job["jobName"].(string)
			f.mu.Lock()
			msg, failed := f.failed[name]
			f.mu.Unlock()
			if failed {
				job["status"], job["failureMessage"] = "Failed", msg
			} else {
				delete(job, "failureMessage")
			}
			if job["status"] == "InProgress" {
				delete(job, "endTime")
			}
		}
		if list, ok := doc["modelCustomizationJobSummaries"].([]any); ok {
			for _, j := range list {
				if job, ok := j.(map[string]any); ok {
					fix(job)
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
