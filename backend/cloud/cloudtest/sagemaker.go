package cloudtest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	smtypes "github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
)

// SageMakerFront stands in front of moto for SageMaker: it answers ListPipelineExecutionSteps,
// which moto lacks, in SageMaker's own JSON protocol, from the execution's pipeline definition
// and status as moto has them, and passes every other call to moto. A test can make a step
// fail, as a real run fails: the step and the execution then say so, with the reason.
//
// The same front answers CodePipeline's GetPipelineState (JSON 1.1 too, which moto lacks) for
// the deployment pipeline <W>-Pipeline (point AWS_ENDPOINT_URL_CODEPIPELINE at it), and keeps
// what moto's UpdateModelPackage drops (the customer metadata, which SageMaker keeps when an
// update does not name it). It counts the requests it sees by X-Amz-Target, so a test can
// check that a refused action sent nothing.
type SageMakerFront struct {
	front
	moto *sagemaker.Client

	mu     sync.Mutex
	failed map[string]stepFailure // by execution ARN
	calls  map[string]int         // by X-Amz-Target
	// pipelines are the deployment pipelines started (by name): each GetPipelineState
	// moves the run one stage on, so a test sees it progress without waiting on a clock.
	pipelines map[string]*pipelineRun
	// failNext makes the next call of a target fail with an error.
	failNext map[string]frontError
	// OnApproved, if set, is called after moto accepted an update that approved a model
	// package (the deployment's EventBridge rule and Lambda).
	OnApproved func(ctx context.Context, packageARN string)
}

type pipelineRun struct {
	id    string
	polls int
}

// DeploymentStages are the stages of <W>-Pipeline, in order.
var DeploymentStages = []string{"Source", "QA", "SystemTests", "PROD"}

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
	f := &SageMakerFront{failed: map[string]stepFailure{}, calls: map[string]int{}, pipelines: map[string]*pipelineRun{}, failNext: map[string]frontError{},
		moto: sagemaker.NewFromConfig(cfg, func(o *sagemaker.Options) { o.BaseEndpoint = aws.String(motoURL) })}
	if err := f.start(target, f.rewrite, f.serve); err != nil {
		return nil, err
	}
	return f, nil
}

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

// Calls says how many requests of target (e.g. "SageMaker.UpdateModelPackage") reached the front.
func (f *SageMakerFront) Calls(target string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[target]
}

type frontError struct {
	status        int
	code, message string
}

// DenyNext makes the next request of target fail as AWS refuses a caller without the
// permission (HTTP 400 AccessDeniedException, which the SDK does not retry), without reaching moto.
func (f *SageMakerFront) DenyNext(target string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	action := "sagemaker:" + target[strings.IndexByte(target, '.')+1:]
	f.failNext[target] = frontError{http.StatusBadRequest, "AccessDeniedException", "User is not authorized to perform: " + action}
}

// StartPipeline starts a run of the deployment pipeline called name (what the approval
// Lambda's restart does).
func (f *SageMakerFront) StartPipeline(name string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var b [8]byte
	rand.Read(b[:])
	// The restart is the source stage: it is done by the first look.
	f.pipelines[name] = &pipelineRun{id: hex.EncodeToString(b[:]), polls: 1}
}

func (f *SageMakerFront) serve(w http.ResponseWriter, r *http.Request) {
	target := r.Header.Get("X-Amz-Target")
	f.mu.Lock()
	f.calls[target]++
	fail, failing := f.failNext[target]
	delete(f.failNext, target)
	f.mu.Unlock()
	if failing {
		apiError(w, fail.status, fail.code, fail.message)
		return
	}
	switch target {
	case "SageMaker.ListPipelineExecutionSteps":
	case "CodePipeline_20150709.GetPipelineState":
		f.pipelineState(w, r)
		return
	case "SageMaker.UpdateModelPackage":
		f.updateModelPackage(w, r)
		return
	default:
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
	return rewriteItems(res, []string{"PipelineExecutionSummaries"}, func(ex map[string]any) {
		arn, _ := ex["PipelineExecutionArn"].(string)
		if _, ok := f.failure(arn); ok {
			ex["PipelineExecutionStatus"], ex["FailureReason"], ex["PipelineExecutionFailureReason"] = "Failed", executionFailure, executionFailure
		}
	})
}

// pipelineState answers GetPipelineState for <W>-Pipeline: every stage, with the latest run's
// progress (one stage further on each call) once the pipeline has been started.
func (f *SageMakerFront) pipelineState(w http.ResponseWriter, r *http.Request) {
	var in struct{ Name string }
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		apiError(w, http.StatusBadRequest, "ValidationException", err.Error())
		return
	}
	if !strings.HasSuffix(in.Name, "-Pipeline") {
		apiError(w, http.StatusBadRequest, "PipelineNotFoundException", "Account does not have a pipeline with name '"+in.Name+"'")
		return
	}
	f.mu.Lock()
	run := f.pipelines[in.Name]
	done := -1
	if run != nil {
		done = run.polls
		run.polls++
	}
	f.mu.Unlock()
	now := epoch(time.Now())
	stages := []map[string]any{}
	for i, name := range DeploymentStages {
		st := map[string]any{"stageName": name, "actionStates": []map[string]any{{"actionName": name}}}
		if run != nil && i <= done {
			status := "Succeeded"
			if i == done && i < len(DeploymentStages)-1 {
				status = "InProgress"
			}
			st["latestExecution"] = map[string]any{"pipelineExecutionId": run.id, "status": status}
			st["actionStates"] = []map[string]any{{"actionName": name, "latestExecution": map[string]any{"status": status, "lastStatusChange": now}}}
		}
		stages = append(stages, st)
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	json.NewEncoder(w).Encode(map[string]any{"pipelineName": in.Name, "pipelineVersion": 1, "stageStates": stages,
		"created": now, "updated": now})
}

// updateModelPackage passes the update to moto, then puts back the customer metadata moto
// dropped, and plays the approval rule when the package was approved.
func (f *SageMakerFront) updateModelPackage(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		apiError(w, http.StatusBadRequest, "ValidationException", err.Error())
		return
	}
	var in struct {
		ModelPackageArn, ModelApprovalStatus, ApprovalDescription string
		CustomerMetadataProperties                                map[string]string
	}
	if err := json.Unmarshal(body, &in); err != nil {
		apiError(w, http.StatusBadRequest, "ValidationException", err.Error())
		return
	}
	ctx := r.Context()
	old, err := f.moto.DescribeModelPackage(ctx, &sagemaker.DescribeModelPackageInput{ModelPackageName: aws.String(in.ModelPackageArn)})
	if err != nil {
		apiError(w, http.StatusBadRequest, "ValidationException", err.Error())
		return
	}
	rec := httptest.NewRecorder()
	r.Body = io.NopCloser(bytes.NewReader(body))
	f.proxy.ServeHTTP(rec, r)
	if rec.Code == http.StatusOK && in.CustomerMetadataProperties == nil && len(old.CustomerMetadataProperties) > 0 {
		up := &sagemaker.UpdateModelPackageInput{ModelPackageArn: aws.String(in.ModelPackageArn),
			CustomerMetadataProperties: old.CustomerMetadataProperties}
		if in.ModelApprovalStatus != "" {
			up.ModelApprovalStatus = smtypes.ModelApprovalStatus(in.ModelApprovalStatus)
		}
		if in.ApprovalDescription != "" {
			up.ApprovalDescription = aws.String(in.ApprovalDescription)
		}
		if _, err := f.moto.UpdateModelPackage(ctx, up); err != nil {
			apiError(w, http.StatusInternalServerError, "InternalFailure", err.Error())
			return
		}
	}
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	w.Write(rec.Body.Bytes())
	if rec.Code == http.StatusOK && in.ModelApprovalStatus == "Approved" && f.OnApproved != nil {
		f.OnApproved(context.WithoutCancel(ctx), in.ModelPackageArn)
	}
}
