package cloud

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/ssm"

	"github.com/npcstudio/npcstudio/backend/dataset"
	"github.com/npcstudio/npcstudio/backend/lore"
	"github.com/npcstudio/npcstudio/backend/store"
	"github.com/npcstudio/npcstudio/backend/testenv"
)

// openStore opens a fresh workspace holding this package's buckets (and the lore and
// dataset ones the pushes read).
func openStore(t *testing.T) *store.Store {
	t.Helper()
	var b []string
	b = append(b, Buckets...)
	b = append(b, dataset.Buckets...)
	b = append(b, lore.Buckets...)
	st, err := store.Open(t.TempDir(), store.Options{Buckets: b})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// localDeployment is a deployment laid out in moto and MinIO as the guidance's stacks lay
// it out in AWS: the stage and tuning stacks with their outputs, the RAG endpoint and
// CustomModelName parameters, and the versioned lore and tuning buckets. Each test gets its
// own workload name, so tests sharing the servers never see each other's things.
type localDeployment struct {
	Deployment Deployment
	Clients    *Clients
	Account    string
	Tuning     string
	Lore       string
}

func newLocalDeployment(t *testing.T) *localDeployment {
	t.Helper()
	testenv.UseCloudAWS(t)
	ctx := context.Background()
	var rnd [3]byte
	rand.Read(rnd[:])
	d := Deployment{Workload: "Ada" + hex.EncodeToString(rnd[:]), Stage: "QA", Region: "us-east-1"}
	if err := d.Normalize(); err != nil {
		t.Fatal(err)
	}
	c, err := NewClients(ctx, d, ClientOptions{})
	if err != nil {
		t.Fatal(err)
	}
	id, err := WhoAmI(ctx, c.Config)
	if err != nil {
		t.Fatal(err)
	}
	ld := &localDeployment{Deployment: d, Clients: c, Account: id.Account,
		Tuning: d.TuningBucketName(id.Account), Lore: d.LoreBucketName(id.Account)}
	createStack(t, c, d.StageStack(), map[string]string{
		"TextApiEndpointUrl": "https://text.example.test/prod/",
		"RagApiEndpointUrl":  "https://rag.example.test/prod/",
	}, d.RAGParameter(), "https://rag.example.test/prod/")
	createStack(t, c, d.TuningStack(), map[string]string{"TuningDataBucketName": ld.Tuning}, "", "")
	if _, err := c.SSM.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String(CustomModelParameter),
		Value: aws.String("PLACEHOLDER"), Type: "String", Overwrite: aws.Bool(true)}); err != nil {
		t.Fatal(err)
	}
	for _, b := range []string{ld.Tuning, ld.Lore} {
		makeBucket(t, c.S3, b)
	}
	return ld
}

func createStack(t *testing.T, c *Clients, name string, outputs map[string]string, param, value string) {
	t.Helper()
	var res, outs strings.Builder
	if param == "" {
		param, value = name+"-Marker", "1"
	}
	fmt.Fprintf(&res, `"P": {"Type": "AWS::SSM::Parameter", "Properties": {"Name": %q, "Type": "String", "Value": %q}}`, param, value)
	keys := make([]string, 0, len(outputs))
	for k := range outputs {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for i, k := range keys {
		if i > 0 {
			outs.WriteString(",")
		}
		fmt.Fprintf(&outs, `%q: {"Value": %q}`, k, outputs[k])
	}
	body := fmt.Sprintf(`{"Resources": {%s}, "Outputs": {%s}}`, res.String(), outs.String())
	if _, err := c.CFN.CreateStack(context.Background(), &cloudformation.CreateStackInput{
		StackName: aws.String(name), TemplateBody: aws.String(body)}); err != nil {
		t.Fatalf("create stack %s: %v", name, err)
	}
}

func makeBucket(t *testing.T, c *s3.Client, name string) {
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

// keys lists the keys in a bucket.
func keys(t *testing.T, c *s3.Client, bucket string) []string {
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

func getObject(t *testing.T, c *s3.Client, bucket, key string) []byte {
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

// partLog is an HTTP client that records the part numbers of every UploadPart request sent.
type partLog struct {
	mu    sync.Mutex
	parts []int
	base  *http.Client
}

func (p *partLog) Do(r *http.Request) (*http.Response, error) {
	if r.Method == http.MethodPut && r.URL.Query().Get("uploadId") != "" {
		var n int
		fmt.Sscan(r.URL.Query().Get("partNumber"), &n)
		p.mu.Lock()
		p.parts = append(p.parts, n)
		p.mu.Unlock()
	}
	return p.base.Do(r)
}

func (p *partLog) sent() []int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.parts)
}
