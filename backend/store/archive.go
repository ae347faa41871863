package store

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/npcstudio/npcstudio/backend/atomicfile"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// A workspace archive is a gzip-compressed tar stream rather than a zip file because
// everything about it is front to back: Export writes it in one pass and the reader
// meets manifest.json first, so it knows every member's size and checksum before
// reading it and stops at the first member it does not expect, without buffering or
// seeking (zip keeps its index at the end of the file). gzip's trailer (CRC-32 and
// length) also catches an archive cut short, and tar is read everywhere the app runs.

const (
	// ArchiveExt is the extension of workspace archives.
	ArchiveExt = ".npcws"
	// ManifestName is the first member of every archive.
	ManifestName = "manifest.json"
	// ArchiveFormat is the manifest format this version writes and reads.
	ArchiveFormat = 1

	logDir          = "logs" // the app's log files, beside the workspace
	maxManifestSize = 1 << 20
	lockProbeWait   = 100 * time.Millisecond
)

// An archive may expand to at most maxArchiveRatio times its size (past
// archiveRatioFloor): workspaces compress a few times, bombs a thousand times.
const (
	maxArchiveRatio   = 100
	archiveRatioFloor = 64 << 20
)

// Manifest describes a workspace archive. Files lists every other member, in archive
// order, workspace.db first.
type Manifest struct {
	Format        int    `json:"format"`
	AppVersion    string `json:"appVersion"`
	SchemaVersion int    `json:"schemaVersion"`
	// Created is when the workspace was created (RFC 3339), Exported when it was archived.
	Created     string         `json:"created"`
	Exported    string         `json:"exported"`
	WorkspaceID string         `json:"workspaceId"`
	Files       []ManifestFile `json:"files"`
}

// ManifestFile is one member of an archive: its slash-separated path in the data
// directory, its size in bytes and its SHA-256 (lower-case hex).
type ManifestFile struct {
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// Export writes the whole workspace to archivePath (conventionally *.npcws): a
// consistent snapshot of the database and every other workspace file of the data
// directory (see doc.go for what is left out). The archive is written under a
// temporary name and renamed into place. A file that changes while it is being
// archived makes Export fail rather than write a mismatched archive.
func (s *Store) Export(ctx context.Context, archivePath, appVersion string) (Manifest, error) {
	m, err := s.export(ctx, archivePath, appVersion)
	if err != nil {
		return Manifest{}, fmt.Errorf("export workspace %s to %s: %w", s.dir, archivePath, err)
	}
	return m, nil
}

func (s *Store) export(ctx context.Context, archivePath, appVersion string) (Manifest, error) {
	archivePath, err := filepath.Abs(archivePath)
	if err != nil {
		return Manifest{}, err
	}
	dir, err := filepath.Abs(s.dir) // comparable with archivePath while walking it
	if err != nil {
		return Manifest{}, err
	}
	// The snapshot is staged beside the archive: that folder has room for it.
	work, err := os.MkdirTemp(filepath.Dir(archivePath), ".npcws-export-*")
	if err != nil {
		return Manifest{}, err
	}
	defer os.RemoveAll(work)

	m := Manifest{Format: ArchiveFormat, AppVersion: appVersion, Exported: time.Now().UTC().Format(time.RFC3339)}
	sources := map[string]string{FileName: filepath.Join(work, FileName)}
	err = s.db.View(func(tx *bolt.Tx) error {
		facts, err := readMeta(tx)
		if err != nil {
			return err
		}
		m.SchemaVersion, m.Created, m.WorkspaceID = facts.version, facts.created, facts.workspaceID
		return tx.CopyFile(sources[FileName], 0o600)
	})
	if err != nil {
		return Manifest{}, err
	}
	names, err := workspaceFiles(dir, archivePath)
	if err != nil {
		return Manifest{}, err
	}
	for _, name := range append([]string{FileName}, names...) {
		src, ok := sources[name]
		if !ok {
			src = filepath.Join(dir, filepath.FromSlash(name))
			sources[name] = src
		}
		f, err := hashFile(ctx, src)
		if err != nil {
			return Manifest{}, err
		}
		f.Name = name
		m.Files = append(m.Files, f)
	}
	err = atomicfile.Write(archivePath, 0o600, func(w io.Writer) error {
		return writeArchive(ctx, w, m, sources)
	})
	if err != nil {
		return Manifest{}, err
	}
	return m, nil
}

// workspaceFiles lists the regular files of dir that belong in an archive, besides
// the database, as sorted slash-separated paths. skip is left out (an archive
// being written inside the data directory).
func workspaceFiles(dir, skip string) ([]string, error) {
	var names []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == dir {
			return nil
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		name := filepath.ToSlash(rel)
		switch {
		case !inArchive(name, d.IsDir()) && d.IsDir():
			return filepath.SkipDir
		case !inArchive(name, d.IsDir()), !d.Type().IsRegular(), p == skip:
			return nil // folders are implied by their files; links are not followed
		}
		names = append(names, name)
		return nil
	})
	return names, err
}

// inArchive says whether a file or folder of the data directory (slash-separated,
// relative) goes into an archive as itself. The database goes in as a snapshot.
func inArchive(name string, isDir bool) bool {
	base := path.Base(name)
	switch {
	case name == FileName, name == ManifestName, name == BackupDir, name == logDir:
		return false
	case strings.HasPrefix(base, "."), strings.HasSuffix(base, ".tmp"), strings.HasSuffix(base, "~"):
		return false // temporary and hidden files
	case !isDir && strings.HasSuffix(base, ArchiveExt):
		return false
	}
	return true
}

// validMemberName accepts the names Export can write, and nothing that could land
// outside the data directory or in its backups and logs.
func validMemberName(name string) bool {
	if name == FileName {
		return true
	}
	if name == "" || path.Clean(name) != name || path.IsAbs(name) || strings.Contains(name, `\`) ||
		!filepath.IsLocal(filepath.FromSlash(name)) {
		return false
	}
	for p := name; p != "."; p = path.Dir(p) {
		if !inArchive(p, p != name) {
			return false
		}
	}
	return true
}

func hashFile(ctx context.Context, name string) (ManifestFile, error) {
	f, err := os.Open(name)
	if err != nil {
		return ManifestFile{}, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, ctxReader{ctx, f})
	if err != nil {
		return ManifestFile{}, fmt.Errorf("read %s: %w", name, err)
	}
	return ManifestFile{Size: n, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}

func writeArchive(ctx context.Context, w io.Writer, m Manifest, sources map[string]string) error {
	// BestSpeed: a workspace is mostly JSON and compresses well at any level; the
	// higher levels cost several times the CPU for a few percent.
	gz, err := gzip.NewWriterLevel(w, gzip.BestSpeed)
	if err != nil {
		return err
	}
	tw := tar.NewWriter(gz)
	modTime := time.Now().Truncate(time.Second)
	raw, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	hdr := &tar.Header{Typeflag: tar.TypeReg, Name: ManifestName, Mode: 0o600, Size: int64(len(raw)), ModTime: modTime}
	if err := tw.WriteHeader(hdr); err != nil {
		return err
	}
	if _, err := tw.Write(raw); err != nil {
		return err
	}
	for _, f := range m.Files {
		if err := writeMember(ctx, tw, f, sources[f.Name], modTime); err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	return gz.Close()
}

func writeMember(ctx context.Context, tw *tar.Writer, f ManifestFile, src string, modTime time.Time) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	hdr := &tar.Header{Typeflag: tar.TypeReg, Name: f.Name, Mode: 0o600, Size: f.Size, ModTime: modTime}
	if err := tw.WriteHeader(hdr); err != nil {
		return err
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tw, h), io.LimitReader(ctxReader{ctx, in}, f.Size))
	if err != nil {
		return fmt.Errorf("archive %s: %w", f.Name, err)
	}
	if n != f.Size || hex.EncodeToString(h.Sum(nil)) != f.SHA256 {
		return fmt.Errorf("%s changed while it was being archived: export again", src)
	}
	return nil
}

// VerifyArchive checks a workspace archive completely without touching any
// workspace: manifest, members (names, types, sizes, checksums, none missing or extra)
// and the database (opens, passes a consistency check, schema not newer). Problems
// are reported as *ArchiveError.
func VerifyArchive(ctx context.Context, archivePath string) (Manifest, error) {
	tmp, err := os.MkdirTemp("", "npcws-verify-*")
	if err != nil {
		return Manifest{}, fmt.Errorf("verify archive %s: %w", archivePath, err)
	}
	defer os.RemoveAll(tmp)
	m, err := extractArchive(ctx, archivePath, tmp)
	var ae *ArchiveError
	if err != nil && !errors.As(err, &ae) {
		err = fmt.Errorf("verify archive %s: %w", archivePath, err)
	}
	return m, err
}

// Import replaces the workspace in dir with the one in archivePath. The workspace
// must not be open: the caller closes it first, and Import refuses with an error
// matching ErrLocked when another window or command has it open for writing.
//
// The archive is extracted and verified in a temporary folder inside dir first; a
// damaged archive fails with *ArchiveError and dir is left exactly as it was. Then
// the current database is backed up (reason "before-import") and the new files are
// renamed into place, the database last; workspace files that the archive does not
// have (an old lore index) are removed. Backups and logs are kept. When dir does not
// exist it is created from the archive in one rename.
func Import(ctx context.Context, archivePath, dir string) (Manifest, error) {
	m, err := importArchive(ctx, archivePath, dir)
	var ae *ArchiveError
	if err != nil && !errors.As(err, &ae) {
		err = fmt.Errorf("import %s into %s: %w", archivePath, dir, err)
	}
	return m, err
}

func importArchive(ctx context.Context, archivePath, dir string) (Manifest, error) {
	dbPath := filepath.Join(dir, FileName)
	// Hold a shared lock on the current database while working: it refuses a workspace
	// open elsewhere (read-write) and keeps one from being opened until the backup is
	// taken.
	var current *bolt.DB
	var hasCurrent bool
	if fi, err := os.Stat(dbPath); err == nil {
		hasCurrent = fi.Size() > 0
	}
	if hasCurrent {
		db, err := openBolt(dbPath, true, lockProbeWait)
		var ce *CorruptError
		switch {
		case err == nil:
			current = db
			defer func() {
				if current != nil {
					current.Close()
				}
			}()
		case errors.As(err, &ce):
			// A damaged workspace is what an import often replaces; it is backed up byte for byte.
		default:
			return Manifest{}, err
		}
	}

	_, statErr := os.Stat(dir)
	exists := statErr == nil
	parent := dir
	if !exists {
		parent = filepath.Dir(dir)
		if err := os.MkdirAll(parent, 0o700); err != nil {
			return Manifest{}, err
		}
	}
	stage, err := os.MkdirTemp(parent, ".npcws-import-*")
	if err != nil {
		return Manifest{}, err
	}
	defer os.RemoveAll(stage)
	m, err := extractArchive(ctx, archivePath, stage)
	if err != nil {
		return Manifest{}, err
	}
	if err := ctx.Err(); err != nil {
		return Manifest{}, err
	}
	if !exists {
		if err := os.Rename(stage, dir); err != nil {
			return Manifest{}, err
		}
		return m, atomicfile.SyncDir(parent)
	}

	backup := "(none)"
	if hasCurrent {
		if current != nil {
			backup, err = backupDB(current, dir, "before-import")
		} else {
			backup, err = backupRawFile(dir, "before-import")
		}
		if err != nil {
			return Manifest{}, err
		}
	}
	// The lock is held through the swap, so that no window or command opens the database
	// in between and writes to a file about to be replaced (openBolt refuses the replaced
	// file to one that was waiting for it). Windows cannot rename over a mapped file.
	if current != nil && runtime.GOOS == "windows" {
		current.Close()
		current = nil
	}
	if beforeSwap != nil {
		beforeSwap()
	}
	if err := swapIn(stage, dir, m); err != nil {
		return Manifest{}, fmt.Errorf("%w (the previous database is backed up at %s)", err, backup)
	}
	return m, nil
}

// beforeSwap, when set (tests), runs as Import is about to rename the new files into place.
var beforeSwap func()

// swapIn renames the files of m from stage into dir, the database last (its rename is
// the commit point), then removes the workspace files of dir that m does not have.
func swapIn(stage, dir string, m Manifest) error {
	old, err := workspaceFiles(dir, "")
	if err != nil {
		return err
	}
	order := append(slices.Clone(m.Files[1:]), m.Files[0])
	touched := map[string]bool{dir: true}
	added := map[string]bool{}
	for _, f := range order {
		dst := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
			return err
		}
		if err := os.Rename(filepath.Join(stage, filepath.FromSlash(f.Name)), dst); err != nil {
			return err
		}
		touched[filepath.Dir(dst)] = true
		added[f.Name] = true
	}
	for _, name := range old {
		if added[name] {
			continue
		}
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		// Drop folders left empty; Remove refuses the ones that are not.
		for d := filepath.Dir(p); d != dir; d = filepath.Dir(d) {
			if os.Remove(d) != nil {
				break
			}
		}
	}
	for d := range touched {
		if err := atomicfile.SyncDir(d); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}

// extractArchive reads archivePath into the empty folder dest, checking everything
// VerifyArchive promises. Archive problems are *ArchiveError; failures to write dest
// and cancellation are returned as they are.
func extractArchive(ctx context.Context, archivePath, dest string) (Manifest, error) {
	bad := func(member, reason string, err error) error {
		if cerr := ctx.Err(); cerr != nil {
			return cerr
		}
		if errors.Is(err, errBeyondManifest) {
			reason, err = errBeyondManifest.Error(), nil
		}
		return &ArchiveError{Path: archivePath, Member: member, Reason: reason, Err: err}
	}
	f, err := os.Open(archivePath)
	if err != nil {
		return Manifest{}, fmt.Errorf("open archive: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return Manifest{}, fmt.Errorf("open archive: %w", err)
	}
	gz, err := gzip.NewReader(ctxReader{ctx, f})
	if err != nil {
		return Manifest{}, bad("", "not a workspace archive (gzip-compressed tar)", err)
	}
	// Every byte the tar stream has beyond what its manifest declares is refused as it
	// is read: until the manifest is read, only room for the manifest.
	body := &declaredReader{r: gz, left: maxManifestSize + tarOverhead(ManifestName)}
	tr := tar.NewReader(body)

	hdr, err := tr.Next()
	if err != nil && !errors.Is(err, tar.ErrInsecurePath) {
		return Manifest{}, bad("", "damaged or truncated", err)
	}
	if hdr.Name != ManifestName || hdr.Typeflag != tar.TypeReg {
		return Manifest{}, bad(hdr.Name, "the first member must be "+ManifestName, nil)
	}
	if hdr.Size > maxManifestSize {
		return Manifest{}, bad(ManifestName, "too large", nil)
	}
	var m Manifest
	if err := json.NewDecoder(tr).Decode(&m); err != nil {
		return Manifest{}, bad(ManifestName, "not a valid manifest", err)
	}
	if err := checkManifest(archivePath, m); err != nil {
		return Manifest{}, err
	}
	declared := int64(0)
	for _, mf := range m.Files {
		declared = min(declared+mf.Size+tarOverhead(mf.Name), 1<<62)
	}
	if declared > max(archiveRatioFloor, maxArchiveRatio*fi.Size()) {
		return Manifest{}, bad(ManifestName, fmt.Sprintf("declares %d bytes of files, more than %d times the archive's size; the archive may be damaged or hostile", declared, maxArchiveRatio), nil)
	}
	body.left = declared + tarOverhead("") // the manifest's padding and the end of the stream

	root, err := os.OpenRoot(dest)
	if err != nil {
		return Manifest{}, err
	}
	defer root.Close()
	want := map[string]ManifestFile{}
	for _, mf := range m.Files {
		want[mf.Name] = mf
	}
	seen := map[string]bool{}
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil && !errors.Is(err, tar.ErrInsecurePath) {
			return Manifest{}, bad("", "damaged or truncated", err)
		}
		mf, listed := want[hdr.Name]
		switch {
		case !validMemberName(hdr.Name):
			return Manifest{}, bad(hdr.Name, "unsafe member name", nil)
		case hdr.Typeflag != tar.TypeReg:
			return Manifest{}, bad(hdr.Name, "not a regular file (links and folders are not allowed)", nil)
		case !listed:
			return Manifest{}, bad(hdr.Name, "not listed in the manifest", nil)
		case seen[hdr.Name]:
			return Manifest{}, bad(hdr.Name, "appears twice", nil)
		case hdr.Size != mf.Size:
			return Manifest{}, bad(hdr.Name, fmt.Sprintf("size %d does not match the manifest (%d)", hdr.Size, mf.Size), nil)
		}
		seen[hdr.Name] = true
		if err := extractMember(root, tr, mf, bad); err != nil {
			return Manifest{}, err
		}
	}
	// Read gzip's trailer: a stream cut after the last member fails here.
	if _, err := io.Copy(io.Discard, body); err != nil {
		return Manifest{}, bad("", "damaged or truncated", err)
	}
	for _, mf := range m.Files {
		if !seen[mf.Name] {
			return Manifest{}, bad(mf.Name, "listed in the manifest but missing", nil)
		}
	}

	db, facts, err := openChecked(filepath.Join(dest, FileName), lockProbeWait)
	if err != nil {
		var ce *CorruptError
		if errors.As(err, &ce) {
			err = ce.Err // its path is the temporary copy, and backups are not the point here
		}
		return Manifest{}, bad(FileName, "the database is damaged", err)
	}
	db.Close()
	switch {
	case facts.version > SchemaVersion:
		return Manifest{}, bad(FileName, "unsupported schema", &NewerSchemaError{Path: archivePath, Found: facts.version, Supported: SchemaVersion})
	case facts.version != m.SchemaVersion || facts.workspaceID != m.WorkspaceID:
		return Manifest{}, bad(ManifestName, "schema version or workspace id does not match the database", nil)
	}
	return m, nil
}

func checkManifest(archivePath string, m Manifest) error {
	bad := func(reason string, err error) error {
		return &ArchiveError{Path: archivePath, Member: ManifestName, Reason: reason, Err: err}
	}
	switch {
	case m.Format > ArchiveFormat:
		return bad(fmt.Sprintf("archive format %d is newer than this version reads (%d): update NPC Studio", m.Format, ArchiveFormat), nil)
	case m.Format != ArchiveFormat:
		return bad(fmt.Sprintf("unknown archive format %d", m.Format), nil)
	case m.SchemaVersion > SchemaVersion:
		return bad("unsupported schema", &NewerSchemaError{Path: archivePath, Found: m.SchemaVersion, Supported: SchemaVersion})
	case m.SchemaVersion < 1:
		return bad(fmt.Sprintf("invalid schema version %d", m.SchemaVersion), nil)
	case len(m.Files) == 0 || m.Files[0].Name != FileName:
		return bad("the first file must be "+FileName, nil)
	}
	names := map[string]bool{}
	for _, f := range m.Files {
		switch {
		case !validMemberName(f.Name):
			return bad(fmt.Sprintf("unsafe file name %q", f.Name), nil)
		case names[f.Name]:
			return bad(fmt.Sprintf("%s is listed twice", f.Name), nil)
		case f.Size < 0 || len(f.SHA256) != sha256.Size*2:
			return bad(fmt.Sprintf("invalid size or checksum for %s", f.Name), nil)
		}
		names[f.Name] = true
	}
	return nil
}

func extractMember(root *os.Root, r io.Reader, mf ManifestFile, bad func(member, reason string, err error) error) error {
	if dir := path.Dir(mf.Name); dir != "." {
		if err := root.MkdirAll(dir, 0o700); err != nil {
			return err
		}
	}
	out, err := root.OpenFile(mf.Name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	defer out.Close()
	h := sha256.New()
	src := &readErr{r: r}
	if _, err := io.Copy(out, io.TeeReader(src, h)); err != nil {
		if src.err != nil {
			return bad(mf.Name, "damaged or truncated", src.err)
		}
		return err
	}
	if hex.EncodeToString(h.Sum(nil)) != mf.SHA256 {
		return bad(mf.Name, "checksum does not match the manifest", nil)
	}
	if err := out.Sync(); err != nil {
		return err
	}
	return out.Close()
}

// tarOverhead bounds the tar headers and padding that come with a member named name.
func tarOverhead(name string) int64 { return 4<<10 + 2*int64(len(name)) }

var errBeyondManifest = errors.New("holds more data than its manifest declares; the archive may be damaged or hostile")

// declaredReader fails with errBeyondManifest once more than left bytes were read.
type declaredReader struct {
	r    io.Reader
	left int64
}

func (d *declaredReader) Read(p []byte) (int, error) {
	n, err := d.r.Read(p)
	if d.left -= int64(n); d.left < 0 {
		return 0, errBeyondManifest
	}
	return n, err
}

// readErr remembers a read error, to tell a damaged archive from a full disk.
type readErr struct {
	r   io.Reader
	err error
}

func (r *readErr) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	if err != nil && err != io.EOF {
		r.err = err
	}
	return n, err
}

// ctxReader stops a long copy when ctx is done.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
