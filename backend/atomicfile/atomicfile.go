// Package atomicfile writes files so that a reader, or the writer after a crash, finds the
// old file or the whole new one, never part of it: workspace backups and archives, dataset
// exports, exported character cards.
package atomicfile

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
)

// Write writes path through write: into a temporary file in the same folder, synced, given
// perm, then renamed over path, and the folder synced so the new name survives a crash.
func Write(path string, perm fs.FileMode, write func(w io.Writer) error) (err error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+"-*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err = write(f); err != nil {
		return err
	}
	if err = f.Chmod(perm); err != nil {
		return err
	}
	return Place(f, path)
}

// Place puts a finished temporary file at path the way Write does: f is synced, closed,
// renamed over path, and the folder synced. f must be in path's folder. For a file whose
// fate is known only once it is written (an import kept only when its text is new); on
// error f is closed and left for the caller to remove.
func Place(f *os.File, path string) error {
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return err
	}
	return SyncDir(filepath.Dir(path))
}

// PlaceAll puts finished temporary files at their paths with one round of syncs. Where the
// system has syncfs(2) and the files share one folder, they are renamed and the file system
// synced once; elsewhere every file is synced, then renamed, then each folder synced once.
// Either way, when PlaceAll returns every file is whole under its name, durably. tmps[i]
// must be in the folder of paths[i], or be paths[i] itself: a file written under its
// final name is synced where it is. A name may point at an unsynced file until PlaceAll
// returns: the caller names the files nowhere before then. On error some files may have
// been renamed: the caller removes both names.
func PlaceAll(tmps, paths []string) error {
	if len(tmps) > 1 && oneFolder(paths) {
		for i, t := range tmps {
			if t == paths[i] {
				continue
			}
			if err := os.Rename(t, paths[i]); err != nil {
				return err
			}
		}
		if ok, err := syncFS(filepath.Dir(paths[0])); ok {
			return err
		}
		tmps = paths // renamed already: sync them where they are
	}
	for _, t := range tmps {
		f, err := os.OpenFile(t, os.O_WRONLY, 0)
		if err != nil {
			return err
		}
		err = f.Sync()
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
	}
	dirs := map[string]bool{}
	for i, t := range tmps {
		if t != paths[i] {
			if err := os.Rename(t, paths[i]); err != nil {
				return err
			}
		}
		dirs[filepath.Dir(paths[i])] = true
	}
	for d := range dirs {
		if err := SyncDir(d); err != nil {
			return err
		}
	}
	return nil
}

func oneFolder(paths []string) bool {
	for _, p := range paths[1:] {
		if filepath.Dir(p) != filepath.Dir(paths[0]) {
			return false
		}
	}
	return true
}

// SyncDir makes renames and new names in dir durable.
func SyncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil // directories cannot be synced there; NTFS journals names
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, fs.ErrInvalid) {
		return err
	}
	return nil
}
