package dataset

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"github.com/npcstudio/npcstudio/backend/prose"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/npcstudio/npcstudio/backend/store"
	bolt "go.etcd.io/bbolt"
)

// Buckets owned by this package; see doc.go for their keys.
const (
	BucketDatasets  = "datasets"
	BucketVersions  = "dataset_versions"
	BucketManifests = "dataset_manifests"
	BucketRecords   = "dataset_records"
)

// Buckets are passed to store.Open so a workspace has every bucket datasets need.
var Buckets = []string{BucketDatasets, BucketVersions, BucketManifests, BucketRecords}

// schemaVersion is the "v" of every value this package writes.
const schemaVersion = 1

// Domain errors. A missing dataset, version or record wraps store.ErrNotFound. Each carries
// the code the window and the command line show it under (see fault.Shape).
var (
	ErrVersionConflict error = &codedError{"conflict", "the dataset changed since this version; reload and try again"}
	ErrNameTaken       error = &codedError{"exists", "a dataset with this name already exists"}
	ErrLossy           error = &codedError{"lossy", "converting to the target format would lose content"}
	ErrTooManyRecords  error = &codedError{"too_many_records", "too many records for a workspace dataset"}
)

// codedError is a sentinel that knows its error code.
type codedError struct{ code, msg string }

func (e *codedError) Error() string     { return e.msg }
func (e *codedError) ErrorCode() string { return e.code }

// MaxDatasetRecords bounds a workspace dataset (Bedrock takes at most 20,000 records for any
// text model); bigger files are validated as files with ValidateFile, which streams.
const MaxDatasetRecords = 100_000

// Dataset is a named, versioned set of records with a target base model and format.
type Dataset struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	BaseModel string `json:"baseModel"`
	Format    Format `json:"format"`
	// Head is the latest version; 0 until the first records are added.
	Head      int    `json:"head"`
	Records   int    `json:"records"`
	CreatedAt string `json:"createdAt"`
	UpdatedAt string `json:"updatedAt"`
}

// Version is one immutable state of a dataset's records.
type Version struct {
	DatasetID string `json:"datasetId"`
	Number    int    `json:"number"`
	Parent    int    `json:"parent"`
	Message   string `json:"message"`
	Records   int    `json:"records"`
	CreatedAt string `json:"createdAt"`
}

// RecordView is a record as the grid shows it.
type RecordView struct {
	ID string `json:"id"`
	// Line is the record's 1-based position in its version: its line in an exported file.
	Line   int      `json:"line"`
	Record Record   `json:"record"`
	Tags   []string `json:"tags"`
	Source string   `json:"source"`
	// Tokens is the estimate at 6 characters a token.
	Tokens int `json:"tokens"`
}

type datasetDoc struct {
	V          int    `json:"v"`
	ID         string `json:"id"`
	Name       string `json:"name"`
	BaseModel  string `json:"baseModel"`
	Format     Format `json:"format"`
	Head       int    `json:"head"`
	Records    int    `json:"records"`
	NextRecord int64  `json:"nextRecord"`
	CreatedAt  string `json:"createdAt"`
	UpdatedAt  string `json:"updatedAt"`
}

type versionDoc struct {
	V         int    `json:"v"`
	Number    int    `json:"number"`
	Parent    int    `json:"parent"`
	Message   string `json:"message"`
	Records   int    `json:"records"`
	CreatedAt string `json:"createdAt"`
}

// entry is one line of a version: a record id and the hash of its content blob.
type entry struct {
	ID   string `json:"id"`
	Hash string `json:"h"`
}

type manifestDoc struct {
	V       int     `json:"v"`
	Entries []entry `json:"records"`
}

// recordDoc is an immutable record blob, stored under its content hash.
type recordDoc struct {
	V      int      `json:"v"`
	Record Record   `json:"record"`
	Tags   []string `json:"tags,omitempty"`
	Source string   `json:"source,omitempty"`
}

// Repository keeps datasets in the workspace store.
type Repository struct {
	st        *store.Store
	now       func() time.Time
	cache     blobCache
	manifests manifestCache
}

// NewRepository returns a Repository over st, which must have been opened with Buckets.
func NewRepository(st *store.Store) *Repository {
	return &Repository{st: st, now: time.Now}
}

// blobCache keeps decoded record blobs. Blobs never change (their key is their content hash),
// so a cached blob is never stale; the cache only saves decoding when a grid pages or filters.
type blobCache struct {
	mu sync.Mutex
	m  map[string]recordDoc
}

// blobCacheSize holds the largest dataset Bedrock takes (20,000 records) in full.
const blobCacheSize = 20_000

func (c *blobCache) get(key string) (recordDoc, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	d, ok := c.m[key]
	return d, ok
}

func (c *blobCache) put(key string, d recordDoc) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= blobCacheSize {
		c.m = make(map[string]recordDoc, 1024)
	}
	c.m[key] = d
}

// manifestCache keeps the last few decoded manifests: a grid pages through one version, and a
// version never changes once written. Callers must not modify the returned entries.
type manifestCache struct {
	mu   sync.Mutex
	keys []string // oldest first
	m    map[string][]entry
}

const manifestCacheSize = 8

func (c *manifestCache) get(key string) ([]entry, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[key]
	return e, ok
}

func (c *manifestCache) put(key string, e []entry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string][]entry{}
	}
	if _, ok := c.m[key]; ok {
		return
	}
	if len(c.keys) == manifestCacheSize {
		delete(c.m, c.keys[0])
		c.keys = c.keys[1:]
	}
	c.keys = append(c.keys, key)
	c.m[key] = e
}

func (r *Repository) timestamp() string { return r.now().UTC().Format(time.RFC3339) }

func newDatasetID() string {
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return "ds-" + hex.EncodeToString(b[:])
}

func versionKey(id string, n int) string { return fmt.Sprintf("%s/%010d", id, n) }

func (d datasetDoc) dto() Dataset {
	return Dataset{ID: d.ID, Name: d.Name, BaseModel: d.BaseModel, Format: d.Format, Head: d.Head,
		Records: d.Records, CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt}
}

func (v versionDoc) dto(id string) Version {
	return Version{DatasetID: id, Number: v.Number, Parent: v.Parent, Message: v.Message, Records: v.Records, CreatedAt: v.CreatedAt}
}

func getDataset(tx *bolt.Tx, id string) (datasetDoc, error) {
	var d datasetDoc
	if err := store.GetJSON(tx, BucketDatasets, id, &d); err != nil {
		return d, fmt.Errorf("dataset %s: %w", id, err)
	}
	return d, nil
}

// resolve turns a requested version (0: the latest) into a version number of d.
func resolve(d datasetDoc, version int) (int, error) {
	if version == 0 {
		return d.Head, nil
	}
	if version < 0 || version > d.Head {
		return 0, fmt.Errorf("dataset %s version %d: %w", d.ID, version, store.ErrNotFound)
	}
	return version, nil
}

func (r *Repository) loadEntries(tx *bolt.Tx, id string, version int) ([]entry, error) {
	if version == 0 {
		return nil, nil
	}
	key := versionKey(id, version)
	if e, ok := r.manifests.get(key); ok {
		return e, nil
	}
	var m manifestDoc
	if err := store.GetJSON(tx, BucketManifests, key, &m); err != nil {
		return nil, fmt.Errorf("dataset %s version %d: %w", id, version, err)
	}
	r.manifests.put(key, m.Entries)
	return m.Entries, nil
}

func (r *Repository) loadRecord(tx *bolt.Tx, id string, e entry) (recordDoc, error) {
	key := id + "/" + e.Hash
	if d, ok := r.cache.get(key); ok {
		return d, nil
	}
	var d recordDoc
	if err := store.GetJSON(tx, BucketRecords, key, &d); err != nil {
		return d, fmt.Errorf("record %s of dataset %s: %w", e.ID, id, err)
	}
	r.cache.put(key, d)
	return d, nil
}

func view(id string, line int, d recordDoc) RecordView {
	in, out := recordTokens(CharEstimator{}, d.Record)
	// Copies, so a caller editing the view cannot change a cached blob.
	tags := append([]string{}, d.Tags...)
	rec := d.Record
	rec.Messages = append([]Message{}, rec.Messages...)
	return RecordView{ID: id, Line: line, Record: rec, Tags: tags, Source: d.Source, Tokens: in + out}
}

// CreateDatasetRequest creates an empty dataset.
type CreateDatasetRequest struct {
	Name string `json:"name"`
	// BaseModel is a Bedrock base model id; "" leaves it open (format checks only).
	BaseModel string `json:"baseModel"`
	// Format is the record format; "" picks the base model's (claude-messages with no model).
	Format Format `json:"format"`
}

func checkTarget(baseModel string, format Format) (string, Format, error) {
	f := format
	if f != "" {
		var err error
		if f, err = ParseFormat(string(format)); err != nil {
			return "", "", &Problem{Field: "format", Message: err.Error()}
		}
	}
	if baseModel == "" {
		if f == "" || f == FormatAuto {
			f = FormatClaudeMessages
		}
		return "", f, nil
	}
	m, err := LookupBaseModel(baseModel)
	if err != nil {
		return "", "", &Problem{Field: "baseModel", Message: err.Error()}
	}
	if f == "" || f == FormatAuto {
		f = m.Formats[0]
	}
	if !m.Allows(f) {
		return "", "", &Problem{Field: "format", Message: fmt.Sprintf("%s does not read %s records; it reads %s", m.Name, f, m.Formats[0])}
	}
	return m.ID, f, nil
}

func checkName(tx *bolt.Tx, name, self string) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return "", &Problem{Field: "name", Message: "a dataset needs a name"}
	}
	if len(name) > 200 {
		return "", &Problem{Field: "name", Message: "a dataset name is at most 200 characters"}
	}
	err := store.ForEachJSON(tx, BucketDatasets, "", func(_ string, d datasetDoc) error {
		if d.ID != self && strings.EqualFold(d.Name, name) {
			return fmt.Errorf("%q: %w", name, ErrNameTaken)
		}
		return nil
	})
	return name, err
}

// CreateDataset creates an empty dataset (version 0, no records).
func (r *Repository) CreateDataset(ctx context.Context, req CreateDatasetRequest) (Dataset, error) {
	if err := ctx.Err(); err != nil {
		return Dataset{}, err
	}
	model, format, err := checkTarget(req.BaseModel, req.Format)
	if err != nil {
		return Dataset{}, fmt.Errorf("create dataset: %w", err)
	}
	var d datasetDoc
	err = r.st.Update(func(tx *bolt.Tx) error {
		name, err := checkName(tx, req.Name, "")
		if err != nil {
			return err
		}
		now := r.timestamp()
		d = datasetDoc{V: schemaVersion, ID: newDatasetID(), Name: name, BaseModel: model, Format: format,
			NextRecord: 1, CreatedAt: now, UpdatedAt: now}
		return store.PutJSON(tx, BucketDatasets, d.ID, d)
	})
	if err != nil {
		return Dataset{}, fmt.Errorf("create dataset: %w", err)
	}
	return d.dto(), nil
}

// UpdateDatasetRequest renames a dataset or changes its target. Empty fields stay as they are.
// Changing the target does not change records: they are converted when exported.
type UpdateDatasetRequest struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	BaseModel string `json:"baseModel"`
	Format    Format `json:"format"`
}

// UpdateDataset applies req.
func (r *Repository) UpdateDataset(ctx context.Context, req UpdateDatasetRequest) (Dataset, error) {
	if err := ctx.Err(); err != nil {
		return Dataset{}, err
	}
	var d datasetDoc
	err := r.st.Update(func(tx *bolt.Tx) error {
		var err error
		if d, err = getDataset(tx, req.ID); err != nil {
			return err
		}
		if req.Name != "" {
			if d.Name, err = checkName(tx, req.Name, d.ID); err != nil {
				return err
			}
		}
		model, format := d.BaseModel, d.Format
		if req.BaseModel != "" {
			model = req.BaseModel
			if req.Format == "" {
				format = "" // the new model's own format, unless the current one is allowed
				if m, err := LookupBaseModel(model); err == nil && m.Allows(d.Format) {
					format = d.Format
				}
			}
		}
		if req.Format != "" {
			format = req.Format
		}
		if d.BaseModel, d.Format, err = checkTarget(model, format); err != nil {
			return err
		}
		d.UpdatedAt = r.timestamp()
		return store.PutJSON(tx, BucketDatasets, d.ID, d)
	})
	if err != nil {
		return Dataset{}, fmt.Errorf("update dataset %s: %w", req.ID, err)
	}
	return d.dto(), nil
}

// GetDataset returns one dataset.
func (r *Repository) GetDataset(ctx context.Context, id string) (Dataset, error) {
	if err := ctx.Err(); err != nil {
		return Dataset{}, err
	}
	var d datasetDoc
	err := r.st.View(func(tx *bolt.Tx) error {
		var err error
		d, err = getDataset(tx, id)
		return err
	})
	return d.dto(), err
}

// ListDatasets returns every dataset, by name.
func (r *Repository) ListDatasets(ctx context.Context) ([]Dataset, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := []Dataset{}
	err := r.st.View(func(tx *bolt.Tx) error {
		return store.ForEachJSON(tx, BucketDatasets, "", func(_ string, d datasetDoc) error {
			out = append(out, d.dto())
			return nil
		})
	})
	slices.SortFunc(out, func(a, b Dataset) int { return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)) })
	return out, err
}

// DeleteDataset removes a dataset with all its versions and records.
func (r *Repository) DeleteDataset(ctx context.Context, id string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	err := r.st.Update(func(tx *bolt.Tx) error {
		if _, err := getDataset(tx, id); err != nil {
			return err
		}
		for _, b := range []string{BucketVersions, BucketManifests, BucketRecords} {
			if err := deletePrefix(tx.Bucket([]byte(b)), id+"/"); err != nil {
				return err
			}
		}
		return store.Delete(tx, BucketDatasets, id)
	})
	if err != nil {
		return fmt.Errorf("delete dataset %s: %w", id, err)
	}
	return nil
}

func deletePrefix(b *bolt.Bucket, prefix string) error {
	c := b.Cursor()
	p := []byte(prefix)
	for k, _ := c.Seek(p); k != nil && strings.HasPrefix(string(k), prefix); k, _ = c.Seek(p) {
		if err := c.Delete(); err != nil {
			return err
		}
	}
	return nil
}

// ListVersions returns a dataset's versions, newest first.
func (r *Repository) ListVersions(ctx context.Context, datasetID string) ([]Version, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := []Version{}
	err := r.st.View(func(tx *bolt.Tx) error {
		if _, err := getDataset(tx, datasetID); err != nil {
			return err
		}
		return store.ForEachJSON(tx, BucketVersions, datasetID+"/", func(_ string, v versionDoc) error {
			out = append(out, v.dto(datasetID))
			return nil
		})
	})
	slices.Reverse(out)
	return out, err
}

// changeSet is the working state of one change: the records of the latest version, which the
// change edits in place, and the blobs it writes. Only changed records get new blobs.
type changeSet struct {
	repo    *Repository
	tx      *bolt.Tx
	ds      *datasetDoc
	entries []entry
}

func (c *changeSet) record(e entry) (recordDoc, error) { return c.repo.loadRecord(c.tx, c.ds.ID, e) }

// put stores a record blob (if new) and returns its hash.
func (c *changeSet) put(d recordDoc) (string, error) {
	d.V = schemaVersion
	if d.Record.Messages == nil {
		d.Record.Messages = []Message{}
	}
	raw, err := json.Marshal(d)
	if err != nil {
		return "", fmt.Errorf("encode record: %w", err)
	}
	sum := sha256.Sum256(raw)
	h := hex.EncodeToString(sum[:16])
	b := c.tx.Bucket([]byte(BucketRecords))
	key := []byte(c.ds.ID + "/" + h)
	if b.Get(key) == nil {
		if err := b.Put(key, raw); err != nil {
			return "", err
		}
	}
	return h, nil
}

func (c *changeSet) newID() string {
	id := "r" + strconv.FormatInt(c.ds.NextRecord, 10)
	c.ds.NextRecord++
	return id
}

// change runs fn on the latest records of a dataset in one write transaction and commits the
// entries it leaves as a new version with the message it returns. base, when not 0, must be the
// latest version (ErrVersionConflict otherwise). If the entries are unchanged no version is made
// and the latest is returned.
func (r *Repository) change(ctx context.Context, datasetID string, base int, fn func(c *changeSet) (string, error)) (Version, error) {
	if err := ctx.Err(); err != nil {
		return Version{}, err
	}
	var out Version
	err := r.st.Update(func(tx *bolt.Tx) error {
		ds, err := getDataset(tx, datasetID)
		if err != nil {
			return err
		}
		if base != 0 && base != ds.Head {
			return fmt.Errorf("%w (editing version %d, latest is %d)", ErrVersionConflict, base, ds.Head)
		}
		before, err := r.loadEntries(tx, ds.ID, ds.Head)
		if err != nil {
			return err
		}
		c := &changeSet{repo: r, tx: tx, ds: &ds, entries: slices.Clone(before)}
		msg, err := fn(c)
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if slices.Equal(before, c.entries) {
			var v versionDoc
			if ds.Head > 0 {
				if err := store.GetJSON(tx, BucketVersions, versionKey(ds.ID, ds.Head), &v); err != nil {
					return err
				}
			}
			out = v.dto(ds.ID)
			return nil
		}
		if len(c.entries) > MaxDatasetRecords {
			return fmt.Errorf("%w: %s records, at most %s", ErrTooManyRecords, count(int64(len(c.entries))), count(MaxDatasetRecords))
		}
		now := r.timestamp()
		v := versionDoc{V: schemaVersion, Number: ds.Head + 1, Parent: ds.Head, Message: msg, Records: len(c.entries), CreatedAt: now}
		if err := store.PutJSON(tx, BucketManifests, versionKey(ds.ID, v.Number), manifestDoc{V: schemaVersion, Entries: nonNilEntries(c.entries)}); err != nil {
			return err
		}
		if err := store.PutJSON(tx, BucketVersions, versionKey(ds.ID, v.Number), v); err != nil {
			return err
		}
		ds.Head, ds.Records, ds.UpdatedAt = v.Number, v.Records, now
		if err := store.PutJSON(tx, BucketDatasets, ds.ID, ds); err != nil {
			return err
		}
		out = v.dto(ds.ID)
		return nil
	})
	return out, err
}

func nonNilEntries(e []entry) []entry {
	if e == nil {
		return []entry{}
	}
	return e
}

// readVersion loads a dataset and the entries of a version (0: the latest) in tx.
// The entries are shared with the cache: read them, do not change them.
func (r *Repository) readVersion(tx *bolt.Tx, datasetID string, version int) (datasetDoc, int, []entry, error) {
	ds, err := getDataset(tx, datasetID)
	if err != nil {
		return ds, 0, nil, err
	}
	n, err := resolve(ds, version)
	if err != nil {
		return ds, 0, nil, err
	}
	entries, err := r.loadEntries(tx, ds.ID, n)
	return ds, n, entries, err
}

// PageRequest asks for one page of a version's records, optionally filtered.
type PageRequest struct {
	DatasetID string `json:"datasetId"`
	// Version 0 is the latest.
	Version int `json:"version"`
	Offset  int `json:"offset"`
	// Limit is the page size: 0 means 100, at most 1,000.
	Limit int `json:"limit"`
	// Tag keeps records with this tag.
	Tag string `json:"tag"`
	// Text keeps records whose system prompt, turns or tags contain it, ignoring case.
	Text string `json:"text"`
	// Line, when not 0, returns the page holding the first matching record at or after this
	// line instead of Offset (jump to line).
	Line int `json:"line"`
}

// Page is one page of records.
type Page struct {
	Version int `json:"version"`
	// Total is how many records match the filter (all records without one).
	Total   int          `json:"total"`
	Offset  int          `json:"offset"`
	Records []RecordView `json:"records"`
}

// PageRecords returns one page of records, so a grid of 10,000 records only ever holds a page.
func (r *Repository) PageRecords(ctx context.Context, req PageRequest) (Page, error) {
	if err := ctx.Err(); err != nil {
		return Page{}, err
	}
	limit := req.Limit
	if limit <= 0 {
		limit = 100
	}
	limit = min(limit, 1000)
	page := Page{Records: []RecordView{}}
	err := r.st.View(func(tx *bolt.Tx) error {
		ds, n, entries, err := r.readVersion(tx, req.DatasetID, req.Version)
		if err != nil {
			return err
		}
		page.Version = n
		// matches are indexes into entries; without a filter every record matches and only the
		// page's blobs are read.
		var matches []int
		filtered := req.Tag != "" || req.Text != ""
		text := strings.ToLower(req.Text)
		for i, e := range entries {
			if !filtered {
				break
			}
			if i%512 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			d, err := r.loadRecord(tx, ds.ID, e)
			if err != nil {
				return err
			}
			if (req.Tag == "" || slices.Contains(d.Tags, req.Tag)) && (text == "" || recordContains(d, text)) {
				matches = append(matches, i)
			}
		}
		total := len(entries)
		if filtered {
			total = len(matches)
		}
		index := func(k int) int {
			if filtered {
				return matches[k]
			}
			return k
		}
		offset := max(req.Offset, 0)
		if req.Line > 0 {
			k := 0
			for k < total && index(k) < req.Line-1 {
				k++
			}
			k = min(k, max(total-1, 0)) // past the last record: its page
			offset = k / limit * limit
		}
		page.Total, page.Offset = total, offset
		for k := offset; k < total && k < offset+limit; k++ {
			i := index(k)
			d, err := r.loadRecord(tx, ds.ID, entries[i])
			if err != nil {
				return err
			}
			page.Records = append(page.Records, view(entries[i].ID, i+1, d))
		}
		return nil
	})
	if err != nil {
		return Page{}, fmt.Errorf("page records: %w", err)
	}
	return page, nil
}

// recordContains reports whether lowered text is in the record's texts or tags.
func recordContains(d recordDoc, lowered string) bool {
	if strings.Contains(strings.ToLower(d.Record.System), lowered) {
		return true
	}
	for _, m := range d.Record.Messages {
		if strings.Contains(strings.ToLower(m.Content), lowered) {
			return true
		}
	}
	for _, t := range d.Tags {
		if strings.Contains(strings.ToLower(t), lowered) {
			return true
		}
	}
	return false
}

// GetRecord returns one record of a version (0: the latest).
func (r *Repository) GetRecord(ctx context.Context, datasetID string, version int, id string) (RecordView, error) {
	if err := ctx.Err(); err != nil {
		return RecordView{}, err
	}
	var out RecordView
	err := r.st.View(func(tx *bolt.Tx) error {
		ds, _, entries, err := r.readVersion(tx, datasetID, version)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(entries, func(e entry) bool { return e.ID == id })
		if i < 0 {
			return fmt.Errorf("record %s of dataset %s: %w", id, datasetID, store.ErrNotFound)
		}
		d, err := r.loadRecord(tx, ds.ID, entries[i])
		out = view(id, i+1, d)
		return err
	})
	return out, err
}

// AddRecordRequest appends one record.
type AddRecordRequest struct {
	DatasetID   string   `json:"datasetId"`
	BaseVersion int      `json:"baseVersion"`
	Record      Record   `json:"record"`
	Tags        []string `json:"tags"`
	Source      string   `json:"source"`
}

// AddRecord appends a record as a new version and returns it with its id and line.
func (r *Repository) AddRecord(ctx context.Context, req AddRecordRequest) (RecordView, Version, error) {
	var rv RecordView
	v, err := r.change(ctx, req.DatasetID, req.BaseVersion, func(c *changeSet) (string, error) {
		rec := req.Record
		if rec.Format == "" {
			rec.Format = c.ds.Format
		}
		d := recordDoc{Record: cloneRecord(rec), Tags: normalizeTags(req.Tags), Source: req.Source}
		h, err := c.put(d)
		if err != nil {
			return "", err
		}
		id := c.newID()
		c.entries = append(c.entries, entry{ID: id, Hash: h})
		rv = view(id, len(c.entries), d)
		return "add record " + id, nil
	})
	if err != nil {
		return RecordView{}, Version{}, fmt.Errorf("add record: %w", err)
	}
	return rv, v, nil
}

// UpdateRecordRequest replaces one record's content and tags.
type UpdateRecordRequest struct {
	DatasetID   string   `json:"datasetId"`
	BaseVersion int      `json:"baseVersion"`
	ID          string   `json:"id"`
	Record      Record   `json:"record"`
	Tags        []string `json:"tags"`
}

// UpdateRecord writes the edited record as a new version; the other records are not rewritten.
func (r *Repository) UpdateRecord(ctx context.Context, req UpdateRecordRequest) (Version, error) {
	v, err := r.change(ctx, req.DatasetID, req.BaseVersion, func(c *changeSet) (string, error) {
		i := slices.IndexFunc(c.entries, func(e entry) bool { return e.ID == req.ID })
		if i < 0 {
			return "", fmt.Errorf("record %s: %w", req.ID, store.ErrNotFound)
		}
		old, err := c.record(c.entries[i])
		if err != nil {
			return "", err
		}
		rec := cloneRecord(req.Record)
		if rec.Format == "" {
			rec.Format = old.Record.Format
		}
		h, err := c.put(recordDoc{Record: rec, Tags: normalizeTags(req.Tags), Source: old.Source})
		if err != nil {
			return "", err
		}
		c.entries[i].Hash = h
		return fmt.Sprintf("edit line %d", i+1), nil
	})
	if err != nil {
		return Version{}, fmt.Errorf("update record %s: %w", req.ID, err)
	}
	return v, nil
}

// DeleteRecordsRequest removes records.
type DeleteRecordsRequest struct {
	DatasetID   string   `json:"datasetId"`
	BaseVersion int      `json:"baseVersion"`
	IDs         []string `json:"ids"`
}

// DeleteRecords removes the records as a new version (earlier versions keep them).
func (r *Repository) DeleteRecords(ctx context.Context, req DeleteRecordsRequest) (Version, error) {
	v, err := r.change(ctx, req.DatasetID, req.BaseVersion, func(c *changeSet) (string, error) {
		drop := make(map[string]bool, len(req.IDs))
		for _, id := range req.IDs {
			drop[id] = true
		}
		c.entries = slices.DeleteFunc(c.entries, func(e entry) bool { return drop[e.ID] })
		return "delete " + prose.Count(len(req.IDs), "record"), nil
	})
	if err != nil {
		return Version{}, fmt.Errorf("delete records: %w", err)
	}
	return v, nil
}

func cloneRecord(r Record) Record {
	r.Messages = slices.Clone(r.Messages)
	return r
}

// normalizeTags trims, drops empty and repeated tags, and sorts them.
func normalizeTags(tags []string) []string {
	var out []string
	for _, t := range tags {
		if t = strings.TrimSpace(t); t != "" && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	slices.Sort(out)
	return out
}
