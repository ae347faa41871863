package boundedzip

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/npcstudio/npcstudio/backend/testenv"
)

func writeZip(t *testing.T, build func(zw *zip.Writer)) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "test.zip")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	build(zw)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func addFile(t *testing.T, zw *zip.Writer, name string, data []byte) {
	t.Helper()
	w, err := zw.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(data)
}

// readEntry opens name and reads it whole, returning the error from Open or Read.
func readEntry(path, name string, lim Limits) ([]byte, error) {
	r, err := Open(path, lim)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	f := r.Lookup(name)
	if f == nil {
		return nil, fmt.Errorf("no %s", name)
	}
	rc, err := r.Open(f)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

func TestReadsWithinLimits(t *testing.T) {
	text := bytes.Repeat([]byte("the lighthouse keeper "), 1000)
	path := writeZip(t, func(zw *zip.Writer) { addFile(t, zw, "a.txt", text) })
	got, err := readEntry(path, "a.txt", Limits{})
	if err != nil || !bytes.Equal(got, text) {
		t.Fatalf("read %d bytes, %v", len(got), err)
	}
}

func TestRefusesOverLimits(t *testing.T) {
	mib := bytes.Repeat([]byte("0123456789abcdef"), 1<<16) // 1 MiB
	bomb := testenv.Repeated{Unit: mib, Count: 300}        // 300 MiB in about 300 KB
	cases := []struct {
		name   string
		lim    Limits
		build  func(t *testing.T, zw *zip.Writer)
		read   string
		reason string
	}{
		{"entries", Limits{MaxEntries: 3}, func(t *testing.T, zw *zip.Writer) {
			for i := range 4 {
				addFile(t, zw, fmt.Sprintf("%d.txt", i), []byte("x"))
			}
		}, "", "the zip holds more than 3 entries"},
		{"entry size", Limits{MaxEntrySize: 2 << 20, MaxRatio: 1 << 30}, func(t *testing.T, zw *zip.Writer) {
			addFile(t, zw, "big.txt", bytes.Repeat(mib, 3))
		}, "big.txt", "big.txt expands to more than 2 MiB"},
		{"ratio", Limits{}, func(t *testing.T, zw *zip.Writer) {
			if err := bomb.AddToZip(zw, "bomb.xml"); err != nil {
				t.Fatal(err)
			}
		}, "bomb.xml", "bomb.xml expands to more than 256 MiB"},
		{"ratio under the size cap", Limits{MaxEntrySize: 1 << 30}, func(t *testing.T, zw *zip.Writer) {
			if err := bomb.AddToZip(zw, "bomb.xml"); err != nil {
				t.Fatal(err)
			}
		}, "bomb.xml", "bomb.xml expands more than 200 times its compressed size"},
		{"file size", Limits{MaxFileSize: 1000}, func(t *testing.T, zw *zip.Writer) {
			addFile(t, zw, "noise.bin", noise(4000))
		}, "", "the zip is larger than 1000 bytes"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := writeZip(t, func(zw *zip.Writer) { tc.build(t, zw) })
			var err error
			if tc.read == "" {
				var r *Reader
				if r, err = Open(path, tc.lim); err == nil {
					r.Close()
				}
			} else {
				_, err = readEntry(path, tc.read, tc.lim)
			}
			if !errors.Is(err, ErrLimit) || err.Error() != tc.reason {
				t.Fatalf("got %v, want %q", err, tc.reason)
			}
		})
	}
}

// An entry whose header declares a small size is cut at what it declares, and the
// bytes read count against the total even when every declared size is small.
func TestCountsBytesRead(t *testing.T) {
	text := []byte(fmt.Sprintf("%x", noise(1<<20))) // 2 MiB that compress little
	path := writeZip(t, func(zw *zip.Writer) {
		for i := range 3 {
			addFile(t, zw, fmt.Sprintf("%d.txt", i), text)
		}
	})
	r, err := Open(path, Limits{MaxTotalSize: 5 << 20})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var last error
	for _, f := range r.Files() {
		rc, err := r.Open(f)
		if err == nil {
			_, err = io.Copy(io.Discard, rc)
			rc.Close()
		}
		last = err
	}
	if !errors.Is(last, ErrLimit) || !strings.Contains(last.Error(), "more than 5 MiB in all") {
		t.Fatalf("got %v", last)
	}
}

func TestLyingHeaderIsCut(t *testing.T) {
	lie := testenv.Repeated{Unit: bytes.Repeat([]byte("z"), 1<<20), Count: 64}
	path := writeZip(t, func(zw *zip.Writer) {
		compressed, _ := lie.WriteDeflate(io.Discard)
		w, err := zw.CreateRaw(&zip.FileHeader{Name: "lie.xml", Method: zip.Deflate, CRC32: lie.CRC32(),
			CompressedSize64: uint64(compressed), UncompressedSize64: 1 << 20})
		if err != nil {
			t.Fatal(err)
		}
		lie.WriteDeflate(w)
	})
	got, err := readEntry(path, "lie.xml", Limits{})
	if err == nil || len(got) > 1<<20 {
		t.Fatalf("read %d bytes, %v", len(got), err)
	}
}

func noise(n int) []byte {
	b := make([]byte, n)
	x := uint32(2463534242)
	for i := range b {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		b[i] = byte(x)
	}
	return b
}

// TestDirectoryReadWithinBudget opens a zip whose central directory lists 300,000
// entries: it is refused after reading the part of the directory the entry limit
// allows, without building the whole list in memory.
func TestDirectoryReadWithinBudget(t *testing.T) {
	path := writeZip(t, func(zw *zip.Writer) {
		for i := range 300000 {
			if _, err := zw.CreateHeader(&zip.FileHeader{Name: fmt.Sprintf("%08d.txt", i), Method: zip.Store}); err != nil {
				t.Fatal(err)
			}
		}
	})
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	r, err := Open(path, Limits{MaxEntries: 100})
	runtime.ReadMemStats(&after)
	if err == nil {
		r.Close()
	}
	if !errors.Is(err, ErrLimit) || err.Error() != "the zip holds more than 100 entries" {
		t.Fatalf("got %v", err)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 16<<20 {
		t.Errorf("listing the entries allocated %d MiB", alloc>>20)
	}
}
