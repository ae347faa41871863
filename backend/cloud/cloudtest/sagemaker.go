package cloudtest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strconv"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
)

// SageMakerFront stands in front of moto for SageMaker: it answers ListPipelineExecutionSteps,
// which moto lacks, in SageMaker's own JSON protocol, from the execution's pipeline definition
// and status as moto has them, and passes every other call to moto. A test can make a step
// fail, as a real run fails: the step and the execution then say so, with the reason.
type SageMakerFront struct {
	URL string

	moto  *sagemaker.Client
	proxy *httputil.ReverseProxy
	srv   *http.Server

	mu     sync.Mutex
	failed map[string]stepFailure // by execution ARN
}

type stepFailure struct{ step, reason string }

// StartSageMakerFront serves the front on 127.0.0.1 before the moto at motoURL.
func StartSageMakerFront(ctx context.Context, motoURL string) (*SageMakerFront, error) {
	target, err := url.Parse(motoURL)
	if err != nil {
		return nil, err
	}
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return nil, err
	}
	f := &SageMakerFront{failed: map[string]stepFailure{},
		moto: sagemaker.NewFromConfig(cfg, func(o *sagemaker.Options) { o.BaseEndpoint = aws.String(motoURL) })}
	f.proxy = httputil.NewSingleHostReverseProxy(target)
	f.proxy.ModifyResponse = f.rewrite
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	f.srv = &http.Server{Handler: http.HandlerFunc(f.serve)}
	go f.srv.Serve(ln)
	f.URL = "http://" + ln.Addr().String()
	return f, nil
}

// Close stops the front.
func (f *SageMakerFront) Close() { f.srv.Close() }

// FailStep makes step of the execution fail with reason (and the execution with it).
func (f *SageMakerFront) FailStep(executionARN, step, reason string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failed[executionARN] = stepFailure{step, reason}
}

func (f *SageMakerFront) failure(arn string) (stepFailure, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, ok := f.failed[arn]
	return s, ok
}

const executionFailure = "Step failure: One or multiple steps failed."

func (f *SageMakerFront) serve(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("X-Amz-Target") != "SageMaker.ListPipelineExecutionSteps" {
		f.proxy.ServeHTTP(w, r)
		return
	}
	var in struct {
		PipelineExecutionArn string
		SortOrder            string
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		apiError(w, http.StatusBadRequest, "ValidationException", err.Error())
		return
	}
	steps, err := f.steps(r.Context(), in.PipelineExecutionArn)
	if err != nil {
		apiError(w, http.StatusBadRequest, "ResourceNotFound", err.Error())
		return
	}
	if in.SortOrder != "Ascending" { // SageMaker's default: the newest first
		for i, j := 0, len(steps)-1; i < j; i, j = i+1, j-1 {
			steps[i], steps[j] = steps[j], steps[i]
		}
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	json.NewEncoder(w).Encode(map[string]any{"PipelineExecutionSteps": steps})
}

func apiError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"__type": code, "message": msg})
}

// steps are the execution's steps that have started, in the order they ran.
func (f *SageMakerFront) steps(ctx context.Context, arn string) ([]map[string]any, error) {
	ex, err := f.moto.DescribePipelineExecution(ctx, &sagemaker.DescribePipelineExecutionInput{PipelineExecutionArn: aws.String(arn)})
	if err != nil {
		return nil, err
	}
	def, err := f.moto.DescribePipelineDefinitionForExecution(ctx, &sagemaker.DescribePipelineDefinitionForExecutionInput{PipelineExecutionArn: aws.String(arn)})
	if err != nil {
		return nil, err
	}
	var d struct {
		Steps []struct{ Name string }
	}
	if err := json.Unmarshal([]byte(aws.ToString(def.PipelineDefinition)), &d); err != nil {
		return nil, err
	}
	start := aws.ToTime(ex.CreationTime)
	end := aws.ToTime(ex.LastModifiedTime)
	if end.Before(start) {
		end = start
	}
	fail, failing := f.failure(arn)
	var out []map[string]any
	for _, s := range d.Steps {
		step := map[string]any{"StepName": s.Name, "StepDisplayName": s.Name, "StepStatus": "Succeeded",
			"StartTime": epoch(start), "EndTime": epoch(end)}
		if failing && s.Name == fail.step {
			step["StepStatus"], step["FailureReason"] = "Failed", fail.reason
			out = append(out, step)
			break
		}
		out = append(out, step)
	}
	return out, nil
}

func epoch(t time.Time) float64 { return float64(t.UnixNano()) / 1e9 }

// rewrite shows a failed step's execution as failed in moto's own answers.
func (f *SageMakerFront) rewrite(res *http.Response) error {
	target := res.Request.Header.Get("X-Amz-Target")
	if target != "SageMaker.ListPipelineExecutions" && target != "SageMaker.DescribePipelineExecution" {
		return nil
	}
	body, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil {
		return err
	}
	var doc map[string]any
	if json.Unmarshal(body, &doc) == nil {
		mark := func(ex map[string]any) {
			arn, _ := ex["PipelineExecutionArn"].(string)
			if _, ok := f.failure(arn); ok {
				ex["PipelineExecutionStatus"], ex["FailureReason"], ex["PipelineExecutionFailureReason"] = "Failed", executionFailure, executionFailure
			}
		}
		if list, ok := doc["PipelineExecutionSummaries"].([]any); ok {
			for _, e := range list {
				if ex, ok := e.(map[string]any); ok {
					mark(ex)
				}
			}
		} else {
			mark(doc)
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
