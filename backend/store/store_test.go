package store

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	bolt "go.etcd.io/bbolt"
)

type persona struct {
	Version int    `json:"v"`
	Name    string `json:"name"`
}

func TestOpenCreatesWorkspace(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	s := openTest(t, dir, "personas")

	info, err := s.Info()
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(info.WorkspaceID) {
		t.Errorf("workspace id %q is not 16 bytes of hex", info.WorkspaceID)
	}
	created, err := time.Parse(time.RFC3339, info.Created)
	if err != nil || time.Since(created) > time.Minute {
		t.Errorf("created %q: not a recent RFC 3339 time (%v)", info.Created, err)
	}
	if info.SchemaVersion != SchemaVersion {
		t.Errorf("schema %d, want %d", info.SchemaVersion, SchemaVersion)
	}
	if diff := cmp.Diff(map[string]int{"meta": 3, "personas": 0}, info.Buckets); diff != "" {
		t.Errorf("buckets (-want +got):\n%s", diff)
	}
	// Only the database: no temporary file left, no backup of a workspace that was just made.
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if diff := cmp.Diff([]string{FileName}, names); diff != "" {
		t.Errorf("data dir (-want +got):\n%s", diff)
	}
}

func TestReopenKeepsIdentityAndData(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir, "personas")
	put(t, s, "personas", map[string]any{"mora": persona{1, "Captain Mora"}})
	first, _ := s.Info()
	s.Close()

	before := sha(t, filepath.Join(dir, FileName))
	s = openTest(t, dir, "personas")
	if got := sha(t, filepath.Join(dir, FileName)); got != before {
		t.Error("reopening an up-to-date workspace wrote to it")
	}
	again, _ := s.Info()
	if again.WorkspaceID != first.WorkspaceID || again.Created != first.Created {
		t.Errorf("identity changed: %+v then %+v", first, again)
	}
	var p persona
	if err := s.View(func(tx *bolt.Tx) error { return GetJSON(tx, "personas", "mora", &p) }); err != nil {
		t.Fatal(err)
	}
	if p.Name != "Captain Mora" {
		t.Errorf("got %+v", p)
	}
}

func TestOpenAddsBuckets(t *testing.T) {
	dir := t.TempDir()
	openTest(t, dir, "personas").Close()
	s := openTest(t, dir, "personas", "lore")
	err := s.View(func(tx *bolt.Tx) error {
		return ForEachJSON(tx, "lore", "", func(string, persona) error { return nil })
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestJSONHelpers(t *testing.T) {
	s := openTest(t, t.TempDir(), "personas")
	put(t, s, "personas", map[string]any{
		"guard/mora": persona{1, "Mora"}, "guard/ilse": persona{1, "Ilse"}, "smith/bram": persona{1, "Bram"},
	})
	var got []string
	s.View(func(tx *bolt.Tx) error {
		return ForEachJSON(tx, "personas", "guard/", func(k string, p persona) error {
			got = append(got, k+"="+p.Name)
			return nil
		})
	})
	if diff := cmp.Diff([]string{"guard/ilse=Ilse", "guard/mora=Mora"}, got); diff != "" {
		t.Errorf("ForEachJSON (-want +got):\n%s", diff)
	}

	tests := []struct {
		name string
		fn   func(tx *bolt.Tx) error
		want error
	}{
		{"get missing", func(tx *bolt.Tx) error { var p persona; return GetJSON(tx, "personas", "nobody", &p) }, ErrNotFound},
		{"delete missing", func(tx *bolt.Tx) error { return Delete(tx, "personas", "nobody") }, ErrNotFound},
		{"delete", func(tx *bolt.Tx) error { return Delete(tx, "personas", "smith/bram") }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := s.Update(tt.fn); !errors.Is(err, tt.want) {
				t.Errorf("got %v, want %v", err, tt.want)
			}
		})
	}
}

func TestReadOnly(t *testing.T) {
	t.Run("missing workspace", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "none")
		_, err := Open(dir, Options{ReadOnly: true})
		if !errors.Is(err, fs.ErrNotExist) {
			t.Fatalf("got %v, want not exist", err)
		}
		if _, err := os.Stat(dir); !errors.Is(err, fs.ErrNotExist) {
			t.Error("a read-only open created the data dir")
		}
	})
	t.Run("never writes", func(t *testing.T) {
		dir := t.TempDir()
		openTest(t, dir).Close()
		backupAt(t, dir, filepath.Join(dir, FileName), time.Now().Add(-72*time.Hour), "daily")
		before := tree(t, dir)

		s, err := Open(dir, Options{ReadOnly: true, Buckets: []string{"personas"}})
		if err != nil {
			t.Fatal(err)
		}
		// Two readers at once are fine.
		s2, err := Open(dir, Options{ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		s2.Close()
		if err := s.Update(func(tx *bolt.Tx) error { return nil }); err == nil {
			t.Error("Update succeeded on a read-only store")
		}
		if err := s.Check(); err != nil {
			t.Error(err)
		}
		s.Close()
		if diff := cmp.Diff(before, tree(t, dir)); diff != "" {
			t.Errorf("read-only open changed the data dir (-before +after):\n%s", diff)
		}
	})
	t.Run("older schema", func(t *testing.T) {
		dir := t.TempDir()
		copyFile(t, fixtureV1, filepath.Join(dir, FileName))
		before := tree(t, dir)
		_, err := Open(dir, Options{ReadOnly: true})
		if !errors.Is(err, ErrNeedsUpgrade) {
			t.Fatalf("got %v, want ErrNeedsUpgrade", err)
		}
		if diff := cmp.Diff(before, tree(t, dir)); diff != "" {
			t.Errorf("data dir changed (-before +after):\n%s", diff)
		}
	})
}

func assertLocked(t *testing.T, err error, path string) {
	t.Helper()
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("got %v, want ErrLocked", err)
	}
	if msg := err.Error(); !strings.Contains(msg, path) || !strings.Contains(msg, "open in another NPC Studio window or command") {
		t.Errorf("message %q should name %s and say it is open elsewhere", msg, path)
	}
}

func TestLockedInProcess(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, FileName)
	openTest(t, dir) // stays open until cleanup
	before := sha(t, path)

	for _, ro := range []bool{false, true} {
		_, err := Open(dir, Options{Timeout: 100 * time.Millisecond, ReadOnly: ro})
		assertLocked(t, err, path)
	}
	if sha(t, path) != before {
		t.Error("a refused open wrote to the workspace")
	}
}

func TestLockedByOtherProcess(t *testing.T) {
	dir := t.TempDir()
	openTest(t, dir).Close()
	path := filepath.Join(dir, FileName)
	cmd, _, stdin := startHelper(t, "holder", dir)
	before := sha(t, path)

	_, err := Open(dir, Options{Timeout: 100 * time.Millisecond})
	assertLocked(t, err, path)
	if sha(t, path) != before {
		t.Error("a refused open wrote to the workspace")
	}

	stdin.Close()
	if err := cmd.Wait(); err != nil {
		t.Fatal(err)
	}
	openTest(t, dir) // free again once the other process closed it
}
