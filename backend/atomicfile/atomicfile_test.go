package atomicfile

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
)

func TestWriteReplacesWholeOrNothing(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "card.json")
	if err := os.WriteFile(path, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("disk full")
	err := Write(path, 0o644, func(w io.Writer) error {
		io.WriteString(w, "half of the new")
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("want the writer's error, got %v", err)
	}
	if got, _ := os.ReadFile(path); string(got) != "old" {
		t.Fatalf("a failed write changed the file: %q", got)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Fatalf("temporary file left behind: %v", entries)
	}

	if err := Write(path, 0o644, func(w io.Writer) error { _, err := io.WriteString(w, "new"); return err }); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(path)
	st, _ := os.Stat(path)
	if string(got) != "new" || st.Mode().Perm() != 0o644 {
		t.Fatalf("after write: %q %v", got, st.Mode())
	}
}

func TestPlaceMovesAFinishedFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "doc.txt")
	f, err := os.CreateTemp(dir, ".import-*.tmp")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.WriteString(f, "the whole text"); err != nil {
		t.Fatal(err)
	}
	if err := Place(f, path); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); string(got) != "the whole text" {
		t.Fatalf("placed file holds %q", got)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Fatalf("want only the placed file, got %v", entries)
	}
	if _, err := f.Write([]byte("x")); err == nil {
		t.Error("Place left the file open")
	}

	// Into a folder that is gone: an error, and the temporary file is still there to remove.
	g, err := os.CreateTemp(dir, ".import-*.tmp")
	if err != nil {
		t.Fatal(err)
	}
	if err := Place(g, filepath.Join(dir, "gone", "doc.txt")); err == nil {
		t.Fatal("placing into a missing folder succeeded")
	}
	if _, err := os.Stat(g.Name()); err != nil {
		t.Errorf("the temporary file should stay for the caller: %v", err)
	}
}

func TestPlaceAllPutsEveryFileWhole(t *testing.T) {
	for _, n := range []int{1, 5} {
		dir := t.TempDir()
		var tmps, paths []string
		for i := range n {
			f, err := os.CreateTemp(dir, ".tmp-*")
			if err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(f, "text %d", i)
			f.Close()
			tmps = append(tmps, f.Name())
			paths = append(paths, filepath.Join(dir, fmt.Sprintf("doc-%d.txt", i)))
		}
		if err := PlaceAll(tmps, paths); err != nil {
			t.Fatal(err)
		}
		for i, p := range paths {
			if b, err := os.ReadFile(p); err != nil || string(b) != fmt.Sprintf("text %d", i) {
				t.Errorf("%s: %q %v", p, b, err)
			}
			if _, err := os.Stat(tmps[i]); !os.IsNotExist(err) {
				t.Errorf("%s still there", tmps[i])
			}
		}
	}
}
