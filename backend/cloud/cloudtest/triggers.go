package cloudtest

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// webhookID names the notification target in the private MinIO's configuration.
const webhookID = "NPCSTUDIO"

// Triggered is a deployment whose S3 triggers fire for real: a MinIO of the test's own sends
// bucket notifications (the S3 event JSON Lambda receives) to a webhook in the test, which
// starts the hydration job or the tuning pipeline in moto as the guidance's Lambda does.
type Triggered struct {
	*Local
	// Started receives the job name or execution ARN of every run a notification started.
	Started chan string

	mu     sync.Mutex
	errors []error
}

// DeployTriggered starts the webhook and a MinIO of the test's own wired to it, then deploys
// as Deploy does, with notifications on both buckets for the keys that start pipelines.
func DeployTriggered(t *testing.T) *Triggered {
	t.Helper()
	bin := os.Getenv("NPCSTUDIO_TEST_MINIO_BIN")
	if bin == "" {
		if os.Getenv("NPCSTUDIO_REQUIRE_SERVICES") == "1" {
			t.Fatal("no MinIO binary: .ci/services.sh start minio exports NPCSTUDIO_TEST_MINIO_BIN")
		}
		t.Skip("no MinIO binary: run `make services` and export what it prints, or run `make test`")
	}
	tr := &Triggered{Started: make(chan string, 16)}
	hook := httptest(t, http.HandlerFunc(tr.serve))
	port := freePort(t)
	dir := t.TempDir()
	cmd := exec.Command(bin, "server", "--quiet", "--address", "127.0.0.1:"+port, "--console-address", "127.0.0.1:"+freePort(t), filepath.Join(dir, "data"))
	cmd.Env = append(os.Environ(),
		"MINIO_ROOT_USER="+os.Getenv("NPCSTUDIO_TEST_S3_ACCESS_KEY"), "MINIO_ROOT_PASSWORD="+os.Getenv("NPCSTUDIO_TEST_S3_SECRET_KEY"),
		"MINIO_BROWSER=off", "MINIO_NOTIFY_WEBHOOK_ENABLE_"+webhookID+"=on", "MINIO_NOTIFY_WEBHOOK_ENDPOINT_"+webhookID+"="+hook)
	logf, err := os.Create(filepath.Join(dir, "minio.log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait(); logf.Close() })
	s3url := "http://127.0.0.1:" + port
	ready := false
	for range 1200 { // up to a minute on a loaded machine
		if res, err := http.Get(s3url + "/minio/health/ready"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				ready = true
				break
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	if !ready {
		log, _ := os.ReadFile(logf.Name())
		t.Fatalf("MinIO did not start: %s", log)
	}
	t.Setenv("NPCSTUDIO_TEST_S3_URL", s3url)
	tr.Local = Deploy(t)
	arn := "arn:minio:sqs::" + webhookID + ":webhook"
	for bucket, suffix := range map[string]string{tr.LoreBucket: ".txt", tr.TuningBucket: "raw-data/data.jsonl"} {
		_, err := tr.S3.PutBucketNotificationConfiguration(context.Background(), &s3.PutBucketNotificationConfigurationInput{
			Bucket: aws.String(bucket),
			NotificationConfiguration: &s3types.NotificationConfiguration{QueueConfigurations: []s3types.QueueConfiguration{{
				QueueArn: aws.String(arn), Events: []s3types.Event{"s3:ObjectCreated:*"},
				Filter: &s3types.NotificationConfigurationFilter{Key: &s3types.S3KeyFilter{FilterRules: []s3types.FilterRule{
					{Name: s3types.FilterRuleNameSuffix, Value: aws.String(suffix)}}}},
			}}},
		})
		if err != nil {
			t.Fatalf("notifications on %s: %v", bucket, err)
		}
	}
	t.Cleanup(func() {
		tr.mu.Lock()
		defer tr.mu.Unlock()
		for _, err := range tr.errors {
			t.Errorf("trigger: %v", err)
		}
	})
	return tr
}

// s3Event is the part of the S3 event notification the guidance's Lambda reads.
type s3Event struct {
	Records []struct {
		EventName string `json:"eventName"`
		S3        struct {
			Bucket struct {
				Name string `json:"name"`
			} `json:"bucket"`
			Object struct {
				Key string `json:"key"`
			} `json:"object"`
		} `json:"s3"`
	} `json:"Records"`
}

func (tr *Triggered) serve(w http.ResponseWriter, r *http.Request) {
	var ev s3Event
	if err := json.NewDecoder(r.Body).Decode(&ev); err != nil {
		w.WriteHeader(http.StatusOK) // MinIO checks the target with an empty request
		return
	}
	for _, rec := range ev.Records {
		// Keys arrive URL-encoded, as in AWS's events.
		key, err := url.QueryUnescape(rec.S3.Object.Key)
		if err != nil {
			tr.fail(err)
			continue
		}
		name, err := tr.start(rec.S3.Bucket.Name, key, time.Now())
		if err != nil {
			tr.fail(err)
			continue
		}
		tr.Started <- name
	}
	w.WriteHeader(http.StatusOK)
}

func (tr *Triggered) fail(err error) {
	tr.mu.Lock()
	tr.errors = append(tr.errors, err)
	tr.mu.Unlock()
}

func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return fmt.Sprint(ln.Addr().(*net.TCPAddr).Port)
}

// httptest serves h on 127.0.0.1 for the test and returns its URL.
func httptest(t *testing.T, h http.Handler) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: h}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return "http://" + ln.Addr().String() + "/"
}
