// Package testenv gives tests the real servers that make test starts (see .ci/services.sh).
package testenv

import (
	"os"
	"strings"
	"testing"
)

// Service returns the base URL of a running test server (moto, minio, opensearch). Outside
// make test the test is skipped with a hint; under make test (NPCSTUDIO_REQUIRE_SERVICES=1)
// a missing server fails it, so a broken harness cannot pass silently.
func Service(t testing.TB, name string) string {
	t.Helper()
	v := os.Getenv("NPCSTUDIO_TEST_" + strings.ToUpper(name) + "_URL")
	if v != "" {
		return v
	}
	if os.Getenv("NPCSTUDIO_REQUIRE_SERVICES") == "1" {
		t.Fatalf("test server %s is not running: .ci/services.sh start %s", name, name)
	}
	t.Skipf("no %s server: run `make services` and export what it prints, or run `make test`", name)
	return ""
}

// UseMotoAWS points the AWS SDK at moto with test credentials, for this test only.
func UseMotoAWS(t *testing.T) string {
	t.Helper()
	url := Service(t, "moto")
	for k, v := range map[string]string{
		"AWS_ENDPOINT_URL":            url,
		"AWS_ACCESS_KEY_ID":           "testing",
		"AWS_SECRET_ACCESS_KEY":       "testing",
		"AWS_REGION":                  "us-east-1",
		"AWS_CONFIG_FILE":             "/dev/null",
		"AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
		"AWS_PROFILE":                 "",
	} {
		t.Setenv(k, v)
	}
	return url
}

// UseCloudAWS points the AWS SDK at the local deployment: moto for the control plane (STS,
// CloudFormation, SSM, SageMaker) and MinIO for S3, signed with MinIO's keys (moto takes any).
// It returns the moto and S3 URLs.
func UseCloudAWS(t *testing.T) (motoURL, s3URL string) {
	t.Helper()
	motoURL = UseMotoAWS(t)
	s3URL = os.Getenv("NPCSTUDIO_TEST_S3_URL")
	if s3URL == "" {
		if os.Getenv("NPCSTUDIO_REQUIRE_SERVICES") == "1" {
			t.Fatal("test server minio is not running: .ci/services.sh start minio")
		}
		t.Skip("no MinIO server: run `make services` and export what it prints, or run `make test`")
	}
	t.Setenv("AWS_ENDPOINT_URL_S3", s3URL)
	t.Setenv("AWS_ACCESS_KEY_ID", os.Getenv("NPCSTUDIO_TEST_S3_ACCESS_KEY"))
	t.Setenv("AWS_SECRET_ACCESS_KEY", os.Getenv("NPCSTUDIO_TEST_S3_SECRET_KEY"))
	return motoURL, s3URL
}
