package cloud

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/smithy-go"
)

// Clients are the AWS clients of one deployment, all from one configuration of the standard
// chain.
type Clients struct {
	Config aws.Config
	S3     *s3.Client
	CFN    *cloudformation.Client
	SSM    *ssm.Client
	// PathStyle says S3 is reached at a custom endpoint with path-style addressing.
	PathStyle bool
}

// ClientOptions adjust the clients (tests wrap the HTTP client to see what is sent).
type ClientOptions struct {
	HTTPClient aws.HTTPClient
}

// S3Endpoint is the custom S3 endpoint the SDK will use, if any: AWS_ENDPOINT_URL_S3, else
// AWS_ENDPOINT_URL (the SDK reads both itself; this says whether one is set).
func S3Endpoint(cfg aws.Config) string {
	if v := os.Getenv("AWS_ENDPOINT_URL_S3"); v != "" {
		return v
	}
	return aws.ToString(cfg.BaseEndpoint)
}

// NewClients loads the standard chain for the deployment's region and profile.
func NewClients(ctx context.Context, d Deployment, opt ClientOptions) (*Clients, error) {
	cfg, err := LoadConfig(ctx, d.Region, d.Profile)
	if err != nil {
		return nil, err
	}
	if opt.HTTPClient != nil {
		cfg.HTTPClient = opt.HTTPClient
	}
	c := &Clients{Config: cfg, CFN: cloudformation.NewFromConfig(cfg), SSM: ssm.NewFromConfig(cfg)}
	// A local S3 server (MinIO, moto) is reached by path: its host name has no bucket in it.
	c.PathStyle = S3Endpoint(cfg) != ""
	c.S3 = s3.NewFromConfig(cfg, func(o *s3.Options) {
		o.UsePathStyle = c.PathStyle
		// Checksums are asked for explicitly (SHA-256) on every upload; the SDK's default
		// CRC32 on other requests is not needed.
		o.RequestChecksumCalculation = aws.RequestChecksumCalculationWhenRequired
		o.ResponseChecksumValidation = aws.ResponseChecksumValidationWhenRequired
	})
	return c, nil
}

// Finding is one thing Connect looked for.
type Finding struct {
	// What is the writer's word for it: "lore bucket", "tuning bucket", "text endpoint", ...
	What string `json:"what"`
	// Where says where it was looked for: "CloudFormation Ada-QA output TextApiEndpointUrl".
	Where string `json:"where"`
	Value string `json:"value,omitempty"`
	Found bool   `json:"found"`
	// Detail says why it is missing and what to do, or a note (versioning off).
	Detail string `json:"detail,omitempty"`
}

// Status is what a deployment looks like from here: who the writer is, and what was found.
type Status struct {
	Deployment Deployment `json:"deployment"`
	Identity   Identity   `json:"identity"`
	// LoreBucket and TuningBucket are the buckets pushes go to ("" when missing).
	LoreBucket   string `json:"loreBucket,omitempty"`
	TuningBucket string `json:"tuningBucket,omitempty"`
	TextURL      string `json:"textUrl,omitempty"`
	RAGURL       string `json:"ragUrl,omitempty"`
	// CustomModelName is SSM CustomModelName: PLACEHOLDER means the base model.
	CustomModelName string `json:"customModelName,omitempty"`
	// S3Endpoint is the custom S3 endpoint in use ("" for AWS's own).
	S3Endpoint string    `json:"s3Endpoint,omitempty"`
	PathStyle  bool      `json:"pathStyle"`
	Findings   []Finding `json:"findings"`
	// Missing counts findings not found.
	Missing int `json:"missing"`
}

// Discover asks STS who the writer is, then looks for the deployment's stacks, parameters
// and buckets. Only a failure to sign in is an error: anything else missing is a Finding.
func Discover(ctx context.Context, c *Clients, d Deployment) (Status, error) {
	id, err := WhoAmI(ctx, c.Config)
	if err != nil {
		return Status{}, fmt.Errorf("connect to %s in %s: %w", d.Workload, d.Region, err)
	}
	d.Account = id.Account
	st := Status{Deployment: d, Identity: id, S3Endpoint: S3Endpoint(c.Config), PathStyle: c.PathStyle}
	add := func(f Finding) Finding {
		st.Findings = append(st.Findings, f)
		if !f.Found {
			st.Missing++
		}
		return f
	}

	stage := stackOutputs(ctx, c.CFN, d.StageStack())
	tuning := stackOutputs(ctx, c.CFN, d.TuningStack())
	st.TextURL = add(stage.finding("text endpoint", "TextApiEndpointUrl")).Value
	st.RAGURL = add(stage.finding("RAG endpoint", "RagApiEndpointUrl")).Value
	if f := add(parameter(ctx, c.SSM, "RAG endpoint parameter", d.RAGParameter())); st.RAGURL == "" {
		st.RAGURL = f.Value
	}
	st.CustomModelName = add(parameter(ctx, c.SSM, "model the text endpoint runs", CustomModelParameter)).Value

	tb := tuning.finding("tuning bucket name", "TuningDataBucketName")
	if !tb.Found {
		tb.Detail += "; using the naming rule instead"
	}
	add(tb)
	tuningName := tb.Value
	if tuningName == "" {
		tuningName = d.TuningBucketName(id.Account)
	}
	if f := add(bucketFinding(ctx, c.S3, "tuning bucket", tuningName)); f.Found {
		st.TuningBucket = tuningName
	}
	loreName := d.LoreBucketName(id.Account)
	if f := add(bucketFinding(ctx, c.S3, "lore bucket ("+d.Stage+")", loreName)); f.Found {
		st.LoreBucket = loreName
	}
	return st, nil
}

type outputs struct {
	stack string
	vals  map[string]string
	err   error
}

func stackOutputs(ctx context.Context, c *cloudformation.Client, stack string) outputs {
	o := outputs{stack: stack, vals: map[string]string{}}
	out, err := c.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(stack)})
	if err != nil {
		o.err = err
		return o
	}
	for _, s := range out.Stacks {
		for _, v := range s.Outputs {
			o.vals[aws.ToString(v.OutputKey)] = aws.ToString(v.OutputValue)
		}
	}
	return o
}

func (o outputs) finding(what, key string) Finding {
	f := Finding{What: what, Where: "CloudFormation " + o.stack + " output " + key}
	switch {
	case o.err != nil && isCode(o.err, "ValidationError"):
		f.Detail = fmt.Sprintf("stack %s does not exist in this account and region: check the workload name, stage and region", o.stack)
	case o.err != nil:
		f.Detail = explainAPI(o.err, "read stack "+o.stack)
	default:
		f.Value, f.Found = o.vals[key], o.vals[key] != ""
		if !f.Found {
			f.Detail = fmt.Sprintf("stack %s has no output %s", o.stack, key)
		}
	}
	return f
}

func parameter(ctx context.Context, c *ssm.Client, what, name string) Finding {
	f := Finding{What: what, Where: "SSM parameter " + name}
	out, err := c.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String(name)})
	switch {
	case err != nil && isCode(err, "ParameterNotFound"):
		f.Detail = "no such parameter in this account and region"
	case err != nil:
		f.Detail = explainAPI(err, "read parameter "+name)
	default:
		f.Value = aws.ToString(out.Parameter.Value)
		f.Found = true
		if name == CustomModelParameter && f.Value == "PLACEHOLDER" {
			f.Detail = "the text endpoint runs the base model"
		}
	}
	return f
}

func bucketFinding(ctx context.Context, c *s3.Client, what, name string) Finding {
	f := Finding{What: what, Where: "S3 bucket " + name, Value: name}
	if _, err := c.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(name)}); err != nil {
		f.Value = ""
		var nf *s3types.NotFound
		if errors.As(err, &nf) || isCode(err, "NotFound") || isCode(err, "NoSuchBucket") {
			f.Detail = "no such bucket: is the stack deployed in this account and region?"
		} else {
			f.Detail = explainAPI(err, "reach bucket "+name)
		}
		return f
	}
	f.Found = true
	v, err := c.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: aws.String(name)})
	if err == nil && v.Status != s3types.BucketVersioningStatusEnabled {
		f.Detail = "versioning is off: an upload replaces the previous object for good"
	}
	return f
}

func isCode(err error, code string) bool {
	var ae smithy.APIError
	return errors.As(err, &ae) && ae.ErrorCode() == code
}

// explainAPI says what to do about the AWS errors a writer meets.
func explainAPI(err error, doing string) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		switch code := ae.ErrorCode(); {
		case code == "AccessDenied" || code == "AccessDeniedException" || code == "Forbidden" || code == "UnauthorizedOperation":
			return fmt.Sprintf("%s: access denied: ask the team's AWS admin for access, or sign in with another profile (%s)", doing, ae.ErrorMessage())
		case code == "ExpiredToken" || code == "ExpiredTokenException" || code == "InvalidClientTokenId" || code == "SignatureDoesNotMatch":
			return fmt.Sprintf("%s: the AWS credentials are expired or wrong: sign in again (aws sso login) and retry (%s)", doing, code)
		}
	}
	msg := err.Error()
	if strings.Contains(msg, "connect: connection refused") || strings.Contains(msg, "no such host") {
		return fmt.Sprintf("%s: cannot reach AWS (%v): check the network or the endpoint", doing, err)
	}
	return fmt.Sprintf("%s: %v", doing, err)
}
