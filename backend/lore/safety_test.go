package lore

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/cryptotest"

	bolt "go.etcd.io/bbolt"

	"github.com/npcstudio/npcstudio/backend/store"
)

// Two files whose names make the same id slug ("ember-court").
const (
	emberMD  = "# The Ember Court\n\nThe ember court meets at dusk beneath the ash throne.\n"
	emberTXT = "Minutes of the ember court: the treasurer reported the salt tithe unpaid.\n"
)

// memTempDir is a temporary folder in memory where the system has one (/dev/shm), else
// t.TempDir: for tests that commit thousands of times, where waiting for the disk at each
// sync would make the run minutes long. The code under test syncs all the same.
func memTempDir(t *testing.T) string {
	t.Helper()
	if dir, err := os.MkdirTemp("/dev/shm", "npcstudio-lore-test-*"); err == nil {
		t.Cleanup(func() { os.RemoveAll(dir) })
		return dir
	}
	return t.TempDir()
}

// textsOf reads every document of lib as name -> text.
func textsOf(t *testing.T, lib *Library) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, d := range lib.List(DocFilter{}) {
		b, err := os.ReadFile(lib.textPath(d.ID))
		if err != nil {
			t.Fatalf("text of %s: %v", d.Name, err)
		}
		out[d.Name] = string(b)
	}
	return out
}

// assertLore checks that lib holds exactly the documents in want (name -> text): each with
// its text file, its chunks in the workspace and in the keyword index, and nothing else in
// the text folder.
func assertLore(t *testing.T, lib *Library, want map[string]string) {
	t.Helper()
	docs := lib.List(DocFilter{})
	if len(docs) != len(want) {
		t.Fatalf("%d documents, want %d: %+v", len(docs), len(want), docs)
	}
	files := []string{}
	total := 0
	for _, d := range docs {
		text, ok := want[d.Name]
		if !ok {
			t.Fatalf("unexpected document %s", d.Name)
		}
		got, err := os.ReadFile(lib.textPath(d.ID))
		if err != nil || string(got) != text {
			t.Fatalf("%s (%s): text %q, %v; want %q", d.Name, d.ID, got, err, text)
		}
		files = append(files, d.ID+".txt")
		chunks, err := lib.Chunks(d.ID, 0, d.Chunks+1)
		if err != nil || len(chunks) != d.Chunks || d.Chunks == 0 {
			t.Fatalf("%s: %d chunks of %d: %v", d.Name, len(chunks), d.Chunks, err)
		}
		for _, c := range chunks {
			if c.DocID != d.ID || text[c.Start:c.End] != c.Text {
				t.Fatalf("%s: chunk %d is not cut from its text: %+v", d.Name, c.Ord, c)
			}
		}
		total += d.Chunks
	}
	entries, _ := os.ReadDir(filepath.Join(lib.dir, "docs"))
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(files)
	if !slices.Equal(names, files) {
		t.Fatalf("text folder holds %v, want %v", names, files)
	}
	lib.mu.RLock()
	n, err := lib.kw.count()
	lib.mu.RUnlock()
	if err != nil || n != uint64(total) {
		t.Fatalf("keyword index holds %d chunks, want %d (%v)", n, total, err)
	}
}

func addFiles(t *testing.T, lib *Library, paths ...string) AddReport {
	t.Helper()
	rep, err := lib.Add(context.Background(), paths, AddOptions{})
	if err != nil || len(rep.Failed) > 0 {
		t.Fatalf("add %v: %+v %v", paths, rep.Failed, err)
	}
	return rep
}

// replay makes the next document id drawn for name the one the random stream of seed
// draws first, and checks it is want (so the test really replays a collision).
func replay(t *testing.T, seed uint64, name, want string) {
	t.Helper()
	cryptotest.SetGlobalRandom(t, seed)
	if got := newDocID(name); got != want {
		t.Fatalf("replaying seed %d draws %s, want %s: the collision is not reproduced", seed, got, want)
	}
	cryptotest.SetGlobalRandom(t, seed)
}

func TestDocIDsAreDrawnUntilUnused(t *testing.T) {
	ctx := context.Background()
	rechunk := ReindexOptions{Chunking: &ChunkOptions{Strategy: Fixed, Size: 60, Overlap: 10}}

	t.Run("re-chunk draws the id of the document it replaces", func(t *testing.T) {
		lib := newLibrary(t, Options{})
		p := writeFile(t, t.TempDir(), "ember-court.md", []byte(emberMD))
		cryptotest.SetGlobalRandom(t, 1)
		old := addFiles(t, lib, p).Added[0]
		replay(t, 1, old.Name, old.ID)
		if err := lib.Reindex(ctx, rechunk); err != nil {
			t.Fatal(err)
		}
		assertLore(t, lib, map[string]string{"ember-court.md": emberMD})
		if d, _ := lib.Get("ember-court.md"); d.ID == old.ID || d.Chunking.Strategy != Fixed {
			t.Errorf("after re-chunking: %+v", d)
		}
	})

	t.Run("update draws the id of the document it replaces", func(t *testing.T) {
		lib := newLibrary(t, Options{})
		dir := t.TempDir()
		p := writeFile(t, dir, "ember-court.md", []byte(emberMD))
		cryptotest.SetGlobalRandom(t, 2)
		old := addFiles(t, lib, p).Added[0]
		edited := emberMD + "\nThe court was moved to the salt hall.\n"
		writeFile(t, dir, "ember-court.md", []byte(edited))
		replay(t, 2, old.Name, old.ID)
		if rep := addFiles(t, lib, p); len(rep.Updated) != 1 {
			t.Fatalf("update: %+v", rep)
		}
		assertLore(t, lib, map[string]string{"ember-court.md": edited})
	})

	t.Run("import draws the id of another document with the same slug", func(t *testing.T) {
		lib := newLibrary(t, Options{})
		dir := t.TempDir()
		md := writeFile(t, dir, "ember-court.md", []byte(emberMD))
		txt := writeFile(t, dir, "ember_court.txt", []byte(emberTXT))
		cryptotest.SetGlobalRandom(t, 3)
		first := addFiles(t, lib, md).Added[0]
		replay(t, 3, "ember_court.txt", first.ID)
		addFiles(t, lib, txt)
		assertLore(t, lib, map[string]string{"ember-court.md": emberMD, "ember_court.txt": emberTXT})
	})

	t.Run("re-chunk draws the id of another document with the same slug", func(t *testing.T) {
		lib := newLibrary(t, Options{})
		dir := t.TempDir()
		cryptotest.SetGlobalRandom(t, 4)
		other := addFiles(t, lib, writeFile(t, dir, "ember_court.txt", []byte(emberTXT))).Added[0]
		cryptotest.SetGlobalRandom(t, 5)
		addFiles(t, lib, writeFile(t, dir, "ember-court.md", []byte(emberMD)))
		// ember-court.md is re-chunked first (by name) and draws ember_court.txt's id.
		replay(t, 4, "ember-court.md", other.ID)
		if err := lib.Reindex(ctx, rechunk); err != nil {
			t.Fatal(err)
		}
		assertLore(t, lib, map[string]string{"ember-court.md": emberMD, "ember_court.txt": emberTXT})
	})

	t.Run("a text file already on disk keeps its name", func(t *testing.T) {
		lib := newLibrary(t, Options{})
		p := writeFile(t, t.TempDir(), "ember-court.md", []byte(emberMD))
		cryptotest.SetGlobalRandom(t, 6)
		taken := newDocID("ember-court.md")
		// A text whose record is not committed yet (an import under way elsewhere).
		if err := os.WriteFile(lib.textPath(taken), []byte("someone else's"), 0o600); err != nil {
			t.Fatal(err)
		}
		cryptotest.SetGlobalRandom(t, 6)
		d := addFiles(t, lib, p).Added[0]
		if d.ID == taken {
			t.Fatalf("the import took the id %s of a text file already there", taken)
		}
		if b, _ := os.ReadFile(lib.textPath(taken)); string(b) != "someone else's" {
			t.Errorf("the file already there was overwritten: %q", b)
		}
	})
}

// TestRechunkWithReplayedCollisionsLosesNothing re-chunks two documents of one slug a
// thousand times, replaying the same random stream for every document, so every run draws
// ids that are taken: by the document being replaced or by the other one.
func TestRechunkWithReplayedCollisionsLosesNothing(t *testing.T) {
	dir := memTempDir(t)
	st := openStore(t, dir)
	defer st.Close()
	lib, err := NewLibrary(st, Options{})
	if err != nil {
		t.Fatal(err)
	}
	src := t.TempDir()
	cryptotest.SetGlobalRandom(t, 7)
	addFiles(t, lib, writeFile(t, src, "ember_court.txt", []byte(emberTXT)))
	cryptotest.SetGlobalRandom(t, 7)
	addFiles(t, lib, writeFile(t, src, "ember-court.md", []byte(emberMD)))
	want := map[string]string{"ember-court.md": emberMD, "ember_court.txt": emberTXT}
	assertLore(t, lib, want)

	var taken atomic.Int64
	lib.hook = func(_ context.Context, point string) error {
		switch point {
		case "id-taken":
			taken.Add(1)
		case "commit": // the next document draws from the start of the stream again
			cryptotest.SetGlobalRandom(t, 7)
		}
		return nil
	}
	const runs = 1000
	sizes := []int{60, 80}
	for run := range runs {
		cryptotest.SetGlobalRandom(t, 7)
		before := taken.Load()
		opt := ReindexOptions{Chunking: &ChunkOptions{Strategy: Fixed, Size: sizes[run%2], Overlap: 10}}
		if err := lib.Reindex(context.Background(), opt); err != nil {
			t.Fatalf("run %d: %v", run, err)
		}
		if taken.Load() == before {
			t.Fatalf("run %d drew no taken id: the collision is not replayed", run)
		}
		if got := textsOf(t, lib); len(got) != 2 || got["ember-court.md"] != emberMD || got["ember_court.txt"] != emberTXT {
			t.Fatalf("run %d lost a document: %v", run, got)
		}
	}
	assertLore(t, lib, want)
	if err := lib.Close(); err != nil {
		t.Fatal(err)
	}
	lib, err = NewLibrary(st, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer lib.Close()
	assertLore(t, lib, want)
}

func TestCloseDuringReindex(t *testing.T) {
	reindex := func(opt ReindexOptions) func(context.Context, *Library) error {
		return func(ctx context.Context, lib *Library) error { return lib.Reindex(ctx, opt) }
	}
	newFile := writeFile(t, t.TempDir(), "salt-hall.md", []byte("The salt hall keeps the tithe ledgers."))
	for _, tc := range []struct {
		name, point string
		run         func(context.Context, *Library) error
		opt         ReindexOptions
	}{
		{"keyword rebuild, before the new index is swapped in", "keyword-swap", reindex(ReindexOptions{}), ReindexOptions{}},
		{"re-chunk, before a document is committed", "commit", reindex(ReindexOptions{Chunking: &ChunkOptions{Strategy: Cloud}}), ReindexOptions{Chunking: &ChunkOptions{Strategy: Cloud}}},
		{"import, before the document is committed", "commit", func(ctx context.Context, lib *Library) error {
			_, err := lib.Add(ctx, []string{newFile}, AddOptions{})
			return err
		}, ReindexOptions{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			dir := t.TempDir()
			st := openStore(t, dir)
			defer st.Close()
			lib, err := NewLibrary(st, Options{})
			if err != nil {
				t.Fatal(err)
			}
			addWorld(t, lib)
			want := textsOf(t, lib)

			reached, closeReturned := make(chan struct{}), make(chan struct{})
			var once sync.Once
			lib.hook = func(ctx context.Context, point string) error {
				if point != tc.point {
					return nil
				}
				once.Do(func() { close(reached) })
				// Close must cut the reindex short; a Close that returns without waiting for
				// it lets the reindex go on against a closed index.
				select {
				case <-ctx.Done():
					return ctx.Err()
				case <-closeReturned:
					return nil
				}
			}
			errc := make(chan error, 1)
			go func() { errc <- tc.run(ctx, lib) }()
			<-reached
			if err := lib.Close(); err != nil {
				t.Fatalf("close: %v", err)
			}
			close(closeReturned)
			if err := <-errc; !errors.Is(err, ErrClosed) {
				t.Fatalf("the work cut short by Close returned %v, want ErrClosed", err)
			}
			if err := lib.Close(); err != nil {
				t.Errorf("closing again: %v", err)
			}

			// Every entry point refuses a closed library.
			p := writeFile(t, t.TempDir(), "late.md", []byte("A late arrival at the ember court."))
			calls := map[string]func() error{
				"Add":    func() error { _, err := lib.Add(ctx, []string{p}, AddOptions{}); return err },
				"Remove": func() error { return lib.Remove("oren-vale.md") },
				"UpdateMeta": func() error {
					c := "x"
					_, err := lib.UpdateMeta("oren-vale.md", MetaUpdate{Collection: &c})
					return err
				},
				"Reindex":  func() error { return lib.Reindex(ctx, ReindexOptions{}) },
				"Re-chunk": func() error { return lib.Reindex(ctx, tc.opt) },
				"Search":   func() error { _, err := lib.Search(ctx, Query{Text: "glass crown"}); return err },
				"Get":      func() error { _, err := lib.Get("oren-vale.md"); return err },
				"Text":     func() error { _, err := lib.Text("oren-vale.md"); return err },
				"Chunks":   func() error { _, err := lib.Chunks("oren-vale.md", 0, 5); return err },
				"Chunk":    func() error { _, _, err := lib.Chunk("oren-vale-aaaa#0"); return err },
			}
			for name, call := range calls {
				if err := call(); !errors.Is(err, ErrClosed) {
					t.Errorf("%s after Close: %v, want ErrClosed", name, err)
				}
			}
			lib.SetEmbedder(HashEmbedder{N: 8}, nil)
			if s := lib.EmbedStatus(); s.State != "off" {
				t.Errorf("SetEmbedder after Close started embedding: %+v", s)
			}

			// The workspace opens again (an index left open would hold bleve's lock), with
			// nothing lost and no half-built index beside it.
			lib2, err := NewLibrary(st, Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer lib2.Close()
			assertLore(t, lib2, want)
			if _, err := os.Stat(filepath.Join(dir, "lore", "keyword.bleve.new")); !os.IsNotExist(err) {
				t.Errorf("half-built index left behind: %v", err)
			}
			// A late reindex of the closed library leaves the reopened one alone.
			if err := lib.Reindex(ctx, ReindexOptions{}); !errors.Is(err, ErrClosed) {
				t.Errorf("late reindex: %v", err)
			}
			res, err := lib2.Search(ctx, Query{Text: "which smith forged the glass crown", K: 3})
			if err != nil || len(res.Results) == 0 || res.Results[0].Doc != "oren-vale.md" {
				t.Fatalf("search of the reopened library: %+v %v", res, err)
			}
			if err := lib2.Reindex(ctx, ReindexOptions{}); err != nil {
				t.Fatal(err)
			}
			assertLore(t, lib2, want)
		})
	}
}

// storedVectorDocs lists the documents that have vectors stored for embedder id.
func storedVectorDocs(t *testing.T, st *store.Store, id string) map[string]int {
	t.Helper()
	out := map[string]int{}
	st.View(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte(BucketVectors)).Bucket([]byte(id))
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, _ []byte) error {
			doc, _, _ := strings.Cut(string(k), "/")
			out[doc]++
			return nil
		})
	})
	return out
}

// activeVectorDocs lists the documents with rows in the vectors search uses.
func activeVectorDocs(lib *Library) map[string]int {
	lib.mu.RLock()
	defer lib.mu.RUnlock()
	out := map[string]int{}
	if set := lib.vectors.active; set != nil {
		for _, r := range set.rows {
			out[set.docIDs[r.doc]]++
		}
	}
	return out
}

func TestRemoveWhileStoredVectorsLoad(t *testing.T) {
	dir := t.TempDir()
	st := openStore(t, dir)
	defer st.Close()
	lib, err := NewLibrary(st, Options{})
	if err != nil {
		t.Fatal(err)
	}
	addWorld(t, lib)
	emb := HashEmbedder{N: 16}
	lib.SetEmbedder(emb, nil)
	waitEmbedded(t, lib)
	lib.Close()

	// Opened again, the library loads the stored vectors in the background.
	lib, err = NewLibrary(st, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer lib.Close()
	docs := lib.List(DocFilter{})
	sort.Slice(docs, func(i, j int) bool { return docs[i].ID < docs[j].ID })
	victim := docs[len(docs)-1] // its vectors are read last
	reached, removing := make(chan struct{}), make(chan struct{}, 1)
	var once sync.Once
	lib.hook = func(ctx context.Context, point string) error {
		switch point {
		case "vectors-read":
			once.Do(func() { close(reached) })
			select {
			case <-removing:
			case <-ctx.Done():
				return ctx.Err()
			}
		case "vectors-drop": // called with the library lock held, as the removal drops vectors
			select {
			case removing <- struct{}{}:
			default:
			}
		}
		return nil
	}
	lib.SetEmbedder(emb, nil)
	<-reached
	if err := lib.Remove(victim.ID); err != nil {
		t.Fatal(err)
	}
	p := waitEmbedded(t, lib)
	total := 0
	for _, d := range lib.List(DocFilter{}) {
		total += d.Chunks
	}
	if p.Done != total || p.Total != total {
		t.Errorf("status %+v, want %d of %d", p, total, total)
	}
	if n := activeVectorDocs(lib)[victim.ID]; n > 0 {
		t.Errorf("%d vectors of the removed %s are searched", n, victim.Name)
	}
	if n := storedVectorDocs(t, st, emb.ID())[victim.ID]; n > 0 {
		t.Errorf("%d vectors of the removed %s are stored", n, victim.Name)
	}
}

func TestRemoveRecountsTheEmbedStatus(t *testing.T) {
	lib := newLibrary(t, Options{})
	addWorld(t, lib)
	lib.SetEmbedder(HashEmbedder{N: 8}, nil)
	waitEmbedded(t, lib)
	gone, _ := lib.Get("oren-vale.md")
	if err := lib.Remove(gone.ID); err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, d := range lib.List(DocFilter{}) {
		total += d.Chunks
	}
	if s := lib.EmbedStatus(); s.Total != total || s.Done != total || s.State != "ready" {
		t.Errorf("status after removing %s: %+v, want %d of %d ready", gone.Name, s, total, total)
	}
	if s := waitEmbedded(t, lib); s.Total != total || s.Done != total {
		t.Errorf("status once the worker reported: %+v, want %d of %d", s, total, total)
	}
}

// pausedEmbedder reports its first call on called, then embeds once open is closed.
type pausedEmbedder struct {
	HashEmbedder
	called chan struct{}
	once   *sync.Once
	open   chan struct{}
}

func (p pausedEmbedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	p.once.Do(func() { close(p.called) })
	select {
	case <-p.open:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return p.HashEmbedder.Embed(ctx, texts)
}

func TestVectorsOfADocumentRemovedWhileEmbeddingAreNotStored(t *testing.T) {
	lib := newLibrary(t, Options{})
	dir := t.TempDir()
	addFiles(t, lib, writeFile(t, dir, "ember-court.md", []byte(emberMD)), writeFile(t, dir, "salt-hall.md", []byte("The salt hall keeps the tithe ledgers.")))
	gone, _ := lib.Get("ember-court.md")
	kept, _ := lib.Get("salt-hall.md")
	emb := pausedEmbedder{HashEmbedder: HashEmbedder{N: 8}, called: make(chan struct{}), once: &sync.Once{}, open: make(chan struct{})}
	lib.SetEmbedder(emb, nil)
	<-emb.called // the chunks of both documents are read and being embedded
	if err := lib.Remove(gone.ID); err != nil {
		t.Fatal(err)
	}
	close(emb.open)
	waitEmbedded(t, lib)
	stored := storedVectorDocs(t, lib.st, emb.ID())
	if stored[gone.ID] != 0 {
		t.Errorf("%d vectors of the removed document were stored and will never be removed", stored[gone.ID])
	}
	if stored[kept.ID] != kept.Chunks {
		t.Errorf("%d vectors of %s stored, want %d", stored[kept.ID], kept.Name, kept.Chunks)
	}
}

func TestTextIsSavedBeforeItsRecordAndNothingDangles(t *testing.T) {
	ctx := context.Background()
	lib := newLibrary(t, Options{})
	docsDir := filepath.Join(lib.dir, "docs")
	p := writeFile(t, t.TempDir(), "ember-court.md", []byte(emberMD))
	cut := errors.New("the power went out")
	atCommit := 0
	lib.hook = func(_ context.Context, point string) error {
		if point != "commit" {
			return nil
		}
		atCommit++
		// The text is in place under its final name, whole, before a record names it.
		entries, _ := os.ReadDir(docsDir)
		var txt []string
		for _, e := range entries {
			if strings.HasSuffix(e.Name(), ".txt") {
				txt = append(txt, e.Name())
			} else {
				t.Errorf("temporary file %s still there at commit", e.Name())
			}
		}
		found := false
		for _, name := range txt {
			if b, _ := os.ReadFile(filepath.Join(docsDir, name)); string(b) == emberMD {
				found = true
			}
		}
		if !found {
			t.Errorf("no whole text file at commit: %v", txt)
		}
		return cut
	}
	rep, err := lib.Add(ctx, []string{p}, AddOptions{})
	if err != nil || len(rep.Failed) != 1 || !errors.Is(rep.Failed[0].Err, cut) || atCommit != 1 {
		t.Fatalf("import failing at commit: %+v %v (hook called %d times)", rep, err, atCommit)
	}
	assertLore(t, lib, map[string]string{})
	lib.st.View(func(tx *bolt.Tx) error {
		if k, _ := tx.Bucket([]byte(BucketChunks)).Cursor().First(); k != nil {
			t.Errorf("chunk %s left by the failed import", k)
		}
		return nil
	})

	// A re-chunk failing at commit leaves the document as it was.
	lib.hook = nil
	before := addFiles(t, lib, p).Added[0]
	lib.hook = func(_ context.Context, point string) error {
		if point == "commit" {
			return cut
		}
		return nil
	}
	if err := lib.Reindex(ctx, ReindexOptions{Chunking: &ChunkOptions{Strategy: Cloud}}); !errors.Is(err, cut) {
		t.Fatalf("re-chunk failing at commit: %v", err)
	}
	assertLore(t, lib, map[string]string{"ember-court.md": emberMD})
	if after, _ := lib.Get("ember-court.md"); after.ID != before.ID || after.Chunking != before.Chunking {
		t.Errorf("the document changed: %+v, was %+v", after, before)
	}
}
