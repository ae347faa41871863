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
	"time"

	"github.com/blevesearch/bleve/v2"
	bolt "go.etcd.io/bbolt"

	"github.com/npcstudio/npcstudio/backend/atomicfile"
	"github.com/npcstudio/npcstudio/backend/fault"
	"github.com/npcstudio/npcstudio/backend/store"
)

// An import commits many files at once: their chunks and records share one workspace
// transaction, their texts one round of syncs, until a bound is reached; chunks go to the
// keyword index in batches of chunkBatch. A crash or a cancel loses at most the batch in
// flight; files already committed are found unchanged (same name, same text hash) by the
// next import and skipped.
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
	// byName and byHash index the library's documents for this import, which holds the
	// writer's turn: only its own commits change them.
	byName map[string]*Document
	byHash map[string][]*Document
	// batchIDs and batchHashes are the ids and text hashes of the new texts in ready.
	batchIDs    map[string]bool
	batchHashes map[string]*pendingDoc
	// text holds the text of the file being read when it is small (see inMemoryText).
	text bytes.Buffer
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
		byName: map[string]*Document{}, byHash: map[string][]*Document{}, batchIDs: map[string]bool{}, batchHashes: map[string]*pendingDoc{}}
	l.mu.RLock()
	for _, d := range l.docs {
		g.index(d)
	}
	l.mu.RUnlock()
	return g
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

// taken reports whether a file of the batch in flight has the id or the text hash.
func (g *ingest) taken(id, hash string) (byID bool, byHash *pendingDoc) {
	return g.batchIDs[id], g.batchHashes[hash]
}

// addFile reads one file into the batch in flight, writing the batch whenever it is full.
// An error of the file alone is a *FileError or *DuplicateError; any other error ends the
// batch (see abort).
func (g *ingest) addFile(path, name, collection string, tags map[string]string, chunking ChunkOptions, p AddProgress) error {
	l := g.l
	format := FormatOf(path)
	if fi, err := os.Stat(path); err == nil && format != "pdf" && format != "docx" && fi.Size() > l.opt.MaxDocumentBytes {
		return &FileError{Path: path, Reason: fmt.Sprintf("%s of text is more than this library takes (%s): split the file", humanBytes(fi.Size()), humanBytes(l.opt.MaxDocumentBytes))}
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
	var fe *FileError
	switch {
	case errors.Is(err, errTooLarge):
		return &FileError{Path: path, Reason: fmt.Sprintf("more text than this library takes (%s): split the file", humanBytes(l.opt.MaxDocumentBytes))}
	case errors.As(err, &fe):
		fe.Path = path
		return fe
	case err != nil:
		return &FileError{Path: path, Reason: "cannot read it", Err: err}
	case info.Blank:
		return &FileError{Path: path, Reason: ErrEmpty.Error(), Err: ErrEmpty}
	}

	old := g.byName[name]
	for _, d := range g.byHash[info.Hash] {
		if d.Name != name {
			return &DuplicateError{Path: path, Existing: d.Name}
		}
	}
	if _, dup := g.taken("", info.Hash); dup != nil {
		return &DuplicateError{Path: path, Existing: dup.doc.Name}
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
	title := docTitle(name)
	pageStarts := info.PageStarts
	err = ChunkText(text, chunking, func(c Chunk) error {
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
			if err := g.flushKeyword(); err != nil {
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
		err = &FileError{Path: path, Reason: ErrEmpty.Error(), Err: ErrEmpty}
	}
	if err != nil {
		var ve *fault.ValidationError
		if errors.As(err, &ve) {
			err = &FileError{Path: path, Reason: ve.Error(), Err: err}
		}
		return err
	}
	doc.Chunks = pd.chunks
	g.cur = nil
	g.push(pd)
	return g.maybeFlush()
}

func (g *ingest) push(pd *pendingDoc) {
	if g.started.IsZero() {
		g.started = time.Now()
	}
	g.ready = append(g.ready, pd)
	if !pd.meta {
		g.batchIDs[pd.doc.ID] = true
		g.batchHashes[pd.doc.Hash] = pd
	}
}

// writeText writes a small text under the final name of a new document id, unsynced (the
// batch's commit syncs it), and returns the id. An id that the library, the batch in
// flight or a file already there has is drawn again.
func (g *ingest) writeText(name string, text []byte) (string, error) {
	l := g.l
	for range 1000 {
		id := newDocID(name)
		l.mu.RLock()
		_, used := l.docs[id]
		l.mu.RUnlock()
		if !used && !g.batchIDs[id] {
			f, err := os.OpenFile(l.textPath(id), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
			if err == nil {
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

// unusedID draws an id that neither the library nor the batch in flight uses.
func (g *ingest) unusedID(name string) (string, error) {
	for range 1000 {
		id, err := g.l.unusedDocID(name)
		if err != nil {
			return "", err
		}
		if byID, _ := g.taken(id, ""); !byID && (g.cur == nil || g.cur.doc.ID != id) {
			return id, nil
		}
		g.l.at(context.Background(), "id-taken")
	}
	return "", &storeError{fmt.Errorf("no unused document id for %s after 1000 draws", name)}
}

// flush writes the batch in flight: its chunks to the keyword index, the texts of its whole
// files synced under their final names, then chunks and records in one transaction.
func (g *ingest) flush() error {
	if len(g.chunks) == 0 && len(g.ready) == 0 {
		return nil
	}
	err := g.write()
	if err != nil {
		g.broken = err
	}
	return err
}

// flushKeyword applies the keyword batch.
func (g *ingest) flushKeyword() error {
	if g.kb.Size() == 0 {
		return nil
	}
	if err := g.kw.idx.Batch(g.kb); err != nil {
		return &storeError{fmt.Errorf("index chunks: %w", err)}
	}
	g.kb.Reset()
	g.kbn = 0
	return nil
}

func (g *ingest) write() error {
	l := g.l
	if err := g.flushKeyword(); err != nil {
		return err
	}
	var tmps, dsts []string
	for _, d := range g.ready {
		if d.tmp != "" {
			tmps = append(tmps, d.tmp)
			dsts = append(dsts, l.textPath(d.doc.ID))
		}
	}
	// The texts are on disk for good before the records that name them are committed.
	err := atomicfile.PlaceAll(tmps, dsts)
	for _, d := range g.ready {
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
	if len(g.ready) > 0 {
		if err := l.at(g.ctx, "commit"); err != nil {
			return err
		}
	}
	err = l.st.Update(func(tx *bolt.Tx) error {
		for _, c := range g.chunks {
			if err := store.PutJSON(tx, BucketChunks, chunkKey(c.DocID, c.Ord), c); err != nil {
				return err
			}
		}
		for _, d := range g.ready {
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
	for _, d := range g.ready {
		if prev := l.docs[d.doc.ID]; prev != nil {
			g.unindex(prev) // the same document with new metadata
		}
		l.docs[d.doc.ID] = d.doc
		if d.old != nil {
			delete(l.docs, d.old.ID)
			g.unindex(d.old)
		}
		g.index(d.doc)
	}
	l.mu.Unlock()
	for _, d := range g.ready {
		if d.old != nil {
			l.afterDelete(d.old)
		}
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
	g.chunks, g.bytes, g.ready, g.started = g.chunks[:0], 0, g.ready[:0], time.Time{}
	clear(g.batchIDs)
	clear(g.batchHashes)
	if g.cur != nil {
		g.started = time.Now()
	}
	return nil
}

// dropCur drops the file being read, which failed on its own: its chunks in the batch in
// flight and those written with earlier batches.
func (g *ingest) dropCur() {
	pd := g.cur
	if pd == nil {
		return
	}
	g.cur = nil
	os.Remove(pd.tmp)
	n := len(g.chunks)
	for n > 0 && g.chunks[n-1].DocID == pd.doc.ID {
		n--
		g.bytes -= int64(len(g.chunks[n].Text))
		g.kb.Delete(ChunkID(pd.doc.ID, g.chunks[n].Ord))
	}
	written := pd.chunks - (len(g.chunks) - n)
	g.chunks = g.chunks[:n]
	g.l.dropChunks(pd.doc.ID, written)
}

// abort drops the batch in flight after err: its chunks, its texts, and the chunks already
// written of the file being read. The files of the batch are reported failed with err
// unless err ends the import.
func (g *ingest) abort(err error) {
	l := g.l
	docs := g.ready
	if g.cur != nil {
		docs = append(docs, g.cur)
	}
	if len(docs) == 0 {
		g.chunks, g.bytes, g.kbn = g.chunks[:0], 0, 0
		g.kb.Reset()
		return
	}
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
	g.chunks, g.bytes, g.ready, g.cur, g.started, g.broken, g.kbn = g.chunks[:0], 0, g.ready[:0], nil, time.Time{}, nil, 0
	clear(g.batchIDs)
	clear(g.batchHashes)
	g.kb.Reset()
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
