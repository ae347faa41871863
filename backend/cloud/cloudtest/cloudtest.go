// Package cloudtest lays out the team's deployment in the local test servers (moto for
// CloudFormation, SSM and STS; MinIO for S3) as the guidance's stacks lay it out in AWS, for
// tests of every layer that pushes to it.
package cloudtest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/bedrock"
	btypes "github.com/aws/aws-sdk-go-v2/service/bedrock/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/sagemaker"
	smtypes "github.com/aws/aws-sdk-go-v2/service/sagemaker/types"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/npcstudio/npcstudio/backend/testenv"
)

// Local is one deployment in the test servers. Each gets its own workload name, so tests
// sharing the servers never see each other's stacks or buckets.
type Local struct {
	Workload, Stage, Region, Account string
	LoreBucket, TuningBucket         string
	TextURL, RAGURL                  string
	S3                               *s3.Client
	// SageMaker and Bedrock are the fronts before moto's (set by Deploy).
	SageMaker *SageMakerFront
	Bedrock   *BedrockFront
	sm        *sagemaker.Client
	bedrock   *bedrock.Client
	ssm       *ssm.Client
}

// Deploy points the AWS SDK at the test servers (for this test) and sets up a deployment with
// a workload name of its own (see Setup).
func Deploy(t *testing.T) *Local {
	t.Helper()
	moto, _ := testenv.UseCloudAWS(t)
	front, err := StartSageMakerFront(context.Background(), moto)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(front.Close)
	t.Setenv("AWS_ENDPOINT_URL_SAGEMAKER", front.URL)
	t.Setenv("AWS_ENDPOINT_URL_CODEPIPELINE", front.URL)
	bfront, err := StartBedrockFront(moto)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(bfront.Close)
	t.Setenv("AWS_ENDPOINT_URL_BEDROCK", bfront.URL)
	var rnd [3]byte
	rand.Read(rnd[:])
	l, err := Setup(context.Background(), "Ada"+hex.EncodeToString(rnd[:]))
	if err != nil {
		t.Fatal(err)
	}
	l.UseFronts(front, bfront)
	return l
}

// Setup creates a deployment of workload w where the AWS SDK's environment points: stacks
// <W>-QA (TextApiEndpointUrl, RagApiEndpointUrl) and <W>-TUNING (TuningDataBucketName), SSM
// <W>-QA-RagEndpointParameter and CustomModelName, the versioned buckets
// <w>-qa-<region>-<acct> and <w>-tuning-<region>-<acct>, and the SageMaker pipeline
// <W>-FMOpsPipeline. Pieces that already exist are kept.
func Setup(ctx context.Context, w string) (*Local, error) {
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return nil, err
	}
	id, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return nil, err
	}
	l := &Local{Workload: w, Stage: "QA", Region: cfg.Region, Account: aws.ToString(id.Account),
		TextURL: "https://text.example.test/prod/", RAGURL: "https://rag.example.test/prod/",
		S3: s3.NewFromConfig(cfg, func(o *s3.Options) {
			o.UsePathStyle = true
			o.ResponseChecksumValidation = aws.ResponseChecksumValidationWhenRequired
		}), sm: sagemaker.NewFromConfig(cfg),
		bedrock: bedrock.NewFromConfig(cfg), ssm: ssm.NewFromConfig(cfg)}
	l.LoreBucket = strings.ToLower(w) + "-qa-" + l.Region + "-" + l.Account
	l.TuningBucket = strings.ToLower(w) + "-tuning-" + l.Region + "-" + l.Account
	cfn := cloudformation.NewFromConfig(cfg)
	if err := createStack(ctx, cfn, w+"-QA", map[string]string{"TextApiEndpointUrl": l.TextURL, "RagApiEndpointUrl": l.RAGURL},
		w+"-QA-RagEndpointParameter", l.RAGURL); err != nil {
		return nil, err
	}
	if err := createStack(ctx, cfn, w+"-TUNING", map[string]string{"TuningDataBucketName": l.TuningBucket}, w+"-TUNING-Marker", "1"); err != nil {
		return nil, err
	}
	if _, err := l.ssm.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String("CustomModelName"),
		Value: aws.String("PLACEHOLDER"), Type: "String", Overwrite: aws.Bool(true)}); err != nil {
		return nil, err
	}
	for _, b := range []string{l.TuningBucket, l.LoreBucket} {
		if err := makeBucket(ctx, l.S3, b); err != nil {
			return nil, err
		}
	}
	def := `{"Version":"2020-12-01","Steps":[{"Name":"DataPreprocessing","Type":"Processing"},{"Name":"FineTuning","Type":"Callback"},{"Name":"ModelEvaluation","Type":"Processing"},{"Name":"Register-RegisterModel","Type":"RegisterModel"}]}`
	if _, err := l.sm.CreatePipeline(ctx, &sagemaker.CreatePipelineInput{PipelineName: aws.String(w + "-FMOpsPipeline"),
		PipelineDefinition: aws.String(def), RoleArn: aws.String(l.role())}); err != nil && !exists(err) {
		return nil, fmt.Errorf("create pipeline %s-FMOpsPipeline: %w", w, err)
	}
	return l, nil
}

// exists recognises "already exists" answers, so Setup can run again on the same servers.
func exists(err error) bool {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		c := ae.ErrorCode()
		return c == "AlreadyExistsException" || c == "BucketAlreadyOwnedByYou" || c == "BucketAlreadyExists" ||
			c == "ResourceInUse" || c == "ValidationException" && strings.Contains(ae.ErrorMessage(), "already exists")
	}
	return false
}

func (l *Local) role() string {
	return "arn:aws:iam::" + l.Account + ":role/" + l.Workload + "-SageMakerRole"
}

// PlayTrigger does what the deployment's S3 trigger does when key lands: a .txt in the lore
// bucket starts the hydration processing job <W>-RAG-Ingest-%m-%d-%H-%M-%S; a
// …raw-data/data.jsonl in the tuning bucket starts <W>-FMOpsPipeline. It returns the job name
// or the execution ARN.
func (l *Local) PlayTrigger(t *testing.T, bucket, key string, at time.Time) string {
	t.Helper()
	name, err := l.start(bucket, key, at)
	if err != nil {
		t.Fatal(err)
	}
	return name
}

func (l *Local) start(bucket, key string, at time.Time) (string, error) {
	ctx := context.Background()
	switch {
	case bucket == l.LoreBucket && strings.HasSuffix(key, ".txt"):
		name := l.Workload + "-RAG-Ingest-" + at.UTC().Format("01-02-15-04-05")
		_, err := l.sm.CreateProcessingJob(ctx, &sagemaker.CreateProcessingJobInput{ProcessingJobName: aws.String(name),
			AppSpecification: &smtypes.AppSpecification{ImageUri: aws.String("123456789012.dkr.ecr.us-east-1.amazonaws.com/ingest:latest")},
			ProcessingResources: &smtypes.ProcessingResources{ClusterConfig: &smtypes.ProcessingClusterConfig{
				InstanceCount: aws.Int32(1), InstanceType: smtypes.ProcessingInstanceTypeMlT3Medium, VolumeSizeInGB: aws.Int32(30)}},
			StoppingCondition: &smtypes.ProcessingStoppingCondition{MaxRuntimeInSeconds: aws.Int32(1800)},
			RoleArn:           aws.String(l.role())})
		if err != nil {
			return "", fmt.Errorf("start hydration job for s3://%s/%s: %w", bucket, key, err)
		}
		return name, nil
	case bucket == l.TuningBucket && strings.HasSuffix(key, "raw-data/data.jsonl"):
		out, err := l.sm.StartPipelineExecution(ctx, &sagemaker.StartPipelineExecutionInput{PipelineName: aws.String(l.Workload + "-FMOpsPipeline"),
			PipelineParameters: []smtypes.Parameter{{Name: aws.String("InputDataUrl"), Value: aws.String("s3://" + bucket + "/" + key)}}})
		if err != nil {
			return "", fmt.Errorf("start tuning pipeline for s3://%s/%s: %w", bucket, key, err)
		}
		// The pipeline's FineTuning step starts the Bedrock customization job.
		arn := aws.ToString(out.PipelineExecutionArn)
		exec := arn[strings.LastIndexByte(arn, '/')+1:]
		_, err = l.bedrock.CreateModelCustomizationJob(ctx, &bedrock.CreateModelCustomizationJobInput{
			JobName: aws.String(l.Workload + "-TuningJob-" + exec), CustomModelName: aws.String(l.Workload + "-" + exec),
			RoleArn: aws.String(l.role()), BaseModelIdentifier: aws.String("amazon.titan-text-express-v1"),
			TrainingDataConfig: &btypes.TrainingDataConfig{S3Uri: aws.String("s3://" + bucket + "/" + key)},
			OutputDataConfig:   &btypes.OutputDataConfig{S3Uri: aws.String("s3://" + bucket + "/" + exec + "/output/")},
			HyperParameters:    map[string]string{"epochCount": "2", "batchSize": "1", "learningRate": "0.00001"}})
		if err != nil {
			return "", fmt.Errorf("start the customization job of %s: %w", exec, err)
		}
		return arn, nil
	}
	return "", fmt.Errorf("s3://%s/%s triggers nothing", bucket, key)
}

func createStack(ctx context.Context, c *cloudformation.Client, name string, outputs map[string]string, param, value string) error {
	res := fmt.Sprintf(`"P": {"Type": "AWS::SSM::Parameter", "Properties": {"Name": %q, "Type": "String", "Value": %q}}`, param, value)
	keys := make([]string, 0, len(outputs))
	for k := range outputs {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var outs []string
	for _, k := range keys {
		outs = append(outs, fmt.Sprintf(`%q: {"Value": %q}`, k, outputs[k]))
	}
	body := fmt.Sprintf(`{"Resources": {%s}, "Outputs": {%s}}`, res, strings.Join(outs, ","))
	if _, err := c.CreateStack(ctx, &cloudformation.CreateStackInput{
		StackName: aws.String(name), TemplateBody: aws.String(body)}); err != nil && !exists(err) {
		return fmt.Errorf("create stack %s: %w", name, err)
	}
	return nil
}

// MakeBucket creates a versioned bucket.
func MakeBucket(t *testing.T, c *s3.Client, name string) {
	t.Helper()
	if err := makeBucket(context.Background(), c, name); err != nil {
		t.Fatal(err)
	}
}

func makeBucket(ctx context.Context, c *s3.Client, name string) error {
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(name)}); err != nil && !exists(err) {
		return fmt.Errorf("create bucket %s: %w", name, err)
	}
	if _, err := c.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: aws.String(name),
		VersioningConfiguration: &s3types.VersioningConfiguration{Status: s3types.BucketVersioningStatusEnabled}}); err != nil {
		return fmt.Errorf("turn on versioning of %s: %w", name, err)
	}
	return nil
}

// Keys lists the keys in a bucket.
func (l *Local) Keys(t *testing.T, bucket string) []string {
	t.Helper()
	return Keys(t, l.S3, bucket)
}

// Keys lists the keys in a bucket of the S3 at c.
func Keys(t *testing.T, c *s3.Client, bucket string) []string {
	t.Helper()
	out, err := c.ListObjectsV2(context.Background(), &s3.ListObjectsV2Input{Bucket: aws.String(bucket)})
	if err != nil {
		t.Fatal(err)
	}
	var ks []string
	for _, o := range out.Contents {
		ks = append(ks, aws.ToString(o.Key))
	}
	return ks
}

// Get reads an object.
func (l *Local) Get(t *testing.T, bucket, key string) []byte {
	t.Helper()
	return Get(t, l.S3, bucket, key)
}

// Get reads an object from the S3 at c.
func Get(t *testing.T, c *s3.Client, bucket, key string) []byte {
	t.Helper()
	out, err := c.GetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		t.Fatalf("get s3://%s/%s: %v", bucket, key, err)
	}
	defer out.Body.Close()
	b, err := io.ReadAll(out.Body)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// UseFronts makes sm and br the deployment's fronts and plays the deployment's approval rule
// on sm: when a version is approved, the Lambda looks for an InService provisioned throughput
// of its custom model; with one, it writes the throughput's ARN into SSM CustomModelName and
// restarts <W>-Pipeline; with none it fails, and nothing changes (as in the guidance).
func (l *Local) UseFronts(sm *SageMakerFront, br *BedrockFront) {
	l.SageMaker, l.Bedrock = sm, br
	sm.OnApproved = func(ctx context.Context, arn string) {
		d, err := sm.moto.DescribeModelPackage(ctx, &sagemaker.DescribeModelPackageInput{ModelPackageName: aws.String(arn)})
		if err != nil || !strings.HasPrefix(aws.ToString(d.ModelPackageGroupName), l.Workload+"-") {
			return
		}
		model := d.CustomerMetadataProperties["ModelArn"]
		for _, t := range br.Throughputs() {
			if t.ModelARN == model && t.Status == "InService" {
				if _, err := l.ssm.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String("CustomModelName"), Value: aws.String(t.ARN),
					Type: "String", Overwrite: aws.Bool(true)}); err == nil {
					sm.StartPipeline(l.Workload + "-Pipeline")
				}
				return
			}
		}
	}
}

// Version is a model version as a tuning run registers it.
type Version struct {
	Number                                         int
	ARN, ExecID, JobName, JobARN, ModelName, Model string
	// Output is the customization job's output location (s3://…/).
	Output string
}

// RegisterVersion does what the end of a tuning run of execID does: the Bedrock customization
// job <W>-TuningJob-<execID> (started unless it exists) with its custom model <W>-<execID>,
// and a version of <W>-PackageGroup (made if missing), PendingManualApproval, with the
// customer metadata the pipeline's RegisterModel step writes.
func (l *Local) RegisterVersion(t *testing.T, execID string) Version {
	t.Helper()
	v, err := l.registerVersion(context.Background(), execID)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func (l *Local) registerVersion(ctx context.Context, execID string) (Version, error) {
	v := Version{ExecID: execID, JobName: l.Workload + "-TuningJob-" + execID, ModelName: l.Workload + "-" + execID,
		Output: "s3://" + l.TuningBucket + "/" + execID + "/output/"}
	_, err := l.bedrock.CreateModelCustomizationJob(ctx, &bedrock.CreateModelCustomizationJobInput{
		JobName: aws.String(v.JobName), CustomModelName: aws.String(v.ModelName),
		RoleArn: aws.String(l.role()), BaseModelIdentifier: aws.String("amazon.titan-text-express-v1"),
		TrainingDataConfig: &btypes.TrainingDataConfig{S3Uri: aws.String("s3://" + l.TuningBucket + "/" + execID + "/raw-data/data.jsonl")},
		OutputDataConfig:   &btypes.OutputDataConfig{S3Uri: aws.String(v.Output)},
		HyperParameters:    map[string]string{"epochCount": "2", "batchSize": "1", "learningRate": "0.00001"}})
	if err != nil && !exists(err) && !strings.Contains(err.Error(), "already exists") {
		return v, fmt.Errorf("start the customization job of %s: %w", execID, err)
	}
	job, err := l.bedrock.GetModelCustomizationJob(ctx, &bedrock.GetModelCustomizationJobInput{JobIdentifier: aws.String(v.JobName)})
	if err != nil {
		return v, err
	}
	v.JobARN = aws.ToString(job.JobArn)
	m, err := l.bedrock.GetCustomModel(ctx, &bedrock.GetCustomModelInput{ModelIdentifier: aws.String(v.ModelName)})
	if err != nil {
		return v, err
	}
	v.Model = aws.ToString(m.ModelArn)
	group := l.Workload + "-PackageGroup"
	if _, err := l.sm.CreateModelPackageGroup(ctx, &sagemaker.CreateModelPackageGroupInput{ModelPackageGroupName: aws.String(group)}); err != nil && !exists(err) {
		return v, fmt.Errorf("create model package group %s: %w", group, err)
	}
	out, err := l.sm.CreateModelPackage(ctx, &sagemaker.CreateModelPackageInput{ModelPackageGroupName: aws.String(group),
		ModelApprovalStatus:     smtypes.ModelApprovalStatusPendingManualApproval,
		ModelPackageDescription: aws.String("Bedrock custom model " + v.ModelName),
		CustomerMetadataProperties: map[string]string{"ModelName": v.ModelName, "ModelArn": v.Model, "JobName": v.JobName,
			"JobArn": v.JobARN, "BaseModelArn": aws.ToString(job.BaseModelArn), "OutputData": v.Output}})
	if err != nil {
		return v, fmt.Errorf("register a version in %s: %w", group, err)
	}
	v.ARN = aws.ToString(out.ModelPackageArn)
	fmt.Sscan(v.ARN[strings.LastIndexByte(v.ARN, '/')+1:], &v.Number)
	return v, nil
}

// Evidence writes what a finished run leaves in the tuning bucket: the evaluation report
// (when report is not nil: written as given, so a test can write a malformed one) and the
// customization job's metrics CSVs in Bedrock's layout (when train is not empty).
func (l *Local) Evidence(ctx context.Context, v Version, report []byte, train, valid [][2]float64) error {
	put := func(key string, body []byte) error {
		_, err := l.S3.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(l.TuningBucket), Key: aws.String(key), Body: bytes.NewReader(body)})
		return err
	}
	if report != nil {
		if err := put(v.ExecID+"/evaluation/evaluation_report.json", report); err != nil {
			return err
		}
	}
	if len(train) == 0 {
		return nil
	}
	dir := v.ExecID + "/output/model-customization-job-" + v.JobARN[strings.LastIndexByte(v.JobARN, '/')+1:] + "/"
	var b strings.Builder
	b.WriteString("step_number,epoch_number,training_loss,perplexity\n")
	for i, p := range train {
		fmt.Fprintf(&b, "%g,%d,%g,%g\n", p[0], i*2/len(train), p[1], math.Exp(p[1]))
	}
	if err := put(dir+"training_artifacts/step_wise_training_metrics.csv", []byte(b.String())); err != nil {
		return err
	}
	b.Reset()
	b.WriteString("step_number,epoch_number,validation_loss,perplexity\n")
	for i, p := range valid {
		fmt.Fprintf(&b, "%g,%d,%g,%g\n", p[0], i+1, p[1], math.Exp(p[1]))
	}
	return put(dir+"validation_artifacts/post_fine_tuning_validation/validation_metrics.csv", []byte(b.String()))
}

// SeedModels registers two versions of a finished tuning run each, with their evidence, and an
// InService provisioned throughput for the newer one's custom model: the model registry a
// writer finds after two tuning runs (for localcloud and the window's tests).
func (l *Local) SeedModels(ctx context.Context) ([]Version, error) {
	var out []Version
	for i, ev := range []struct{ loss, ppl float64 }{{1.92, 6.82}, {1.21, 3.35}} {
		v, err := l.registerVersion(ctx, fmt.Sprintf("seed%d%s", i+1, strings.ToLower(l.Workload)))
		if err != nil {
			return nil, err
		}
		train := [][2]float64{{0, 2.9 - float64(i)*0.3}, {10, 2.3 - float64(i)*0.4}, {20, 1.9 - float64(i)*0.5}, {30, 1.7 - float64(i)*0.5}}
		valid := [][2]float64{{15, 2.2 - float64(i)*0.4}, {30, ev.loss}}
		if err := l.Evidence(ctx, v, fmt.Appendf(nil, `{"Loss": %g, "Perplexity": %g}`, ev.loss, ev.ppl), train, valid); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	if l.Bedrock != nil {
		l.Bedrock.AddThroughput(out[1].ModelName+"-pt", out[1].Model, "InService", 1)
	}
	return out, nil
}
