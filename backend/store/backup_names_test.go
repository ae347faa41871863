package store

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	bolt "go.etcd.io/bbolt"
)

// Backups taken in the same second with the same reason each keep their own file, and
// retention keeps the newest of them.
func TestBackupsInOneSecondKeepEachOther(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir, "personas")
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	backupClock = func() time.Time { return at }
	t.Cleanup(func() { backupClock = time.Now })

	var paths []string
	for i := 1; i <= keepBackups+3; i++ {
		put(t, s, "personas", map[string]any{"mora": persona{i, "Captain Mora"}})
		p, err := s.Backup("manual")
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	for i, p := range paths[:2] {
		if want := []string{"workspace-20260301T120000Z-manual.db", "workspace-20260301T120000Z.2-manual.db"}[i]; filepath.Base(p) != want {
			t.Errorf("backup %d is %s, want %s", i+1, filepath.Base(p), want)
		}
	}
	// The newest ten are kept, newest first, each holding the workspace as it was then.
	var want []string
	for i := len(paths) - 1; i >= len(paths)-keepBackups; i-- {
		want = append(want, filepath.Base(paths[i]))
	}
	if diff := cmp.Diff(want, backupNames(t, dir)); diff != "" {
		t.Fatalf("backups (-want +got):\n%s", diff)
	}
	for i := len(paths) - keepBackups; i < len(paths); i++ {
		db, err := bolt.Open(paths[i], 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
		if err != nil {
			t.Fatal(err)
		}
		var p persona
		err = db.View(func(tx *bolt.Tx) error { return GetJSON(tx, "personas", "mora", &p) })
		db.Close()
		if err != nil || p.Version != i+1 {
			t.Errorf("%s holds %+v %v, want version %d", filepath.Base(paths[i]), p, err, i+1)
		}
	}
}
