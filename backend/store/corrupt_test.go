package store

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	bolt "go.etcd.io/bbolt"
)

// goodWorkspace writes a closed workspace of a few hundred records (several dozen pages).
func goodWorkspace(t testing.TB, dir string) string {
	t.Helper()
	s := openTest(t, dir, "personas")
	kv := map[string]any{}
	for i := range 300 {
		kv[fmt.Sprintf("npc-%04d", i)] = persona{1, strings.Repeat("Mora of the north gate ", 20)}
	}
	put(t, s, "personas", kv)
	s.Close()
	return filepath.Join(dir, FileName)
}

func randomBytes(seed uint64, n int) []byte {
	r := rand.New(rand.NewPCG(seed, 42))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

func overwrite(t *testing.T, path string, off int64, b []byte) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteAt(b, off); err != nil {
		t.Fatal(err)
	}
}

// livePage returns the id of a leaf or branch page in use, from the middle of the file.
func livePage(t *testing.T, path string) int {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, PreLoadFreelist: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	id := -1
	db.View(func(tx *bolt.Tx) error {
		pages := int(tx.Size() / int64(db.Info().PageSize))
		for i := pages / 2; i < pages && id < 0; i++ {
			if p, _ := tx.Page(i); p != nil && (p.Type == "leaf" || p.Type == "branch") {
				id = i
			}
		}
		return nil
	})
	if id < 0 {
		t.Fatal("no live page in the second half of the file")
	}
	return id
}

func TestDamagedWorkspaceRefused(t *testing.T) {
	pageSize := os.Getpagesize()
	tests := []struct {
		name   string
		damage func(t *testing.T, path string)
	}{
		{"truncated to half", func(t *testing.T, path string) {
			fi, _ := os.Stat(path)
			os.Truncate(path, fi.Size()/2)
		}},
		{"truncated inside the header", func(t *testing.T, path string) { os.Truncate(path, 100) }},
		{"zero length", func(t *testing.T, path string) { os.Truncate(path, 0) }},
		{"garbage file", func(t *testing.T, path string) { os.WriteFile(path, randomBytes(1, 64<<10), 0o600) }},
		{"garbage over both meta pages", func(t *testing.T, path string) { overwrite(t, path, 0, randomBytes(2, 2*pageSize)) }},
		{"garbage over a live page", func(t *testing.T, path string) {
			overwrite(t, path, int64(livePage(t, path)*pageSize), randomBytes(3, pageSize))
		}},
		{"garbage over a live page header", func(t *testing.T, path string) {
			overwrite(t, path, int64(livePage(t, path)*pageSize), randomBytes(4, 16))
		}},
		{"not a workspace", func(t *testing.T, path string) {
			rawUpdate(t, path, func(tx *bolt.Tx) error { return tx.DeleteBucket([]byte(BucketMeta)) })
		}},
		{"unreadable schema version", func(t *testing.T, path string) {
			rawUpdate(t, path, func(tx *bolt.Tx) error {
				return tx.Bucket([]byte(BucketMeta)).Put([]byte(metaSchemaVersion), []byte("two"))
			})
		}},
	}
	for _, tt := range tests {
		for _, withBackup := range []bool{false, true} {
			name := tt.name + map[bool]string{false: "/no backup", true: "/with backup"}[withBackup]
			t.Run(name, func(t *testing.T) {
				dir := t.TempDir()
				path := goodWorkspace(t, dir)
				var lastGood string
				if withBackup {
					lastGood = backupAt(t, dir, path, time.Now().Add(-2*time.Hour), "daily")
					// A newer backup that is itself damaged is passed over.
					os.WriteFile(filepath.Join(dir, BackupDir, "workspace-"+time.Now().UTC().Format(backupTimeLayout)+"-manual.db"),
						randomBytes(5, 8192), 0o600)
				}
				tt.damage(t, path)
				before := tree(t, dir)

				for _, ro := range []bool{false, true} {
					_, err := Open(dir, Options{ReadOnly: ro, Timeout: 200 * time.Millisecond})
					var ce *CorruptError
					if !errors.As(err, &ce) {
						t.Fatalf("read-only %v: got %v, want *CorruptError", ro, err)
					}
					if ce.Path != path || ce.LastGood != lastGood || ce.Err == nil {
						t.Errorf("got %+v, want path %s, last good %q", ce, path, lastGood)
					}
					msg := err.Error()
					wantTail := "; there is no good backup to restore"
					if withBackup {
						wantTail = "; the last good copy is " + lastGood
					}
					if !strings.HasPrefix(msg, "workspace "+path+" is damaged (") || !strings.HasSuffix(msg, wantTail) {
						t.Errorf("message %q", msg)
					}
				}
				if diff := cmp.Diff(before, tree(t, dir)); diff != "" {
					t.Errorf("data dir changed (-before +after):\n%s", diff)
				}

				// Nothing is left holding the file: once restored, it opens.
				if withBackup {
					copyFile(t, lastGood, path)
					openTest(t, dir, "personas")
				}
			})
		}
	}
}

func TestCheck(t *testing.T) {
	dir := t.TempDir()
	path := goodWorkspace(t, dir)
	s := openTest(t, dir, "personas")
	if err := s.Check(); err != nil {
		t.Fatal(err)
	}
	backup, err := s.Backup("manual")
	if err != nil {
		t.Fatal(err)
	}

	// Swap two keys inside their leaf page, under the open store: the page is still
	// well formed, but out of order.
	b, _ := os.ReadFile(path)
	i, j := bytes.Index(b, []byte("npc-0001")), bytes.Index(b, []byte("npc-0002"))
	if i < 0 || j < 0 || i/os.Getpagesize() != j/os.Getpagesize() {
		t.Fatalf("keys not found in one page (%d, %d)", i, j)
	}
	overwrite(t, path, int64(i), []byte("npc-0002"))
	overwrite(t, path, int64(j), []byte("npc-0001"))

	err = s.Check()
	var ce *CorruptError
	if !errors.As(err, &ce) || ce.Path != path || ce.LastGood != backup {
		t.Fatalf("got %v, want *CorruptError for %s naming %s", err, path, backup)
	}
	t.Log(err)
}

// Random damage anywhere in the file is either refused with *CorruptError or
// harmless (it hit a free page or the bytes of a value): the process never
// crashes, the lock is never left held, and whatever opens passes Check.
func TestRandomDamageRefusedOrHarmless(t *testing.T) {
	good, err := os.ReadFile(goodWorkspace(t, t.TempDir()))
	if err != nil {
		t.Fatal(err)
	}
	ps := os.Getpagesize()
	for seed := range uint64(150) {
		r := rand.New(rand.NewPCG(seed, 7))
		b := append([]byte(nil), good...)
		at := r.IntN(len(good)/ps) * ps
		switch seed % 3 {
		case 0:
			copy(b[at:], randomBytes(seed, ps))
		case 1:
			copy(b[at:], randomBytes(seed, 16)) // a page header
		case 2:
			for range 1 + r.IntN(8) {
				b[at+r.IntN(ps)] = byte(r.Uint32())
			}
		}
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, FileName), b, 0o600); err != nil {
			t.Fatal(err)
		}
		s, err := Open(dir, Options{Timeout: 100 * time.Millisecond})
		var ce *CorruptError
		switch {
		case err == nil:
			if err := s.Check(); err != nil {
				t.Errorf("seed %d: opened, then Check failed: %v", seed, err)
			}
			s.Close()
		case !errors.As(err, &ce):
			t.Fatalf("seed %d: got %v, want *CorruptError or success", seed, err)
		default:
			// Restored in place (same inode), it opens: nothing kept the lock.
			if err := os.WriteFile(filepath.Join(dir, FileName), good, 0o600); err != nil {
				t.Fatal(err)
			}
			s, err := Open(dir, Options{Timeout: 100 * time.Millisecond})
			if err != nil {
				t.Fatalf("seed %d: restored file: %v", seed, err)
			}
			s.Close()
		}
	}
}
