package store

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	bolt "go.etcd.io/bbolt"
)

func TestCleanReason(t *testing.T) {
	tests := []struct{ in, want string }{
		{"daily", "daily"},
		{"Before Import!", "before-import"},
		{"", "manual"},
		{"../../etc/passwd", "etc-passwd"},
		{"---", "manual"},
		{strings.Repeat("long-", 20), "long-long-long-long-long-long-long-long"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := cleanReason(tt.in); got != tt.want {
				t.Errorf("cleanReason(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestBackupIsAConsistentSnapshot(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir, "personas")
	put(t, s, "personas", map[string]any{"mora": persona{1, "Captain Mora"}})

	// Writers keep going while the backup is taken.
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			err := s.Update(func(tx *bolt.Tx) error {
				return PutJSON(tx, "personas", "extra", persona{i, strings.Repeat("x", i%5000)})
			})
			if err != nil {
				t.Error(err)
				return
			}
		}
	})
	path, err := s.Backup("Manual Save")
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`^workspace-\d{8}T\d{6}Z-manual-save\.db$`)
	if filepath.Dir(path) != filepath.Join(dir, BackupDir) || !re.MatchString(filepath.Base(path)) {
		t.Errorf("backup path %s", path)
	}
	db, _, err := openChecked(path, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var p persona
	if err := db.View(func(tx *bolt.Tx) error { return GetJSON(tx, "personas", "mora", &p) }); err != nil || p.Name != "Captain Mora" {
		t.Errorf("backup holds %+v, %v", p, err)
	}
	// No temporary file left beside it.
	if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 1 {
		t.Errorf("backup folder holds %d files, want 1", len(entries))
	}
}

func TestBackupKeepsNewestTen(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir)
	now := time.Now()
	var want []string
	for i := 1; i <= 12; i++ {
		p := backupAt(t, dir, s.Path(), now.Add(-time.Duration(i)*time.Hour), "daily")
		if i <= 9 {
			want = append(want, filepath.Base(p))
		}
	}
	// Files that are not backups are never deleted.
	for _, name := range []string{"notes.txt", "workspace-latest.db"} {
		os.WriteFile(filepath.Join(dir, BackupDir, name), []byte("keep"), 0o600)
	}

	p, err := s.Backup("manual")
	if err != nil {
		t.Fatal(err)
	}
	want = append([]string{filepath.Base(p)}, want...)
	if diff := cmp.Diff(want, backupNames(t, dir)); diff != "" {
		t.Errorf("backups (-want +got):\n%s", diff)
	}
	for _, name := range []string{"notes.txt", "workspace-latest.db"} {
		if _, err := os.Stat(filepath.Join(dir, BackupDir, name)); err != nil {
			t.Error(err)
		}
	}
}

func TestOpenBacksUpDaily(t *testing.T) {
	tests := []struct {
		name     string
		existing bool          // the workspace exists before Open
		newest   time.Duration // age of the newest backup; 0 for none
		want     int           // backups after Open
	}{
		{"new workspace", false, 0, 0},
		{"no backup yet", true, 0, 1},
		{"newest is a day old", true, 25 * time.Hour, 2},
		{"newest is recent", true, time.Hour, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if tt.existing {
				openTest(t, dir).Close()
			}
			if tt.newest != 0 {
				backupAt(t, dir, filepath.Join(dir, FileName), time.Now().Add(-tt.newest), "daily")
			}
			openTest(t, dir)
			if got := listBackups(dir); len(got) != tt.want {
				t.Errorf("%d backups, want %d: %v", len(got), tt.want, backupNames(t, dir))
			}
		})
	}
}

func TestLastGoodBackup(t *testing.T) {
	dir := t.TempDir()
	if p, ok := LastGoodBackup(dir); ok || p != "" {
		t.Errorf("no backups: got %q, %v", p, ok)
	}
	s := openTest(t, dir)
	now := time.Now()
	good := backupAt(t, dir, s.Path(), now.Add(-3*time.Hour), "daily")
	backupAt(t, dir, s.Path(), now.Add(-4*time.Hour), "daily") // older, also good
	newer := backupAt(t, dir, s.Path(), now.Add(-2*time.Hour), "newer-schema")
	rawUpdate(t, newer, func(tx *bolt.Tx) error {
		return tx.Bucket([]byte(BucketMeta)).Put([]byte(metaSchemaVersion), []byte("9"))
	})
	damaged := backupAt(t, dir, s.Path(), now.Add(-time.Hour), "damaged")
	os.Truncate(damaged, 5000)

	if p, ok := LastGoodBackup(dir); !ok || p != good {
		t.Errorf("got %q, %v; want %q", p, ok, good)
	}
}
