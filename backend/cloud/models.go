package cloud

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrock"
	btypes "github.com/aws/aws-sdk-go-v2/service/bedrock/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	smtypes "github.com/aws/aws-sdk-go-v2/service/sagemaker/types"

	"github.com/npcstudio/npcstudio/backend/fault"
)

// PackageGroup is the model package group the tuning pipeline registers versions in.
func (d Deployment) PackageGroup() string { return d.Workload + "-PackageGroup" }

// DeploymentPipeline is the CodePipeline an approval restarts (QA, system tests, then PROD).
func (d Deployment) DeploymentPipeline() string { return d.Workload + "-Pipeline" }

// Statuses of a model version in the registry.
const (
	VersionPending  = string(smtypes.ModelApprovalStatusPendingManualApproval)
	VersionApproved = string(smtypes.ModelApprovalStatusApproved)
	VersionRejected = string(smtypes.ModelApprovalStatusRejected)
)

// ModelVersion is one version of <W>-PackageGroup with its evidence. What could not be read
// (a missing or malformed report, metrics CSV or job) is named in Gaps; the version still shows.
type ModelVersion struct {
	Version int    `json:"version"`
	ARN     string `json:"arn"`
	Status  string `json:"status"`
	Created string `json:"created"`
	// Modified is when the status last changed.
	Modified string `json:"modified,omitempty"`
	// DecidedBy is who approved or rejected it: the STS ARN from this workspace's audit log,
	// else the registry's LastModifiedBy.
	DecidedBy string `json:"decidedBy,omitempty"`
	// Note is the registry's ApprovalDescription.
	Note     string          `json:"note,omitempty"`
	Metadata VersionMetadata `json:"metadata"`
	// Evaluation is the run's evaluation_report.json (nil when missing or malformed: see Gaps).
	Evaluation *Evaluation `json:"evaluation,omitempty"`
	// Job is the Bedrock customization job, with its loss curves (show only).
	Job *CustomizationJob `json:"job,omitempty"`
	// Throughputs are the provisioned throughputs of the custom model.
	Throughputs []Throughput `json:"throughputs"`
	// Gaps name the evidence that is missing or unreadable, and why.
	Gaps []string `json:"gaps,omitempty"`
	// Readiness is the pass rates of the NPC test suites run against this version's model,
	// filled by ModelsOptions.Readiness when one is given (nil: none known).
	Readiness *Readiness `json:"readiness,omitempty"`
}

// Readiness is the evidence of NPC test suites run against a version.
type Readiness struct {
	// Ready is false when a suite's pass rate is under its threshold.
	Ready  bool          `json:"ready"`
	Reason string        `json:"reason,omitempty"`
	Suites []SuiteResult `json:"suites"`
}

// SuiteResult is one test suite's pass rate against a version.
type SuiteResult struct {
	Suite  string  `json:"suite"`
	Passed int     `json:"passed"`
	Total  int     `json:"total"`
	Rate   float64 `json:"rate"`
	// Threshold is the suite's pass rate a version needs; Ready says it reached it.
	Threshold float64 `json:"threshold,omitempty"`
	Ready     bool    `json:"ready"`
	RunAt     string  `json:"runAt,omitempty"`
	Detail    string  `json:"detail,omitempty"`
}

// VersionMetadata is the customer metadata the pipeline's RegisterModel step writes.
type VersionMetadata struct {
	ModelName    string `json:"modelName,omitempty"`
	ModelARN     string `json:"modelArn,omitempty"`
	JobName      string `json:"jobName,omitempty"`
	JobARN       string `json:"jobArn,omitempty"`
	BaseModelARN string `json:"baseModelArn,omitempty"`
	OutputData   string `json:"outputData,omitempty"`
}

// Evaluation is the tuning run's evaluation report.
type Evaluation struct {
	Loss       float64 `json:"loss"`
	Perplexity float64 `json:"perplexity"`
	// Source is where it was read (s3://…/evaluation_report.json).
	Source string `json:"source"`
}

// CustomizationJob is the Bedrock job that made the version's custom model.
type CustomizationJob struct {
	Name            string            `json:"name"`
	ARN             string            `json:"arn"`
	Status          string            `json:"status"`
	FailureMessage  string            `json:"failureMessage,omitempty"`
	HyperParameters map[string]string `json:"hyperParameters"`
	Output          string            `json:"output,omitempty"`
	// Training and Validation are the loss curves of the job's metrics CSVs.
	Training   []LossPoint `json:"training"`
	Validation []LossPoint `json:"validation"`
}

// LossPoint is one line of a Bedrock metrics CSV.
type LossPoint struct {
	Step       float64 `json:"step"`
	Epoch      float64 `json:"epoch"`
	Loss       float64 `json:"loss"`
	Perplexity float64 `json:"perplexity,omitempty"`
}

// Throughput is a provisioned throughput of a custom model.
type Throughput struct {
	Name       string `json:"name"`
	ARN        string `json:"arn"`
	Status     string `json:"status"`
	ModelUnits int32  `json:"modelUnits"`
}

// InService says whether a throughput serves requests (and the deployment can use it).
func (t Throughput) InService() bool {
	return t.Status == string(btypes.ProvisionedModelStatusInService)
}

// Reads of evidence stop at these sizes: a report is a few bytes, a metrics CSV a line a step.
const (
	reportLimit  = 64 << 10
	metricsLimit = 4 << 20
)

// ModelsOptions adjust what a listing reads.
type ModelsOptions struct {
	// Decisions are this workspace's audit log, to name who decided each version.
	Decisions []Decision
	// Readiness, if set, returns the test-suite evidence of a version (nil when none).
	Readiness func(versionARN string) *Readiness
}

// ListVersions lists the versions of <W>-PackageGroup, newest first, each with its
// evaluation report and the custom model's provisioned throughputs.
func ListVersions(ctx context.Context, c *Clients, d Deployment, opt ModelsOptions) ([]ModelVersion, error) {
	sm := sagemaker.NewFromConfig(c.Config)
	var sums []smtypes.ModelPackageSummary
	in := &sagemaker.ListModelPackagesInput{ModelPackageGroupName: aws.String(d.PackageGroup()),
		SortBy: smtypes.ModelPackageSortByCreationTime, SortOrder: smtypes.SortOrderDescending, MaxResults: aws.Int32(100)}
	for page := 0; page < 50; page++ {
		out, err := sm.ListModelPackages(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("list the versions of %s: %s", d.PackageGroup(), explainAPI(err, "list model packages"))
		}
		sums = append(sums, out.ModelPackageSummaryList...)
		if aws.ToString(out.NextToken) == "" {
			break
		}
		in.NextToken = out.NextToken
	}
	pts, ptErr := listThroughputs(ctx, bedrock.NewFromConfig(c.Config), "")
	out := make([]ModelVersion, 0, len(sums))
	for _, s := range sums {
		v, err := describeVersion(ctx, c, sm, aws.ToString(s.ModelPackageArn))
		if err != nil {
			return nil, err
		}
		v.Evaluation, v.Gaps = readEvaluation(ctx, c, d, v)
		if ptErr != nil {
			v.Gaps = append(v.Gaps, "provisioned throughput: "+explainAPI(ptErr, "list provisioned throughputs"))
		}
		v.Throughputs = throughputsOf(pts, v.Metadata.ModelARN)
		decorate(&v, opt)
		out = append(out, v)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Version > out[j].Version })
	return out, nil
}

// ShowVersion is one version with all its evidence: the list's, plus the customization job,
// its hyperparameters and loss curves.
func ShowVersion(ctx context.Context, c *Clients, d Deployment, version int, opt ModelsOptions) (ModelVersion, error) {
	sm := sagemaker.NewFromConfig(c.Config)
	arn, err := versionARN(ctx, sm, d, version)
	if err != nil {
		return ModelVersion{}, err
	}
	v, err := describeVersion(ctx, c, sm, arn)
	if err != nil {
		return v, err
	}
	v.Evaluation, v.Gaps = readEvaluation(ctx, c, d, v)
	br := bedrock.NewFromConfig(c.Config)
	pts, err := listThroughputs(ctx, br, v.Metadata.ModelARN)
	if err != nil {
		v.Gaps = append(v.Gaps, "provisioned throughput: "+explainAPI(err, "list provisioned throughputs"))
	}
	v.Throughputs = throughputsOf(pts, v.Metadata.ModelARN)
	job, gaps := readJob(ctx, c, br, v)
	v.Job = job
	v.Gaps = append(v.Gaps, gaps...)
	decorate(&v, opt)
	return v, nil
}

func decorate(v *ModelVersion, opt ModelsOptions) {
	for i := len(opt.Decisions) - 1; i >= 0; i-- {
		if dec := opt.Decisions[i]; dec.VersionARN == v.ARN && dec.Error == "" && dec.NewStatus == v.Status {
			v.DecidedBy = dec.Caller
			break
		}
	}
	if opt.Readiness != nil {
		v.Readiness = opt.Readiness(v.ARN)
	}
}

// versionARN finds the ARN of version number n of the package group.
func versionARN(ctx context.Context, sm *sagemaker.Client, d Deployment, n int) (string, error) {
	if n < 1 {
		return "", fault.Invalid("version", "%d is not a version number: versions count from 1 (npcstudio models list shows them)", n)
	}
	in := &sagemaker.ListModelPackagesInput{ModelPackageGroupName: aws.String(d.PackageGroup()), MaxResults: aws.Int32(100)}
	for page := 0; page < 50; page++ {
		out, err := sm.ListModelPackages(ctx, in)
		if err != nil {
			return "", fmt.Errorf("find version %d of %s: %s", n, d.PackageGroup(), explainAPI(err, "list model packages"))
		}
		for _, s := range out.ModelPackageSummaryList {
			if int(aws.ToInt32(s.ModelPackageVersion)) == n {
				return aws.ToString(s.ModelPackageArn), nil
			}
		}
		if aws.ToString(out.NextToken) == "" {
			break
		}
		in.NextToken = out.NextToken
	}
	return "", fmt.Errorf("version %d of %s: %w (npcstudio models list shows the versions)", n, d.PackageGroup(), fault.ErrNotFound)
}

func describeVersion(ctx context.Context, c *Clients, sm *sagemaker.Client, arn string) (ModelVersion, error) {
	p, err := sm.DescribeModelPackage(ctx, &sagemaker.DescribeModelPackageInput{ModelPackageName: aws.String(arn)})
	if err != nil {
		return ModelVersion{}, fmt.Errorf("read version %s: %s", arn, explainAPI(err, "describe model package"))
	}
	m := p.CustomerMetadataProperties
	v := ModelVersion{Version: int(aws.ToInt32(p.ModelPackageVersion)), ARN: aws.ToString(p.ModelPackageArn),
		Status: string(p.ModelApprovalStatus), Created: stamp(p.CreationTime), Modified: stamp(p.LastModifiedTime),
		Note: aws.ToString(p.ApprovalDescription), Throughputs: []Throughput{},
		Metadata: VersionMetadata{ModelName: m["ModelName"], ModelARN: m["ModelArn"], JobName: m["JobName"], JobARN: m["JobArn"],
			BaseModelARN: m["BaseModelArn"], OutputData: m["OutputData"]}}
	if v.Status != VersionPending && p.LastModifiedBy != nil {
		v.DecidedBy = aws.ToString(p.LastModifiedBy.UserProfileName)
	}
	if v.Metadata.ModelARN == "" {
		v.Gaps = append(v.Gaps, "the version has no ModelArn in its customer metadata: it was not registered by the tuning pipeline")
	}
	return v, nil
}

// execID is the tuning run's execution id, from the job name <W>-TuningJob-<execId>.
func execID(d Deployment, md VersionMetadata) string {
	if id, ok := strings.CutPrefix(md.JobName, d.Workload+"-TuningJob-"); ok {
		return id
	}
	if id, ok := strings.CutPrefix(md.ModelName, d.Workload+"-"); ok {
		return id
	}
	return ""
}

// splitS3 splits s3://bucket/key.
func splitS3(uri string) (bucket, key string, ok bool) {
	rest, ok := strings.CutPrefix(uri, "s3://")
	if !ok {
		return "", "", false
	}
	bucket, key, _ = strings.Cut(rest, "/")
	return bucket, key, bucket != ""
}

// tuningBucket is the bucket the run wrote to: that of its OutputData, else the naming rule.
func tuningBucket(d Deployment, md VersionMetadata) string {
	if b, _, ok := splitS3(md.OutputData); ok {
		return b
	}
	return d.TuningBucketName(d.Account)
}

// readBounded reads an object up to limit bytes; a bigger one is an error.
func readBounded(ctx context.Context, c *s3.Client, bucket, key string, limit int64) ([]byte, error) {
	out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		return nil, err
	}
	defer out.Body.Close()
	b, err := io.ReadAll(io.LimitReader(out.Body, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("larger than %d KB: not a report of the tuning pipeline", limit>>10)
	}
	return b, nil
}

func readEvaluation(ctx context.Context, c *Clients, d Deployment, v ModelVersion) (*Evaluation, []string) {
	gaps := v.Gaps
	id := execID(d, v.Metadata)
	if id == "" {
		return nil, append(gaps, "evaluation: the version's metadata names no tuning run (JobName "+orNone(v.Metadata.JobName)+")")
	}
	bucket := tuningBucket(d, v.Metadata)
	key := id + "/evaluation/evaluation_report.json"
	src := "s3://" + bucket + "/" + key
	b, err := readBounded(ctx, c.S3, bucket, key, reportLimit)
	if err != nil {
		if isCode(err, "NoSuchKey") || isCode(err, "NotFound") {
			return nil, append(gaps, "evaluation: "+src+" is missing (the run's ModelEvaluation step did not write it)")
		}
		return nil, append(gaps, "evaluation: "+explainAPI(err, "read "+src))
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, append(gaps, fmt.Sprintf("evaluation: %s is not JSON: %v", src, err))
	}
	ev := &Evaluation{Source: src}
	for _, f := range []struct {
		name string
		to   *float64
	}{{"Loss", &ev.Loss}, {"Perplexity", &ev.Perplexity}} {
		r, ok := raw[f.name]
		if !ok {
			return nil, append(gaps, fmt.Sprintf("evaluation: %s has no field %s", src, f.name))
		}
		if err := json.Unmarshal(r, f.to); err != nil || math.IsNaN(*f.to) || math.IsInf(*f.to, 0) {
			return nil, append(gaps, fmt.Sprintf("evaluation: %s field %s is %s, not a number", src, f.name, bytes.TrimSpace(r)))
		}
	}
	return ev, gaps
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// modelThroughput is a listed throughput with the model it serves.
type modelThroughput struct {
	Throughput
	model string
}

func listThroughputs(ctx context.Context, br *bedrock.Client, modelARN string) ([]modelThroughput, error) {
	in := &bedrock.ListProvisionedModelThroughputsInput{MaxResults: aws.Int32(100)}
	if modelARN != "" {
		in.ModelArnEquals = aws.String(modelARN)
	}
	var out []modelThroughput
	for page := 0; page < 50; page++ {
		res, err := br.ListProvisionedModelThroughputs(ctx, in)
		if err != nil {
			return nil, err
		}
		for _, s := range res.ProvisionedModelSummaries {
			out = append(out, modelThroughput{Throughput{Name: aws.ToString(s.ProvisionedModelName), ARN: aws.ToString(s.ProvisionedModelArn),
				Status: string(s.Status), ModelUnits: aws.ToInt32(s.ModelUnits)}, aws.ToString(s.ModelArn)})
		}
		if aws.ToString(res.NextToken) == "" {
			break
		}
		in.NextToken = res.NextToken
	}
	return out, nil
}

// throughputsOf picks the throughputs of modelARN from a listing.
func throughputsOf(all []modelThroughput, modelARN string) []Throughput {
	out := []Throughput{}
	for _, t := range all {
		if modelARN != "" && t.model == modelARN {
			out = append(out, t.Throughput)
		}
	}
	return out
}

// Bedrock writes a customization job's metrics under its output location, in
// model-customization-job-<id>/training_artifacts/ and validation_artifacts/post_fine_tuning_validation/.
const (
	trainingMetricsFile   = "step_wise_training_metrics.csv"
	validationMetricsFile = "validation_metrics.csv"
)

func readJob(ctx context.Context, c *Clients, br *bedrock.Client, v ModelVersion) (*CustomizationJob, []string) {
	id := v.Metadata.JobName
	if id == "" {
		id = v.Metadata.JobARN
	}
	if id == "" {
		return nil, []string{"customization job: the version's metadata names none"}
	}
	out, err := br.GetModelCustomizationJob(ctx, &bedrock.GetModelCustomizationJobInput{JobIdentifier: aws.String(id)})
	if err != nil {
		return nil, []string{"customization job: " + explainAPI(err, "read job "+id)}
	}
	job := &CustomizationJob{Name: aws.ToString(out.JobName), ARN: aws.ToString(out.JobArn), Status: string(out.Status),
		FailureMessage: aws.ToString(out.FailureMessage), HyperParameters: out.HyperParameters,
		Training: []LossPoint{}, Validation: []LossPoint{}}
	if job.HyperParameters == nil {
		job.HyperParameters = map[string]string{}
	}
	if out.OutputDataConfig != nil {
		job.Output = aws.ToString(out.OutputDataConfig.S3Uri)
	}
	if job.Output == "" {
		job.Output = v.Metadata.OutputData
	}
	bucket, prefix, ok := splitS3(job.Output)
	if !ok {
		return job, []string{"loss curves: the job has no S3 output location"}
	}
	jobID := job.ARN[strings.LastIndexByte(job.ARN, '/')+1:]
	dir := strings.TrimSuffix(prefix, "/") + "/model-customization-job-" + jobID + "/"
	if prefix == "" {
		dir = "model-customization-job-" + jobID + "/"
	}
	var gaps []string
	for _, f := range []struct {
		key, column string
		to          *[]LossPoint
	}{
		{dir + "training_artifacts/" + trainingMetricsFile, "training_loss", &job.Training},
		{dir + "validation_artifacts/post_fine_tuning_validation/" + validationMetricsFile, "validation_loss", &job.Validation},
	} {
		src := "s3://" + bucket + "/" + f.key
		b, err := readBounded(ctx, c.S3, bucket, f.key, metricsLimit)
		switch {
		case err != nil && (isCode(err, "NoSuchKey") || isCode(err, "NotFound")):
			gaps = append(gaps, "loss curve: "+src+" is missing")
			continue
		case err != nil:
			gaps = append(gaps, "loss curve: "+explainAPI(err, "read "+src))
			continue
		}
		pts, err := parseLossCSV(b, f.column)
		if err != nil {
			gaps = append(gaps, fmt.Sprintf("loss curve: %s: %v", src, err))
			continue
		}
		*f.to = pts
	}
	return job, gaps
}

// parseLossCSV reads a Bedrock metrics CSV: step_number, epoch_number, <loss column>, and
// perplexity where present, found by the header.
func parseLossCSV(b []byte, lossColumn string) ([]LossPoint, error) {
	r := csv.NewReader(bytes.NewReader(b))
	r.FieldsPerRecord = -1
	head, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("line 1: no header: %v", err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))] = i
	}
	for _, need := range []string{"step_number", lossColumn} {
		if _, ok := col[need]; !ok {
			return nil, fmt.Errorf("line 1: no column %s (header: %s)", need, strings.Join(head, ","))
		}
	}
	out := []LossPoint{}
	for line := 2; ; line++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		num := func(name string, must bool) (float64, error) {
			i, ok := col[name]
			if !ok || i >= len(rec) {
				if must {
					return 0, fmt.Errorf("line %d: no %s", line, name)
				}
				return 0, nil
			}
			f, err := strconv.ParseFloat(strings.TrimSpace(rec[i]), 64)
			if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
				if !must {
					return 0, nil
				}
				return 0, fmt.Errorf("line %d: %s is %q, not a number", line, name, rec[i])
			}
			return f, nil
		}
		var p LossPoint
		if p.Step, err = num("step_number", true); err != nil {
			return nil, err
		}
		if p.Loss, err = num(lossColumn, true); err != nil {
			return nil, err
		}
		p.Epoch, _ = num("epoch_number", false)
		p.Perplexity, _ = num("perplexity", false)
		out = append(out, p)
	}
}

// CandidateModel is what a chat reaches version v's custom model through: the ARN of its
// InService provisioned throughput (Bedrock serves a custom model only through one).
func CandidateModel(v ModelVersion) (string, error) {
	for _, t := range v.Throughputs {
		if t.InService() {
			return t.ARN, nil
		}
	}
	model := v.Metadata.ModelARN
	if model == "" {
		model = "(none named)"
	}
	return "", fault.Invalid("version", "version %d cannot be talked to yet: no provisioned throughput of its custom model %s is InService "+
		"(buy one in the Bedrock console, or aws bedrock create-provisioned-model-throughput --model-id %s --model-units 1 --provisioned-model-name NAME, and wait until it is InService)",
		v.Version, model, model)
}
