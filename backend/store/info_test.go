package store

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestInfo(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir, "personas", "lore")
	put(t, s, "personas", map[string]any{"mora": persona{1, "Mora"}, "bram": persona{1, "Bram"}})
	backup := backupAt(t, dir, s.Path(), time.Now().Add(-time.Hour), "daily")

	got, err := s.Info()
	if err != nil {
		t.Fatal(err)
	}
	fi, _ := os.Stat(filepath.Join(dir, FileName))
	want := Info{
		Path:                   filepath.Join(dir, FileName),
		DataDir:                dir,
		SchemaVersion:          SchemaVersion,
		SupportedSchemaVersion: SchemaVersion,
		SizeBytes:              fi.Size(),
		Buckets:                map[string]int{"meta": 3, "personas": 2, "lore": 0},
		LastBackup:             backup,
	}
	if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(Info{}, "WorkspaceID", "Created")); diff != "" {
		t.Errorf("Info (-want +got):\n%s", diff)
	}
}

// Every field crosses to the window as JSON under a stable name.
func TestInfoJSONNames(t *testing.T) {
	raw, err := json.Marshal(Info{})
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	json.Unmarshal(raw, &m)
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	want := []string{"buckets", "created", "dataDir", "lastBackup", "path", "schemaVersion",
		"sizeBytes", "supportedSchemaVersion", "workspaceId"}
	if diff := cmp.Diff(want, keys); diff != "" {
		t.Errorf("JSON names (-want +got):\n%s", diff)
	}
}
