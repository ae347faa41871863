package cloud

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go/middleware"
)

// Part sizes and concurrency of an upload. S3 takes parts of 5 MiB to 5 GiB (the last may be
// smaller) and at most 10,000 of them.
const (
	MinPartSize        = 5 << 20
	DefaultPartSize    = 16 << 20
	DefaultConcurrency = 4
	maxParts           = 10000
)

// MetaSHA256 is the object metadata key holding the SHA-256 (hex) of the whole object, so an
// object can be recognised by its content whatever its part layout.
const MetaSHA256 = "npcstudio-sha256"

// PartDone is a part S3 has acknowledged; kept in the workspace so a resumed upload skips it.
type PartDone struct {
	N int32 `json:"n"`
	// ETag and ChecksumSHA256 (base64) are what CompleteMultipartUpload needs back.
	ETag           string `json:"etag"`
	ChecksumSHA256 string `json:"checksumSha256"`
}

// Transfer uploads one staged file to S3: one PUT for a file of up to PartSize, else a
// multipart upload with Concurrency parts in flight. Every part carries its SHA-256, which
// S3 checks before it accepts the part, and the completed object's composite checksum is
// checked against the parts'.
//
// The SDK's upload managers (feature/s3/manager, feature/s3/transfermanager) cannot continue
// an upload id another process started, nor say which parts are done before they finish:
// the multipart calls are driven here so every finished part is recorded (through Save) and
// a killed push resumes where it stopped.
type Transfer struct {
	S3          *s3.Client
	PartSize    int64
	Concurrency int
	// Save records the upload's state; it is called after the upload id is made and once
	// for every batch of parts S3 has acknowledged (one at a time, never for a part S3 has
	// not), and must be durable when it returns.
	Save func(*Upload) error
	// OnProgress is called with the bytes acknowledged and saved so far and the total, one
	// call at a time, in increasing order.
	OnProgress func(done, total int64)
	// OnPartSaved is called after part n has been saved (tests stop a process here).
	OnPartSaved func(n int32)
	// onAcked is called once S3 has acknowledged part n and it is queued to be saved.
	onAcked func(n int32)
}

func (t *Transfer) partSize(size int64) int64 {
	ps := t.PartSize
	if ps <= 0 {
		ps = DefaultPartSize
	}
	if ps < MinPartSize {
		ps = MinPartSize
	}
	// Keep within S3's 10,000 parts.
	for (size+ps-1)/ps > maxParts {
		ps *= 2
	}
	return ps
}

// ErrStagedFileChanged is returned when the file an unfinished upload was sending is gone or
// no longer what was pushed.
var ErrStagedFileChanged = errors.New("the staged file of this upload is missing or changed")

// Run sends up.File to up.Bucket/up.Key, continuing up.UploadID when it is set. It fills in
// the object's version, ETag and checksum. Cancelling ctx stops it; the parts done so far stay
// recorded and a later Run finishes the upload.
func (t *Transfer) Run(ctx context.Context, up *Upload) error {
	f, err := os.Open(up.File)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrStagedFileChanged, err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return err
	}
	if info.Size() != up.Size {
		return fmt.Errorf("%w: %s is %d bytes, the push was %d", ErrStagedFileChanged, up.File, info.Size(), up.Size)
	}
	if up.PartSize == 0 {
		up.PartSize = t.partSize(up.Size)
	}
	if up.Size <= up.PartSize {
		return t.put(ctx, f, up)
	}
	return t.multipart(ctx, f, up)
}

func (t *Transfer) progress(done, total int64) {
	if t.OnProgress != nil {
		t.OnProgress(done, total)
	}
}

func (t *Transfer) put(ctx context.Context, f *os.File, up *Upload) error {
	sum, err := hex.DecodeString(up.SHA256)
	if err != nil {
		return fmt.Errorf("upload %s: bad content hash %q", up.ID, up.SHA256)
	}
	out, err := t.S3.PutObject(ctx, &s3.PutObjectInput{
		Bucket: aws.String(up.Bucket), Key: aws.String(up.Key), Body: io.NewSectionReader(f, 0, up.Size),
		ContentLength: aws.Int64(up.Size), ContentType: aws.String(up.ContentType),
		ChecksumAlgorithm: s3types.ChecksumAlgorithmSha256, ChecksumSHA256: aws.String(base64.StdEncoding.EncodeToString(sum)),
		Metadata: map[string]string{MetaSHA256: up.SHA256},
	}, withPayloadSHA256(sum))
	if err != nil {
		return pushError(err, up)
	}
	up.ETag, up.VersionID, up.Checksum = aws.ToString(out.ETag), aws.ToString(out.VersionId), aws.ToString(out.ChecksumSHA256)
	if up.Checksum != "" && up.Checksum != base64.StdEncoding.EncodeToString(sum) {
		return fmt.Errorf("upload %s: S3 stored checksum %s, the file's is %s", up.ID, up.Checksum, base64.StdEncoding.EncodeToString(sum))
	}
	t.progress(up.Size, up.Size)
	return nil
}

func (t *Transfer) start(ctx context.Context, up *Upload) error {
	out, err := t.S3.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{
		Bucket: aws.String(up.Bucket), Key: aws.String(up.Key), ContentType: aws.String(up.ContentType),
		ChecksumAlgorithm: s3types.ChecksumAlgorithmSha256,
		Metadata:          map[string]string{MetaSHA256: up.SHA256},
	})
	if err != nil {
		return pushError(err, up)
	}
	up.UploadID, up.Parts = aws.ToString(out.UploadId), nil
	return t.Save(up)
}

func (t *Transfer) multipart(ctx context.Context, f *os.File, up *Upload) error {
	resumed := up.UploadID != ""
	if up.UploadID == "" {
		if err := t.start(ctx, up); err != nil {
			return err
		}
	}
	nParts := int32((up.Size + up.PartSize - 1) / up.PartSize)
	done := map[int32]bool{}
	for _, p := range up.Parts {
		done[p.N] = true
	}
	if resumed {
		// A resumed upload: S3 may hold parts it acknowledged after the last save (the
		// process stopped before recording them). Those whose checksum is this file's part
		// are kept, not sent again.
		if err := t.adoptParts(ctx, f, up, done); err != nil {
			return err
		}
	}
	var sent int64
	for _, p := range up.Parts {
		sent += partLen(up, p.N)
	}
	t.progress(sent, up.Size)

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var mu sync.Mutex
	var firstErr error
	fail := func(err error) {
		mu.Lock()
		if firstErr == nil {
			firstErr = err
		}
		mu.Unlock()
		cancel()
	}
	workers := t.Concurrency
	if workers <= 0 {
		workers = DefaultConcurrency
	}
	// Each worker has at most one part waiting to be recorded, so handing it over never
	// blocks.
	rec := &recorder{t: t, up: up, sent: sent, in: make(chan ackedPart, workers), fail: fail}
	// A worker sends its next part while the previous one is being saved, and waits for
	// that save only before handing the next over: at any moment a worker has at most one
	// part acknowledged but not yet recorded, which a resume finds in S3 (adoptParts), and
	// one in flight.
	recorded := make(chan struct{})
	go func() {
		defer close(recorded)
		rec.run()
	}()

	todo := make(chan int32)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// saved closes once this worker's previous part is recorded.
			var saved chan struct{}
			for n := range todo {
				if ctx.Err() != nil {
					continue
				}
				sum, err := t.hashPart(f, up, n)
				if err != nil {
					fail(err)
					continue
				}
				if ctx.Err() != nil {
					continue
				}
				p, err := t.sendPart(ctx, f, up, n, sum)
				if saved != nil {
					<-saved
				}
				if err != nil {
					fail(err)
					continue
				}
				saved = make(chan struct{})
				rec.in <- ackedPart{p: p, saved: saved}
				if t.onAcked != nil {
					t.onAcked(n)
				}
			}
			if saved != nil {
				<-saved
			}
		}()
	}
feed:
	for n := int32(1); n <= nParts; n++ {
		if done[n] {
			continue
		}
		select {
		case todo <- n:
		case <-ctx.Done():
			break feed
		}
	}
	close(todo)
	wg.Wait()
	close(rec.in)
	<-recorded
	if firstErr != nil {
		if ctx.Err() != nil && errors.Is(firstErr, context.Canceled) {
			return ctx.Err()
		}
		return firstErr
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return t.complete(ctx, up, nParts)
}

// adoptParts adds to up.Parts (and done) the parts S3 holds for the upload that were not
// recorded, when S3's checksum of the part is the SHA-256 of the file's bytes for it; any
// other part is sent again.
func (t *Transfer) adoptParts(ctx context.Context, f *os.File, up *Upload, done map[int32]bool) error {
	in := &s3.ListPartsInput{Bucket: aws.String(up.Bucket), Key: aws.String(up.Key), UploadId: aws.String(up.UploadID)}
	adopted := false
	for pages := s3.NewListPartsPaginator(t.S3, in); pages.HasMorePages(); {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return pushError(err, up)
		}
		for _, p := range page.Parts {
			n := aws.ToInt32(p.PartNumber)
			if done[n] || aws.ToString(p.ChecksumSHA256) == "" || aws.ToInt64(p.Size) != partLen(up, n) {
				continue
			}
			sum, err := t.hashPart(f, up, n)
			if err != nil {
				return err
			}
			if b64 := base64.StdEncoding.EncodeToString(sum); b64 == aws.ToString(p.ChecksumSHA256) {
				up.Parts = append(up.Parts, PartDone{N: n, ETag: aws.ToString(p.ETag), ChecksumSHA256: b64})
				done[n] = true
				adopted = true
			}
		}
	}
	if !adopted {
		return nil
	}
	return t.Save(up)
}

// ackedPart is a part S3 has acknowledged, on its way to the upload's saved state; saved
// closes once it is recorded (or recording failed).
type ackedPart struct {
	p     PartDone
	saved chan struct{}
}

// recorder saves acknowledged parts into the upload's state, one save for all the parts
// that arrived while the previous save was being made durable, so the workers never wait
// on each other's saves.
type recorder struct {
	t    *Transfer
	up   *Upload
	sent int64
	in   chan ackedPart
	fail func(error)
	err  error
}

func (r *recorder) run() {
	for a := range r.in {
		batch := []ackedPart{a}
	more:
		for {
			select {
			case b, ok := <-r.in:
				if !ok {
					break more
				}
				batch = append(batch, b)
			default:
				break more
			}
		}
		r.record(batch)
	}
}

func (r *recorder) record(batch []ackedPart) {
	defer func() {
		for _, a := range batch {
			close(a.saved)
		}
	}()
	if r.err != nil {
		return
	}
	for _, a := range batch {
		r.up.Parts = append(r.up.Parts, a.p)
	}
	if err := r.t.Save(r.up); err != nil {
		// The parts stay in memory only; a resume sends them again.
		r.err = fmt.Errorf("record part %d of upload %s: %w", batch[0].p.N, r.up.ID, err)
		r.fail(r.err)
		return
	}
	for _, a := range batch {
		r.sent += partLen(r.up, a.p.N)
		r.t.progress(r.sent, r.up.Size)
	}
	if r.t.OnPartSaved != nil {
		for _, a := range batch {
			r.t.OnPartSaved(a.p.N)
		}
	}
}

// partLen is the length of part n (the last may be short).
func partLen(up *Upload, n int32) int64 {
	off := int64(n-1) * up.PartSize
	return min(up.PartSize, up.Size-off)
}

// readBufs are the buffers parts are read through to hash them.
var readBufs = sync.Pool{New: func() any { b := make([]byte, 256<<10); return &b }}

// hashPart reads part n once and returns its SHA-256.
func (t *Transfer) hashPart(f *os.File, up *Upload, n int32) ([]byte, error) {
	off, size := int64(n-1)*up.PartSize, partLen(up, n)
	buf := readBufs.Get().(*[]byte)
	defer readBufs.Put(buf)
	h := sha256.New()
	if _, err := io.CopyBuffer(h, io.NewSectionReader(f, off, size), *buf); err != nil {
		return nil, fmt.Errorf("read part %d of %s: %w", n, up.File, err)
	}
	return h.Sum(nil), nil
}

// sendPart sends part n with its SHA-256 (sum). S3 checks the bytes against it twice: as the
// part's checksum and as the signed payload hash.
func (t *Transfer) sendPart(ctx context.Context, f *os.File, up *Upload, n int32, sum []byte) (PartDone, error) {
	off, size := int64(n-1)*up.PartSize, partLen(up, n)
	b64sum := base64.StdEncoding.EncodeToString(sum)
	out, err := t.S3.UploadPart(ctx, &s3.UploadPartInput{
		Bucket: aws.String(up.Bucket), Key: aws.String(up.Key), UploadId: aws.String(up.UploadID),
		PartNumber: aws.Int32(n), Body: io.NewSectionReader(f, off, size), ContentLength: aws.Int64(size),
		ChecksumAlgorithm: s3types.ChecksumAlgorithmSha256, ChecksumSHA256: aws.String(b64sum),
	}, withPayloadSHA256(sum))
	if err != nil {
		return PartDone{}, pushError(err, up)
	}
	if got := aws.ToString(out.ChecksumSHA256); got != "" && got != b64sum {
		return PartDone{}, fmt.Errorf("part %d of upload %s: S3 stored checksum %s, the part's is %s", n, up.ID, got, b64sum)
	}
	return PartDone{N: n, ETag: aws.ToString(out.ETag), ChecksumSHA256: b64sum}, nil
}

// withPayloadSHA256 hands the SigV4 signer the body's SHA-256, already computed here, so the
// SDK does not read and hash the body a second time to sign it (it does so for every
// request over plain HTTP, as to a local server). Over HTTPS it makes the payload signed
// instead of UNSIGNED-PAYLOAD, at no cost.
func withPayloadSHA256(sum []byte) func(*s3.Options) {
	hexSum := hex.EncodeToString(sum)
	return s3.WithAPIOptions(func(stack *middleware.Stack) error {
		return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("NPCStudioPayloadSHA256",
			func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
				return next.HandleInitialize(v4.SetPayloadHash(ctx, hexSum), in)
			}), middleware.After)
	})
}

// CompositeChecksum is the checksum S3 gives a multipart object: the SHA-256 of the parts'
// SHA-256 digests in order, base64, then "-" and the number of parts.
func CompositeChecksum(parts []PartDone) (string, error) {
	h := sha256.New()
	for _, p := range parts {
		d, err := base64.StdEncoding.DecodeString(p.ChecksumSHA256)
		if err != nil {
			return "", err
		}
		h.Write(d)
	}
	return base64.StdEncoding.EncodeToString(h.Sum(nil)) + "-" + strconv.Itoa(len(parts)), nil
}

func (t *Transfer) complete(ctx context.Context, up *Upload, nParts int32) error {
	sort.Slice(up.Parts, func(i, j int) bool { return up.Parts[i].N < up.Parts[j].N })
	if int32(len(up.Parts)) != nParts {
		return fmt.Errorf("upload %s: %d of %d parts recorded", up.ID, len(up.Parts), nParts)
	}
	cp := make([]s3types.CompletedPart, len(up.Parts))
	for i, p := range up.Parts {
		cp[i] = s3types.CompletedPart{PartNumber: aws.Int32(p.N), ETag: aws.String(p.ETag), ChecksumSHA256: aws.String(p.ChecksumSHA256)}
	}
	out, err := t.S3.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{
		Bucket: aws.String(up.Bucket), Key: aws.String(up.Key), UploadId: aws.String(up.UploadID),
		MultipartUpload: &s3types.CompletedMultipartUpload{Parts: cp},
	})
	if err != nil {
		return pushError(err, up)
	}
	want, err := CompositeChecksum(up.Parts)
	if err != nil {
		return err
	}
	up.ETag, up.VersionID, up.Checksum = aws.ToString(out.ETag), aws.ToString(out.VersionId), aws.ToString(out.ChecksumSHA256)
	if up.Checksum != "" && up.Checksum != want {
		return fmt.Errorf("upload %s: S3 stored checksum %s, the parts give %s", up.ID, up.Checksum, want)
	}
	if up.Checksum == "" {
		up.Checksum = want
	}
	return nil
}

// ErrUploadGone is returned when S3 no longer knows an unfinished upload's id (aborted, or
// cleaned up by a lifecycle rule).
var ErrUploadGone = errors.New("S3 no longer has this unfinished upload")

// pushError says what to do about an S3 error during a push.
func pushError(err error, up *Upload) error {
	switch {
	case errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
		return err
	case isCode(err, "NoSuchUpload"):
		return fmt.Errorf("push to s3://%s/%s: %w: push again to start over", up.Bucket, up.Key, ErrUploadGone)
	case isCode(err, "NoSuchBucket"):
		return fmt.Errorf("push to s3://%s/%s: the bucket does not exist: run npcstudio cloud status to see what the deployment has", up.Bucket, up.Key)
	}
	return fmt.Errorf("push to s3://%s/%s: %s", up.Bucket, up.Key, explainAPI(err, "upload"))
}
