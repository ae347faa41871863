package lore

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestBadInput imports files a writer might drop by mistake: each is refused with a clear
// message naming the file, the good files beside them are imported, and the library stays
// searchable.
func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	png := append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), make([]byte, 64)...)
	tests := []struct {
		name string
		file string
		data []byte
		want string // in the message
	}{
		{"binary with a text extension", "map.txt", png, "binary file (image/png)"},
		{"NUL bytes in text", "notes.md", []byte(strings.Repeat("a line of notes\n", 40) + "broken\x00\x01"), "notes.md:41: NUL byte at byte 646"},
		{"binary from the start", "blob.txt", []byte("\x00\x01\x02\x03 header"), "binary file (unknown binary data)"},
		{"Latin-1 text", "latin.txt", []byte("Line one\nCaf\xe9 au lait\n"), "latin.txt:2: invalid UTF-8 at byte 12"},
		{"UTF-16 text", "wide.txt", []byte("\xff\xfeH\x00i\x00"), "UTF-16 text: save the file as UTF-8"},
		{"empty file", "empty.md", nil, "the document has no text"},
		{"only white space", "blank.txt", []byte(" \n\n\t \r\n"), "the document has no text"},
		{"scanned PDF", "scan.pdf", makePDF(t, [][]string{nil, nil}), "no text layer (scanned?)"},
		{"PDF that is not one", "fake.pdf", []byte("hello, I am text"), "not a PDF file"},
		{"truncated PDF", "cut.pdf", makePDF(t, [][]string{{"hello"}})[:60], "damaged"},
		{"DOCX that is not a zip", "fake.docx", []byte("plain words"), "not a DOCX file"},
		{"unsupported type", "cover.png", png, `unsupported file type ".png"`},
	}
	lib := newLibrary(t, Options{})
	good := writeFile(t, dir, "good.md", []byte("# Harbour\n\nThe harbour master is a one-armed sailor called Pell."))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := writeFile(t, dir, tt.file, tt.data)
			rep, err := lib.Add(context.Background(), []string{p, good}, AddOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Failed) != 1 {
				t.Fatalf("failed = %+v", rep.Failed)
			}
			f := rep.Failed[0]
			if !strings.Contains(f.Message, tt.want) || !strings.Contains(f.Message, tt.file) || f.Code == "" {
				t.Errorf("message %q (code %s), want it to name %s and say %q", f.Message, f.Code, tt.file, tt.want)
			}
			res, err := lib.Search(context.Background(), Query{Text: "harbour master"})
			if err != nil || len(res.Results) != 1 {
				t.Errorf("library not searchable after a bad file: %+v %v", res, err)
			}
			if _, err := lib.Get(tt.file); err == nil {
				t.Error("the bad file was imported")
			}
		})
	}
	if errors.Is(nil, ErrEmpty) {
		t.Fatal()
	}
}

func TestPDFAndDOCX(t *testing.T) {
	dir := t.TempDir()
	lib := newLibrary(t, Options{})
	pdf := writeFile(t, dir, "chronicle.pdf", makePDF(t, [][]string{
		{"The Chronicle of Ashfall", "The first settlers came in the year 612."},
		{"In 701 the Reeve's hall burned down", "and was rebuilt in black basalt."},
	}))
	docx := writeFile(t, dir, "bestiary.docx", makeDOCX(t, []string{"# Cave Wyrms", "Cave wyrms nest in cold lava tubes & hate light.", "# Ash Hounds", "Ash hounds hunt in packs of six."}))
	rep, err := lib.Add(context.Background(), []string{pdf, docx}, AddOptions{})
	if err != nil || len(rep.Added) != 2 {
		t.Fatalf("%+v %v", rep, err)
	}
	res, _ := lib.Search(context.Background(), Query{Text: "when was the hall rebuilt", K: 1})
	if len(res.Results) != 1 || res.Results[0].Doc != "chronicle.pdf" || !strings.Contains(res.Results[0].Text, "rebuilt in black basalt") {
		t.Fatalf("PDF search: %+v", res.Results)
	}
	if d, _ := lib.Get("chronicle.pdf"); d.Pages != 2 {
		t.Errorf("pages = %d", d.Pages)
	}
	res, _ = lib.Search(context.Background(), Query{Text: "hounds hunting packs", K: 1})
	if len(res.Results) != 1 || res.Results[0].Doc != "bestiary.docx" || res.Results[0].Heading != "Ash Hounds" {
		t.Fatalf("DOCX search: %+v", res.Results)
	}
	p, err := Preview(context.Background(), PreviewRequest{Path: docx})
	if err != nil {
		t.Fatal(err)
	}
	if p.Total != 2 || p.Chunks[0].Text != "# Cave Wyrms\n\nCave wyrms nest in cold lava tubes & hate light." {
		t.Errorf("DOCX preview: %+v", p)
	}
}

// TestTooLarge checks the size bound: a file over it is refused before it is read, with
// the sizes in the message.
func TestTooLarge(t *testing.T) {
	lib := newLibrary(t, Options{MaxDocumentBytes: 1 << 20})
	p := writeFile(t, t.TempDir(), "saga.txt", bytes.Repeat([]byte("The saga goes on and on.\n"), 50000))
	rep, err := lib.Add(context.Background(), []string{p}, AddOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Failed) != 1 || !strings.Contains(rep.Failed[0].Message, "1.2 MB of text is more than this library takes (1.0 MB)") {
		t.Fatalf("%+v", rep.Failed)
	}
}

// bigText writes a text file of about size bytes: paragraphs of lore-like sentences.
func bigText(t testing.TB, path string, size int64) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	var block bytes.Buffer
	for i := 0; block.Len() < 1<<20; i++ {
		block.WriteString("The caravan climbed the Stairs at dawn while the smiths of the Ember Court argued over obsidian prices. ")
		if i%7 == 6 {
			block.WriteString("\n\n")
		}
	}
	for written := int64(0); written < size; written += int64(block.Len()) {
		if _, err := f.Write(block.Bytes()); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// peakHeap samples the heap while fn runs and returns the highest value above the start.
// The collector runs at a low GOGC meanwhile, so what is measured is what fn keeps alive,
// not how far garbage got ahead of a collector starved of CPU on a busy machine.
func peakHeap(fn func()) uint64 {
	defer debug.SetGCPercent(debug.SetGCPercent(10))
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapInuse
	var peak atomic.Uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > base && ms.HeapInuse-base > peak.Load() {
				peak.Store(ms.HeapInuse - base)
			}
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()
	fn()
	close(stop)
	wg.Wait()
	return peak.Load()
}

// TestHugeFileStreams previews the chunking of a 1 GB text file: it is read, checked,
// copied and chunked in blocks, so the heap stays small.
func TestHugeFileStreams(t *testing.T) {
	if testing.Short() {
		t.Skip("writes and reads a 1 GB file")
	}
	p := filepath.Join(t.TempDir(), "endless.txt")
	bigText(t, p, 1<<30)
	var prev ChunkPreview
	var err error
	peak := peakHeap(func() {
		prev, err = Preview(context.Background(), PreviewRequest{Path: p, Limit: 3})
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("1 GB preview: %d chunks, heap peak %.1f MB above the start", prev.Total, float64(peak)/(1<<20))
	if prev.Bytes < 1<<30 || prev.Total < 800000 || len(prev.Chunks) != 3 {
		t.Errorf("preview: %d bytes, %d chunks, %d returned", prev.Bytes, prev.Total, len(prev.Chunks))
	}
	if peak > 64<<20 {
		t.Errorf("heap grew by %d MB reading a 1 GB file", peak>>20)
	}
}

// TestLargeImportBoundedMemory imports a 32 MB text file: chunks go to the workspace and the
// keyword index in batches, so the heap does not grow with the file.
func TestLargeImportBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("imports a 32 MB file")
	}
	lib := newLibrary(t, Options{})
	p := filepath.Join(t.TempDir(), "archive.txt")
	bigText(t, p, 32<<20)
	var rep AddReport
	var err error
	peak := peakHeap(func() {
		rep, err = lib.Add(context.Background(), []string{p}, AddOptions{})
	})
	if err != nil || len(rep.Added) != 1 {
		t.Fatalf("%+v %v", rep, err)
	}
	t.Logf("32 MB import: %d chunks, heap peak %.1f MB above the start", rep.Added[0].Chunks, float64(peak)/(1<<20))
	if peak > 128<<20 {
		t.Errorf("heap grew by %d MB importing a 32 MB file", peak>>20)
	}
}
