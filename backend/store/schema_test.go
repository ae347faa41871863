package store

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	bolt "go.etcd.io/bbolt"
)

var updateFixtures = flag.Bool("update-fixtures", false, "rewrite the fixture files under testdata/store")

// fixtureV1 is a workspace written with schema 1. Regenerate it with
//
//	go test ./backend/store/ -run TestUpgradeFromV1Fixture -update-fixtures
const fixtureV1 = "../../testdata/store/workspace-v1.db"

// writeV1Workspace writes a workspace the way schema 1 stored it: created as unix
// seconds, no workspace_id.
func writeV1Workspace(t *testing.T, path string, meta map[string]string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	os.Remove(path)
	rawUpdate(t, path, func(tx *bolt.Tx) error {
		m, _ := tx.CreateBucket([]byte(BucketMeta))
		for k, v := range meta {
			m.Put([]byte(k), []byte(v))
		}
		p, _ := tx.CreateBucket([]byte("personas"))
		p.Put([]byte("guard-captain"), []byte(`{"v":1,"name":"Captain Mora"}`))
		p.Put([]byte("smith"), []byte(`{"v":1,"name":"Bram"}`))
		l, _ := tx.CreateBucket([]byte("lore"))
		return l.Put([]byte("gate-rules"), []byte(`{"v":1,"name":"The north gate shuts at dusk."}`))
	})
}

var v1Meta = map[string]string{metaSchemaVersion: "1", metaCreated: "1700000000"}

func TestUpgradeFromV1Fixture(t *testing.T) {
	if *updateFixtures {
		writeV1Workspace(t, fixtureV1, v1Meta)
	}
	fixtureSum := sha(t, fixtureV1)
	dir := t.TempDir()
	copyFile(t, fixtureV1, filepath.Join(dir, FileName))

	s := openTest(t, dir, "personas", "lore")
	info, err := s.Info()
	if err != nil {
		t.Fatal(err)
	}
	if info.SchemaVersion != 2 || info.Created != "2023-11-14T22:13:20Z" {
		t.Errorf("schema %d, created %q; want 2, 2023-11-14T22:13:20Z", info.SchemaVersion, info.Created)
	}
	if !regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(info.WorkspaceID) {
		t.Errorf("workspace id %q", info.WorkspaceID)
	}
	var p persona
	if err := s.View(func(tx *bolt.Tx) error { return GetJSON(tx, "personas", "guard-captain", &p) }); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(persona{1, "Captain Mora"}, p); diff != "" {
		t.Errorf("persona (-want +got):\n%s", diff)
	}
	if err := s.Check(); err != nil {
		t.Error(err)
	}

	// The backup taken before the upgrade is the schema-1 file.
	backups := listBackups(dir)
	if len(backups) != 1 || !strings.HasSuffix(backups[0].path, "-before-upgrade.db") {
		t.Fatalf("backups %v, want one before-upgrade", backupNames(t, dir))
	}
	if diff := cmp.Diff(v1Meta, rawMeta(t, backups[0].path)); diff != "" {
		t.Errorf("backup meta (-want +got):\n%s", diff)
	}
	if info.LastBackup != backups[0].path {
		t.Errorf("Info.LastBackup %q, want %q", info.LastBackup, backups[0].path)
	}
	if sha(t, fixtureV1) != fixtureSum {
		t.Error("the fixture file changed")
	}

	// Upgraded once: reopening neither upgrades nor backs up again.
	s.Close()
	s = openTest(t, dir, "personas", "lore")
	again, _ := s.Info()
	if again.WorkspaceID != info.WorkspaceID || len(listBackups(dir)) != 1 {
		t.Errorf("second open: id %s (was %s), backups %v", again.WorkspaceID, info.WorkspaceID, backupNames(t, dir))
	}
}

func TestMigrationsAreContiguous(t *testing.T) {
	if len(migrations) != SchemaVersion-1 {
		t.Fatalf("%d migrations for schema %d", len(migrations), SchemaVersion)
	}
	for i, m := range migrations {
		if m.from != i+1 {
			t.Errorf("migrations[%d] starts from %d, want %d", i, m.from, i+1)
		}
	}
}

func TestUpgrade1to2(t *testing.T) {
	const id = "00112233445566778899aabbccddeeff"
	tests := []struct {
		name        string
		meta        map[string]string
		wantCreated string
		wantID      string // "" means a new random id
		wantErr     string
	}{
		{"unix created", map[string]string{metaSchemaVersion: "1", metaCreated: "1700000000"}, "2023-11-14T22:13:20Z", "", ""},
		{"epoch", map[string]string{metaSchemaVersion: "1", metaCreated: "0"}, "1970-01-01T00:00:00Z", "", ""},
		{"no created", map[string]string{metaSchemaVersion: "1"}, "", "", ""},
		{"id kept", map[string]string{metaSchemaVersion: "1", metaCreated: "1", metaWorkspaceID: id}, "1970-01-01T00:00:01Z", id, ""},
		{"created not unix", map[string]string{metaSchemaVersion: "1", metaCreated: "last tuesday"}, "", "", `schema 1 created "last tuesday" is not unix seconds`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, FileName)
			writeV1Workspace(t, path, tt.meta)
			before := sha(t, path)

			s, err := Open(dir, Options{Timeout: 200 * time.Millisecond})
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), path) {
					t.Fatalf("got %v, want an error naming %s and saying %q", err, path, tt.wantErr)
				}
				if sha(t, path) != before {
					t.Error("a failed upgrade changed the file")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			info, _ := s.Info()
			if info.SchemaVersion != 2 || info.Created != tt.wantCreated {
				t.Errorf("schema %d created %q, want 2 %q", info.SchemaVersion, info.Created, tt.wantCreated)
			}
			if tt.wantID != "" && info.WorkspaceID != tt.wantID || len(info.WorkspaceID) != 32 {
				t.Errorf("workspace id %q, want %q", info.WorkspaceID, tt.wantID)
			}
		})
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	for _, version := range []int{3, 7} {
		for _, ro := range []bool{false, true} {
			t.Run(strconv.Itoa(version)+map[bool]string{false: "/read-write", true: "/read-only"}[ro], func(t *testing.T) {
				dir := t.TempDir()
				path := filepath.Join(dir, FileName)
				openTest(t, dir).Close()
				rawUpdate(t, path, func(tx *bolt.Tx) error {
					return tx.Bucket([]byte(BucketMeta)).Put([]byte(metaSchemaVersion), []byte(strconv.Itoa(version)))
				})
				// A stale backup: a refused open must not take a daily one either.
				backupAt(t, dir, path, time.Now().Add(-48*time.Hour), "daily")
				before := tree(t, dir)

				_, err := Open(dir, Options{ReadOnly: ro, Buckets: []string{"personas"}, Timeout: 200 * time.Millisecond})
				var nse *NewerSchemaError
				if !errors.As(err, &nse) {
					t.Fatalf("got %v, want *NewerSchemaError", err)
				}
				if diff := cmp.Diff(&NewerSchemaError{Path: path, Found: version, Supported: SchemaVersion}, nse); diff != "" {
					t.Errorf("error (-want +got):\n%s", diff)
				}
				want := "workspace " + path + " was written by a newer NPC Studio (schema " + strconv.Itoa(version) +
					"; this version reads up to 2): update NPC Studio"
				if err.Error() != want {
					t.Errorf("message\n got %q\nwant %q", err.Error(), want)
				}
				if diff := cmp.Diff(before, tree(t, dir)); diff != "" {
					t.Errorf("data dir changed (-before +after):\n%s", diff)
				}
			})
		}
	}
}
