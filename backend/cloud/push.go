package cloud

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	bolt "go.etcd.io/bbolt"

	"github.com/npcstudio/npcstudio/backend/atomicfile"
	"github.com/npcstudio/npcstudio/backend/fault"
	"github.com/npcstudio/npcstudio/backend/prose"
	"github.com/npcstudio/npcstudio/backend/store"
)

// Kinds of push.
const (
	KindLore    = "lore"
	KindDataset = "dataset"
)

// Upload states.
const (
	StatusUploading = "uploading"
	StatusDone      = "done"
	// StatusAbandoned: the writer gave up an unfinished upload; S3 dropped its parts.
	StatusAbandoned = "abandoned"
)

// Upload is one push: while it runs, what a resume needs (staged file, upload id, finished
// parts); once done, a line of the upload history.
type Upload struct {
	V      int    `json:"v"`
	ID     string `json:"id"`
	Status string `json:"status"`
	Kind   string `json:"kind"`
	// What is what was pushed, in the writer's words.
	What       string `json:"what"`
	Deployment string `json:"deployment"`
	Workload   string `json:"workload"`
	Stage      string `json:"stage,omitempty"`
	Region     string `json:"region"`
	Profile    string `json:"profile,omitempty"`
	Account    string `json:"account"`
	Bucket     string `json:"bucket"`
	Key        string `json:"key"`
	// Trigger says what the upload starts in the cloud.
	Trigger     string `json:"trigger"`
	ContentType string `json:"contentType"`
	Size        int64  `json:"size"`
	// SHA256 is the hex SHA-256 of the whole file: the same content to the same target is
	// recognised by it.
	SHA256 string `json:"sha256"`
	// File is the staged file being sent (kept until the upload is done).
	File     string     `json:"file,omitempty"`
	PartSize int64      `json:"partSize,omitempty"`
	UploadID string     `json:"uploadId,omitempty"`
	Parts    []PartDone `json:"parts,omitempty"`
	// Checksum is S3's SHA-256 checksum of the object (base64; "-N" for N parts).
	Checksum  string `json:"checksum,omitempty"`
	ETag      string `json:"etag,omitempty"`
	VersionID string `json:"versionId,omitempty"`
	// By is the STS ARN that pushed.
	By       string `json:"by"`
	Started  string `json:"started"`
	Finished string `json:"finished,omitempty"`
	// Forced says the writer pushed content already pushed to this target.
	Forced bool `json:"forced,omitempty"`
	// Run names the pipeline run the upload started (a processing job name or a pipeline
	// execution ARN), once a look at the runs has matched it.
	Run string `json:"run,omitempty"`
}

// AlreadyPushedError refuses a push of content already pushed to the same target.
type AlreadyPushedError struct{ Earlier Upload }

func (e *AlreadyPushedError) Error() string {
	return fmt.Sprintf("this exact content was already pushed to s3://%s/%s on %s (upload %s): nothing pushed; push with --force to push it again",
		e.Earlier.Bucket, e.Earlier.Key, e.Earlier.Finished, e.Earlier.ID)
}
func (e *AlreadyPushedError) ErrorCode() string { return "already_pushed" }

// Plan is a push staged and ready: what will be sent where, and what it will start.
type Plan struct {
	Upload Upload `json:"upload"`
	// Earlier is the done upload of the same content to the same target, if any.
	Earlier *Upload `json:"earlier,omitempty"`
	// Replaces says what the push replaces in the cloud (lore: the whole index).
	Replaces string `json:"replaces,omitempty"`
}

// Uploads keeps pushes in the workspace: unfinished ones and the history.
type Uploads struct {
	st      *store.Store
	dataDir string
	now     func() time.Time
}

// NewUploads uses st (opened with Buckets); staged files live under dataDir/cloud/staging.
func NewUploads(st *store.Store) *Uploads {
	return &Uploads{st: st, dataDir: st.Dir(), now: time.Now}
}

func (u *Uploads) stagingDir() string { return filepath.Join(u.dataDir, "cloud", "staging") }

// newUploadID sorts in time order: UTC time and four random hex bytes.
func (u *Uploads) newUploadID() string {
	var b [4]byte
	rand.Read(b[:])
	return u.now().UTC().Format("20060102T150405.000000000Z") + "-" + hex.EncodeToString(b[:])
}

// Request describes a push to stage.
type Request struct {
	Kind        string
	What        string
	Deployment  Deployment
	By          string
	Bucket      string
	Key         string
	Trigger     string
	ContentType string
	Ext         string
	// Replaces says what the push replaces, for the confirmation.
	Replaces string
	// Write writes the payload; or Produce writes it to the file at path (an export).
	Write   func(w io.Writer) error
	Produce func(path string) error
	// KeyFor, if set, makes the key from the payload's hash (fresh keys per content).
	KeyFor func(sha256hex string) string
}

// Stage writes the payload to a staged file (atomically: a full disk leaves nothing) with its
// SHA-256, and finds an earlier push of the same content to the same target.
func (u *Uploads) Stage(ctx context.Context, req Request) (Plan, error) {
	if err := os.MkdirAll(u.stagingDir(), 0o700); err != nil {
		return Plan{}, fmt.Errorf("stage the push: %w", err)
	}
	u.sweep()
	id := u.newUploadID()
	path := filepath.Join(u.stagingDir(), id+req.Ext)
	var sum string
	var size int64
	var err error
	if req.Produce != nil {
		if err = req.Produce(path); err == nil {
			sum, size, err = hashFile(path)
		}
		if err != nil {
			os.Remove(path)
		}
	} else {
		h := sha256.New()
		err = atomicfile.Write(path, 0o600, func(w io.Writer) error {
			cw := &countWriter{w: io.MultiWriter(w, h)}
			if err := req.Write(cw); err != nil {
				return err
			}
			size = cw.n
			return ctx.Err()
		})
		sum = hex.EncodeToString(h.Sum(nil))
	}
	if errors.Is(err, syscall.ENOSPC) {
		return Plan{}, fmt.Errorf("stage the push in %s: the disk is full: free some space and push again (nothing was uploaded): %w", u.stagingDir(), err)
	}
	if err != nil {
		return Plan{}, fmt.Errorf("stage the push in %s: %w (nothing was uploaded)", u.stagingDir(), err)
	}
	key := req.Key
	if req.KeyFor != nil {
		key = req.KeyFor(sum)
	}
	d := req.Deployment
	up := Upload{V: recordVersion, ID: id, Status: StatusUploading, Kind: req.Kind, What: req.What,
		Deployment: d.Name, Workload: d.Workload, Stage: d.Stage, Region: d.Region, Profile: d.Profile, Account: d.Account,
		Bucket: req.Bucket, Key: key, Trigger: req.Trigger, ContentType: req.ContentType, Size: size, SHA256: sum,
		File: path, By: req.By}
	plan := Plan{Upload: up, Replaces: req.Replaces}
	if e, ok, err := u.Earlier(up); err != nil {
		os.Remove(path)
		return Plan{}, err
	} else if ok {
		plan.Earlier = &e
	}
	return plan, nil
}

// staleStaging is how old a staged file no unfinished upload uses must be to be removed: a
// plan the window showed but the writer never confirmed or dismissed.
const staleStaging = 24 * time.Hour

// sweep removes staged files of plans never pushed (no unfinished upload names them), and
// what is left of pushed files whose removal was cut short.
func (u *Uploads) sweep() {
	if left, err := os.ReadDir(u.discardedDir()); err == nil {
		for _, e := range left {
			os.Remove(filepath.Join(u.discardedDir(), e.Name()))
		}
	}
	entries, err := os.ReadDir(u.stagingDir())
	if err != nil {
		return
	}
	pending, err := u.Pending()
	if err != nil {
		return
	}
	used := map[string]bool{}
	for _, p := range pending {
		used[filepath.Base(p.File)] = true
	}
	for _, e := range entries {
		info, err := e.Info()
		if err != nil || used[e.Name()] || u.now().Sub(info.ModTime()) < staleStaging {
			continue
		}
		os.Remove(filepath.Join(u.stagingDir(), e.Name()))
	}
}

func hashFile(path string) (string, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	return hex.EncodeToString(h.Sum(nil)), n, err
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// sameTarget says whether two uploads go to the same place: the same bucket for datasets
// (each push gets a fresh key), the same bucket and key for lore.
func sameTarget(a, b Upload) bool {
	if a.Bucket != b.Bucket || a.Kind != b.Kind {
		return false
	}
	return a.Kind == KindDataset || a.Key == b.Key
}

// Earlier finds the latest done upload of up's content to up's target.
func (u *Uploads) Earlier(up Upload) (Upload, bool, error) {
	var found Upload
	ok := false
	err := u.st.View(func(tx *bolt.Tx) error {
		return store.ForEachJSON(tx, BucketUploads, "", func(_ string, e Upload) error {
			if e.Status == StatusDone && e.SHA256 == up.SHA256 && sameTarget(e, up) {
				found, ok = e, true
			}
			return nil
		})
	})
	return found, ok, err
}

// Discard removes a staged plan that will not be pushed.
func (u *Uploads) Discard(p Plan) { os.Remove(p.Upload.File) }

// Save records an upload's state.
func (u *Uploads) Save(up *Upload) error {
	return u.st.Update(func(tx *bolt.Tx) error { return store.PutJSON(tx, BucketUploads, up.ID, up) })
}

// Get returns one upload.
func (u *Uploads) Get(id string) (Upload, error) {
	var up Upload
	err := u.st.View(func(tx *bolt.Tx) error { return store.GetJSON(tx, BucketUploads, id, &up) })
	if errors.Is(err, store.ErrNotFound) {
		return up, fmt.Errorf("upload %q: %w", id, fault.ErrNotFound)
	}
	return up, err
}

// List returns uploads, newest first.
func (u *Uploads) List() ([]Upload, error) {
	out := []Upload{}
	err := u.st.View(func(tx *bolt.Tx) error {
		return store.ForEachJSON(tx, BucketUploads, "", func(_ string, e Upload) error {
			e.Parts = nil
			out = append(out, e)
			return nil
		})
	})
	sort.Slice(out, func(i, j int) bool { return out[i].ID > out[j].ID })
	return out, err
}

// Pending returns the unfinished uploads, oldest first.
func (u *Uploads) Pending() ([]Upload, error) {
	var out []Upload
	err := u.st.View(func(tx *bolt.Tx) error {
		return store.ForEachJSON(tx, BucketUploads, "", func(_ string, e Upload) error {
			if e.Status == StatusUploading {
				out = append(out, e)
			}
			return nil
		})
	})
	return out, err
}

// Push sends a staged plan (force: even when the content was pushed to that target before).
// The upload is recorded before the first byte is sent, so a killed process leaves it
// resumable.
func (u *Uploads) Push(ctx context.Context, t *Transfer, p Plan, force bool) (Upload, error) {
	if p.Earlier != nil && !force {
		u.Discard(p)
		return Upload{}, &AlreadyPushedError{Earlier: *p.Earlier}
	}
	up := p.Upload
	up.Forced = p.Earlier != nil
	up.Started = u.now().UTC().Format(time.RFC3339)
	if err := u.Save(&up); err != nil {
		u.Discard(p)
		return Upload{}, err
	}
	return u.run(ctx, t, up)
}

// Resume finishes an unfinished upload from its recorded parts.
func (u *Uploads) Resume(ctx context.Context, t *Transfer, id string) (Upload, error) {
	up, err := u.Get(id)
	if err != nil {
		return up, err
	}
	if up.Status != StatusUploading {
		return up, fault.Invalid("id", "upload %s is already done", id)
	}
	// The parts already sent are of the file as it was: make sure it still is.
	if sum, size, err := hashFile(up.File); err != nil || sum != up.SHA256 || size != up.Size {
		return up, fmt.Errorf("resume upload %s: %w (%s): push the content again", id, ErrStagedFileChanged, up.File)
	}
	return u.run(ctx, t, up)
}

// Abandon gives up an unfinished upload: S3 drops the parts it holds (nothing was ever
// triggered), the staged file goes, and the history keeps the line as abandoned.
func (u *Uploads) Abandon(ctx context.Context, c *s3.Client, id string) (Upload, error) {
	up, err := u.Get(id)
	if err != nil {
		return up, err
	}
	if up.Status != StatusUploading {
		return up, fault.Invalid("id", "upload %s is %s, not unfinished", id, up.Status)
	}
	if up.UploadID != "" {
		_, err := c.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{Bucket: aws.String(up.Bucket), Key: aws.String(up.Key), UploadId: aws.String(up.UploadID)})
		if err != nil && !isCode(err, "NoSuchUpload") {
			return up, pushError(err, &up)
		}
	}
	staged := up.File
	up.Status, up.File, up.Parts, up.UploadID = StatusAbandoned, "", nil, ""
	up.Finished = u.now().UTC().Format(time.RFC3339)
	if err := u.Save(&up); err != nil {
		return up, err
	}
	os.Remove(staged)
	return up, nil
}

// SetRuns records, for each run matched to an upload, the run the upload started.
func (u *Uploads) SetRuns(runs []Run) error {
	return u.st.Update(func(tx *bolt.Tx) error {
		for _, r := range runs {
			if r.UploadID == "" {
				continue
			}
			var up Upload
			if err := store.GetJSON(tx, BucketUploads, r.UploadID, &up); err != nil {
				if errors.Is(err, store.ErrNotFound) {
					continue
				}
				return err
			}
			name := r.ARN
			if r.Kind == RunHydration {
				name = r.Name
			}
			if up.Run == name {
				continue
			}
			up.Run = name
			if err := store.PutJSON(tx, BucketUploads, up.ID, up); err != nil {
				return err
			}
		}
		return nil
	})
}

func (u *Uploads) run(ctx context.Context, t *Transfer, up Upload) (Upload, error) {
	tr := *t
	tr.Save = u.Save
	err := tr.Run(ctx, &up)
	if errors.Is(err, ErrUploadGone) && up.UploadID != "" {
		// The server dropped the unfinished upload: send it all again under a new id.
		up.UploadID, up.Parts = "", nil
		err = tr.Run(ctx, &up)
	}
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return up, fmt.Errorf("push to s3://%s/%s stopped: nothing was triggered; npcstudio push --resume finishes it: %w", up.Bucket, up.Key, err)
		}
		return up, err
	}
	up.Status = StatusDone
	up.Finished = u.now().UTC().Format(time.RFC3339)
	staged := up.File
	up.File, up.Parts = "", nil
	if err := u.Save(&up); err != nil {
		return up, fmt.Errorf("the push reached s3://%s/%s but the history was not saved: %w", up.Bucket, up.Key, err)
	}
	u.discardLater(staged)
	return up, nil
}

// discarding counts staged files being removed in the background (WaitDiscarded).
var discarding sync.WaitGroup

// discardLater takes a pushed file out of the staging folder at once (a rename into
// cloud/discarded) and removes it in the background: the file system takes a while to
// free a large file (0.1–0.3 s for 1 GB here), which a push need not wait for. A removal
// the process's end cut short is finished by the next Stage (sweep).
func (u *Uploads) discardLater(path string) {
	dir := u.discardedDir()
	dst := filepath.Join(dir, filepath.Base(path))
	if err := os.MkdirAll(dir, 0o700); err != nil || os.Rename(path, dst) != nil {
		os.Remove(path)
		return
	}
	discarding.Add(1)
	go func() {
		defer discarding.Done()
		os.Remove(dst)
	}()
}

// WaitDiscarded waits until the staged files of finished pushes are removed; a command
// that ends its process after a push calls it last.
func WaitDiscarded() { discarding.Wait() }

func (u *Uploads) discardedDir() string { return filepath.Join(u.dataDir, "cloud", "discarded") }

// ASCIIKey turns a name into an ASCII-safe piece of an S3 key: accents dropped, lower case,
// letters and digits, words joined by '-'. It never ends in "_<digits>", which the hydration
// job would read as a page number.
func ASCIIKey(name string) string { return prose.Slug(name, 60) }
