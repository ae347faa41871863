package cloud

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/npcstudio/npcstudio/backend/cloud/cloudtest"
	"github.com/npcstudio/npcstudio/backend/store"
)

// payload is n bytes of seeded noise (incompressible, the same for a seed).
func payload(seed uint64, n int) []byte {
	r := rand.New(rand.NewPCG(seed, seed))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// rawRequest is a push of fixed bytes to bucket/key as the writer's deployment.
func rawRequest(ld *localDeployment, bucket, key string, data []byte) Request {
	d := ld.Deployment
	d.Account = ld.Account
	return Request{Kind: KindLore, What: "test payload", Deployment: d, By: "arn:aws:iam::" + ld.Account + ":user/test",
		Bucket: bucket, Key: key, ContentType: "text/plain; charset=utf-8", Ext: ".txt",
		Write: func(w io.Writer) error { _, err := w.Write(data); return err }}
}

// objectChecksum asks S3 for the object's stored SHA-256 checksum.
func objectChecksum(t *testing.T, c *s3.Client, bucket, key string) (checksum, version string) {
	t.Helper()
	out, err := c.HeadObject(context.Background(), &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String(key),
		ChecksumMode: s3types.ChecksumModeEnabled})
	if err != nil {
		t.Fatal(err)
	}
	if out.Metadata[MetaSHA256] == "" {
		t.Errorf("object has no %s metadata: %v", MetaSHA256, out.Metadata)
	}
	return aws.ToString(out.ChecksumSHA256), aws.ToString(out.VersionId)
}

func TestMultipartPushCarriesChecksumsS3Verifies(t *testing.T) {
	ld := newLocalDeployment(t)
	ups := NewUploads(openStore(t))
	data := payload(1, 3*MinPartSize+12345)
	plan, err := ups.Stage(context.Background(), rawRequest(ld, ld.Lore, "lore/big.txt", data))
	if err != nil {
		t.Fatal(err)
	}
	var progress []int64
	tr := &Transfer{S3: ld.Clients.S3, PartSize: MinPartSize, Concurrency: 3,
		OnProgress: func(done, _ int64) { progress = append(progress, done) }}
	up, err := ups.Push(context.Background(), tr, plan, false)
	if err != nil {
		t.Fatal(err)
	}
	if got := cloudtest.Get(t, ld.Clients.S3, ld.Lore, "lore/big.txt"); !bytes.Equal(got, data) {
		t.Fatalf("object differs from the pushed bytes (%d vs %d bytes)", len(got), len(data))
	}
	checksum, version := objectChecksum(t, ld.Clients.S3, ld.Lore, "lore/big.txt")
	if !strings.HasSuffix(checksum, "-4") || checksum != up.Checksum {
		t.Errorf("S3 checksum %q, upload recorded %q: want the composite of 4 parts", checksum, up.Checksum)
	}
	if version == "" || version != up.VersionID {
		t.Errorf("version %q, recorded %q", version, up.VersionID)
	}
	if up.SHA256 != sha(data) || up.Status != StatusDone || up.By == "" || up.Finished == "" {
		t.Errorf("history line %+v", up)
	}
	if _, err := os.Stat(plan.Upload.File); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("staged file left behind: %v", err)
	}
	if len(progress) == 0 || progress[len(progress)-1] != int64(len(data)) {
		t.Errorf("progress %v does not end at %d", progress, len(data))
	}
}

func TestSmallPushIsOnePutWithChecksum(t *testing.T) {
	ld := newLocalDeployment(t)
	ups := NewUploads(openStore(t))
	data := []byte("The Ember Court meets at dusk.\n")
	plan, err := ups.Stage(context.Background(), rawRequest(ld, ld.Lore, "lore/small.txt", data))
	if err != nil {
		t.Fatal(err)
	}
	up, err := ups.Push(context.Background(), &Transfer{S3: ld.Clients.S3}, plan, false)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	checksum, _ := objectChecksum(t, ld.Clients.S3, ld.Lore, "lore/small.txt")
	if want := b64(sum[:]); checksum != want || up.Checksum != want {
		t.Errorf("checksum S3 %q recorded %q, want %q", checksum, up.Checksum, want)
	}
}

func TestSamePushTwiceIsRefusedUnlessForced(t *testing.T) {
	ld := newLocalDeployment(t)
	ups := NewUploads(openStore(t))
	tr := &Transfer{S3: ld.Clients.S3}
	push := func(data []byte, force bool) (Upload, error) {
		plan, err := ups.Stage(context.Background(), rawRequest(ld, ld.Lore, "lore/ashfall.txt", data))
		if err != nil {
			t.Fatal(err)
		}
		return ups.Push(context.Background(), tr, plan, force)
	}
	first, err := push([]byte("version one"), false)
	if err != nil {
		t.Fatal(err)
	}
	_, err = push([]byte("version one"), false)
	var ap *AlreadyPushedError
	if !errors.As(err, &ap) || ap.Earlier.ID != first.ID {
		t.Fatalf("second push of the same content: %v, want AlreadyPushedError naming %s", err, first.ID)
	}
	if vs := versions(t, ld.Clients.S3, ld.Lore, "lore/ashfall.txt"); vs != 1 {
		t.Fatalf("%d versions after a refused push, want 1", vs)
	}
	// Other content to the same key goes; the same content again with force goes too.
	if _, err := push([]byte("version two"), false); err != nil {
		t.Fatal(err)
	}
	forced, err := push([]byte("version one"), true)
	if err != nil || !forced.Forced {
		t.Fatalf("forced push: %+v %v", forced, err)
	}
	if vs := versions(t, ld.Clients.S3, ld.Lore, "lore/ashfall.txt"); vs != 3 {
		t.Fatalf("%d versions, want 3", vs)
	}
	if staged, _ := os.ReadDir(ups.stagingDir()); len(staged) != 0 {
		t.Errorf("staging folder keeps %d files", len(staged))
	}
	hist, _ := ups.List()
	if len(hist) != 3 {
		t.Errorf("history has %d lines, want 3", len(hist))
	}
}

func versions(t *testing.T, c *s3.Client, bucket, key string) int {
	t.Helper()
	out, err := c.ListObjectVersions(context.Background(), &s3.ListObjectVersionsInput{Bucket: aws.String(bucket), Prefix: aws.String(key)})
	if err != nil {
		t.Fatal(err)
	}
	return len(out.Versions)
}

func TestCancelledPushLeavesNothingAndResumes(t *testing.T) {
	ld := newLocalDeployment(t)
	ups := NewUploads(openStore(t))
	data := payload(2, 4*MinPartSize)
	cancelAfterPart(t, ld, ups, "lore/cancelled.txt", data, 2)
	if ks := cloudtest.Keys(t, ld.Clients.S3, ld.Lore); len(ks) != 0 {
		t.Fatalf("a cancelled push left objects %v (it would trigger hydration)", ks)
	}
	pending, _ := ups.Pending()
	if len(pending) != 1 || len(pending[0].Parts) != 2 {
		t.Fatalf("pending %+v, want one upload with 2 parts", pending)
	}
	log := &partLog{base: http.DefaultClient}
	c2, err := NewClients(context.Background(), ld.Deployment, ClientOptions{HTTPClient: log})
	if err != nil {
		t.Fatal(err)
	}
	up, err := ups.Resume(context.Background(), &Transfer{S3: c2.S3, Concurrency: 2}, pending[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if sent := log.sent(); !slices.Equal(sorted(sent), []int{3, 4}) {
		t.Errorf("resume sent parts %v, want only 3 and 4", sent)
	}
	if got := cloudtest.Get(t, ld.Clients.S3, ld.Lore, "lore/cancelled.txt"); sha(got) != sha(data) || up.SHA256 != sha(data) {
		t.Fatal("resumed object differs from the file")
	}
}

// cancelAfterPart stages data for key in the lore bucket and pushes it in parts of
// MinPartSize, one at a time, cancelling once part n is saved.
func cancelAfterPart(t *testing.T, ld *localDeployment, ups *Uploads, key string, data []byte, n int32) {
	t.Helper()
	plan, err := ups.Stage(context.Background(), rawRequest(ld, ld.Lore, key, data))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	tr := &Transfer{S3: ld.Clients.S3, PartSize: MinPartSize, Concurrency: 1, OnPartSaved: func(saved int32) {
		if saved == n {
			cancel()
		}
	}}
	if _, err := ups.Push(ctx, tr, plan, false); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled push: %v", err)
	}
}

func sorted(s []int) []int { slices.Sort(s); return s }

// The kill test runs the push in a child process (this test binary, re-executed), kills it
// after some parts are recorded, then resumes in this process.
const childEnv = "NPCSTUDIO_CLOUD_KILL_CHILD"

func TestKillMidMultipartThenResume(t *testing.T) {
	if os.Getenv(childEnv) != "" {
		killChild(t)
		return
	}
	ld := newLocalDeployment(t)
	dir := t.TempDir()
	const parts, killAfter = 8, 3
	cmd := exec.Command(os.Args[0], "-test.run=^TestKillMidMultipartThenResume$", "-test.count=1")
	cmd.Env = append(os.Environ(), childEnv+"="+dir, "CHILD_BUCKET="+ld.Lore, "CHILD_WORKLOAD="+ld.Deployment.Workload,
		fmt.Sprintf("CHILD_PARTS=%d", parts), fmt.Sprintf("CHILD_KILL_AFTER=%d", killAfter))
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	ready := false
	for sc.Scan() {
		if sc.Text() == "KILL ME" {
			ready = true
			break
		}
	}
	cmd.Process.Kill()
	cmd.Wait()
	if !ready {
		t.Fatal("the child ended before it reached the kill point")
	}

	st, err := store.Open(dir, store.Options{Buckets: Buckets})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ups := NewUploads(st)
	pending, err := ups.Pending()
	if err != nil || len(pending) != 1 {
		t.Fatalf("pending after the kill: %+v %v", pending, err)
	}
	killed := pending[0]
	if len(killed.Parts) < killAfter || killed.UploadID == "" {
		t.Fatalf("recorded %d parts (upload id %q), want at least %d", len(killed.Parts), killed.UploadID, killAfter)
	}
	if ks := cloudtest.Keys(t, ld.Clients.S3, ld.Lore); len(ks) != 0 {
		t.Fatalf("the killed push left objects %v", ks)
	}
	// The parts S3 holds at the kill: those recorded, and those it acknowledged after the
	// last save (at most one a worker). A part in flight at the kill is not among them.
	held := map[int]bool{}
	lp, err := ld.Clients.S3.ListParts(context.Background(), &s3.ListPartsInput{Bucket: aws.String(ld.Lore), Key: aws.String("lore/killed.txt"), UploadId: aws.String(killed.UploadID)})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range lp.Parts {
		held[int(aws.ToInt32(p.PartNumber))] = true
	}
	for _, p := range killed.Parts {
		if !held[int(p.N)] {
			t.Fatalf("part %d was recorded but S3 does not hold it", p.N)
		}
	}
	log := &partLog{base: http.DefaultClient}
	c2, err := NewClients(context.Background(), ld.Deployment, ClientOptions{HTTPClient: log})
	if err != nil {
		t.Fatal(err)
	}
	up, err := ups.Resume(context.Background(), &Transfer{S3: c2.S3, Concurrency: 3}, killed.ID)
	if err != nil {
		t.Fatal(err)
	}
	// No part S3 held at the kill is sent again, recorded or not; every other part is sent
	// once.
	sent := log.sent()
	for _, n := range sent {
		if held[n] {
			t.Errorf("part %d was in S3 before the resume and sent again (resume sent %v, S3 held %v)", n, sent, held)
		}
	}
	if len(sent) != parts-len(held) {
		t.Errorf("resume sent %d parts %v, want the %d S3 did not hold", len(sent), sent, parts-len(held))
	}
	got := cloudtest.Get(t, ld.Clients.S3, ld.Lore, "lore/killed.txt")
	if sha(got) != killed.SHA256 || int64(len(got)) != killed.Size {
		t.Fatalf("object sha %s (%d bytes), the push was %s (%d bytes)", sha(got), len(got), killed.SHA256, killed.Size)
	}
	checksum, _ := objectChecksum(t, ld.Clients.S3, ld.Lore, "lore/killed.txt")
	if checksum != up.Checksum || !strings.HasSuffix(checksum, fmt.Sprintf("-%d", parts)) {
		t.Errorf("S3 checksum %q, recorded %q", checksum, up.Checksum)
	}
}

// killChild pushes and stops for good (until killed) once killAfter parts are recorded.
func killChild(t *testing.T) {
	dir := os.Getenv(childEnv)
	var parts, killAfter int
	fmt.Sscan(os.Getenv("CHILD_PARTS"), &parts)
	fmt.Sscan(os.Getenv("CHILD_KILL_AFTER"), &killAfter)
	st, err := store.Open(dir, store.Options{Buckets: Buckets})
	if err != nil {
		t.Fatal(err)
	}
	d := Deployment{Workload: os.Getenv("CHILD_WORKLOAD"), Stage: "QA", Region: "us-east-1"}
	if err := d.Normalize(); err != nil {
		t.Fatal(err)
	}
	c, err := NewClients(context.Background(), d, ClientOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ups := NewUploads(st)
	ld := &localDeployment{Deployment: d, Account: "000000000000"}
	plan, err := ups.Stage(context.Background(), rawRequest(ld, os.Getenv("CHILD_BUCKET"), "lore/killed.txt", payload(3, parts*MinPartSize-777)))
	if err != nil {
		t.Fatal(err)
	}
	var saved atomic.Int32
	var once sync.Once
	tr := &Transfer{S3: c.S3, PartSize: MinPartSize, Concurrency: 2, OnPartSaved: func(int32) {
		if saved.Add(1) >= int32(killAfter) {
			once.Do(func() { fmt.Println("KILL ME") })
			select {} // the parent kills this process here
		}
	}}
	ups.Push(context.Background(), tr, plan, false)
	t.Fatal("the push finished before the kill point")
}

// A staged file changed after some parts were sent is not resumed into a mixed object.
func TestResumeRefusesAChangedStagedFile(t *testing.T) {
	ld := newLocalDeployment(t)
	ups := NewUploads(openStore(t))
	plan, err := ups.Stage(context.Background(), rawRequest(ld, ld.Lore, "lore/changed.txt", payload(6, 3*MinPartSize)))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	tr := &Transfer{S3: ld.Clients.S3, PartSize: MinPartSize, Concurrency: 1, OnPartSaved: func(int32) { cancel() }}
	if _, err := ups.Push(ctx, tr, plan, false); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled push: %v", err)
	}
	f, err := os.OpenFile(plan.Upload.File, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteAt([]byte("changed"), int64(2*MinPartSize)+10)
	f.Close()
	if _, err := ups.Resume(context.Background(), &Transfer{S3: ld.Clients.S3}, plan.Upload.ID); !errors.Is(err, ErrStagedFileChanged) {
		t.Fatalf("resume of a changed file: %v, want ErrStagedFileChanged", err)
	}
	if ks := cloudtest.Keys(t, ld.Clients.S3, ld.Lore); len(ks) != 0 {
		t.Fatalf("objects %v", ks)
	}
}

// An abandoned push leaves no parts in S3, no staged file, and a history line that says so.
func TestAbandonDropsTheParts(t *testing.T) {
	ld := newLocalDeployment(t)
	ups := NewUploads(openStore(t))
	plan, err := ups.Stage(context.Background(), rawRequest(ld, ld.Lore, "lore/abandoned.txt", payload(7, 3*MinPartSize)))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	tr := &Transfer{S3: ld.Clients.S3, PartSize: MinPartSize, Concurrency: 1, OnPartSaved: func(int32) { cancel() }}
	if _, err := ups.Push(ctx, tr, plan, false); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled push: %v", err)
	}
	inFlight := func() int {
		out, err := ld.Clients.S3.ListMultipartUploads(context.Background(), &s3.ListMultipartUploadsInput{Bucket: aws.String(ld.Lore)})
		if err != nil {
			t.Fatal(err)
		}
		return len(out.Uploads)
	}
	if n := inFlight(); n != 1 {
		t.Fatalf("%d unfinished uploads in S3 after the cancel, want 1", n)
	}
	up, err := ups.Abandon(context.Background(), ld.Clients.S3, plan.Upload.ID)
	if err != nil {
		t.Fatal(err)
	}
	if n := inFlight(); n != 0 || up.Status != StatusAbandoned {
		t.Fatalf("after abandon: %d unfinished uploads in S3, status %s", n, up.Status)
	}
	if _, err := os.Stat(plan.Upload.File); !os.IsNotExist(err) {
		t.Errorf("staged file kept: %v", err)
	}
	if p, _ := ups.Pending(); len(p) != 0 {
		t.Errorf("still pending: %+v", p)
	}
	if _, err := ups.Resume(context.Background(), &Transfer{S3: ld.Clients.S3}, up.ID); err == nil {
		t.Error("an abandoned upload was resumed")
	}
}

// Staged files of plans never pushed go after a day; those of unfinished uploads stay.
func TestStagingSweepKeepsUnfinishedUploads(t *testing.T) {
	ld := newLocalDeployment(t)
	ups := NewUploads(openStore(t))
	never, err := ups.Stage(context.Background(), rawRequest(ld, ld.Lore, "lore/never.txt", []byte("never pushed")))
	if err != nil {
		t.Fatal(err)
	}
	unfinished, err := ups.Stage(context.Background(), rawRequest(ld, ld.Lore, "lore/unfinished.txt", payload(8, 2*MinPartSize+1)))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	tr := &Transfer{S3: ld.Clients.S3, PartSize: MinPartSize, Concurrency: 1, OnPartSaved: func(int32) { cancel() }}
	if _, err := ups.Push(ctx, tr, unfinished, false); !errors.Is(err, context.Canceled) {
		t.Fatal(err)
	}
	later := time.Now().Add(staleStaging + time.Hour)
	ups.now = func() time.Time { return later }
	if _, err := ups.Stage(context.Background(), rawRequest(ld, ld.Lore, "lore/next.txt", []byte("next"))); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(never.Upload.File); !os.IsNotExist(err) {
		t.Errorf("a plan never pushed kept its staged file: %v", err)
	}
	if _, err := os.Stat(unfinished.Upload.File); err != nil {
		t.Errorf("an unfinished upload lost its staged file: %v", err)
	}
}

// Parts acknowledged while the state is being saved are recorded together in the next save:
// a slow disk does not cost one save per part, and no part is recorded before S3 has it.
func TestPartsAckedDuringASaveShareTheNextSave(t *testing.T) {
	ld := newLocalDeployment(t)
	const parts = 3
	data := payload(10, parts*MinPartSize)
	file := filepath.Join(t.TempDir(), "staged.txt")
	if err := os.WriteFile(file, data, 0o600); err != nil {
		t.Fatal(err)
	}
	up := &Upload{ID: "u1", Bucket: ld.Lore, Key: "lore/batched.txt", ContentType: "text/plain", Size: int64(len(data)),
		SHA256: sha(data), File: file}
	allAcked := make(chan struct{})
	var acked atomic.Int32
	var saves [][]int32
	tr := &Transfer{S3: ld.Clients.S3, PartSize: MinPartSize, Concurrency: parts,
		onAcked: func(int32) {
			if acked.Add(1) == parts {
				close(allAcked)
			}
		},
		Save: func(u *Upload) error {
			var ns []int32
			for _, p := range u.Parts {
				ns = append(ns, p.N)
			}
			if len(ns) > 0 && len(saves) > 0 && len(saves[len(saves)-1]) == 0 {
				// The first save of a part waits until every part is acknowledged.
				select {
				case <-allAcked:
				case <-time.After(time.Minute):
					t.Error("the other parts were not acknowledged while a save was under way")
				}
			}
			saves = append(saves, ns)
			return nil
		}}
	if err := tr.Run(context.Background(), up); err != nil {
		t.Fatal(err)
	}
	// The first save is the new upload id, with no parts.
	if len(saves) < 2 || len(saves) > parts {
		t.Fatalf("saves %v: want the upload id, then the %d parts in fewer than %d saves", saves, parts, parts)
	}
	if last := saves[len(saves)-1]; len(last) != parts {
		t.Fatalf("the last save recorded parts %v, want all %d", last, parts)
	}
	if got := cloudtest.Get(t, ld.Clients.S3, ld.Lore, "lore/batched.txt"); sha(got) != sha(data) {
		t.Fatal("the object differs from the file")
	}
}

// headerLog is an HTTP client that records the checksum headers of every PUT (PutObject and
// UploadPart) by part number (0 for a single PUT).
type headerLog struct {
	mu      sync.Mutex
	content map[int]string // X-Amz-Content-Sha256: the signed payload hash
	sum     map[int]string // X-Amz-Checksum-Sha256: the checksum S3 stores
}

func (h *headerLog) Do(r *http.Request) (*http.Response, error) {
	if r.Method == http.MethodPut {
		var n int
		fmt.Sscan(r.URL.Query().Get("partNumber"), &n)
		h.mu.Lock()
		h.content[n], h.sum[n] = r.Header.Get("X-Amz-Content-Sha256"), r.Header.Get("X-Amz-Checksum-Sha256")
		h.mu.Unlock()
	}
	return http.DefaultClient.Do(r)
}

// Every part is sent with its SHA-256 both as the checksum S3 stores and as the signed payload
// hash, and S3 accepts them: both are of the bytes sent.
func TestPartsAreSignedWithTheirOwnSHA256(t *testing.T) {
	ld := newLocalDeployment(t)
	log := &headerLog{content: map[int]string{}, sum: map[int]string{}}
	c, err := NewClients(context.Background(), ld.Deployment, ClientOptions{HTTPClient: log})
	if err != nil {
		t.Fatal(err)
	}
	ups := NewUploads(openStore(t))
	for _, data := range [][]byte{payload(11, 2*MinPartSize+99), []byte("Ashfall lies east of the Ember Court.\n")} {
		plan, err := ups.Stage(context.Background(), rawRequest(ld, ld.Lore, fmt.Sprintf("lore/signed-%d.txt", len(data)), data))
		if err != nil {
			t.Fatal(err)
		}
		clear(log.content)
		clear(log.sum)
		if _, err := ups.Push(context.Background(), &Transfer{S3: c.S3, PartSize: MinPartSize, Concurrency: 2}, plan, false); err != nil {
			t.Fatal(err)
		}
		want := map[int][]byte{0: data}
		if len(data) > MinPartSize {
			want = map[int][]byte{}
			for n := 0; n*MinPartSize < len(data); n++ {
				want[n+1] = data[n*MinPartSize : min((n+1)*MinPartSize, len(data))]
			}
		}
		if len(log.content) != len(want) {
			t.Fatalf("%d PUTs, want %d", len(log.content), len(want))
		}
		for n, part := range want {
			s := sha256.Sum256(part)
			if log.content[n] != hex.EncodeToString(s[:]) || log.sum[n] != b64(s[:]) {
				t.Errorf("part %d sent with payload hash %q and checksum %q, want its SHA-256 %x", n, log.content[n], log.sum[n], s)
			}
		}
	}
}

// TestResumeAdoptsPartsS3HoldsButWereNotRecorded: a part S3 acknowledged after the last
// save (the process stopped before recording it) is found in S3 on resume, checked against
// the file's bytes, and not sent again; a part S3 holds with other bytes is sent again.
func TestResumeAdoptsPartsS3HoldsButWereNotRecorded(t *testing.T) {
	ld := newLocalDeployment(t)
	ups := NewUploads(openStore(t))
	data := payload(3, 5*MinPartSize)
	const key = "lore/adopted.txt"
	cancelAfterPart(t, ld, ups, key, data, 2)
	pending, _ := ups.Pending()
	if len(pending) != 1 || len(pending[0].Parts) != 2 {
		t.Fatalf("pending %+v, want one upload with 2 parts", pending)
	}
	up := pending[0]
	// Part 3 reaches S3 with the file's bytes but is never recorded; part 4 reaches S3 with
	// other bytes.
	sendRaw := func(n int32, body []byte) {
		sum := sha256.Sum256(body)
		if _, err := ld.Clients.S3.UploadPart(context.Background(), &s3.UploadPartInput{
			Bucket: aws.String(ld.Lore), Key: aws.String(key), UploadId: aws.String(up.UploadID), PartNumber: aws.Int32(n),
			Body: bytes.NewReader(body), ChecksumAlgorithm: s3types.ChecksumAlgorithmSha256,
			ChecksumSHA256: aws.String(base64.StdEncoding.EncodeToString(sum[:])),
		}); err != nil {
			t.Fatal(err)
		}
	}
	sendRaw(3, data[2*MinPartSize:3*MinPartSize])
	other := bytes.Repeat([]byte("x"), MinPartSize)
	sendRaw(4, other)

	log := &partLog{base: http.DefaultClient}
	c2, err := NewClients(context.Background(), ld.Deployment, ClientOptions{HTTPClient: log})
	if err != nil {
		t.Fatal(err)
	}
	done, err := ups.Resume(context.Background(), &Transfer{S3: c2.S3, PartSize: MinPartSize, Concurrency: 2}, up.ID)
	if err != nil {
		t.Fatal(err)
	}
	if sent := log.sent(); !slices.Equal(sorted(sent), []int{4, 5}) {
		t.Errorf("resume sent parts %v, want 4 (other bytes in S3) and 5 (never sent)", sent)
	}
	if got := cloudtest.Get(t, ld.Clients.S3, ld.Lore, key); sha(got) != sha(data) || done.SHA256 != sha(data) {
		t.Fatal("the resumed object differs from the file")
	}
}

// TestPushedFileIsRemovedWithoutWaiting: a finished push takes its staged file out of the
// staging folder at once and removes it in the background; what a stopped process left in
// the discarded folder goes at the next Stage.
func TestPushedFileIsRemovedWithoutWaiting(t *testing.T) {
	ld := newLocalDeployment(t)
	ups := NewUploads(openStore(t))
	data := payload(4, 3*MinPartSize)
	plan, err := ups.Stage(context.Background(), rawRequest(ld, ld.Lore, "lore/removed.txt", data))
	if err != nil {
		t.Fatal(err)
	}
	staged := plan.Upload.File
	if _, err := ups.Push(context.Background(), &Transfer{S3: ld.Clients.S3, PartSize: MinPartSize}, plan, false); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(staged); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the staged file is still in the staging folder after the push: %v", err)
	}
	WaitDiscarded()
	if left, _ := os.ReadDir(ups.discardedDir()); len(left) != 0 {
		t.Fatalf("%d files left after the background removal", len(left))
	}
	// A removal cut short by the process's end: the next Stage finishes it.
	if err := os.WriteFile(filepath.Join(ups.discardedDir(), "left-over"), data[:10], 0o600); err != nil {
		t.Fatal(err)
	}
	plan, err = ups.Stage(context.Background(), rawRequest(ld, ld.Lore, "lore/next.txt", data[:100]))
	if err != nil {
		t.Fatal(err)
	}
	ups.Discard(plan)
	if left, _ := os.ReadDir(ups.discardedDir()); len(left) != 0 {
		t.Fatalf("the next stage left %d discarded files", len(left))
	}
}
