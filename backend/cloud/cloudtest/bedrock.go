package cloudtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// BedrockFront stands in front of moto for Bedrock's control plane. moto answers the
// customization job and custom model calls but writes times as "2006-01-02 15:04:05" (Bedrock writes RFC 3339,
// and the SDK refuses anything else) and a failure message on every job; the front puts
// both right, so the SDK reads the jobs as it reads Bedrock's. A test can make a job fail.
//
// moto lacks provisioned throughput: the front answers ListProvisionedModelThroughputs and
// GetProvisionedModelThroughput (Bedrock's REST JSON) from the throughputs a test adds.
type BedrockFront struct {
	front
	mu sync.Mutex
	// failed maps job names to their failure message.
	failed      map[string]string
	throughputs []Throughput
}

// Throughput is a provisioned throughput as the front serves it.
type Throughput struct {
	Name, ARN, ModelARN, Status string
	ModelUnits                  int
	Created                     time.Time
}

// StartBedrockFront serves the front on 127.0.0.1 before the moto at motoURL.
func StartBedrockFront(motoURL string) (*BedrockFront, error) {
	target, err := url.Parse(motoURL)
	if err != nil {
		return nil, err
	}
	f := &BedrockFront{failed: map[string]string{}}
	if err := f.start(target, f.rewrite, f.serve); err != nil {
		return nil, err
	}
	return f, nil
}

// FailJob makes the customization job fail with message.
func (f *BedrockFront) FailJob(name, message string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failed[name] = message
}

// AddThroughput provisions a throughput of units for the custom model modelARN in status
// (InService, Creating, Updating, Failed) and returns its ARN.
func (f *BedrockFront) AddThroughput(name, modelARN, status string, units int) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	// arn:aws:bedrock:<region>:<acct>:custom-model/... -> the throughput's ARN beside it.
	prefix := modelARN
	if i := strings.Index(modelARN, ":custom-model/"); i >= 0 {
		prefix = modelARN[:i]
	}
	arn := fmt.Sprintf("%s:provisioned-model/%s%04d", prefix, strings.ToLower(strings.ReplaceAll(name, "-", "")), len(f.throughputs)+1)
	f.throughputs = append(f.throughputs, Throughput{Name: name, ARN: arn, ModelARN: modelARN, Status: status, ModelUnits: units, Created: time.Now().UTC()})
	return arn
}

// Throughputs are the throughputs provisioned so far.
func (f *BedrockFront) Throughputs() []Throughput {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Throughput(nil), f.throughputs...)
}

func (t Throughput) summary() map[string]any {
	ts := t.Created.Format(time.RFC3339)
	return map[string]any{"provisionedModelName": t.Name, "provisionedModelArn": t.ARN, "modelArn": t.ModelARN,
		"desiredModelArn": t.ModelARN, "foundationModelArn": "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-express-v1",
		"modelUnits": t.ModelUnits, "desiredModelUnits": t.ModelUnits, "status": t.Status, "creationTime": ts, "lastModifiedTime": ts}
}

func (f *BedrockFront) serve(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.Method == http.MethodGet && r.URL.Path == "/provisioned-model-throughputs":
		q := r.URL.Query()
		list := []map[string]any{}
		for _, t := range f.Throughputs() {
			if m := q.Get("modelArnEquals"); m != "" && m != t.ModelARN {
				continue
			}
			if s := q.Get("statusEquals"); s != "" && s != t.Status {
				continue
			}
			if n := q.Get("nameContains"); n != "" && !strings.Contains(t.Name, n) {
				continue
			}
			list = append(list, t.summary())
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"provisionedModelSummaries": list})
	case r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/provisioned-model-throughput/"):
		id, _ := url.PathUnescape(strings.TrimPrefix(r.URL.Path, "/provisioned-model-throughput/"))
		for _, t := range f.Throughputs() {
			if id == t.ARN || id == t.Name {
				w.Header().Set("Content-Type", "application/json")
				json.NewEncoder(w).Encode(t.summary())
				return
			}
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Amzn-Errortype", "ResourceNotFoundException")
		w.WriteHeader(http.StatusNotFound)
		json.NewEncoder(w).Encode(map[string]string{"message": "Provisioned model " + id + " not found"})
	default:
		f.proxy.ServeHTTP(w, r)
	}
}

func (f *BedrockFront) rewrite(res *http.Response) error {
	isJob := strings.HasPrefix(res.Request.URL.Path, "/model-customization-jobs")
	if !isJob && !strings.HasPrefix(res.Request.URL.Path, "/custom-models") || res.StatusCode != http.StatusOK {
		return nil
	}
	return rewriteItems(res, []string{"modelCustomizationJobSummaries", "modelSummaries"}, func(job map[string]any) {
		for _, k := range []string{"creationTime", "lastModifiedTime", "endTime"} {
			if s, ok := job[k].(string); ok {
				if t, err := time.Parse(time.DateTime, s); err == nil {
					job[k] = t.UTC().Format(time.RFC3339)
				}
			}
		}
		if !isJob {
			return
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
	})
}
