package lore

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// marker is a word found in one generated file only: "qx" and the file number in letters.
func marker(i int) string {
	var b strings.Builder
	b.WriteString("qx")
	for range 4 {
		b.WriteByte(byte('a' + i%26))
		i /= 26
	}
	return b.String() + "z"
}

// smallWiki writes n small Markdown files, each with its own marker word.
func smallWiki(t testing.TB, n int) string {
	t.Helper()
	dir := t.TempDir()
	for i := range n {
		body := fmt.Sprintf("# Entry %d\n\nThe archive keeps entry %d under the word %s, filed by the tithe clerks of the salt hall.\n", i, i, marker(i))
		writeFile(t, filepath.Join(dir, fmt.Sprintf("%02d", i/500)), fmt.Sprintf("entry-%05d.md", i), []byte(body))
	}
	return dir
}

// TestCancelledFolderImportResumesWithEveryFileOnce imports a 10,000-file folder, cancels
// it half-way, imports the folder again after reopening the library, and finds every file
// in exactly once. The first import commits in batches, not one file at a time.
func TestCancelledFolderImportResumesWithEveryFileOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("10,000 files")
	}
	const files, cancelAt = 10000, 5000
	src := smallWiki(t, files)
	dir := t.TempDir()
	st := openStore(t, dir)
	defer st.Close()
	lib, err := NewLibrary(st, Options{})
	if err != nil {
		t.Fatal(err)
	}
	lib.batchAge = time.Hour // batches end by size only, whatever the machine's speed

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	read, commits := 0, 0
	lib.hook = func(_ context.Context, point string) error {
		switch point {
		case "file-read":
			if read++; read == cancelAt {
				cancel()
			}
		case "commit":
			commits++
		}
		return nil
	}
	done := 0
	rep, err := lib.Add(ctx, []string{src}, AddOptions{Progress: func(p AddProgress) {
		if p.Stage == "done" {
			done++
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled import returned %v", err)
	}
	kept := len(lib.List(DocFilter{}))
	if kept != len(rep.Added) || done != kept {
		t.Errorf("%d documents in the library, %d reported added, %d reported done", kept, len(rep.Added), done)
	}
	// A cancel lets the commit under way end and loses only the batch being read, which
	// holds at most batchFiles files.
	if kept > cancelAt || kept < cancelAt-batchFiles {
		t.Errorf("%d of %d files read were kept, want at least %d", kept, cancelAt, cancelAt-batchFiles)
	}
	if commits == 0 || commits > cancelAt/batchFiles+1 {
		t.Errorf("%d commits for %d files: files are not committed in batches", commits, read)
	}

	// Reopen, as after a restart, and import the same folder again.
	if err := lib.Close(); err != nil {
		t.Fatal(err)
	}
	lib, err = NewLibrary(st, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer lib.Close()
	rep, err = lib.Add(context.Background(), []string{src}, AddOptions{})
	if err != nil || len(rep.Failed) > 0 {
		t.Fatalf("re-run: %v %+v", err, rep.Failed)
	}
	if len(rep.Unchanged) != kept || len(rep.Added) != files-kept || len(rep.Updated) != 0 {
		t.Errorf("re-run: %d unchanged, %d added, %d updated; want %d, %d, 0", len(rep.Unchanged), len(rep.Added), len(rep.Updated), kept, files-kept)
	}

	docs := lib.List(DocFilter{})
	names := map[string]int{}
	for _, d := range docs {
		names[d.Name]++
	}
	if len(docs) != files || len(names) != files {
		t.Fatalf("%d documents with %d distinct names, want %d", len(docs), len(names), files)
	}
	for i := range files {
		if n := names[fmt.Sprintf("entry-%05d.md", i)]; n != 1 {
			t.Fatalf("entry-%05d.md is in %d times", i, n)
		}
	}
	assertChunksAgree(t, lib)
	for _, i := range []int{7, cancelAt - 3, cancelAt + 11, files - 2} {
		res, err := lib.Search(context.Background(), Query{Text: marker(i), K: 3, Mode: Keyword})
		want := fmt.Sprintf("entry-%05d.md", i)
		if err != nil || len(res.Results) != 1 || res.Results[0].Doc != want {
			t.Errorf("search for %s: %+v %v, want %s alone", marker(i), res.Results, err, want)
		}
	}
}

// TestDuplicateInsideOneBatchIsRefused fails one file of a batch on its own (a duplicate of
// another file of the same batch): the others are committed, nothing of it is left.
func TestDuplicateInsideOneBatchIsRefused(t *testing.T) {
	lib := newLibrary(t, Options{})
	dir := t.TempDir()
	a := writeFile(t, dir, "a.md", []byte("The salt hall keeps the tithe ledgers."))
	b := writeFile(t, dir, "b.md", []byte("The salt hall keeps the tithe ledgers."))
	c := writeFile(t, dir, "c.md", []byte("Oren Vale guards the ember court."))
	rep, err := lib.Add(context.Background(), []string{a, b, c}, AddOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var de *DuplicateError
	if len(rep.Added) != 2 || len(rep.Failed) != 1 || !errors.As(rep.Failed[0].Err, &de) || de.Existing != "a.md" {
		t.Fatalf("%+v", rep)
	}
	assertLore(t, lib, map[string]string{"a.md": "The salt hall keeps the tithe ledgers.", "c.md": "Oren Vale guards the ember court."})
}

// TestImportOfSmallAndLargeTextsAndRerunWritesNothing imports small texts (held in memory)
// beside one larger than inMemoryText (through a temporary file): each is kept as the
// library keeps text (no byte order mark, LF line ends). Importing the small files again
// finds them unchanged and writes nothing to the text folder, not even a temporary file.
func TestImportOfSmallAndLargeTextsAndRerunWritesNothing(t *testing.T) {
	lib := newLibrary(t, Options{})
	src := t.TempDir()
	want := map[string]string{}
	for i := range 30 {
		text := fmt.Sprintf("# Entry %d\n\nThe archive keeps entry %d under the word %s.\n", i, i, marker(i))
		raw := text
		switch i % 3 {
		case 1:
			raw = strings.ReplaceAll(text, "\n", "\r\n")
		case 2:
			raw = "\xEF\xBB\xBF" + text
		}
		name := fmt.Sprintf("entry-%02d.md", i)
		writeFile(t, src, name, []byte(raw))
		want[name] = text
	}
	var large strings.Builder
	for i := 0; large.Len() <= inMemoryText+inMemoryText/2; i++ {
		fmt.Fprintf(&large, "Paragraph %d of the long chronicle tells of the salt hall and the ember court.\r\n\r\n", i)
	}
	writeFile(t, src, "chronicle.txt", []byte(large.String()))
	want["chronicle.txt"] = strings.ReplaceAll(large.String(), "\r\n", "\n")

	rep, err := lib.Add(context.Background(), []string{src}, AddOptions{})
	if err != nil || len(rep.Failed) > 0 || len(rep.Added) != len(want) {
		t.Fatalf("%v %d added %+v", err, len(rep.Added), rep.Failed)
	}
	assertLore(t, lib, want)

	docs := filepath.Join(lib.dir, "docs")
	before, err := os.Stat(docs)
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(10 * time.Millisecond) // a file made and removed would move the folder's time on
	small, _ := filepath.Glob(filepath.Join(src, "*.md"))
	rep, err = lib.Add(context.Background(), small, AddOptions{})
	if err != nil || len(rep.Failed) > 0 || len(rep.Unchanged) != len(small) || len(rep.Added)+len(rep.Updated) != 0 {
		t.Fatalf("re-run: %v %d unchanged, %d added, %d updated, %+v", err, len(rep.Unchanged), len(rep.Added), len(rep.Updated), rep.Failed)
	}
	after, err := os.Stat(docs)
	if err != nil {
		t.Fatal(err)
	}
	if !after.ModTime().Equal(before.ModTime()) {
		t.Errorf("the re-run wrote to the text folder (modified %v, before %v)", after.ModTime(), before.ModTime())
	}
	assertLore(t, lib, want)
}

// TestNextFileIsReadWhileABatchCommits holds the first commit until the import has read the
// next file: the commit does not stop the reading. Every file is then in, reported done
// once, after its commit.
func TestNextFileIsReadWhileABatchCommits(t *testing.T) {
	lib := newLibrary(t, Options{})
	src := smallWiki(t, 6)
	done := map[string]int{}
	progress, commits := holdFirstCommit(t, lib, nil, func(p AddProgress) {
		if p.Stage == "done" {
			done[p.File]++
		}
	})
	rep, err := lib.Add(context.Background(), []string{src}, AddOptions{Progress: progress})
	if err != nil || len(rep.Added) != 6 || len(rep.Failed) != 0 {
		t.Fatalf("%v %+v", err, rep)
	}
	if *commits < 2 {
		t.Errorf("%d commits, want one a file", *commits)
	}
	for _, d := range rep.Added {
		if done[d.Name] != 1 {
			t.Errorf("%s reported done %d times", d.Name, done[d.Name])
		}
	}
	if got := len(lib.List(DocFilter{})); got != 6 {
		t.Errorf("%d documents, want 6", got)
	}
}

// TestCommitFailingWhileTheNextBatchIsReadDropsBoth fails the first commit while the next
// file is already read: neither is kept, both are reported, the files after them are in,
// and a re-run takes the two without finding duplicates of what was dropped.
func TestCommitFailingWhileTheNextBatchIsReadDropsBoth(t *testing.T) {
	lib := newLibrary(t, Options{})
	src := smallWiki(t, 5)
	cut := errors.New("the disk went away")
	progress, _ := holdFirstCommit(t, lib, cut, nil)
	rep, err := lib.Add(context.Background(), []string{src}, AddOptions{Progress: progress})
	if err != nil {
		t.Fatal(err)
	}
	failed := map[string]bool{}
	for _, f := range rep.Failed {
		if !errors.Is(f.Err, cut) {
			t.Errorf("%s failed with %v", f.Path, f.Err)
		}
		failed[filepath.Base(f.Path)] = true
	}
	if !failed["entry-00000.md"] || len(rep.Failed)+len(rep.Added) != 5 {
		t.Fatalf("failed %v, added %d", failed, len(rep.Added))
	}
	if got := len(lib.List(DocFilter{})); got != len(rep.Added) {
		t.Errorf("%d documents, %d reported added", got, len(rep.Added))
	}
	lib.hook = nil
	rep, err = lib.Add(context.Background(), []string{src}, AddOptions{})
	if err != nil || len(rep.Failed) != 0 || len(rep.Added) != len(failed) {
		t.Fatalf("re-run: %v added %d, failed %+v", err, len(rep.Added), rep.Failed)
	}
	assertChunksAgree(t, lib)
}

// TestLargeNewFileFailingLateLeavesNothing imports large new texts, which are chunked and
// indexed as they are read, that turn out at their end (or deep inside) not to be taken: a
// duplicate of a document already in, invalid UTF-8 after 5 MB (past one batch's commit),
// and a cancel half-way. Each is reported as before and leaves no chunk, text or temporary
// file; the library keeps what it had.
func TestLargeNewFileFailingLateLeavesNothing(t *testing.T) {
	var big strings.Builder
	for i := 0; big.Len() < 6<<20; i++ {
		fmt.Fprintf(&big, "Paragraph %d of the long chronicle tells of the salt hall and the ember court, and of %s.\n\n", i, marker(i))
	}
	text := big.String()
	for _, tc := range []struct {
		name   string
		file   string
		cancel bool
		check  func(t *testing.T, rep AddReport, err error)
	}{
		{"duplicate", text, false, func(t *testing.T, rep AddReport, err error) {
			var de *DuplicateError
			if err != nil || len(rep.Failed) != 1 || !errors.As(rep.Failed[0].Err, &de) || de.Existing != "chronicle.txt" {
				t.Fatalf("%v %+v", err, rep)
			}
		}},
		{"invalid UTF-8 after 5 MB", text[:5<<20] + "\xff" + text[5<<20:], false, func(t *testing.T, rep AddReport, err error) {
			if err != nil || len(rep.Failed) != 1 || !strings.Contains(rep.Failed[0].Message, fmt.Sprintf("invalid UTF-8 at byte %d", 5<<20)) {
				t.Fatalf("%v %+v", err, rep)
			}
		}},
		{"cancelled", text, true, func(t *testing.T, rep AddReport, err error) {
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("%v %+v", err, rep)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lib := newLibrary(t, Options{})
			src := t.TempDir()
			want := map[string]string{}
			if tc.name == "duplicate" {
				addFiles(t, lib, writeFile(t, src, "chronicle.txt", []byte(text)))
				want["chronicle.txt"] = text
			} else {
				addFiles(t, lib, writeFile(t, src, "salt-hall.md", []byte("The salt hall keeps the tithe ledgers.")))
				want["salt-hall.md"] = "The salt hall keeps the tithe ledgers."
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			p := writeFile(t, src, "late.txt", []byte(tc.file))
			rep, err := lib.Add(ctx, []string{p}, AddOptions{Progress: func(p AddProgress) {
				if tc.cancel && p.Stage == "indexing" && p.Bytes > 3<<20 {
					cancel()
				}
			}})
			tc.check(t, rep, err)
			assertLore(t, lib, want)
			entries, _ := os.ReadDir(filepath.Join(lib.dir, "docs"))
			if len(entries) != len(want) {
				var names []string
				for _, e := range entries {
					names = append(names, e.Name())
				}
				t.Errorf("text folder holds %v, want one file a document", names)
			}
			assertChunksAgree(t, lib)
		})
	}
}

// assertChunksAgree checks that the workspace and the keyword index hold exactly the chunks
// the library's documents name.
func assertChunksAgree(t *testing.T, lib *Library) {
	t.Helper()
	total := 0
	for _, d := range lib.List(DocFilter{}) {
		total += d.Chunks
	}
	stored := 0
	lib.st.View(func(tx *bolt.Tx) error {
		stored = tx.Bucket([]byte(BucketChunks)).Stats().KeyN
		return nil
	})
	if indexed, _ := lib.kw.count(); stored != total || indexed != uint64(total) {
		t.Errorf("documents name %d chunks; the workspace holds %d, the keyword index %d", total, stored, indexed)
	}
}

// holdFirstCommit makes every file of lib's next import a batch and holds the first commit
// until the import has started on the second file (failing the test after 10 s), then lets
// it end with err. Pass the returned progress to the import (next, if set, sees every
// call); commits counts the commits.
func holdFirstCommit(t *testing.T, lib *Library, err error, next func(AddProgress)) (progress func(AddProgress), commits *int) {
	lib.batchAge = time.Nanosecond
	second := make(chan struct{})
	var once sync.Once
	commits = new(int)
	lib.hook = func(_ context.Context, point string) error {
		if point != "commit" {
			return nil
		}
		if *commits++; *commits == 1 {
			select {
			case <-second:
			case <-time.After(10 * time.Second):
				t.Error("the second file was not read while the first batch was committing")
			}
			return err
		}
		return nil
	}
	return func(p AddProgress) {
		if p.FileIndex == 2 && p.Stage == "indexing" {
			once.Do(func() { close(second) })
		}
		if next != nil {
			next(p)
		}
	}, commits
}
