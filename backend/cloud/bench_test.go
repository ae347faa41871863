package cloud

// BenchmarkPush pushes a generated file to the test S3 server (MinIO on loopback) through the
// studio's push path (Uploads.Stage, then Uploads.Push with a Transfer at its default part
// size and concurrency) and, in the same iteration, uploads the same file with the AWS SDK's
// own upload manager (feature/s3/manager) run bare: its own client at the SDK's defaults
// (path-style for the local server), the same part size and concurrency, asked for the same
// SHA-256 part checksums. The two take turns going first. It reports each one's MB/s and MB
// per CPU-second of this process, the ratios studio ÷ SDK of MB/s (over all iterations, and
// the median of each iteration's) and of CPU-seconds, and
// the peak heap in use (sampled every 10 ms) and peak resident memory (VmHWM, reset before
// each upload) during each upload. Sizes in MB are NPCSTUDIO_BENCH_PUSH_MB (default 64,256);
// with no S3 server in the environment it is skipped.
//
//	bash .ci/services.sh env  # export what it prints
//	go test ./backend/cloud -run '^$' -bench Push -benchtime 4x
//	NPCSTUDIO_BENCH_PUSH_MB=1024 go test ./backend/cloud -run '^$' -bench Push -benchtime 2x

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/s3/manager"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/npcstudio/npcstudio/backend/dataset"
	"github.com/npcstudio/npcstudio/backend/lore"
	"github.com/npcstudio/npcstudio/backend/store"
	"github.com/npcstudio/npcstudio/backend/testenv"
)

func BenchmarkPush(b *testing.B) {
	url := os.Getenv("NPCSTUDIO_TEST_S3_URL")
	if url == "" {
		b.Skip("no S3 server: run `bash .ci/services.sh env` and export what it prints")
	}
	b.Setenv("AWS_ENDPOINT_URL_S3", url)
	b.Setenv("AWS_ACCESS_KEY_ID", os.Getenv("NPCSTUDIO_TEST_S3_ACCESS_KEY"))
	b.Setenv("AWS_SECRET_ACCESS_KEY", os.Getenv("NPCSTUDIO_TEST_S3_SECRET_KEY"))
	b.Setenv("AWS_CONFIG_FILE", filepath.Join(b.TempDir(), "none"))
	b.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(b.TempDir(), "none"))
	ctx := context.Background()
	d := Deployment{Region: "us-east-1"}
	clients, err := NewClients(ctx, d, ClientOptions{})
	if err != nil {
		b.Fatal(err)
	}
	c := clients.S3
	// The SDK side gets a client as a user would make one for this server: the SDK's
	// defaults, path-style for a local endpoint.
	bare := s3.NewFromConfig(clients.Config, func(o *s3.Options) { o.UsePathStyle = true })
	bucket := fmt.Sprintf("npcstudio-bench-%d", time.Now().UnixNano())
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(bucket)}); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { emptyBucket(c, bucket) })

	sizes := os.Getenv("NPCSTUDIO_BENCH_PUSH_MB")
	if sizes == "" {
		sizes = "64,256"
	}
	for _, s := range strings.Split(sizes, ",") {
		mb, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || mb <= 0 {
			b.Fatalf("NPCSTUDIO_BENCH_PUSH_MB: %q is not a size in MB", s)
		}
		b.Run(fmt.Sprintf("%dMB", mb), func(b *testing.B) { benchPush(b, c, bare, d, bucket, int64(mb)<<20) })
	}
}

func benchPush(b *testing.B, c, bare *s3.Client, d Deployment, bucket string, size int64) {
	ctx := context.Background()
	dir := b.TempDir()
	src := filepath.Join(dir, "payload.bin")
	writeNoise(b, src, size)
	var bk []string
	bk = append(append(append(bk, Buckets...), dataset.Buckets...), lore.Buckets...)
	st, err := store.Open(filepath.Join(dir, "ws"), store.Options{Buckets: bk})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	ups := NewUploads(st)
	sdk := manager.NewUploader(bare, func(u *manager.Uploader) {
		u.PartSize, u.Concurrency = DefaultPartSize, DefaultConcurrency
	})

	var studioTime, sdkTime, studioCPU, sdkCPU time.Duration
	// pairs are the ratios studio ÷ SDK of MB/s of each iteration: the two ran minutes apart
	// at most, so a swing of the machine's load moves both.
	var pairs []float64
	var studioHeap, studioRSS, sdkHeap, sdkRSS uint64
	// The SDK's upload manager, bare, from the same file.
	runSDK := func(i int) {
		f, err := os.Open(src)
		if err != nil {
			b.Fatal(err)
		}
		defer f.Close()
		m := testenv.StartMemPeak()
		start, cpu0 := time.Now(), testenv.CPUTime()
		_, err = sdk.Upload(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(fmt.Sprintf("sdk/%d", i)),
			Body: f, ChecksumAlgorithm: s3types.ChecksumAlgorithmSha256})
		sdkTime += time.Since(start)
		sdkCPU += testenv.CPUTime() - cpu0
		h, r := m.Stop()
		sdkHeap, sdkRSS = max(sdkHeap, h), max(sdkRSS, r)
		if err != nil {
			b.Fatal(err)
		}
	}
	// The studio: staged (a copy and its hash, not timed), then pushed.
	runStudio := func(i int) {
		b.StopTimer()
		plan, err := ups.Stage(ctx, Request{Kind: KindLore, What: "bench payload", Deployment: d, By: "bench",
			Bucket: bucket, Key: fmt.Sprintf("studio/%d", i), ContentType: "application/octet-stream", Ext: ".bin",
			Produce: func(path string) error { return copyFile(src, path) }})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		m := testenv.StartMemPeak()
		start, cpu0 := time.Now(), testenv.CPUTime()
		up, err := ups.Push(ctx, &Transfer{S3: c}, plan, true)
		studioTime += time.Since(start)
		studioCPU += testenv.CPUTime() - cpu0
		h, r := m.Stop()
		studioHeap, studioRSS = max(studioHeap, h), max(studioRSS, r)
		// The staged copy is removed in the background once the push is done (nobody waits
		// for it); it is let finish here, untimed, so the SDK's next run does not pay for it.
		WaitDiscarded()
		if err != nil {
			b.Fatal(err)
		}
		if up.Status != StatusDone || up.Checksum == "" {
			b.Fatalf("upload %+v", up)
		}
	}
	b.SetBytes(size)
	b.ResetTimer()
	for i := range b.N {
		// Interleaved, each going first every other time, so neither always meets the
		// other's leftovers (dirty pages, MinIO's background work).
		st0, sd0 := studioTime, sdkTime
		if i%2 == 0 {
			runSDK(i)
			runStudio(i)
		} else {
			runStudio(i)
			runSDK(i)
		}
		pairs = append(pairs, (sdkTime-sd0).Seconds()/(studioTime-st0).Seconds())
		b.StopTimer()
		for _, k := range []string{fmt.Sprintf("sdk/%d", i), fmt.Sprintf("studio/%d", i)} {
			c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(bucket), Key: aws.String(k)})
		}
		b.StartTimer()
	}
	mbps := func(d time.Duration) float64 { return float64(size) * float64(b.N) / 1e6 / d.Seconds() }
	b.ReportMetric(mbps(studioTime), "studio-MB/s")
	b.ReportMetric(mbps(sdkTime), "sdk-MB/s")
	b.ReportMetric(mbps(studioTime)/mbps(sdkTime), "studio/sdk")
	slices.Sort(pairs)
	b.ReportMetric((pairs[(len(pairs)-1)/2]+pairs[len(pairs)/2])/2, "studio/sdk-median")
	// This process's CPU (MinIO's is its own): it holds on a loaded machine where MB/s does not.
	b.ReportMetric(mbps(studioCPU), "studio-MB/cpu-s")
	b.ReportMetric(mbps(sdkCPU), "sdk-MB/cpu-s")
	b.ReportMetric(studioCPU.Seconds()/sdkCPU.Seconds(), "studio/sdk-cpu")
	b.ReportMetric(float64(studioHeap)/(1<<20), "studio-heap-MB")
	b.ReportMetric(float64(studioRSS)/(1<<20), "studio-VmHWM-MB")
	b.ReportMetric(float64(sdkHeap)/(1<<20), "sdk-heap-MB")
	b.ReportMetric(float64(sdkRSS)/(1<<20), "sdk-VmHWM-MB")
}

// writeNoise writes size bytes of seeded noise (incompressible) to path.
func writeNoise(b *testing.B, path string, size int64) {
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	r := rand.New(rand.NewPCG(1, uint64(size)))
	var buf [8]byte
	for n := int64(0); n < size; n += 8 {
		v := r.Uint64()
		for j := range buf {
			buf[j] = byte(v >> (8 * j))
		}
		w.Write(buf[:min(8, size-n)])
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
}

// emptyBucket removes a bench bucket and what it holds.
func emptyBucket(c *s3.Client, bucket string) {
	ctx := context.Background()
	p := s3.NewListObjectsV2Paginator(c, &s3.ListObjectsV2Input{Bucket: aws.String(bucket)})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			break
		}
		for _, o := range out.Contents {
			c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(bucket), Key: o.Key})
		}
	}
	c.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String(bucket)})
}
