package lore

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	bolt "go.etcd.io/bbolt"

	"github.com/npcstudio/npcstudio/backend/lowprio"
	"github.com/npcstudio/npcstudio/backend/store"
)

// vectorSet holds every vector of one embedder in one contiguous slice, so an exact
// search is one pass over memory.
type vectorSet struct {
	emb  Embedder
	id   string
	dim  int
	data []float32 // len(rows) * dim
	rows []vecRow
	row  map[string]int // chunk id -> row
	// Documents are interned so that filtering a row is a slice lookup.
	docIdx map[string]int32
	docIDs []string
	loaded bool
}

type vecRow struct {
	doc int32
	ord int32
}

func newVectorSet(e Embedder) *vectorSet {
	return &vectorSet{emb: e, id: e.ID(), dim: e.Dim(), row: map[string]int{}, docIdx: map[string]int32{}}
}

func (v *vectorSet) add(docID string, ord int, vec []float32) {
	id := ChunkID(docID, ord)
	if r, ok := v.row[id]; ok {
		copy(v.data[r*v.dim:], vec)
		return
	}
	di, ok := v.docIdx[docID]
	if !ok {
		di = int32(len(v.docIDs))
		v.docIdx[docID] = di
		v.docIDs = append(v.docIDs, docID)
	}
	v.row[id] = len(v.rows)
	v.rows = append(v.rows, vecRow{doc: di, ord: int32(ord)})
	v.data = append(v.data, vec...)
}

// removeDoc drops a document's rows, moving the last rows into their place.
func (v *vectorSet) removeDoc(docID string) {
	di, ok := v.docIdx[docID]
	if !ok {
		return
	}
	for r := 0; r < len(v.rows); {
		if v.rows[r].doc != di {
			r++
			continue
		}
		delete(v.row, ChunkID(docID, int(v.rows[r].ord)))
		last := len(v.rows) - 1
		if r != last {
			v.rows[r] = v.rows[last]
			copy(v.data[r*v.dim:(r+1)*v.dim], v.data[last*v.dim:])
			v.row[ChunkID(v.docIDs[v.rows[r].doc], int(v.rows[r].ord))] = r
		}
		v.rows = v.rows[:last]
		v.data = v.data[:last*v.dim]
	}
}

type vecHit struct {
	row   int
	score float32
}

// search scores every row whose document mask allows (nil: all) and returns the best n.
func (v *vectorSet) search(q []float32, mask []bool, n int) []vecHit {
	if n <= 0 {
		return nil
	}
	top := make([]vecHit, 0, n+1) // ascending by score
	dim := v.dim
	for r := range v.rows {
		if mask != nil && !mask[v.rows[r].doc] {
			continue
		}
		s := dot(q, v.data[r*dim:(r+1)*dim])
		if len(top) == n && s <= top[0].score {
			continue
		}
		i := sort.Search(len(top), func(i int) bool { return top[i].score >= s })
		top = append(top, vecHit{})
		copy(top[i+1:], top[i:])
		top[i] = vecHit{row: r, score: s}
		if len(top) > n {
			top = top[1:]
		}
	}
	for i, j := 0, len(top)-1; i < j; i, j = i+1, j-1 {
		top[i], top[j] = top[j], top[i]
	}
	return top
}

func encodeVec(v []float32) []byte {
	b := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(x))
	}
	return b
}

func decodeVec(b []byte, into []float32) []float32 {
	n := len(b) / 4
	for i := 0; i < n; i++ {
		into = append(into, math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:])))
	}
	return into
}

// EmbedProgress reports background embedding.
type EmbedProgress struct {
	// Embedder is the embedder being worked for.
	Embedder string `json:"embedder"`
	Dim      int    `json:"dim,omitempty"`
	Done     int    `json:"done"`
	Total    int    `json:"total"`
	// State is "embedding", "paused", "ready", "failed" or "off".
	State string `json:"state"`
	Error string `json:"error,omitempty"`
	// Searching is the embedder vector search uses meanwhile ("" for none).
	Searching string `json:"searching,omitempty"`
}

// embedding is the Library's vector state; guarded by Library.mu.
type embedding struct {
	active   *vectorSet // what search uses: complete for its embedder
	pending  *vectorSet // being built for a new embedder
	target   *vectorSet // the set the worker fills: pending, else active
	cancel   context.CancelFunc
	done     chan struct{}
	kick     chan struct{}
	progress EmbedProgress
	notify   func(EmbedProgress)
	// paused holds the worker before its next batch until resume is closed.
	paused bool
	resume chan struct{}
}

// embedderState is lore_state/embedder.
type embedderState struct {
	V        int    `json:"v"`
	Embedder string `json:"embedder"`
	Dim      int    `json:"dim"`
}

// SetEmbedder sets the embedder for vector search and starts embedding, in the background,
// every chunk that has no vector from it yet (vectors already stored for it are reused).
// Until the new embedder has a vector for every chunk, search keeps using the previous one,
// or keyword search alone. progress (optional) is called as batches finish. A nil embedder
// turns vector search off. New documents are embedded as they are added. After Close it
// does nothing.
func (l *Library) SetEmbedder(e Embedder, progress func(EmbedProgress)) {
	l.stopEmbedding()
	if progress == nil {
		progress = func(EmbedProgress) {}
	}
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return
	}
	if e == nil {
		l.vectors = embedding{progress: EmbedProgress{State: "off"}}
		l.mu.Unlock()
		return
	}
	target := l.vectors.active
	if target != nil && target.id == e.ID() {
		target.emb = e
		l.vectors.pending = nil
	} else {
		target = newVectorSet(e)
		l.vectors.pending = target
	}
	ctx, cancel := context.WithCancel(context.Background())
	l.vectors.cancel, l.vectors.done, l.vectors.kick, l.vectors.notify = cancel, make(chan struct{}), make(chan struct{}, 1), progress
	l.vectors.target = target
	// The status says at once which embedder search keeps using meanwhile, as report does
	// once the worker runs.
	l.vectors.progress = EmbedProgress{Embedder: target.id, Dim: target.dim, State: "embedding"}
	if l.vectors.paused {
		l.vectors.progress.State = "paused"
	}
	if l.vectors.active != nil {
		l.vectors.progress.Searching = l.vectors.active.id
	}
	l.vectors.kick <- struct{}{}
	done, kick := l.vectors.done, l.vectors.kick
	l.mu.Unlock()
	go l.embedWorker(ctx, target, kick, done)
}

// EmbedStatus reports the background embedding.
func (l *Library) EmbedStatus() EmbedProgress {
	l.mu.RLock()
	defer l.mu.RUnlock()
	p := l.vectors.progress
	if p.State == "" {
		p.State = "off"
	}
	return p
}

func (l *Library) stopEmbedding() {
	l.mu.Lock()
	cancel, done := l.vectors.cancel, l.vectors.done
	l.vectors.cancel, l.vectors.done = nil, nil
	l.mu.Unlock()
	if cancel != nil {
		cancel()
		<-done
	}
}

// kickEmbedding wakes the worker after documents changed. The status counts the chunks
// at once, and says "embedding" when some lack vectors, so nobody sees a stale "ready" or
// the count of a removed document.
func (l *Library) kickEmbedding() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.vectors.kick == nil {
		return
	}
	total := 0
	for _, d := range l.docs {
		total += d.Chunks
	}
	if p, t := &l.vectors.progress, l.vectors.target; t != nil && p.Embedder == t.id {
		p.Total, p.Done = total, len(t.rows)
		if len(t.rows) != total {
			p.State, p.Error = "embedding", ""
			if l.vectors.paused {
				p.State = "paused"
			}
		}
	}
	select {
	case l.vectors.kick <- struct{}{}:
	default:
	}
}

func (l *Library) dropVectors(docID string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.at(context.Background(), "vectors-drop")
	for _, s := range []*vectorSet{l.vectors.active, l.vectors.pending} {
		if s != nil {
			s.removeDoc(docID)
		}
	}
}

func (l *Library) report(set *vectorSet, state string, err error) {
	l.mu.Lock()
	p := EmbedProgress{Embedder: set.id, Dim: set.dim, Done: len(set.rows), State: state}
	for _, d := range l.docs {
		p.Total += d.Chunks
	}
	if l.vectors.active != nil {
		p.Searching = l.vectors.active.id
	}
	if err != nil {
		p.Error = err.Error()
	}
	l.vectors.progress = p
	notify := l.vectors.notify
	l.mu.Unlock()
	if notify != nil {
		notify(p)
	}
}

// embedBatch is how many chunks go to the embedder at once. Each catch-up starts with
// firstEmbedBatch and doubles up to embedBatch: search uses the vectors stored so far, so a
// small first batch brings the first hybrid result sooner (4 chunks of 256 tokens are
// about 1.4 CPU-seconds with the built-in embedder, 32 about 11), and the larger ones after
// it keep the per-call cost of a server low.
const (
	firstEmbedBatch = 4
	embedBatch      = 32
)

func (l *Library) embedWorker(ctx context.Context, set *vectorSet, kick, done chan struct{}) {
	defer close(done)
	defer func() {
		if r := recover(); r != nil {
			l.log.Error("lore: embedding stopped by a panic", "panic", r)
			l.report(set, "failed", fmt.Errorf("internal error: %v", r))
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return
		case <-kick:
		}
		err := l.catchUp(ctx, set)
		switch {
		case ctx.Err() != nil:
			return
		case err != nil:
			l.log.Warn("lore: embedding failed", "embedder", set.id, "err", err)
			l.report(set, "failed", err)
		default:
			l.promote(set)
			l.report(set, "ready", nil)
		}
	}
}

// catchUp embeds every chunk the set has no vector for.
func (l *Library) catchUp(ctx context.Context, set *vectorSet) error {
	if !set.loaded {
		if err := l.loadVectors(ctx, set); err != nil {
			return err
		}
	}
	for {
		todo := l.missing(set, 4096)
		if len(todo) == 0 {
			return nil
		}
		// The vectors' size is asked of the embedder once there is something to embed, so
		// an empty library is ready at once, without loading a model it does not need yet.
		if set.dim == 0 {
			dim, err := probeDim(ctx, set.emb)
			if err != nil {
				return err
			}
			l.mu.Lock()
			set.dim = dim
			l.mu.Unlock()
		}
		for size := firstEmbedBatch; len(todo) > 0; size = min(2*size, embedBatch) {
			if err := l.waitWhilePaused(ctx, set); err != nil {
				return err
			}
			missing := todo[:min(size, len(todo))]
			todo = todo[len(missing):]
			if err := l.embedSome(ctx, set, missing); err != nil {
				return err
			}
		}
	}
}

// PauseEmbedding holds background embedding once the batch under way is stored (true), or
// lets it go on (false). Search keeps using the vectors made so far, and the status says
// "paused". The pause holds through a change of embedder until resumed, vectors are turned
// off or the library is closed.
func (l *Library) PauseEmbedding(pause bool) EmbedProgress {
	l.mu.Lock()
	switch {
	case pause && !l.vectors.paused:
		l.vectors.paused, l.vectors.resume = true, make(chan struct{})
		if l.vectors.progress.State == "embedding" {
			l.vectors.progress.State = "paused"
		}
	case !pause && l.vectors.paused:
		l.vectors.paused = false
		close(l.vectors.resume)
		if l.vectors.progress.State == "paused" {
			l.vectors.progress.State = "embedding"
		}
	}
	p := l.vectors.progress
	notify := l.vectors.notify
	l.mu.Unlock()
	if p.State == "" {
		p.State = "off"
	}
	if notify != nil {
		notify(p)
	}
	return p
}

// waitWhilePaused returns once embedding is not paused, or when ctx ends.
func (l *Library) waitWhilePaused(ctx context.Context, set *vectorSet) error {
	for {
		l.mu.RLock()
		paused, resume := l.vectors.paused, l.vectors.resume
		l.mu.RUnlock()
		if !paused {
			return nil
		}
		l.report(set, "paused", nil)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-resume:
		}
	}
}

// embedSome embeds and stores the vectors of a few chunks.
func (l *Library) embedSome(ctx context.Context, set *vectorSet, missing []chunkRef) error {
	l.report(set, "embedding", nil)
	texts := make([]string, 0, len(missing))
	chunks := make([]Chunk, 0, len(missing))
	raws := make([][]byte, 0, len(missing)) // the chunks as stored, to see they are still there
	err := l.st.View(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte(BucketChunks))
		for _, m := range missing {
			raw := b.Get([]byte(chunkKey(m.doc, m.ord)))
			if raw == nil {
				continue // removed meanwhile
			}
			var c Chunk
			if err := json.Unmarshal(raw, &c); err != nil {
				return fmt.Errorf("read chunk %s: %w", ChunkID(m.doc, m.ord), err)
			}
			chunks = append(chunks, c)
			texts = append(texts, embedText(c))
			raws = append(raws, append([]byte(nil), raw...))
		}
		return nil
	})
	if err != nil {
		return err
	}
	// Embedding the library is background work: its threads run nicer than the window's
	// and the writer's searches (lowprio; the built-in embedder honours it).
	vecs, err := set.emb.Embed(lowprio.Background(ctx), texts)
	if err != nil {
		return err
	}
	if len(vecs) != len(texts) {
		return &EmbedError{Embedder: set.id, Message: fmt.Sprintf("asked for %d vectors, got %d", len(texts), len(vecs))}
	}
	for i, v := range vecs {
		if len(v) != set.dim {
			return &EmbedError{Embedder: set.id, Message: fmt.Sprintf("a %d-dimension vector where %d were expected", len(v), set.dim)}
		}
		if !normalize(v) {
			return &EmbedError{Embedder: set.id, Message: fmt.Sprintf("a zero or invalid vector for chunk %s", ChunkID(chunks[i].DocID, chunks[i].Ord))}
		}
	}
	// A document removed (or re-chunked) while the embedder worked has lost these chunks:
	// their vectors are not stored, or nothing would ever remove them.
	stored := make([]bool, len(chunks))
	err = l.st.Update(func(tx *bolt.Tx) error {
		b, err := tx.Bucket([]byte(BucketVectors)).CreateBucketIfNotExists([]byte(set.id))
		if err != nil {
			return err
		}
		cb := tx.Bucket([]byte(BucketChunks))
		for i, c := range chunks {
			key := []byte(chunkKey(c.DocID, c.Ord))
			if !bytes.Equal(cb.Get(key), raws[i]) {
				continue
			}
			if err := b.Put(key, encodeVec(vecs[i])); err != nil {
				return err
			}
			stored[i] = true
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("save vectors: %w", err)
	}
	l.mu.Lock()
	for i, c := range chunks {
		if d, ok := l.docs[c.DocID]; ok && stored[i] && c.Ord < d.Chunks {
			set.add(c.DocID, c.Ord, vecs[i])
		}
	}
	l.mu.Unlock()
	return ctx.Err()
}

// embedText is what is embedded for a chunk: its heading path gives short chunks context.
func embedText(c Chunk) string {
	if c.Heading == "" {
		return c.Text
	}
	return c.Heading + "\n" + c.Text
}

type chunkRef struct {
	doc string
	ord int
}

// missing lists up to n chunks of live documents that have no vector in set.
func (l *Library) missing(set *vectorSet, n int) []chunkRef {
	l.mu.RLock()
	defer l.mu.RUnlock()
	ids := make([]string, 0, len(l.docs))
	for id := range l.docs {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var out []chunkRef
	for _, id := range ids {
		for ord := 0; ord < l.docs[id].Chunks && len(out) < n; ord++ {
			if _, ok := set.row[ChunkID(id, ord)]; !ok {
				out = append(out, chunkRef{id, ord})
			}
		}
		if len(out) >= n {
			break
		}
	}
	return out
}

// loadVectors reads the vectors stored for the set's embedder into a set of its own, then
// installs them under the library lock, leaving out documents removed meanwhile (their
// removal may already have been applied to set).
func (l *Library) loadVectors(ctx context.Context, set *vectorSet) error {
	var vec []float32
	l.mu.RLock()
	live := make(map[string]int, len(l.docs))
	for id, d := range l.docs {
		live[id] = d.Chunks
	}
	read := &vectorSet{id: set.id, dim: set.dim, row: map[string]int{}, docIdx: map[string]int32{}}
	l.mu.RUnlock()
	err := l.st.View(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte(BucketVectors)).Bucket([]byte(read.id))
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, raw []byte) error {
			docID, ordS, ok := strings.Cut(string(k), "/")
			ord, err := strconv.Atoi(ordS)
			if !ok || err != nil {
				return nil
			}
			if n, ok := live[docID]; !ok || ord >= n {
				return nil
			}
			if read.dim == 0 {
				read.dim = len(raw) / 4
			}
			if len(raw) != 4*read.dim {
				return nil // from an older configuration of the same id: embedded again
			}
			vec = decodeVec(raw, vec[:0])
			read.add(docID, ord, vec)
			return nil
		})
	})
	if err != nil {
		return fmt.Errorf("read vectors: %w", err)
	}
	if err := l.at(ctx, "vectors-read"); err != nil {
		return err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, id := range read.docIDs {
		if _, ok := l.docs[id]; !ok {
			read.removeDoc(id)
		}
	}
	if set.dim == 0 {
		set.dim = read.dim
	}
	if len(set.rows) == 0 && set.dim == read.dim {
		set.data, set.rows, set.row, set.docIdx, set.docIDs = read.data, read.rows, read.row, read.docIdx, read.docIDs
	} else if set.dim == read.dim {
		for _, r := range read.rows {
			docID := read.docIDs[r.doc]
			i := read.row[ChunkID(docID, int(r.ord))]
			set.add(docID, int(r.ord), read.data[i*read.dim:(i+1)*read.dim])
		}
	}
	set.loaded = true
	return nil
}

// promote makes a complete pending set the one search uses, and drops the vectors of
// every other embedder from the workspace.
func (l *Library) promote(set *vectorSet) {
	l.mu.Lock()
	if l.vectors.pending == set {
		l.vectors.active, l.vectors.pending = set, nil
	}
	isActive := l.vectors.active == set
	l.mu.Unlock()
	if !isActive {
		return
	}
	err := l.st.Update(func(tx *bolt.Tx) error {
		vb := tx.Bucket([]byte(BucketVectors))
		var stale [][]byte
		vb.ForEachBucket(func(k []byte) error {
			if string(k) != set.id {
				stale = append(stale, append([]byte(nil), k...))
			}
			return nil
		})
		for _, k := range stale {
			if err := vb.DeleteBucket(k); err != nil {
				return err
			}
		}
		return store.PutJSON(tx, BucketState, "embedder", embedderState{V: 1, Embedder: set.id, Dim: set.dim})
	})
	if err != nil {
		l.log.Warn("lore: dropping old vectors failed", "err", err)
	}
}
