// Package cloudtest lays out the team's deployment in the local test servers (moto for
// CloudFormation, SSM and STS; MinIO for S3) as the guidance's stacks lay it out in AWS, for
// tests of every layer that pushes to it.
package cloudtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/npcstudio/npcstudio/backend/testenv"
)

// Local is one deployment in the test servers. Each gets its own workload name, so tests
// sharing the servers never see each other's stacks or buckets.
type Local struct {
	Workload, Stage, Region, Account string
	LoreBucket, TuningBucket         string
	TextURL, RAGURL                  string
	S3                               *s3.Client
}

// Deploy points the AWS SDK at the test servers (for this test) and creates a deployment:
// stacks <W>-QA (TextApiEndpointUrl, RagApiEndpointUrl) and <W>-TUNING
// (TuningDataBucketName), SSM <W>-QA-RagEndpointParameter and CustomModelName, and the
// versioned buckets <w>-qa-<region>-<acct> and <w>-tuning-<region>-<acct>.
func Deploy(t *testing.T) *Local {
	t.Helper()
	testenv.UseCloudAWS(t)
	ctx := context.Background()
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		t.Fatal(err)
	}
	id, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	var rnd [3]byte
	rand.Read(rnd[:])
	w := "Ada" + hex.EncodeToString(rnd[:])
	l := &Local{Workload: w, Stage: "QA", Region: cfg.Region, Account: aws.ToString(id.Account),
		TextURL: "https://text.example.test/prod/", RAGURL: "https://rag.example.test/prod/",
		S3: s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })}
	l.LoreBucket = strings.ToLower(w) + "-qa-" + l.Region + "-" + l.Account
	l.TuningBucket = strings.ToLower(w) + "-tuning-" + l.Region + "-" + l.Account
	cfn := cloudformation.NewFromConfig(cfg)
	createStack(t, cfn, w+"-QA", map[string]string{"TextApiEndpointUrl": l.TextURL, "RagApiEndpointUrl": l.RAGURL},
		w+"-QA-RagEndpointParameter", l.RAGURL)
	createStack(t, cfn, w+"-TUNING", map[string]string{"TuningDataBucketName": l.TuningBucket}, w+"-TUNING-Marker", "1")
	if _, err := ssm.NewFromConfig(cfg).PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String("CustomModelName"),
		Value: aws.String("PLACEHOLDER"), Type: "String", Overwrite: aws.Bool(true)}); err != nil {
		t.Fatal(err)
	}
	for _, b := range []string{l.TuningBucket, l.LoreBucket} {
		MakeBucket(t, l.S3, b)
	}
	return l
}

func createStack(t *testing.T, c *cloudformation.Client, name string, outputs map[string]string, param, value string) {
	t.Helper()
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
	if _, err := c.CreateStack(context.Background(), &cloudformation.CreateStackInput{
		StackName: aws.String(name), TemplateBody: aws.String(body)}); err != nil {
		t.Fatalf("create stack %s: %v", name, err)
	}
}

// MakeBucket creates a versioned bucket.
func MakeBucket(t *testing.T, c *s3.Client, name string) {
	t.Helper()
	ctx := context.Background()
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(name)}); err != nil {
		t.Fatalf("create bucket %s: %v", name, err)
	}
	if _, err := c.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: aws.String(name),
		VersioningConfiguration: &s3types.VersioningConfiguration{Status: s3types.BucketVersioningStatusEnabled}}); err != nil {
		t.Fatal(err)
	}
}

// Keys lists the keys in a bucket.
func (l *Local) Keys(t *testing.T, bucket string) []string {
	t.Helper()
	out, err := l.S3.ListObjectsV2(context.Background(), &s3.ListObjectsV2Input{Bucket: aws.String(bucket)})
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
	out, err := l.S3.GetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
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
