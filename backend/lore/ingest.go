package lore

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	bolt "go.etcd.io/bbolt"

	"github.com/npcstudio/npcstudio/backend/atomicfile"
	"github.com/npcstudio/npcstudio/backend/fault"
	"github.com/npcstudio/npcstudio/backend/store"
)

// An import commits many files at once: their chunks and records share one workspace
// transaction, their texts one round of syncs, until a bound is reached; chunks go to the
// keyword index in batches of chunkBatch. Files already committed are found unchanged
// (same name, same text hash) by the next import and skipped.
//
// An import runs on three goroutines. The one calling Add reads, hashes and chunks files and
// hands the writer, in order, keyword batches and batch commits; the writer applies the
// keyword batches one after another and passes each commit on to the committer once the
// keyword batches before it are in. So the next files are read while bleve indexes the last
// chunks, and bleve indexes while a commit waits for its syncs. At most one commit is
// handed and unfinished: a crash loses at most that batch and the one being read; a cancel
// finishes the commit under way and loses only the batch being read.
const (
	batchFiles = 1000    // files in one batch
	batchBytes = 4 << 20 // bytes of chunk text in one batch
	batchAge   = 2 * time.Second
	// inMemoryText is the most text of one file an import holds in memory: a file with
	// less is read once, hashed, written under its final name and chunked from memory;
	// one with more goes through a temporary file.
	inMemoryText = 1 << 20
)

// pendingDoc is a file of the batch in flight.
type pendingDoc struct {
	doc, old *Document
	path     string
	// tmp is its text, written but not synced: a temporary file, or the final name when
	// placed is set already; "" once synced or for metadata only.
	tmp    string
	placed bool // its text is under its final name
	chunks int  // chunks cut so far
	meta   bool // unchanged text: only its record is written again
	p      AddProgress
	// replaced is the document the import's index named by this name before it took this
	// one: an aborted import puts it back.
	replaced *Document
}

// commitBatch is a batch handed to the writer: the whole files it commits and the chunks
// it writes (a large file's chunks may come before its record, in earlier batches).
type commitBatch struct {
	ready  []*pendingDoc
	chunks []Chunk
	// err says why it was not committed: the writer failed on it or before it.
	err error
}

// writeOp is one thing the writer is handed: a keyword batch, a commit, or a mark closed
// once everything handed before it is applied.
type writeOp struct {
	kb     *bleve.Batch
	commit *commitBatch
	mark   chan struct{}
}

// ingest is one import under way.
type ingest struct {
	l        *Library
	ctx      context.Context
	rep      *AddReport
	progress func(AddProgress)
	kw       *keywordIndex
	maxAge   time.Duration

	kb      *bleve.Batch // chunks not yet in the keyword index
	kbn     int
	chunks  []Chunk // chunks not yet in the workspace, in order
	bytes   int64
	started time.Time
	ready   []*pendingDoc // whole files waiting for the commit
	cur     *pendingDoc   // the file being chunked
	// broken is the error that ended the last write of the batch: the batch must be aborted.
	broken error
	// byName and byHash index the library's documents as this import leaves them, the
	// files it has read whole included (commits handed to the writer or not). The import
	// holds the writer's turn: nothing else changes the library meanwhile.
	byName map[string]*Document
	byHash map[string][]*Document
	// ids are the document ids this import drew: none is drawn twice, committed or not.
	ids map[string]bool
	// text holds the text of the file being read when it is small (see inMemoryText).
	text bytes.Buffer

	// The writer goroutine and what it shares. ops holds up to 8 keyword batches (a few MB
	// of chunks): the reader runs ahead while bleve indexes on one core, and fills the gap.
	ops   chan writeOp
	spare chan *bleve.Batch // keyword batches applied and reset, to fill again
	slot  chan struct{}     // held from handing a commit until the committer ends it
	done  sync.WaitGroup
	mu    sync.Mutex
	// werr is the writer's first failure: it applies nothing more until abort clears it.
	werr error
	// settled are the commits the writer ended (committed or not), not yet reported.
	settled []*commitBatch
	// failed are the commits handed and not committed, for abort to drop (main goroutine).
	failed []*commitBatch
}

func (l *Library) newIngest(ctx context.Context, rep *AddReport, progress func(AddProgress)) *ingest {
	l.mu.RLock()
	kw := l.kw
	l.mu.RUnlock()
	age := l.batchAge
	if age == 0 {
		age = batchAge
	}
	g := &ingest{l: l, ctx: ctx, rep: rep, progress: progress, kw: kw, maxAge: age, kb: kw.idx.NewBatch(),
		byName: map[string]*Document{}, byHash: map[string][]*Document{}, ids: map[string]bool{},
		ops: make(chan writeOp, 8), spare: make(chan *bleve.Batch, 10), slot: make(chan struct{}, 1)}
	l.mu.RLock()
	for _, d := range l.docs {
		g.index(d)
	}
	l.mu.RUnlock()
	g.done.Add(2) // the writer and its committer
	go g.write()
	return g
}

// close ends the writer and the committer once they have applied what they were handed.
// Nothing is handed after.
func (g *ingest) close() {
	close(g.ops)
	g.done.Wait()
}

// index adds d to the import's index of documents; unindex removes it.
func (g *ingest) index(d *Document) {
	g.byName[d.Name] = d
	g.byHash[d.Hash] = append(g.byHash[d.Hash], d)
}

func (g *ingest) unindex(d *Document) {
	if g.byName[d.Name] == d {
		delete(g.byName, d.Name)
	}
	same := g.byHash[d.Hash]
	for i, e := range same {
		if e == d {
			same = append(same[:i:i], same[i+1:]...)
			break
		}
	}
	if len(same) == 0 {
		delete(g.byHash, d.Hash)
	} else {
		g.byHash[d.Hash] = same
	}
}

// full reports whether the batch in flight reached a bound.
func (g *ingest) full() bool {
	return len(g.ready) >= batchFiles || g.bytes >= batchBytes ||
		(len(g.ready) > 0 && time.Since(g.started) >= g.maxAge)
}

// addFile reads one file into the batch in flight, writing the batch whenever it is full.
// An error of the file alone is a *FileError or *DuplicateError; any other error ends the
// batch (see abort).
func (g *ingest) addFile(path, name, collection string, tags map[string]string, chunking ChunkOptions, p AddProgress) error {
	l := g.l
	g.collect()
	if err := g.writerErr(); err != nil {
		g.broken = err
		return err
	}
	format := FormatOf(path)
	fi, err := os.Stat(path)
	if err == nil && format != "pdf" && format != "docx" && fi.Size() > l.opt.MaxDocumentBytes {
		return &FileError{Path: path, Reason: fmt.Sprintf("%s of text is more than this library takes (%s): split the file", humanBytes(fi.Size()), humanBytes(l.opt.MaxDocumentBytes))}
	}
	if err == nil && (format == "txt" || format == "md") && fi.Size() > inMemoryText && g.byName[name] == nil {
		return g.streamText(path, name, format, collection, tags, chunking, p, fi.Size())
	}
	// The text is held in memory, or goes to a temporary file when it is large: whether it
	// is kept is known only once it is read (its hash finds duplicates and unchanged files).
	g.text.Reset()
	sp := &spillWriter{mem: &g.text, dir: filepath.Join(l.dir, "docs")}
	keep := false
	defer func() {
		if sp.f != nil {
			sp.f.Close()
			if !keep {
				os.Remove(sp.f.Name())
			}
		}
	}()
	info, err := extract(g.ctx, &limitWriter{w: sp, n: l.opt.MaxDocumentBytes}, path, format)
	if sp.err != nil {
		return &storeError{fmt.Errorf("save the text of %s: %w", name, sp.err)}
	}
	if err := g.extractErr(path, info, err); err != nil {
		return err
	}

	old := g.byName[name]
	for _, d := range g.byHash[info.Hash] {
		if d.Name != name {
			return &DuplicateError{Path: path, Existing: d.Name}
		}
	}
	now := time.Now().UTC().Format(time.RFC3339)
	if old != nil && old.Hash == info.Hash && old.Chunking == chunking {
		// Same text: only the metadata given with this import changes, if it does.
		d := *old
		d.Source = path
		if collection != "" {
			d.Collection = collection
		}
		if tags != nil {
			d.Tags = tags
		}
		if d.Source == old.Source && d.Collection == old.Collection && sameTags(d.Tags, old.Tags) {
			g.rep.Unchanged = append(g.rep.Unchanged, d)
			p.Stage, p.Chunks, p.Size, p.Bytes = "done", d.Chunks, d.Size, d.Size
			g.progress(p)
			return nil
		}
		d.UpdatedAt = now
		g.push(&pendingDoc{doc: &d, path: path, meta: true, p: p})
		return g.maybeFlush()
	}

	var id string
	var text io.Reader
	if sp.f == nil {
		if id, err = g.writeText(name, g.text.Bytes()); err != nil {
			return err
		}
		text = bytes.NewReader(g.text.Bytes())
	} else {
		if id, err = g.unusedID(name); err != nil {
			return err
		}
		if _, err := sp.f.Seek(0, io.SeekStart); err != nil {
			return &storeError{err}
		}
		text = sp.f
	}
	doc := &Document{V: 1, ID: id, Name: name, Source: path, Format: format, Hash: info.Hash, Size: info.Size,
		Collection: collection, Tags: tags, Chunking: chunking, Pages: len(info.PageStarts), PageStarts: info.PageStarts, AddedAt: now, UpdatedAt: now}
	if w := qualityWarning(name, info.Garbled); w != "" {
		doc.Warnings = []string{w}
	}
	if old != nil {
		doc.AddedAt = old.AddedAt
		if collection == "" {
			doc.Collection = old.Collection
		}
		if tags == nil {
			doc.Tags = old.Tags
		}
	}
	pd := &pendingDoc{doc: doc, old: old, path: path, p: p}
	if sp.f == nil {
		pd.tmp, pd.placed = l.textPath(id), true
	} else {
		pd.tmp = sp.f.Name()
		keep = true // from here the batch owns the temporary file
	}
	g.cur = pd
	p.Stage, p.Size = "indexing", info.Size
	pd.p = p
	g.progress(p)
	if g.started.IsZero() {
		g.started = time.Now()
	}
	if err := g.chunkFile(pd, text, info.PageStarts); err != nil {
		return err
	}
	doc.Chunks = pd.chunks
	g.cur = nil
	g.push(pd)
	return g.maybeFlush()
}

// extractErr is the error of a file whose text could not be taken, or nil.
func (g *ingest) extractErr(path string, info textInfo, err error) error {
	var fe *FileError
	switch {
	case errors.Is(err, errTooLarge):
		return &FileError{Path: path, Reason: fmt.Sprintf("more text than this library takes (%s): split the file", humanBytes(g.l.opt.MaxDocumentBytes))}
	case errors.As(err, &fe):
		fe.Path = path
		return fe
	case err != nil:
		return &FileError{Path: path, Reason: "cannot read it", Err: err}
	case info.Blank:
		return &FileError{Path: path, Reason: ErrEmpty.Error(), Err: ErrEmpty}
	}
	return nil
}

// chunkFile cuts the text of pd, the file being read, into the batch in flight: its chunks
// go to the keyword batch and, a batch at a time, to the writer.
func (g *ingest) chunkFile(pd *pendingDoc, text io.Reader, pageStarts []int64) error {
	p, id, title := pd.p, pd.doc.ID, docTitle(pd.doc.Name)
	err := ChunkText(text, pd.doc.Chunking, func(c Chunk) error {
		c.DocID = id
		if len(pageStarts) > 0 {
			c.Page = sort.Search(len(pageStarts), func(i int) bool { return pageStarts[i] > c.Start })
		}
		if err := g.kw.put(g.kb, c, title); err != nil {
			return &storeError{err}
		}
		g.chunks = append(g.chunks, c)
		g.bytes += int64(len(c.Text))
		pd.chunks++
		if g.kbn++; g.kbn == chunkBatch {
			if err := g.handKeyword(); err != nil {
				g.broken = err
				return err
			}
			p.Bytes, p.Chunks = c.End, pd.chunks
			g.progress(p)
		}
		if g.bytes >= batchBytes {
			// A large file: its chunks so far are written with the batch, its record later.
			if err := g.flush(); err != nil {
				return err
			}
		}
		return g.ctx.Err()
	})
	if err == nil && pd.chunks == 0 {
		err = &FileError{Path: pd.path, Reason: ErrEmpty.Error(), Err: ErrEmpty}
	}
	var ve *fault.ValidationError
	if errors.As(err, &ve) {
		err = &FileError{Path: pd.path, Reason: ve.Error(), Err: err}
	}
	return err
}

// errChunkerStopped ends the copy of a text whose chunking stopped first.
var errChunkerStopped = errors.New("the chunker stopped")

// streamText imports a large text file new to the library as it is read: a goroutine checks
// and copies the text into a temporary file and to the chunker at once, so its chunks reach
// the keyword index from its first megabyte, not once the whole file is read. Whether the
// file is kept is known only at its end (its text may be another document's): if not, its
// chunks are dropped as a failed file's are (see dropCur).
func (g *ingest) streamText(path, name, format, collection string, tags map[string]string, chunking ChunkOptions, p AddProgress, size int64) error {
	l := g.l
	id, err := g.unusedID(name)
	if err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Join(l.dir, "docs"), ".import-*.tmp")
	if err != nil {
		return &storeError{fmt.Errorf("save the text of %s: %w", name, err)}
	}
	now := time.Now().UTC().Format(time.RFC3339)
	doc := &Document{V: 1, ID: id, Name: name, Source: path, Format: format, Collection: collection, Tags: tags,
		Chunking: chunking, AddedAt: now, UpdatedAt: now}
	p.Stage, p.Size = "indexing", size
	pd := &pendingDoc{doc: doc, path: path, tmp: f.Name(), p: p}
	g.cur = pd // from here a failure drops its temporary file and chunks
	g.progress(p)
	if g.started.IsZero() {
		g.started = time.Now()
	}

	type copied struct {
		info      textInfo
		err, ferr error
	}
	pr, pw := io.Pipe()
	defer pr.CloseWithError(errChunkerStopped) // also when the chunker panics: the copy ends
	done := make(chan copied, 1)
	go func() {
		fw := &errWriter{w: f}
		var info textInfo
		var err error
		defer func() {
			if r := recover(); r != nil {
				err = &storeError{fmt.Errorf("read %s: %v", name, r)}
			}
			pw.CloseWithError(err) // nil: the chunker reads to the end
			done <- copied{info, err, fw.err}
		}()
		info, err = extract(g.ctx, &limitWriter{w: io.MultiWriter(fw, pw), n: l.opt.MaxDocumentBytes}, path, format)
	}()
	cerr := g.chunkFile(pd, pr, nil)
	pr.CloseWithError(errChunkerStopped)
	c := <-done
	if err := f.Close(); err != nil && c.ferr == nil {
		c.ferr = err
	}
	switch {
	case g.broken != nil:
		// The writer or the workspace failed while the file was read: that ends the batch,
		// whatever the file's own text holds.
		return g.broken
	case c.ferr != nil:
		return &storeError{fmt.Errorf("save the text of %s: %w", name, c.ferr)}
	case cerr != nil && (c.err == nil || errors.Is(c.err, errChunkerStopped) || isFatal(cerr)):
		return cerr
	}
	if err := g.extractErr(path, c.info, c.err); err != nil {
		return err
	}
	if cerr != nil {
		return cerr
	}
	for _, d := range g.byHash[c.info.Hash] {
		if d.Name != name {
			return &DuplicateError{Path: path, Existing: d.Name}
		}
	}
	doc.Hash, doc.Size, doc.Chunks = c.info.Hash, c.info.Size, pd.chunks
	if w := qualityWarning(name, c.info.Garbled); w != "" {
		doc.Warnings = []string{w}
	}
	pd.p.Size = c.info.Size
	g.cur = nil
	g.push(pd)
	return g.maybeFlush()
}

// errWriter keeps the first error of w, which a MultiWriter would not say was w's.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}

// push adds a whole file to the batch in flight; the import's index names it from now on.
func (g *ingest) push(pd *pendingDoc) {
	if g.started.IsZero() {
		g.started = time.Now()
	}
	g.ready = append(g.ready, pd)
	if pd.replaced = g.byName[pd.doc.Name]; pd.replaced != nil {
		g.unindex(pd.replaced)
	}
	g.index(pd.doc)
}

// writeText writes a small text under the final name of a new document id, unsynced (the
// batch's commit syncs it), and returns the id. An id that the library or this import has,
// or a file already there, is drawn again.
func (g *ingest) writeText(name string, text []byte) (string, error) {
	l := g.l
	for range 1000 {
		id := newDocID(name)
		l.mu.RLock()
		_, used := l.docs[id]
		l.mu.RUnlock()
		if !used && !g.ids[id] {
			f, err := os.OpenFile(l.textPath(id), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
			if err == nil {
				g.ids[id] = true
				_, err = f.Write(text)
				if cerr := f.Close(); err == nil {
					err = cerr
				}
				if err != nil {
					os.Remove(l.textPath(id))
					return "", &storeError{fmt.Errorf("save the text of %s: %w", name, err)}
				}
				return id, nil
			}
			if !errors.Is(err, fs.ErrExist) {
				return "", &storeError{fmt.Errorf("save the text of %s: %w", name, err)}
			}
		}
		l.at(context.Background(), "id-taken")
	}
	return "", &storeError{fmt.Errorf("no unused document id for %s after 1000 draws", name)}
}

// spillWriter keeps what is written in mem until it passes inMemoryText, then moves it to
// a temporary file in dir and writes the rest there. err is the first error of that file.
type spillWriter struct {
	mem *bytes.Buffer
	dir string
	f   *os.File
	err error
}

func (w *spillWriter) Write(p []byte) (int, error) {
	if w.err != nil {
		return 0, w.err
	}
	if w.f == nil && w.mem.Len()+len(p) <= inMemoryText {
		return w.mem.Write(p)
	}
	if w.f == nil {
		if w.f, w.err = os.CreateTemp(w.dir, ".import-*.tmp"); w.err != nil {
			w.f = nil
			return 0, w.err
		}
		if _, w.err = w.f.Write(w.mem.Bytes()); w.err != nil {
			return 0, w.err
		}
		w.mem.Reset()
	}
	n, err := w.f.Write(p)
	if err != nil {
		w.err = err
	}
	return n, err
}

func (g *ingest) maybeFlush() error {
	if g.full() {
		return g.flush()
	}
	return nil
}

// unusedID draws an id that neither the library nor this import uses.
func (g *ingest) unusedID(name string) (string, error) {
	for range 1000 {
		id, err := g.l.unusedDocID(name)
		if err != nil {
			return "", err
		}
		if !g.ids[id] {
			g.ids[id] = true
			return id, nil
		}
		g.l.at(context.Background(), "id-taken")
	}
	return "", &storeError{fmt.Errorf("no unused document id for %s after 1000 draws", name)}
}

// flush hands the batch in flight to the writer: its last keyword batch, then its commit
// (the texts of its whole files synced under their final names, then chunks and records in
// one transaction). It waits only for the commit handed before, if it is unfinished.
func (g *ingest) flush() error {
	if err := g.handKeyword(); err != nil {
		return g.markBroken(err)
	}
	if len(g.chunks) == 0 && len(g.ready) == 0 {
		return nil
	}
	g.slot <- struct{}{} // the committer frees it when the commit handed before has ended
	g.ops <- writeOp{commit: &commitBatch{ready: g.ready, chunks: g.chunks}}
	g.ready = make([]*pendingDoc, 0, cap(g.ready))
	g.chunks = make([]Chunk, 0, cap(g.chunks))
	g.bytes, g.started = 0, time.Time{}
	if g.cur != nil {
		g.started = time.Now()
	}
	g.collect()
	return g.markBroken(g.writerErr())
}

// markBroken marks the batch in flight broken by err, if any, and returns err.
func (g *ingest) markBroken(err error) error {
	if err != nil {
		g.broken = err
	}
	return err
}

// finish hands the last batch and waits until the writer has applied everything.
func (g *ingest) finish() error {
	if err := g.flush(); err != nil {
		return err
	}
	g.drain()
	return g.markBroken(g.writerErr())
}

// handKeyword hands the keyword batch being filled to the writer and takes an empty one.
func (g *ingest) handKeyword() error {
	if g.kb.Size() > 0 {
		g.ops <- writeOp{kb: g.kb}
		select {
		case g.kb = <-g.spare:
		default:
			g.kb = g.kw.idx.NewBatch()
		}
		g.kbn = 0
	}
	return g.writerErr()
}

// drain waits until the writer has applied everything handed to it, then reports what it
// committed.
func (g *ingest) drain() {
	mark := make(chan struct{})
	g.ops <- writeOp{mark: mark}
	<-mark
	g.collect()
}

func (g *ingest) writerErr() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.werr
}

// collect reports the files of the commits the writer has ended: done, or kept for abort.
func (g *ingest) collect() {
	g.mu.Lock()
	settled := g.settled
	g.settled = nil
	g.mu.Unlock()
	for _, b := range settled {
		if b.err != nil {
			g.failed = append(g.failed, b)
			continue
		}
		for _, d := range b.ready {
			switch {
			case d.meta:
				g.rep.Unchanged = append(g.rep.Unchanged, *d.doc)
			case d.old != nil:
				g.rep.Updated = append(g.rep.Updated, *d.doc)
				g.rep.Warnings = append(g.rep.Warnings, d.doc.Warnings...)
			default:
				g.rep.Added = append(g.rep.Added, *d.doc)
				g.rep.Warnings = append(g.rep.Warnings, d.doc.Warnings...)
			}
			p := d.p
			p.Stage, p.Chunks, p.Size, p.Bytes = "done", d.doc.Chunks, d.doc.Size, d.doc.Size
			g.progress(p)
		}
	}
}

// write is the writer goroutine: it applies the keyword batches it is handed, in order,
// and passes each commit (and mark) on to the committer once every keyword batch handed
// before it is applied. So bleve indexes the next batch's chunks while a commit syncs.
// After a failure of either, nothing more is applied (commits are ended with the failure)
// until abort clears it.
func (g *ingest) write() {
	defer g.done.Done()
	commits := make(chan writeOp, 2) // one commit under way (see slot) and a mark
	go g.commitAll(commits)
	defer close(commits)
	for op := range g.ops {
		if op.kb == nil {
			commits <- op
			continue
		}
		if g.writerErr() == nil {
			if err := g.applyKeyword(op.kb); err != nil {
				g.fail(&storeError{fmt.Errorf("index chunks: %w", err)})
			}
		}
		op.kb.Reset()
		select {
		case g.spare <- op.kb:
		default:
		}
	}
}

// commitAll is the committer goroutine: it commits the batches it is passed, in order, and
// closes marks once everything before them is applied.
func (g *ingest) commitAll(ops <-chan writeOp) {
	defer g.done.Done()
	for op := range ops {
		if op.mark != nil {
			close(op.mark)
			continue
		}
		err := g.writerErr()
		if err == nil {
			if err = g.commitSafely(op.commit); err != nil {
				g.fail(err)
			}
		}
		op.commit.err = err
		g.mu.Lock()
		g.settled = append(g.settled, op.commit)
		g.mu.Unlock()
		<-g.slot
	}
}

// applyKeyword and commitSafely turn a panic of bleve or of the workspace into an error
// that ends the import, as it would on the goroutine that called Add.
func (g *ingest) applyKeyword(kb *bleve.Batch) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	return g.kw.idx.Batch(kb)
}

func (g *ingest) commitSafely(b *commitBatch) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &storeError{fmt.Errorf("save the import: %v", r)}
		}
	}()
	return g.commit(b)
}

func (g *ingest) fail(err error) {
	g.mu.Lock()
	if g.werr == nil {
		g.werr = err
	}
	g.mu.Unlock()
}

// commit makes a batch durable, on the writer goroutine: the texts of its whole files
// synced under their final names, then its chunks and records in one transaction; then the
// library names its documents.
func (g *ingest) commit(b *commitBatch) error {
	l := g.l
	var tmps, dsts []string
	for _, d := range b.ready {
		if d.tmp != "" {
			tmps = append(tmps, d.tmp)
			dsts = append(dsts, l.textPath(d.doc.ID))
		}
	}
	// The texts are on disk for good before the records that name them are committed.
	err := atomicfile.PlaceAll(tmps, dsts)
	for _, d := range b.ready {
		if d.tmp != "" {
			d.placed = true // on error the abort removes both names
			if err == nil {
				d.tmp = ""
			}
		}
	}
	if err != nil {
		return &storeError{fmt.Errorf("save the texts of the import: %w", err)}
	}
	if len(b.ready) > 0 {
		if err := l.at(g.ctx, "commit"); err != nil {
			return err
		}
	}
	err = l.st.Update(func(tx *bolt.Tx) error {
		for _, c := range b.chunks {
			if err := store.PutJSON(tx, BucketChunks, chunkKey(c.DocID, c.Ord), c); err != nil {
				return err
			}
		}
		for _, d := range b.ready {
			if err := store.PutJSON(tx, BucketDocs, d.doc.ID, d.doc); err != nil {
				return err
			}
			if d.old != nil {
				if err := deleteDocTx(tx, d.old); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return &storeError{fmt.Errorf("save the import: %w", err)}
	}
	l.mu.Lock()
	for _, d := range b.ready {
		l.docs[d.doc.ID] = d.doc
		if d.old != nil {
			delete(l.docs, d.old.ID)
		}
	}
	l.mu.Unlock()
	for _, d := range b.ready {
		if d.old != nil {
			l.afterDelete(d.old)
		}
	}
	return nil
}

// dropCur drops the file being read, which failed on its own: its chunks in the batch in
// flight and those the writer has written with earlier batches.
func (g *ingest) dropCur() {
	pd := g.cur
	if pd == nil {
		return
	}
	g.drain() // the writer has applied every chunk handed to it
	g.cur = nil
	os.Remove(pd.tmp)
	n := len(g.chunks)
	for n > 0 && g.chunks[n-1].DocID == pd.doc.ID {
		n--
		g.bytes -= int64(len(g.chunks[n].Text))
		g.kb.Delete(ChunkID(pd.doc.ID, g.chunks[n].Ord)) // not to be indexed after all
	}
	g.chunks = g.chunks[:n]
	g.l.dropChunks(pd.doc.ID, pd.chunks)
}

// abort drops what is not committed after err, once the writer has applied what it holds:
// the commits it failed or skipped, the batch in flight, and the chunks already written of
// the file being read. Their files are reported failed with err unless err ends the import.
func (g *ingest) abort(err error) {
	l := g.l
	g.drain()
	var docs []*pendingDoc
	for _, b := range g.failed {
		docs = append(docs, b.ready...)
	}
	docs = append(docs, g.ready...)
	// The import's index forgets the files not committed, last pushed first.
	for i := len(docs) - 1; i >= 0; i-- {
		d := docs[i]
		g.unindex(d.doc)
		if d.replaced != nil {
			g.index(d.replaced)
		}
	}
	if g.cur != nil {
		docs = append(docs, g.cur)
	}
	if len(docs) > 0 {
		l.st.Update(func(tx *bolt.Tx) error {
			for _, d := range docs {
				if d.meta {
					continue
				}
				if err := deletePrefix(tx.Bucket([]byte(BucketChunks)), d.doc.ID+"/"); err != nil {
					return err
				}
			}
			return nil
		})
		kb := g.kw.idx.NewBatch()
		for _, d := range docs {
			for i := 0; i < d.chunks; i++ {
				kb.Delete(ChunkID(d.doc.ID, i))
			}
		}
		if err := g.kw.idx.Batch(kb); err != nil {
			l.log.Warn("lore: removing the chunks of an unfinished import from the keyword index failed", "err", err)
		}
	}
	reportable := !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) && !isFatal(err)
	for _, d := range docs {
		if d.tmp != "" {
			os.Remove(d.tmp)
		}
		if d.placed {
			os.Remove(l.textPath(d.doc.ID))
		}
		if reportable {
			pr := problem(err)
			if pr.Path == "" {
				pr.Path = d.path
			}
			g.rep.Failed = append(g.rep.Failed, pr)
			p := d.p
			p.Stage = "failed"
			g.progress(p)
		}
	}
	g.chunks, g.bytes, g.ready, g.cur, g.started, g.broken, g.kbn, g.failed = g.chunks[:0], 0, g.ready[:0], nil, time.Time{}, nil, 0, nil
	g.kb.Reset()
	g.mu.Lock()
	g.werr = nil
	g.mu.Unlock()
}

func sameTags(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}
