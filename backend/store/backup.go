package store

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/npcstudio/npcstudio/backend/atomicfile"

	bolt "go.etcd.io/bbolt"
)

// BackupDir is the folder of the data directory that holds workspace backups.
const BackupDir = "backups"

// keepBackups is how many backups Backup leaves in BackupDir.
const keepBackups = 10

const backupTimeLayout = "20060102T150405Z"

// Backup writes a consistent snapshot of the workspace to
// <dir>/backups/workspace-<UTC yyyymmddThhmmssZ>-<reason>.db and deletes all but the
// newest 10 backups. reason is reduced to lower-case letters, digits and dashes. A second
// backup in the same second is numbered after the time (workspace-<time>.2-<reason>.db). It returns the path of the new backup.
func (s *Store) Backup(reason string) (string, error) {
	return backupDB(s.db, s.dir, reason)
}

func backupDB(db *bolt.DB, dir, reason string) (string, error) {
	return writeBackup(dir, reason, func(path string) error {
		err := db.View(func(tx *bolt.Tx) error {
			return atomicfile.Write(path, 0o600, func(w io.Writer) error {
				_, err := tx.WriteTo(w)
				return err
			})
		})
		if err != nil {
			return fmt.Errorf("back up workspace %s: %w", db.Path(), err)
		}
		return nil
	})
}

// backupRawFile copies a workspace file that cannot be opened (it is damaged) byte
// for byte, so that replacing it loses nothing.
func backupRawFile(dir, reason string) (string, error) {
	return writeBackup(dir, reason, func(path string) error {
		src, err := os.Open(filepath.Join(dir, FileName))
		if err != nil {
			return fmt.Errorf("back up workspace: %w", err)
		}
		defer src.Close()
		err = atomicfile.Write(path, 0o600, func(w io.Writer) error {
			_, err := io.Copy(w, src)
			return err
		})
		if err != nil {
			return fmt.Errorf("back up workspace %s: %w", src.Name(), err)
		}
		return nil
	})
}

// backupClock is the time backups are named after (tests fix it).
var backupClock = time.Now

// writeBackup claims a backup name no other backup has, writes the backup there through
// write (atomically, over the claimed empty file), then prunes old backups.
func writeBackup(dir, reason string, write func(path string) error) (string, error) {
	bdir := filepath.Join(dir, BackupDir)
	if err := os.MkdirAll(bdir, 0o700); err != nil {
		return "", fmt.Errorf("create backup folder %s: %w", bdir, err)
	}
	at := backupClock().UTC().Truncate(time.Second)
	stamp := "workspace-" + at.Format(backupTimeLayout)
	tail := "-" + cleanReason(reason) + ".db"
	// Number after the backups of the same second, whatever their reason, so that the
	// newest sorts first even when older ones have been pruned.
	first := 1
	for _, b := range listBackups(dir) {
		if b.at.Equal(at) {
			first = max(first, b.seq+1)
		}
	}
	for n := first; ; n++ {
		name := stamp + tail
		if n > 1 {
			name = stamp + "." + strconv.Itoa(n) + tail
		}
		path := filepath.Join(bdir, name)
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return "", fmt.Errorf("create backup %s: %w", path, err)
		}
		f.Close()
		if err := write(path); err != nil {
			os.Remove(path)
			return "", err
		}
		pruneBackups(dir)
		return path, nil
	}
}

func cleanReason(reason string) string {
	r := strings.Map(func(c rune) rune {
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			return c
		case c >= 'A' && c <= 'Z':
			return c + 'a' - 'A'
		}
		return '-'
	}, reason)
	r = strings.Trim(r, "-")
	if len(r) > 40 {
		r = strings.TrimRight(r[:40], "-")
	}
	if r == "" {
		return "manual"
	}
	return r
}

type backupFile struct {
	path string
	at   time.Time
	// seq numbers the backups of one second with one reason: 1, then 2 (".2"), ...
	seq int
}

// listBackups returns the backups in dir, newest first. Files whose name is not a
// backup name are ignored (and never deleted).
func listBackups(dir string) []backupFile {
	entries, _ := os.ReadDir(filepath.Join(dir, BackupDir))
	var out []backupFile
	for _, e := range entries {
		name := e.Name()
		if !e.Type().IsRegular() || !strings.HasPrefix(name, "workspace-") || !strings.HasSuffix(name, ".db") ||
			len(name) < len("workspace-")+len(backupTimeLayout)+1 {
			continue
		}
		stamp := name[len("workspace-"):]
		at, err := time.Parse(backupTimeLayout, stamp[:len(backupTimeLayout)])
		if err != nil {
			continue
		}
		seq := 1
		if rest := stamp[len(backupTimeLayout):]; strings.HasPrefix(rest, ".") {
			digits, _, _ := strings.Cut(rest[1:], "-")
			if seq, err = strconv.Atoi(digits); err != nil {
				continue
			}
		}
		out = append(out, backupFile{path: filepath.Join(dir, BackupDir, name), at: at, seq: seq})
	}
	slices.SortFunc(out, func(a, b backupFile) int {
		if c := b.at.Compare(a.at); c != 0 {
			return c
		}
		if c := cmp.Compare(b.seq, a.seq); c != 0 {
			return c
		}
		return strings.Compare(b.path, a.path)
	})
	return out
}

// newestBackup is the cheap check used by Open: names only, no file is opened.
func newestBackup(dir string) (backupFile, bool) {
	all := listBackups(dir)
	if len(all) == 0 {
		return backupFile{}, false
	}
	return all[0], true
}

func pruneBackups(dir string) {
	all := listBackups(dir)
	for _, b := range all[min(len(all), keepBackups):] {
		os.Remove(b.path) // best effort: the next backup tries again
	}
}

// LastGoodBackup returns the newest backup in the data directory dir that opens,
// passes a consistency check and has a schema this version reads.
func LastGoodBackup(dir string) (string, bool) {
	for _, b := range listBackups(dir) {
		db, facts, err := openChecked(b.path, 100*time.Millisecond)
		if err != nil {
			continue
		}
		db.Close()
		if facts.version <= SchemaVersion {
			return b.path, true
		}
	}
	return "", false
}
