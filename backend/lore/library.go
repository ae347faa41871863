package lore

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	bolt "go.etcd.io/bbolt"

	"github.com/npcstudio/npcstudio/backend/atomicfile"
	"github.com/npcstudio/npcstudio/backend/fault"
	"github.com/npcstudio/npcstudio/backend/prose"
	"github.com/npcstudio/npcstudio/backend/store"
)

// humanBytes is how lore messages say a size.
var humanBytes = prose.Size

// Bucket names (see doc.go).
const (
	BucketDocs    = "lore_docs"
	BucketChunks  = "lore_chunks"
	BucketVectors = "lore_vectors"
	BucketState   = "lore_state"
)

// Buckets are the workspace buckets this package owns; pass them to store.Open.
var Buckets = []string{BucketDocs, BucketChunks, BucketVectors, BucketState, BucketBooks}

// Document is one imported file.
type Document struct {
	V  int    `json:"v"`
	ID string `json:"id"`
	// Name is the imported file's name, unique in the library.
	Name string `json:"name"`
	// Source is the path the file was imported from.
	Source string `json:"source"`
	// Format is txt, md, pdf or docx.
	Format string `json:"format"`
	// Hash is the SHA-256 of the document's text (hex): equal texts are duplicates.
	Hash string `json:"hash"`
	// Size is the length of the text in bytes.
	Size       int64             `json:"size"`
	Collection string            `json:"collection,omitempty"`
	Tags       map[string]string `json:"tags,omitempty"`
	Chunking   ChunkOptions      `json:"chunking"`
	Chunks     int               `json:"chunks"`
	Pages      int               `json:"pages,omitempty"`
	// PageStarts are the byte offsets where PDF pages start in the text.
	PageStarts []int64 `json:"pageStarts,omitempty"`
	// Warnings say when the document's text looks garbled (see quality.go), naming it.
	Warnings  []string `json:"warnings,omitempty"`
	AddedAt   string   `json:"addedAt"`
	UpdatedAt string   `json:"updatedAt"`
}

// Options configures a Library.
type Options struct {
	// Chunking is how Add cuts documents unless AddOptions says otherwise (default Paragraphs).
	Chunking ChunkOptions
	// MaxDocumentBytes bounds the text of one document (default 1 GiB).
	MaxDocumentBytes int64
	Logger           *slog.Logger
}

// Library is the lore of one workspace: documents, chunks and their indexes.
// Its methods are safe for concurrent use. Once Close has begun, every method that can
// fail fails with ErrClosed.
type Library struct {
	st  *store.Store
	dir string
	opt Options
	log *slog.Logger

	// life ends when Close begins: an import or reindex under way stops at its next batch.
	life context.Context
	stop context.CancelFunc

	write sync.Mutex // one Add, Remove, UpdateMeta or Reindex at a time; Close waits for it

	mu      sync.RWMutex
	closed  bool // set when Close begins
	kw      *keywordIndex
	docs    map[string]*Document
	vectors embedding

	// hook, set only by tests before the library is used, is called at named points of
	// long operations so a test can act at exactly that moment. An error it returns
	// fails the operation there.
	hook func(ctx context.Context, point string) error
	// batchAge, when set by tests, replaces how long an import may hold a batch open.
	batchAge time.Duration
}

// NewLibrary opens the lore of the workspace st. The keyword index lives in
// <dataDir>/lore/keyword.bleve; when it is missing, damaged or out of step with the
// workspace it is rebuilt before NewLibrary returns.
func NewLibrary(st *store.Store, opt Options) (*Library, error) {
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	if opt.MaxDocumentBytes <= 0 {
		opt.MaxDocumentBytes = 1 << 30
	}
	var err error
	if opt.Chunking, err = opt.Chunking.Normalize(); err != nil {
		return nil, err
	}
	l := &Library{st: st, dir: filepath.Join(st.Dir(), "lore"), opt: opt, log: opt.Logger, docs: map[string]*Document{}}
	l.life, l.stop = context.WithCancel(context.Background())
	if err := os.MkdirAll(filepath.Join(l.dir, "docs"), 0o700); err != nil {
		return nil, fmt.Errorf("lore folder: %w", err)
	}
	chunks := 0
	err = st.View(func(tx *bolt.Tx) error {
		return store.ForEachJSON(tx, BucketDocs, "", func(_ string, d Document) error {
			l.docs[d.ID] = &d
			chunks += d.Chunks
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("read lore: %w", err)
	}
	kw, fresh, err := openKeyword(filepath.Join(l.dir, "keyword.bleve"))
	if err != nil {
		return nil, err
	}
	l.kw = kw
	n, err := kw.count()
	if fresh || err != nil || n != uint64(chunks) {
		l.log.Info("rebuilding the lore keyword index", "indexed", n, "chunks", chunks)
		// An import cut short (a crash) leaves chunks of a document never committed.
		if err := l.dropOrphans(); err != nil {
			kw.close()
			return nil, err
		}
		if err := l.rebuildKeyword(context.Background(), nil); err != nil {
			kw.close()
			return nil, err
		}
	}
	l.removeStrayFiles()
	return l, nil
}

// Close stops background embedding, cuts short the import or reindex under way (it stops
// at its next batch, fails with ErrClosed and leaves the library as it was before it),
// waits for it, and closes the keyword index. Closing again does nothing.
func (l *Library) Close() error {
	l.mu.Lock()
	l.closed = true
	l.mu.Unlock()
	l.stop()
	l.stopEmbedding()
	l.write.Lock()
	defer l.write.Unlock()
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.kw.close()
}

// checkOpen fails with ErrClosed once Close has begun.
func (l *Library) checkOpen() error {
	l.mu.RLock()
	defer l.mu.RUnlock()
	if l.closed {
		return ErrClosed
	}
	return nil
}

// beginWrite takes the writer's turn for an operation that changes the library. The
// context it returns also ends when Close begins; end, deferred with the operation's
// error, gives the turn back and reports an operation cut short by Close as ErrClosed.
func (l *Library) beginWrite(ctx context.Context) (_ context.Context, end func(*error), _ error) {
	l.write.Lock()
	if err := l.checkOpen(); err != nil {
		l.write.Unlock()
		return ctx, nil, err
	}
	ctx, cancel := context.WithCancelCause(ctx)
	stop := context.AfterFunc(l.life, func() { cancel(ErrClosed) })
	return ctx, func(errp *error) {
		if *errp != nil && errors.Is(context.Cause(ctx), ErrClosed) {
			*errp = ErrClosed
		}
		stop()
		cancel(nil)
		l.write.Unlock()
	}, nil
}

// at calls the test hook, if any, at a named point.
func (l *Library) at(ctx context.Context, point string) error {
	if l.hook == nil {
		return nil
	}
	return l.hook(ctx, point)
}

// dropOrphans deletes chunks whose document is not in the library.
func (l *Library) dropOrphans() error {
	return l.st.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte(BucketChunks))
		var stale [][]byte
		err := b.ForEach(func(k, _ []byte) error {
			docID, _, _ := strings.Cut(string(k), "/")
			if _, ok := l.docs[docID]; !ok {
				stale = append(stale, append([]byte(nil), k...))
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, k := range stale {
			if err := b.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
}

// removeStrayFiles deletes text files of imports that never finished.
func (l *Library) removeStrayFiles() {
	entries, _ := os.ReadDir(filepath.Join(l.dir, "docs"))
	for _, e := range entries {
		id := strings.TrimSuffix(e.Name(), ".txt")
		if _, ok := l.docs[id]; !ok || strings.HasSuffix(e.Name(), ".tmp") {
			os.Remove(filepath.Join(l.dir, "docs", e.Name()))
		}
	}
}

func (l *Library) textPath(id string) string { return filepath.Join(l.dir, "docs", id+".txt") }

func chunkKey(docID string, ord int) string { return fmt.Sprintf("%s/%08d", docID, ord) }

// AddOptions are the metadata and chunking of an import.
type AddOptions struct {
	Collection string            `json:"collection,omitempty"`
	Tags       map[string]string `json:"tags,omitempty"`
	// Chunking overrides the library's chunking for these files.
	Chunking *ChunkOptions `json:"chunking,omitempty"`
	// Progress, when set, is called as files are read and indexed.
	Progress func(AddProgress) `json:"-"`
}

// AddProgress reports an import under way.
type AddProgress struct {
	File      string `json:"file"`
	FileIndex int    `json:"fileIndex"` // from 1
	Files     int    `json:"files"`
	Stage     string `json:"stage"` // "reading", "indexing", "done", "failed"
	Bytes     int64  `json:"bytes"` // text bytes chunked so far in this file
	Size      int64  `json:"size"`  // text bytes of this file
	Chunks    int    `json:"chunks"`
}

// AddReport says what an import did with each file.
type AddReport struct {
	Added     []Document    `json:"added"`
	Updated   []Document    `json:"updated"`
	Unchanged []Document    `json:"unchanged"`
	Failed    []FileProblem `json:"failed"`
	// Skipped are files in folders that are not lore (other extensions, hidden files).
	Skipped []string `json:"skipped,omitempty"`
	// Books are the World Info files imported as lorebooks (see worldbook.go).
	Books []Book `json:"books"`
	// Warnings name documents imported whose text looks garbled (see text quality).
	Warnings []string `json:"warnings"`
}

// FileProblem is a file an import could not take, and why.
type FileProblem struct {
	Path    string `json:"path"`
	Code    string `json:"code"`
	Message string `json:"message"`
	Err     error  `json:"-"`
}

// Add imports files and folders (recursively: .txt, .md, .pdf, .docx; hidden files are
// skipped). A file whose name is already in the library replaces that document when its
// text changed; a file whose text is already there under another name is refused as a
// duplicate. A file that cannot be imported is reported in AddReport.Failed and the others
// go on; the error is only for a cancelled context or a workspace that cannot be written.
func (l *Library) Add(ctx context.Context, paths []string, opt AddOptions) (rep AddReport, err error) {
	if err := l.checkOpen(); err != nil {
		return rep, err
	}
	chunking := l.opt.Chunking
	if opt.Chunking != nil {
		if chunking, err = opt.Chunking.Normalize(); err != nil {
			return rep, err
		}
	}
	collection, tags, err := cleanMeta(opt.Collection, opt.Tags)
	if err != nil {
		return rep, err
	}
	files, skipped, problems := expandPaths(paths)
	books, skipped, notWorld := worldFiles(paths, skipped)
	rep.Skipped, rep.Failed, rep.Books, rep.Warnings = skipped, append(problems, notWorld...), []Book{}, []string{}
	progress := opt.Progress
	if progress == nil {
		progress = func(AddProgress) {}
	}
	seen := map[string]string{}
	ctx, end, err := l.beginWrite(ctx)
	if err != nil {
		return rep, err
	}
	defer end(&err)
	g := l.newIngest(ctx, &rep, progress)
	defer g.close()
	// stop drops what the import has not committed after err; it says whether the import
	// ends too.
	stop := func(err error) bool {
		g.abort(err)
		return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) || isFatal(err)
	}
	for i, path := range files {
		if err := ctx.Err(); err != nil {
			g.abort(err)
			return rep, err
		}
		name := filepath.Base(path)
		p := AddProgress{File: name, FileIndex: i + 1, Files: len(files), Stage: "reading"}
		progress(p)
		if prev, ok := seen[name]; ok {
			rep.Failed = append(rep.Failed, problem(&FileError{Path: path, Reason: "another file in this import has the same name (" + prev + "): rename one of them"}))
			continue
		}
		seen[name] = path
		err := g.addFile(path, name, collection, tags, chunking, p)
		if err == nil {
			if err = l.at(ctx, "file-read"); err != nil {
				g.broken = err
			}
		}
		switch {
		case err == nil:
		case g.broken != nil || isFatal(err) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
			if g.broken != nil {
				err = g.broken // what ended the batch, not what the file said of itself
			}
			if stop(err) {
				return rep, err
			}
		default: // this file alone
			g.dropCur()
			rep.Failed = append(rep.Failed, problem(err))
			p.Stage = "failed"
			progress(p)
		}
	}
	if err := g.finish(); err != nil && stop(err) {
		return rep, err
	}
	if err := l.addBooks(books, &rep); err != nil {
		return rep, err
	}
	l.kickEmbedding()
	return rep, nil
}

// storeError marks a failure of the workspace itself, which ends an import.
type storeError struct{ err error }

func (e *storeError) Error() string { return e.err.Error() }
func (e *storeError) Unwrap() error { return e.err }

func isFatal(err error) bool {
	var se *storeError
	return errors.As(err, &se)
}

func problem(err error) FileProblem {
	p := FileProblem{Message: err.Error(), Code: fault.Shape(err, nil).Code, Err: err}
	var fe *FileError
	var de *DuplicateError
	switch {
	case errors.As(err, &fe):
		p.Path = fe.Path
	case errors.As(err, &de):
		p.Path = de.Path
	}
	return p
}

// expandPaths turns files and folders into the files to import.
func expandPaths(paths []string) (files, skipped []string, problems []FileProblem) {
	for _, p := range paths {
		abs, err := filepath.Abs(p)
		if err != nil {
			abs = p
		}
		fi, err := os.Stat(abs)
		if err != nil {
			problems = append(problems, problem(&FileError{Path: p, Reason: "cannot read it", Err: err}))
			continue
		}
		if !fi.IsDir() {
			if FormatOf(abs) == "" && strings.EqualFold(filepath.Ext(abs), ".json") {
				skipped = append(skipped, abs) // a World Info file is taken from there
				continue
			}
			if FormatOf(abs) == "" {
				problems = append(problems, problem(&FileError{Path: p, Reason: fmt.Sprintf("unsupported file type %q: lore takes .txt, .md, .pdf and .docx", filepath.Ext(abs))}))
				continue
			}
			files = append(files, abs)
			continue
		}
		filepath.WalkDir(abs, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				problems = append(problems, problem(&FileError{Path: path, Reason: "cannot read it", Err: err}))
				return nil
			}
			if strings.HasPrefix(d.Name(), ".") && path != abs {
				if d.IsDir() {
					return filepath.SkipDir
				}
				skipped = append(skipped, path)
				return nil
			}
			if d.IsDir() {
				return nil
			}
			if FormatOf(path) == "" || !d.Type().IsRegular() {
				skipped = append(skipped, path)
				return nil
			}
			files = append(files, path)
			return nil
		})
	}
	return files, skipped, problems
}

// limitWriter fails once more than n bytes were written.
type limitWriter struct {
	w io.Writer
	n int64
}

var errTooLarge = errors.New("too large")

func (lw *limitWriter) Write(p []byte) (int, error) {
	if int64(len(p)) > lw.n {
		return 0, errTooLarge
	}
	lw.n -= int64(len(p))
	return lw.w.Write(p)
}

// chunkBatch is how many chunks are written to the workspace and the keyword index at once.
const chunkBatch = 512

// indexText chunks the text file of doc and writes the chunks to the workspace and the
// keyword index, in batches. It returns how many chunks it wrote, also on error.
func (l *Library) indexText(ctx context.Context, doc *Document, textFile string, pageStarts []int64, progress func(done int64, chunks int)) (int, error) {
	f, err := os.Open(textFile)
	if err != nil {
		return 0, &storeError{err}
	}
	defer f.Close()
	title := docTitle(doc.Name)
	batch := make([]Chunk, 0, chunkBatch)
	written := 0
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		err := l.st.Update(func(tx *bolt.Tx) error {
			for _, c := range batch {
				if err := store.PutJSON(tx, BucketChunks, chunkKey(c.DocID, c.Ord), c); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return &storeError{fmt.Errorf("save chunks of %s: %w", doc.Name, err)}
		}
		written += len(batch)
		l.mu.RLock()
		kw := l.kw
		l.mu.RUnlock()
		b := kw.idx.NewBatch()
		for _, c := range batch {
			if err := kw.put(b, c, title); err != nil {
				return &storeError{err}
			}
		}
		if err := kw.idx.Batch(b); err != nil {
			return &storeError{fmt.Errorf("index chunks of %s: %w", doc.Name, err)}
		}
		progress(batch[len(batch)-1].End, written)
		batch = batch[:0]
		return ctx.Err()
	}
	err = ChunkText(f, doc.Chunking, func(c Chunk) error {
		c.DocID = doc.ID
		if len(pageStarts) > 0 {
			c.Page = sort.Search(len(pageStarts), func(i int) bool { return pageStarts[i] > c.Start })
		}
		batch = append(batch, c)
		if len(batch) == chunkBatch {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		var ve *fault.ValidationError
		if errors.As(err, &ve) {
			return written, &FileError{Path: doc.Source, Reason: ve.Error(), Err: err}
		}
		return written, err
	}
	if written == 0 {
		return 0, &FileError{Path: doc.Source, Reason: ErrEmpty.Error(), Err: ErrEmpty}
	}
	return written, nil
}

// commitDoc makes doc visible and removes the document it replaces.
func (l *Library) commitDoc(doc, old *Document) error {
	err := l.st.Update(func(tx *bolt.Tx) error {
		if err := store.PutJSON(tx, BucketDocs, doc.ID, doc); err != nil {
			return err
		}
		if old != nil {
			return deleteDocTx(tx, old)
		}
		return nil
	})
	if err != nil {
		return &storeError{fmt.Errorf("save %s: %w", doc.Name, err)}
	}
	l.mu.Lock()
	l.docs[doc.ID] = doc
	if old != nil {
		delete(l.docs, old.ID)
	}
	l.mu.Unlock()
	if old != nil {
		l.afterDelete(old)
	}
	return nil
}

// deleteDocTx removes a document, its chunks and its vectors from the workspace.
func deleteDocTx(tx *bolt.Tx, d *Document) error {
	if err := tx.Bucket([]byte(BucketDocs)).Delete([]byte(d.ID)); err != nil {
		return err
	}
	if err := deletePrefix(tx.Bucket([]byte(BucketChunks)), d.ID+"/"); err != nil {
		return err
	}
	vb := tx.Bucket([]byte(BucketVectors))
	return vb.ForEachBucket(func(k []byte) error { return deletePrefix(vb.Bucket(k), d.ID+"/") })
}

func deletePrefix(b *bolt.Bucket, prefix string) error {
	c := b.Cursor()
	p := []byte(prefix)
	for k, _ := c.Seek(p); k != nil && strings.HasPrefix(string(k), prefix); k, _ = c.Seek(p) {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// afterDelete removes what a deleted document left outside the workspace file.
func (l *Library) afterDelete(d *Document) {
	l.mu.RLock()
	kw := l.kw
	l.mu.RUnlock()
	if err := kw.deleteDoc(d.ID, d.Chunks); err != nil {
		l.log.Warn("lore: removing chunks from the keyword index failed", "doc", d.Name, "err", err)
	}
	os.Remove(l.textPath(d.ID))
	l.dropVectors(d.ID)
}

// dropChunks removes the chunks of an import that did not finish.
func (l *Library) dropChunks(docID string, n int) {
	if n == 0 {
		return
	}
	l.st.Update(func(tx *bolt.Tx) error { return deletePrefix(tx.Bucket([]byte(BucketChunks)), docID+"/") })
	l.mu.RLock()
	kw := l.kw
	l.mu.RUnlock()
	kw.deleteDoc(docID, n)
}

func (l *Library) putDoc(d *Document) error {
	d.UpdatedAt = time.Now().UTC().Format(time.RFC3339)
	if err := l.st.Update(func(tx *bolt.Tx) error { return store.PutJSON(tx, BucketDocs, d.ID, d) }); err != nil {
		return &storeError{fmt.Errorf("save %s: %w", d.Name, err)}
	}
	l.mu.Lock()
	l.docs[d.ID] = d
	l.mu.Unlock()
	return nil
}

// unusedDocID draws ids for name until one is free: no document has it (the one being
// replaced included) and no text file has its name. Two documents with one id would
// overwrite each other's record, chunks and text.
func (l *Library) unusedDocID(name string) (string, error) {
	for range 1000 {
		id := newDocID(name)
		l.mu.RLock()
		_, used := l.docs[id]
		l.mu.RUnlock()
		if !used {
			if _, err := os.Lstat(l.textPath(id)); errors.Is(err, fs.ErrNotExist) {
				return id, nil
			}
		}
		l.at(context.Background(), "id-taken")
	}
	return "", &storeError{fmt.Errorf("no unused document id for %s after 1000 draws", name)}
}

// newDocID is a slug of the name and four random characters.
func newDocID(name string) string {
	slug := prose.Slug(strings.TrimSuffix(name, filepath.Ext(name)), 40)
	if slug == "" {
		slug = "doc"
	}
	const alphabet = "abcdefghijkmnpqrstuvwxyz23456789"
	rnd := make([]byte, 4)
	rand.Read(rnd)
	for i := range rnd {
		rnd[i] = alphabet[int(rnd[i])%len(alphabet)]
	}
	return slug + "-" + string(rnd)
}

// docTitle is a file name as words, for the keyword index ("ember_court.md" -> "ember court").
func docTitle(name string) string {
	base := strings.TrimSuffix(name, filepath.Ext(name))
	return strings.Map(func(r rune) rune {
		if r == '_' || r == '-' || r == '.' {
			return ' '
		}
		return r
	}, base)
}

// cleanMeta checks a collection name and tags.
func cleanMeta(collection string, tags map[string]string) (string, map[string]string, error) {
	collection = strings.TrimSpace(collection)
	if len(collection) > 100 {
		return "", nil, fault.Invalid("collection", "a collection name is at most 100 characters")
	}
	if tags == nil {
		return collection, nil, nil
	}
	out := make(map[string]string, len(tags))
	for k, v := range tags {
		k = strings.TrimSpace(k)
		if k == "" || len(k) > 100 || len(v) > 200 || strings.ContainsAny(k, "=\n") {
			return "", nil, fault.Invalid("tags", "tag %q: a tag is key=value, the key 1 to 100 characters without '='", k)
		}
		out[k] = strings.TrimSpace(v)
	}
	return collection, out, nil
}

// ParseTag reads a tag written key=value (the CLI's --tag).
func ParseTag(s string) (key, value string, err error) {
	k, v, ok := strings.Cut(s, "=")
	if !ok || strings.TrimSpace(k) == "" {
		return "", "", fault.Invalid("tag", "%q is not key=value", s)
	}
	return strings.TrimSpace(k), strings.TrimSpace(v), nil
}

// DocFilter selects documents by collection (any of) and tags (all of).
type DocFilter struct {
	Collections []string          `json:"collections,omitempty"`
	Tags        map[string]string `json:"tags,omitempty"`
}

func (f DocFilter) match(d *Document) bool {
	if len(f.Collections) > 0 && !slices.Contains(f.Collections, d.Collection) {
		return false
	}
	for k, v := range f.Tags {
		if got, ok := d.Tags[k]; !ok || got != v {
			return false
		}
	}
	return true
}

func (f DocFilter) empty() bool { return len(f.Collections) == 0 && len(f.Tags) == 0 }

// List returns the documents matching f, by name.
func (l *Library) List(f DocFilter) []Document {
	l.mu.RLock()
	defer l.mu.RUnlock()
	out := make([]Document, 0, len(l.docs))
	for _, d := range l.docs {
		if f.match(d) {
			out = append(out, *d)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Collection is a collection with its size.
type Collection struct {
	Name   string `json:"name"`
	Docs   int    `json:"docs"`
	Chunks int    `json:"chunks"`
}

// Collections lists the collections in use ("" for documents in none), by name.
func (l *Library) Collections() []Collection {
	l.mu.RLock()
	defer l.mu.RUnlock()
	m := map[string]*Collection{}
	for _, d := range l.docs {
		c := m[d.Collection]
		if c == nil {
			c = &Collection{Name: d.Collection}
			m[d.Collection] = c
		}
		c.Docs++
		c.Chunks += d.Chunks
	}
	out := make([]Collection, 0, len(m))
	for _, c := range m {
		out = append(out, *c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// find looks a document up by id or name; the caller holds l.mu.
func (l *Library) find(ref string) (*Document, error) {
	if d, ok := l.docs[ref]; ok {
		return d, nil
	}
	for _, d := range l.docs {
		if d.Name == ref {
			return d, nil
		}
	}
	return nil, fmt.Errorf("lore document %q: %w", ref, ErrNotFound)
}

// Get returns a document by id or name.
func (l *Library) Get(ref string) (Document, error) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	if l.closed {
		return Document{}, ErrClosed
	}
	d, err := l.find(ref)
	if err != nil {
		return Document{}, err
	}
	return *d, nil
}

// Text opens a document's text as imported.
func (l *Library) Text(ref string) (io.ReadCloser, error) {
	d, err := l.Get(ref)
	if err != nil {
		return nil, err
	}
	return os.Open(l.textPath(d.ID))
}

// Chunks returns up to limit chunks of a document from ordinal from.
func (l *Library) Chunks(ref string, from, limit int) ([]Chunk, error) {
	d, err := l.Get(ref)
	if err != nil {
		return nil, err
	}
	var out []Chunk
	err = l.st.View(func(tx *bolt.Tx) error {
		for i := from; i < d.Chunks && len(out) < limit; i++ {
			var c Chunk
			if err := store.GetJSON(tx, BucketChunks, chunkKey(d.ID, i), &c); err != nil {
				return err
			}
			out = append(out, c)
		}
		return nil
	})
	return out, err
}

// Chunk returns one chunk by its id ("<docID>#<ord>"), for a citation.
func (l *Library) Chunk(id string) (Chunk, Document, error) {
	docID, ord, err := ParseChunkID(id)
	if err != nil {
		return Chunk{}, Document{}, err
	}
	d, err := l.Get(docID)
	if err != nil {
		return Chunk{}, Document{}, err
	}
	var c Chunk
	err = l.st.View(func(tx *bolt.Tx) error { return store.GetJSON(tx, BucketChunks, chunkKey(d.ID, ord), &c) })
	if errors.Is(err, store.ErrNotFound) {
		return Chunk{}, d, fmt.Errorf("chunk %s: %w", id, ErrNotFound)
	}
	return c, d, err
}

// MetaUpdate changes a document's metadata; nil fields are left as they are.
type MetaUpdate struct {
	Collection *string `json:"collection,omitempty"`
	// Tags, when not nil, replace the document's tags.
	Tags map[string]string `json:"tags,omitempty"`
}

// UpdateMeta changes a document's collection or tags. Search sees the change at once:
// filters are applied per document, so no chunk is indexed again.
func (l *Library) UpdateMeta(ref string, u MetaUpdate) (_ Document, err error) {
	_, end, err := l.beginWrite(context.Background())
	if err != nil {
		return Document{}, err
	}
	defer end(&err)
	l.mu.RLock()
	cur, err := l.find(ref)
	l.mu.RUnlock()
	if err != nil {
		return Document{}, err
	}
	d := *cur
	coll := d.Collection
	if u.Collection != nil {
		coll = *u.Collection
	}
	tags := d.Tags
	if u.Tags != nil {
		tags = u.Tags
	}
	coll, tags, err = cleanMeta(coll, tags)
	if err != nil {
		return Document{}, err
	}
	d.Collection, d.Tags = coll, tags
	if err := l.putDoc(&d); err != nil {
		return Document{}, err
	}
	return d, nil
}

// Remove deletes a document, its chunks, vectors and text.
func (l *Library) Remove(ref string) (err error) {
	_, end, err := l.beginWrite(context.Background())
	if err != nil {
		return err
	}
	defer end(&err)
	l.mu.RLock()
	d, err := l.find(ref)
	l.mu.RUnlock()
	if err != nil {
		return err
	}
	if err := l.st.Update(func(tx *bolt.Tx) error { return deleteDocTx(tx, d) }); err != nil {
		return fmt.Errorf("remove lore %s: %w", d.Name, err)
	}
	l.mu.Lock()
	delete(l.docs, d.ID)
	l.mu.Unlock()
	l.afterDelete(d)
	// The embedding status counted the removed chunks: the worker reports it again.
	l.kickEmbedding()
	return nil
}

// ReindexOptions says what Reindex rebuilds.
type ReindexOptions struct {
	// Chunking, when set, cuts every document again from its stored text with these
	// options; vectors follow in the background.
	Chunking *ChunkOptions `json:"chunking,omitempty"`
	// Progress is called with the chunks indexed so far.
	Progress func(done, total int) `json:"-"`
}

// Reindex rebuilds the keyword index from the workspace, and re-chunks every document
// when asked to. Search goes on meanwhile on the old index.
func (l *Library) Reindex(ctx context.Context, opt ReindexOptions) (err error) {
	var chunking ChunkOptions
	if opt.Chunking != nil {
		if chunking, err = opt.Chunking.Normalize(); err != nil {
			return err
		}
	}
	ctx, end, err := l.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer end(&err)
	if opt.Chunking == nil {
		return l.rebuildKeyword(ctx, opt.Progress)
	}
	l.mu.RLock()
	docs := make([]Document, 0, len(l.docs))
	for _, d := range l.docs {
		docs = append(docs, *d)
	}
	l.mu.RUnlock()
	sort.Slice(docs, func(i, j int) bool { return docs[i].Name < docs[j].Name })
	for _, d := range docs {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := l.rechunk(ctx, d, chunking); err != nil {
			return fmt.Errorf("reindex %s: %w", d.Name, err)
		}
	}
	l.kickEmbedding()
	return nil
}

// rechunk cuts a document again from its stored text, under a new id, and replaces it.
func (l *Library) rechunk(ctx context.Context, d Document, chunking ChunkOptions) error {
	id, err := l.unusedDocID(d.Name)
	if err != nil {
		return err
	}
	nd := d
	nd.ID, nd.Chunking, nd.UpdatedAt = id, chunking, time.Now().UTC().Format(time.RFC3339)
	if err := cloneText(l.textPath(d.ID), l.textPath(nd.ID)); err != nil {
		return err
	}
	n, err := l.indexText(ctx, &nd, l.textPath(nd.ID), nd.PageStarts, func(int64, int) {})
	if err == nil {
		nd.Chunks = n
		err = l.at(ctx, "commit")
	}
	if err == nil {
		err = l.commitDoc(&nd, &d)
	}
	if err != nil {
		l.dropChunks(nd.ID, n)
		os.Remove(l.textPath(nd.ID))
		return err
	}
	return nil
}

// cloneText copies a document's text to a new name, synced before anything names it.
func cloneText(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	return atomicfile.Write(dst, 0o600, func(w io.Writer) error {
		_, err := io.Copy(w, in)
		return err
	})
}

// rebuildKeyword builds a new keyword index beside the current one from the chunks in
// the workspace, then swaps it in.
func (l *Library) rebuildKeyword(ctx context.Context, progress func(done, total int)) error {
	path := filepath.Join(l.dir, "keyword.bleve")
	next := path + ".new"
	os.RemoveAll(next)
	idx, err := bleve.New(next, keywordMapping())
	if err != nil {
		return fmt.Errorf("rebuild keyword index: %w", err)
	}
	nk := &keywordIndex{idx: idx, path: next}
	l.mu.RLock()
	docs := make(map[string]*Document, len(l.docs))
	total := 0
	for id, d := range l.docs {
		docs[id] = d
		total += d.Chunks
	}
	l.mu.RUnlock()
	done := 0
	b := idx.NewBatch()
	err = l.st.View(func(tx *bolt.Tx) error {
		return store.ForEachJSON(tx, BucketChunks, "", func(_ string, c Chunk) error {
			d, ok := docs[c.DocID]
			if !ok {
				return nil
			}
			if err := nk.put(b, c, docTitle(d.Name)); err != nil {
				return err
			}
			done++
			if b.Size() >= chunkBatch {
				if err := idx.Batch(b); err != nil {
					return err
				}
				b.Reset()
				if progress != nil {
					progress(done, total)
				}
				return ctx.Err()
			}
			return nil
		})
	})
	if err == nil {
		err = idx.Batch(b)
	}
	if err == nil {
		err = l.at(ctx, "keyword-swap")
	}
	if err == nil {
		err = ctx.Err()
	}
	if cerr := idx.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.RemoveAll(next)
		return fmt.Errorf("rebuild keyword index: %w", err)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.kw.close()
	os.RemoveAll(path)
	rerr := os.Rename(next, path)
	// Whatever happened, the library keeps an open index at path (a new, empty one when
	// the swap failed: the count check at the next open rebuilds it).
	kw, _, err := openKeyword(path)
	if err != nil {
		return err
	}
	l.kw = kw
	if rerr != nil {
		return fmt.Errorf("rebuild keyword index: %w", rerr)
	}
	if progress != nil {
		progress(done, total)
	}
	return nil
}
