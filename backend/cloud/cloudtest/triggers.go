package cloudtest

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// webhookID names the notification target in the private MinIO's configuration.
const webhookID = "NPCSTUDIO"

// Triggers is a MinIO of its own whose bucket notifications (the S3 event JSON Lambda
// receives) reach a webhook here, which starts the hydration job or the tuning pipeline in
// moto as the guidance's Lambda does.
type Triggers struct {
	// S3URL is the MinIO's address: point AWS_ENDPOINT_URL_S3 at it.
	S3URL string
	// Started receives the job name or execution ARN of every run a notification started.
	Started chan string
	// Errors receives what went wrong starting a run.
	Errors chan error

	minio *MinIO
	srv   *http.Server
	mu    sync.Mutex
	local *Local
}

// StartTriggers starts the webhook and a MinIO (binary bin, data under dir) wired to it,
// with the root keys given. Close stops both.
func StartTriggers(ctx context.Context, bin, dir, accessKey, secretKey string) (*Triggers, error) {
	tr := &Triggers{Started: make(chan string, 64), Errors: make(chan error, 64)}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	tr.srv = &http.Server{Handler: http.HandlerFunc(tr.serve)}
	go tr.srv.Serve(ln)
	hook := "http://" + ln.Addr().String() + "/"
	tr.minio, err = NewMinIO(ctx, bin, dir, accessKey, secretKey,
		"MINIO_NOTIFY_WEBHOOK_ENABLE_"+webhookID+"=on", "MINIO_NOTIFY_WEBHOOK_ENDPOINT_"+webhookID+"="+hook)
	if err != nil {
		tr.srv.Close()
		return nil, err
	}
	tr.S3URL = tr.minio.URL
	return tr, nil
}

// Close stops the MinIO and the webhook.
func (tr *Triggers) Close() {
	tr.minio.Stop()
	tr.srv.Close()
}

// Attach makes l's buckets notify the webhook for the keys that start pipelines; the runs
// start in l's account.
func (tr *Triggers) Attach(ctx context.Context, l *Local) error {
	tr.mu.Lock()
	tr.local = l
	tr.mu.Unlock()
	arn := "arn:minio:sqs::" + webhookID + ":webhook"
	for bucket, suffix := range map[string]string{l.LoreBucket: ".txt", l.TuningBucket: "raw-data/data.jsonl"} {
		_, err := l.S3.PutBucketNotificationConfiguration(ctx, &s3.PutBucketNotificationConfigurationInput{
			Bucket: aws.String(bucket),
			NotificationConfiguration: &s3types.NotificationConfiguration{QueueConfigurations: []s3types.QueueConfiguration{{
				QueueArn: aws.String(arn), Events: []s3types.Event{"s3:ObjectCreated:*"},
				Filter: &s3types.NotificationConfigurationFilter{Key: &s3types.S3KeyFilter{FilterRules: []s3types.FilterRule{
					{Name: s3types.FilterRuleNameSuffix, Value: aws.String(suffix)}}}},
			}}},
		})
		if err != nil {
			return fmt.Errorf("notifications on %s: %w", bucket, err)
		}
	}
	return nil
}

// Triggered is a test's deployment whose S3 triggers fire for real (see Triggers).
type Triggered struct {
	*Local
	*Triggers
}

// DeployTriggered starts Triggers for the test, then deploys as Deploy does in its MinIO,
// with the notifications attached.
func DeployTriggered(t *testing.T) *Triggered {
	t.Helper()
	ctx := context.Background()
	trig, err := StartTriggers(ctx, minIOBin(t), t.TempDir(), os.Getenv("NPCSTUDIO_TEST_S3_ACCESS_KEY"), os.Getenv("NPCSTUDIO_TEST_S3_SECRET_KEY"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(trig.Close)
	t.Setenv("NPCSTUDIO_TEST_S3_URL", trig.S3URL)
	l := Deploy(t)
	if err := trig.Attach(ctx, l); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		for {
			select {
			case err := <-trig.Errors:
				t.Errorf("trigger: %v", err)
			default:
				return
			}
		}
	})
	return &Triggered{Local: l, Triggers: trig}
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

func (tr *Triggers) serve(w http.ResponseWriter, r *http.Request) {
	var ev s3Event
	if err := json.NewDecoder(r.Body).Decode(&ev); err != nil {
		w.WriteHeader(http.StatusOK) // MinIO checks the target with an empty request
		return
	}
	tr.mu.Lock()
	l := tr.local
	tr.mu.Unlock()
	for _, rec := range ev.Records {
		if l == nil {
			continue
		}
		// Keys arrive URL-encoded, as in AWS's events.
		key, err := url.QueryUnescape(rec.S3.Object.Key)
		if err != nil {
			tr.Errors <- err
			continue
		}
		name, err := l.start(rec.S3.Bucket.Name, key, time.Now())
		if err != nil {
			tr.Errors <- err
			continue
		}
		tr.Started <- name
	}
	w.WriteHeader(http.StatusOK)
}

func freePort() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return fmt.Sprint(ln.Addr().(*net.TCPAddr).Port), nil
}
