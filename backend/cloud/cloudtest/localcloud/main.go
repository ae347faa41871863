// Command localcloud lays out a deployment in the local test servers (`make services`: moto
// and MinIO) and plays its S3 triggers, so the cloud commands and the Cloud area can be tried
// without an AWS account:
//
//	make services                                  # prints the servers' variables; export them
//	go run ./backend/cloud/cloudtest/localcloud    # prints the AWS variables to export, then
//	                                               # serves the triggers until interrupted
//
// It starts a MinIO of its own (the services' binary and keys) whose bucket notifications
// start the hydration job or the tuning pipeline in moto, as the deployment's Lambda does.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/npcstudio/npcstudio/backend/cloud/cloudtest"
)

func main() {
	workload := flag.String("workload", "Ada", "workload name of the deployment")
	dir := flag.String("dir", filepath.Join(os.TempDir(), "npcstudio-localcloud"), "folder for the MinIO's data")
	asJSON := flag.Bool("json", false, "print one JSON line (workload, buckets, environment) instead of export lines")
	models := flag.Bool("models", false, "register two model versions of finished tuning runs, with their evidence and a throughput for the newer")
	flag.Parse()
	if err := run(*workload, *dir, *asJSON, *models); err != nil {
		fmt.Fprintln(os.Stderr, "localcloud:", err)
		os.Exit(1)
	}
}

func run(workload, dir string, asJSON, models bool) error {
	need := func(k string) (string, error) {
		v := os.Getenv(k)
		if v == "" {
			return "", fmt.Errorf("%s is not set: run `make services` and export what it prints", k)
		}
		return v, nil
	}
	moto, err := need("NPCSTUDIO_TEST_MOTO_URL")
	if err != nil {
		return err
	}
	bin, err := need("NPCSTUDIO_TEST_MINIO_BIN")
	if err != nil {
		return err
	}
	ak, err := need("NPCSTUDIO_TEST_S3_ACCESS_KEY")
	if err != nil {
		return err
	}
	sk, err := need("NPCSTUDIO_TEST_S3_SECRET_KEY")
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	trig, err := cloudtest.StartTriggers(ctx, bin, dir, ak, sk)
	if err != nil {
		return err
	}
	defer trig.Close()
	for k, v := range map[string]string{"AWS_ACCESS_KEY_ID": ak, "AWS_SECRET_ACCESS_KEY": sk, "AWS_REGION": "us-east-1"} {
		os.Setenv(k, v)
	}
	front, err := cloudtest.StartSageMakerFront(ctx, moto)
	if err != nil {
		return err
	}
	defer front.Close()
	bfront, err := cloudtest.StartBedrockFront(moto)
	if err != nil {
		return err
	}
	defer bfront.Close()
	env := [][2]string{
		{"AWS_ENDPOINT_URL", moto}, {"AWS_ENDPOINT_URL_S3", trig.S3URL}, {"AWS_ENDPOINT_URL_SAGEMAKER", front.URL}, {"AWS_ENDPOINT_URL_CODEPIPELINE", front.URL},
		{"AWS_ENDPOINT_URL_BEDROCK", bfront.URL}, {"AWS_ACCESS_KEY_ID", ak},
		{"AWS_SECRET_ACCESS_KEY", sk}, {"AWS_REGION", "us-east-1"}, {"AWS_CONFIG_FILE", "/dev/null"},
		{"AWS_SHARED_CREDENTIALS_FILE", "/dev/null"},
	}
	for _, kv := range env {
		os.Setenv(kv[0], kv[1])
	}
	os.Unsetenv("AWS_PROFILE")
	l, err := cloudtest.Setup(ctx, workload)
	if err != nil {
		return err
	}
	l.UseFronts(front, bfront)
	if err := trig.Attach(ctx, l); err != nil {
		return err
	}
	var versions []cloudtest.Version
	if models {
		if versions, err = l.SeedModels(ctx); err != nil {
			return err
		}
	}
	if asJSON {
		m := map[string]any{"workload": l.Workload, "stage": l.Stage, "region": l.Region, "account": l.Account,
			"loreBucket": l.LoreBucket, "tuningBucket": l.TuningBucket, "versions": versions}
		e := map[string]string{}
		for _, kv := range env {
			e[kv[0]] = kv[1]
		}
		m["env"] = e
		json.NewEncoder(os.Stdout).Encode(m)
	} else {
		for _, kv := range env {
			fmt.Printf("export %s=%s\n", kv[0], kv[1])
		}
		fmt.Printf("# deployment %s (stage QA, region %s, account %s); triggers running, Ctrl-C stops them\n", l.Workload, l.Region, l.Account)
	}
	for {
		select {
		case <-ctx.Done():
			return nil
		case name := <-trig.Started:
			fmt.Fprintln(os.Stderr, "localcloud: started", name)
		case err := <-trig.Errors:
			fmt.Fprintln(os.Stderr, "localcloud: trigger failed:", err)
		}
	}
}
