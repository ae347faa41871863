package store

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	bolt "go.etcd.io/bbolt"
)

// exampleWorkspace is an open workspace with files beside the database, some of
// which belong in an archive and some of which do not.
func exampleWorkspace(t *testing.T, dir string) *Store {
	t.Helper()
	s := openTest(t, dir, "personas")
	put(t, s, "personas", map[string]any{"mora": persona{1, "Captain Mora"}, "bram": persona{1, "Bram"}})
	files := map[string][]byte{
		"lore/index/vectors.bin": randomBytes(9, 100<<10),
		"lore/keywords.json":     []byte(`{"gate":["north-gate"]}`),
		"backups/notes.txt":      []byte("not archived"),
		"logs/npcstudio.log":     []byte("not archived"),
		".DS_Store":              []byte("not archived"),
		"lore/index/.partial":    []byte("not archived"),
		"lore/keywords.json.tmp": []byte("not archived"),
		"old-export.npcws":       []byte("not archived"),
	}
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o700)
		if err := os.WriteFile(p, body, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(filepath.Join(dir, "logs", "npcstudio.log"), filepath.Join(dir, "lore", "link.log")); err != nil {
		t.Logf("no symbolic link in the example: %v", err) // Windows without the privilege
	}
	return s
}

type member struct {
	name     string
	body     []byte
	typeflag byte
	linkname string
}

func readMembers(t *testing.T, path string) []member {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(gz)
	var ms []member
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return ms
		}
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(tr)
		ms = append(ms, member{name: hdr.Name, body: body, typeflag: hdr.Typeflag, linkname: hdr.Linkname})
	}
}

func writeMembers(t *testing.T, path string, ms []member) {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for _, m := range ms {
		typ := m.typeflag
		if typ == 0 {
			typ = tar.TypeReg
		}
		hdr := &tar.Header{Name: m.name, Typeflag: typ, Linkname: m.linkname, Mode: 0o600}
		if typ == tar.TypeReg {
			hdr.Size = int64(len(m.body))
		}
		if err := tw.WriteHeader(hdr); err != nil {
			t.Fatal(err)
		}
		tw.Write(m.body)
	}
	tw.Close()
	gz.Close()
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}

// manifestMember lists every member of ms except the first (the old manifest) and
// passes the manifest through edit.
func manifestMember(t *testing.T, base Manifest, ms []member, edit func(*Manifest)) member {
	t.Helper()
	base.Files = nil
	for _, m := range ms {
		sum := sha256.Sum256(m.body)
		base.Files = append(base.Files, ManifestFile{Name: m.name, Size: int64(len(m.body)), SHA256: hex.EncodeToString(sum[:])})
	}
	if edit != nil {
		edit(&base)
	}
	raw, _ := json.Marshal(base)
	return member{name: ManifestName, body: raw}
}

func TestExportImportRoundTrip(t *testing.T) {
	ctx := context.Background()
	src := t.TempDir()
	s := exampleWorkspace(t, src)
	info, _ := s.Info()
	archive := filepath.Join(t.TempDir(), "north-gate.npcws")

	m, err := s.Export(ctx, archive, "1.4.0")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range m.Files {
		names = append(names, f.Name)
	}
	if diff := cmp.Diff([]string{FileName, "lore/index/vectors.bin", "lore/keywords.json"}, names); diff != "" {
		t.Errorf("archived files (-want +got):\n%s", diff)
	}
	if m.Format != 1 || m.AppVersion != "1.4.0" || m.SchemaVersion != SchemaVersion ||
		m.Created != info.Created || m.WorkspaceID != info.WorkspaceID || m.Exported == "" {
		t.Errorf("manifest %+v does not describe workspace %+v", m, info)
	}
	// manifest.json comes first, then the files in manifest order, with the listed sums.
	ms := readMembers(t, archive)
	if len(ms) != len(m.Files)+1 || ms[0].name != ManifestName {
		t.Fatalf("members %v", ms)
	}
	for i, f := range m.Files {
		sum := sha256.Sum256(ms[i+1].body)
		if ms[i+1].name != f.Name || hex.EncodeToString(sum[:]) != f.SHA256 || int64(len(ms[i+1].body)) != f.Size {
			t.Errorf("member %d is %s, does not match %+v", i+1, ms[i+1].name, f)
		}
	}
	if entries, _ := os.ReadDir(filepath.Dir(archive)); len(entries) != 1 {
		t.Errorf("export left %d files beside the archive", len(entries))
	}

	verified, err := VerifyArchive(ctx, archive)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(m, verified); diff != "" {
		t.Errorf("VerifyArchive manifest (-export +verify):\n%s", diff)
	}

	t.Run("into a new folder", func(t *testing.T) {
		parent := t.TempDir()
		dst := filepath.Join(parent, "restored")
		if _, err := Import(ctx, archive, dst); err != nil {
			t.Fatal(err)
		}
		if entries, _ := os.ReadDir(parent); len(entries) != 1 {
			t.Errorf("import left %d entries in %s", len(entries), parent)
		}
		assertSameWorkspace(t, src, dst, info.WorkspaceID)
	})

	t.Run("over another workspace", func(t *testing.T) {
		dst := t.TempDir()
		other := openTest(t, dst, "personas")
		put(t, other, "personas", map[string]any{"ilse": persona{1, "Ilse"}})
		otherInfo, _ := other.Info()
		other.Close()
		os.MkdirAll(filepath.Join(dst, "lore"), 0o700)
		os.WriteFile(filepath.Join(dst, "lore", "keywords.json"), []byte(`{}`), 0o600)
		os.WriteFile(filepath.Join(dst, "lore", "only-here.bin"), []byte("old index"), 0o600)
		os.MkdirAll(filepath.Join(dst, "logs"), 0o700)
		os.WriteFile(filepath.Join(dst, "logs", "npcstudio.log"), []byte("kept"), 0o600)

		if _, err := Import(ctx, archive, dst); err != nil {
			t.Fatal(err)
		}
		assertSameWorkspace(t, src, dst, info.WorkspaceID)
		if _, err := os.Stat(filepath.Join(dst, "lore", "only-here.bin")); !errors.Is(err, os.ErrNotExist) {
			t.Error("a file of the replaced workspace was kept")
		}
		if b, _ := os.ReadFile(filepath.Join(dst, "logs", "npcstudio.log")); string(b) != "kept" {
			t.Error("logs were touched")
		}
		backups := listBackups(dst)
		if len(backups) != 1 || !strings.HasSuffix(backups[0].path, "-before-import.db") {
			t.Fatalf("backups %v, want one before-import", backupNames(t, dst))
		}
		if got := rawMeta(t, backups[0].path)[metaWorkspaceID]; got != otherInfo.WorkspaceID {
			t.Errorf("before-import backup is of workspace %s, want %s", got, otherInfo.WorkspaceID)
		}
	})
}

// assertSameWorkspace checks that dst holds the database and archived files of src.
func assertSameWorkspace(t *testing.T, src, dst, workspaceID string) {
	t.Helper()
	for _, name := range []string{"lore/index/vectors.bin", "lore/keywords.json"} {
		if sha(t, filepath.Join(src, name)) != sha(t, filepath.Join(dst, name)) {
			t.Errorf("%s differs", name)
		}
	}
	for _, name := range []string{".DS_Store", "old-export.npcws", "lore/link.log", "lore/index/.partial"} {
		if _, err := os.Lstat(filepath.Join(dst, name)); err == nil {
			t.Errorf("%s should not have been archived", name)
		}
	}
	s := openTest(t, dst, "personas")
	defer s.Close()
	info, _ := s.Info()
	if info.WorkspaceID != workspaceID {
		t.Errorf("workspace id %s, want %s", info.WorkspaceID, workspaceID)
	}
	var p persona
	if err := s.View(func(tx *bolt.Tx) error { return GetJSON(tx, "personas", "mora", &p) }); err != nil || p.Name != "Captain Mora" {
		t.Errorf("persona %+v, %v", p, err)
	}
}

func TestExportIntoDataDir(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir)
	archive := filepath.Join(dir, "snapshot"+ArchiveExt)
	for range 2 { // the second export must not pick up the first
		m, err := s.Export(context.Background(), archive, "dev")
		if err != nil {
			t.Fatal(err)
		}
		if len(m.Files) != 1 {
			t.Errorf("archived %v", m.Files)
		}
	}
}

func TestExportCanceled(t *testing.T) {
	s := exampleWorkspace(t, t.TempDir())
	out := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Export(ctx, filepath.Join(out, "w.npcws"), "dev"); !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	if entries, _ := os.ReadDir(out); len(entries) != 0 {
		t.Errorf("a canceled export left %d files", len(entries))
	}
}

func TestImportRefusesOpenWorkspace(t *testing.T) {
	src := exampleWorkspace(t, t.TempDir())
	archive := filepath.Join(t.TempDir(), "w.npcws")
	if _, err := src.Export(context.Background(), archive, "dev"); err != nil {
		t.Fatal(err)
	}
	dst := t.TempDir()
	openTest(t, dst) // stays open
	before := tree(t, dst)
	_, err := Import(context.Background(), archive, dst)
	assertLocked(t, err, filepath.Join(dst, FileName))
	if diff := cmp.Diff(before, tree(t, dst)); diff != "" {
		t.Errorf("data dir changed (-before +after):\n%s", diff)
	}
}

func TestImportReplacesDamagedWorkspace(t *testing.T) {
	src := exampleWorkspace(t, t.TempDir())
	info, _ := src.Info()
	archive := filepath.Join(t.TempDir(), "w.npcws")
	if _, err := src.Export(context.Background(), archive, "dev"); err != nil {
		t.Fatal(err)
	}
	dst := t.TempDir()
	garbage := randomBytes(11, 3*os.Getpagesize())
	os.WriteFile(filepath.Join(dst, FileName), garbage, 0o600)

	if _, err := Import(context.Background(), archive, dst); err != nil {
		t.Fatal(err)
	}
	assertSameWorkspace(t, src.Dir(), dst, info.WorkspaceID)
	backups := listBackups(dst)
	if len(backups) != 1 {
		t.Fatalf("backups %v", backupNames(t, dst))
	}
	if b, _ := os.ReadFile(backups[0].path); !bytes.Equal(b, garbage) {
		t.Error("the damaged workspace was not kept byte for byte")
	}
}

func TestDamagedArchiveChangesNothing(t *testing.T) {
	ctx := context.Background()
	src := exampleWorkspace(t, t.TempDir())
	good := filepath.Join(t.TempDir(), "good.npcws")
	gm, err := src.Export(ctx, good, "dev")
	if err != nil {
		t.Fatal(err)
	}
	goodBytes, _ := os.ReadFile(good)
	ms := readMembers(t, good) // ms[0] manifest, ms[1] workspace.db, ms[2:] lore files
	files := ms[1:]
	manifest := func(fs []member, edit func(*Manifest)) member { return manifestMember(t, gm, fs, edit) }
	with := func(fs ...member) []member { return append([]member{manifest(fs, nil)}, fs...) }
	dbWithSchema := func(v string) []byte {
		p := filepath.Join(t.TempDir(), "w.db")
		os.WriteFile(p, files[0].body, 0o600)
		rawUpdate(t, p, func(tx *bolt.Tx) error {
			return tx.Bucket([]byte(BucketMeta)).Put([]byte(metaSchemaVersion), []byte(v))
		})
		b, _ := os.ReadFile(p)
		return b
	}
	replace := func(i int, m member) []member {
		fs := append([]member(nil), files...)
		fs[i] = m
		return fs
	}

	tests := []struct {
		name       string
		raw        []byte   // the archive file as it is, or
		members    []member // its members
		wantMember string
		wantReason string
		wantNewer  bool // Err is a *NewerSchemaError
	}{
		{name: "empty file", raw: []byte{}, wantReason: "not a workspace archive"},
		{name: "not gzip", raw: []byte("# lore notes\n"), wantReason: "not a workspace archive"},
		{name: "truncated to half", raw: goodBytes[:len(goodBytes)/2], wantMember: "lore/index/vectors.bin", wantReason: "damaged or truncated"},
		{name: "trailer cut", raw: goodBytes[:len(goodBytes)-4], wantReason: "damaged or truncated"},
		{name: "flipped byte", raw: func() []byte {
			b := bytes.Clone(goodBytes)
			b[len(b)/2] ^= 0x40
			return b
		}(), wantReason: ""},
		{name: "missing manifest", members: files, wantMember: FileName, wantReason: "the first member must be manifest.json"},
		{name: "manifest not first", members: append([]member{files[0], manifest(files, nil)}, files[1:]...),
			wantMember: FileName, wantReason: "the first member must be manifest.json"},
		{name: "manifest not JSON", members: append([]member{{name: ManifestName, body: []byte("{")}}, files...),
			wantMember: ManifestName, wantReason: "not a valid manifest"},
		{name: "wrong checksum", members: append([]member{manifest(files, func(m *Manifest) {
			m.Files[2].SHA256 = strings.Repeat("0", 64)
		})}, files...), wantMember: "lore/keywords.json", wantReason: "checksum does not match"},
		{name: "wrong size", members: append([]member{manifest(files, func(m *Manifest) { m.Files[2].Size++ })}, files...),
			wantMember: "lore/keywords.json", wantReason: "does not match the manifest"},
		{name: "member changed", members: append([]member{manifest(files, nil)},
			replace(2, member{name: "lore/keywords.json", body: []byte(`{"gate":["south-gate"]}`)})...),
			wantMember: "lore/keywords.json", wantReason: "checksum does not match"},
		{name: "extra member", members: append(with(files...), member{name: "lore/extra.txt", body: []byte("x")}),
			wantMember: "lore/extra.txt", wantReason: "not listed in the manifest"},
		{name: "missing member", members: append([]member{manifest(files, nil)}, files[:2]...),
			wantMember: "lore/keywords.json", wantReason: "listed in the manifest but missing"},
		{name: "member twice", members: append(with(files...), files[2]),
			wantMember: "lore/keywords.json", wantReason: "appears twice"},
		{name: "parent traversal", members: with(append(slices.Clone(files), member{name: "../evil.txt", body: []byte("x")})...),
			wantMember: ManifestName, wantReason: "unsafe file name"},
		{name: "unlisted parent traversal", members: append(with(files...), member{name: "lore/../../evil.txt", body: []byte("x")}),
			wantMember: "lore/../../evil.txt", wantReason: "unsafe member name"},
		{name: "absolute path", members: append(with(files...), member{name: "/tmp/evil.txt", body: []byte("x")}),
			wantMember: "/tmp/evil.txt", wantReason: "unsafe member name"},
		{name: "into backups", members: with(append(slices.Clone(files), member{name: "backups/workspace-20990101T000000Z-daily.db", body: []byte("x")})...),
			wantMember: ManifestName, wantReason: "unsafe file name"},
		{name: "symlink", members: append(with(files...), member{name: "lore/link", typeflag: tar.TypeSymlink, linkname: "/etc/passwd"}),
			wantMember: "lore/link", wantReason: "not a regular file"},
		{name: "hard link", members: append(with(files...), member{name: "lore/link", typeflag: tar.TypeLink, linkname: "workspace.db"}),
			wantMember: "lore/link", wantReason: "not a regular file"},
		{name: "folder", members: append(with(files...), member{name: "lore/new", typeflag: tar.TypeDir}),
			wantMember: "lore/new", wantReason: "not a regular file"},
		{name: "newer archive format", members: append([]member{manifest(files, func(m *Manifest) { m.Format = 2 })}, files...),
			wantMember: ManifestName, wantReason: "archive format 2 is newer"},
		{name: "newer schema", members: func() []member {
			fs := replace(0, member{name: FileName, body: dbWithSchema("7")})
			return append([]member{manifest(fs, func(m *Manifest) { m.SchemaVersion = 7 })}, fs...)
		}(), wantMember: ManifestName, wantReason: "unsupported schema", wantNewer: true},
		{name: "newer schema in the database only", members: with(replace(0, member{name: FileName, body: dbWithSchema("7")})...),
			wantMember: FileName, wantReason: "unsupported schema", wantNewer: true},
		{name: "damaged database", members: with(replace(0, member{name: FileName, body: randomBytes(12, len(files[0].body))})...),
			wantMember: FileName, wantReason: "the database is damaged"},
		{name: "database without workspace id", members: with(replace(0, member{name: FileName, body: func() []byte {
			p := filepath.Join(t.TempDir(), "w.db")
			os.WriteFile(p, files[0].body, 0o600)
			rawUpdate(t, p, func(tx *bolt.Tx) error { return tx.Bucket([]byte(BucketMeta)).Delete([]byte(metaWorkspaceID)) })
			b, _ := os.ReadFile(p)
			return b
		}()})...), wantMember: ManifestName, wantReason: "does not match the database"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			archive := filepath.Join(t.TempDir(), "damaged.npcws")
			if tt.members != nil {
				writeMembers(t, archive, tt.members)
			} else if err := os.WriteFile(archive, tt.raw, 0o600); err != nil {
				t.Fatal(err)
			}
			dst := t.TempDir()
			openTest(t, dst).Close()
			os.MkdirAll(filepath.Join(dst, "lore"), 0o700)
			os.WriteFile(filepath.Join(dst, "lore", "keywords.json"), []byte(`{}`), 0o600)
			before := tree(t, dst)

			for _, op := range []string{"verify", "import"} {
				var err error
				if op == "verify" {
					_, err = VerifyArchive(ctx, archive)
				} else {
					_, err = Import(ctx, archive, dst)
				}
				var ae *ArchiveError
				if !errors.As(err, &ae) {
					t.Fatalf("%s: got %v, want *ArchiveError", op, err)
				}
				if ae.Path != archive || ae.Member != tt.wantMember && tt.wantReason != "" || !strings.Contains(ae.Reason, tt.wantReason) {
					t.Errorf("%s: got %q, want member %q, reason %q", op, err, tt.wantMember, tt.wantReason)
				}
				var nse *NewerSchemaError
				if errors.As(err, &nse) != tt.wantNewer {
					t.Errorf("%s: %v: *NewerSchemaError %v, want %v", op, err, !tt.wantNewer, tt.wantNewer)
				}
			}
			if diff := cmp.Diff(before, tree(t, dst)); diff != "" {
				t.Errorf("import of a damaged archive changed the data dir (-before +after):\n%s", diff)
			}
		})
	}
}
