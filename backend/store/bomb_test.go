package store

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/npcstudio/npcstudio/backend/testenv"
)

// bombArchive writes an archive of the exported workspace members ms (manifest first)
// with one more member, lore/atlas.bin: bomb, of which the manifest declares
// declared bytes and the tar header header bytes; after, when not nil, follows the
// end of the tar stream. It is built and compressed without holding the bomb in memory.
func bombArchive(t *testing.T, path string, ms []member, bomb testenv.Repeated, declared, header int64, after *testenv.Repeated) {
	t.Helper()
	var m Manifest
	if err := json.Unmarshal(ms[0].body, &m); err != nil {
		t.Fatal(err)
	}
	h := sha256.New()
	h.Write(bomb.Head)
	for range bomb.Count {
		h.Write(bomb.Unit)
	}
	h.Write(bomb.Tail)
	m.Files = append(m.Files, ManifestFile{Name: "lore/atlas.bin", Size: declared, SHA256: hex.EncodeToString(h.Sum(nil))})
	raw, _ := json.Marshal(m)

	var head bytes.Buffer
	tw := tar.NewWriter(&head)
	for _, mb := range append([]member{{name: ManifestName, body: raw}}, ms[1:]...) {
		tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: mb.name, Mode: 0o600, Size: int64(len(mb.body))})
		tw.Write(mb.body)
	}
	tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: "lore/atlas.bin", Mode: 0o600, Size: header})
	tw.Flush()
	if bomb.Size()%512 != 0 {
		t.Fatal("the bomb must fill whole tar blocks")
	}
	stream := testenv.Repeated{Head: append(head.Bytes(), bomb.Head...), Unit: bomb.Unit, Count: bomb.Count,
		Tail: append(bomb.Tail, make([]byte, 1024)...)} // two zero blocks end a tar stream
	if after != nil {
		// One repeated unit carries the bomb and what follows: the bomb is one unit here.
		stream = testenv.Repeated{Head: append(stream.Head, bomb.Unit...), Unit: after.Unit, Count: after.Count, Tail: make([]byte, 1024)}
		if bomb.Count != 1 {
			t.Fatal("with data after the tar stream, the bomb is one unit")
		}
		stream.Head = append(stream.Head, make([]byte, 1024)...)
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := stream.WriteGzip(f); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestImportArchiveBombs imports hostile archives in a process of its own: each is
// refused naming the archive and the limit, before it fills the data folder, with
// memory under 300 MB, and the workspace is left as it was.
func TestImportArchiveBombs(t *testing.T) {
	if testing.Short() {
		t.Skip("decompresses gigabyte bombs")
	}
	mib := bytes.Repeat([]byte("atlas of the drowned coast "), (1<<20)/27+1)[:1<<20]
	cases := []struct {
		name   string
		build  func(t *testing.T, path string, ms []member)
		member string
		reason string
	}{
		{"a checksummed 1.5 GB member in a 4 MB archive", func(t *testing.T, path string, ms []member) {
			bomb := testenv.Repeated{Unit: mib, Count: 1500}
			bombArchive(t, path, ms, bomb, bomb.Size(), bomb.Size(), nil)
		}, ManifestName, "more than 100 times the archive's size; the archive may be damaged or hostile"},
		{"a member larger than the manifest declares", func(t *testing.T, path string, ms []member) {
			bomb := testenv.Repeated{Unit: mib, Count: 1500}
			bombArchive(t, path, ms, bomb, 1<<20, bomb.Size(), nil)
		}, "lore/atlas.bin", "does not match the manifest"},
		{"1.5 GB after the last member", func(t *testing.T, path string, ms []member) {
			bomb := testenv.Repeated{Unit: mib, Count: 1}
			bombArchive(t, path, ms, bomb, bomb.Size(), bomb.Size(), &testenv.Repeated{Unit: make([]byte, 1<<20), Count: 1500})
		}, "", "holds more data than its manifest declares; the archive may be damaged or hostile"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := testenv.RunBounded(t, func() error {
				ctx := context.Background()
				src := openTest(t, t.TempDir(), "personas")
				put(t, src, "personas", map[string]any{"mora": persona{1, "Captain Mora"}})
				good := filepath.Join(t.TempDir(), "good.npcws")
				if _, err := src.Export(ctx, good, "dev"); err != nil {
					return err
				}
				archive := filepath.Join(t.TempDir(), "coast.npcws")
				tc.build(t, archive, readMembers(t, good))
				if fi, err := os.Stat(archive); err == nil {
					t.Logf("%s: %d bytes", archive, fi.Size())
				}
				dst := t.TempDir()
				openTest(t, dst, "personas").Close()
				before := listing(t, dst)
				_, err := Import(ctx, archive, dst)
				if diff := cmp.Diff(before, listing(t, dst)); diff != "" {
					return fmt.Errorf("%v; and the data folder changed (-before +after):\n%.2000s", err, diff)
				}
				if err == nil {
					return fmt.Errorf("imported")
				}
				return err
			})
			t.Logf("peak RSS %d MiB: %s", res.PeakRSS>>20, res.Err)
			want := "coast.npcws: "
			if tc.member != "" {
				want += tc.member + ": "
			}
			if !strings.Contains(res.Err, want) || !strings.Contains(res.Err, tc.reason) || strings.Contains(res.Err, "changed") {
				t.Errorf("got %q, want %q and %q", res.Err, want, tc.reason)
			}
			if res.PeakRSS > 300<<20 {
				t.Errorf("peak RSS %d MiB, over 300 MiB", res.PeakRSS>>20)
			}
		})
	}
}

// listing is tree for folders that may hold a bomb: files over 16 MiB are listed by
// size, not read.
func listing(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		info, err := d.Info()
		switch {
		case err != nil:
			return err
		case d.IsDir():
			out[filepath.ToSlash(rel)] = "dir"
		case info.Size() > 16<<20:
			out[filepath.ToSlash(rel)] = fmt.Sprintf("%d bytes", info.Size())
		default:
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			sum := sha256.Sum256(b)
			out[filepath.ToSlash(rel)] = hex.EncodeToString(sum[:])
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestImportLongNamesWithinDeclared imports an archive whose member names need extended
// tar headers: what the limit on undeclared data allows for headers covers them.
func TestImportLongNamesWithinDeclared(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	src := openTest(t, dir, "personas")
	for i := range 20 {
		name := filepath.Join(dir, "lore", strings.Repeat("é", 60+i), fmt.Sprintf("%s-%d.txt", strings.Repeat("notes of the drowned coast ", 8), i))
		os.MkdirAll(filepath.Dir(name), 0o700)
		if err := os.WriteFile(name, bytes.Repeat([]byte{byte(i)}, 700), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	archive := filepath.Join(t.TempDir(), "long.npcws")
	m, err := src.Export(ctx, archive, "dev")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Import(ctx, archive, filepath.Join(t.TempDir(), "restored")); err != nil || len(m.Files) != 21 {
		t.Fatalf("%d files: %v", len(m.Files), err)
	}
}
