package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"github.com/npcstudio/npcstudio/backend/atomicfile"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"
)

// FileName is the workspace database inside a data directory.
const FileName = "workspace.db"

// Options configures Open.
type Options struct {
	// Buckets are created when missing, in addition to the store's own (meta).
	// Each domain package exports the names it owns (persona.Buckets, dataset.Buckets...).
	Buckets []string
	// Timeout bounds the wait for the file lock; zero means one second.
	Timeout time.Duration
	// ReadOnly opens the file with a shared lock and never writes: no bucket is
	// created, no upgrade or automatic backup is made.
	ReadOnly bool
	Logger   *slog.Logger
}

// Store is one open workspace.
type Store struct {
	db       *bolt.DB
	dir      string
	path     string
	readOnly bool
	log      *slog.Logger
}

// backupEvery is how old the newest backup may get before Open takes another.
const backupEvery = 24 * time.Hour

// Open opens the workspace in dir, creating it when dir has none.
//
// The file is verified before anything is written to it: a damaged file gives a
// *CorruptError, a file from a newer NPC Studio a *NewerSchemaError, a file held by
// another window or command an error matching ErrLocked; in each case the file is
// left as it was. An older file is backed up, then upgraded in one transaction.
// When the newest backup is more than a day old, Open takes one.
func Open(dir string, opt Options) (*Store, error) {
	if opt.Timeout == 0 {
		opt.Timeout = time.Second
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	path := filepath.Join(dir, FileName)
	created := false
	if !opt.ReadOnly {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("create data dir %s: %w", dir, err)
		}
		var err error
		if created, err = createIfMissing(path); err != nil {
			return nil, err
		}
	}

	// Look before writing: a read-only open (shared lock) verifies the file and
	// reads its schema version.
	db, facts, err := openChecked(path, opt.Timeout)
	if err != nil {
		return nil, withLastGood(dir, err)
	}
	if facts.version > SchemaVersion {
		db.Close()
		return nil, &NewerSchemaError{Path: path, Found: facts.version, Supported: SchemaVersion}
	}
	if opt.ReadOnly {
		if facts.version < SchemaVersion {
			db.Close()
			return nil, fmt.Errorf("workspace %s has schema %d, this version uses %d: %w", path, facts.version, SchemaVersion, ErrNeedsUpgrade)
		}
		return &Store{db: db, dir: dir, path: path, readOnly: true, log: opt.Logger}, nil
	}
	db.Close()

	if db, err = openBolt(path, false, opt.Timeout); err != nil {
		return nil, withLastGood(dir, err)
	}
	s := &Store{db: db, dir: dir, path: path, log: opt.Logger}
	upgraded, err := s.prepare(facts.version, opt.Buckets)
	if err != nil {
		db.Close()
		return nil, err
	}
	if !created && !upgraded {
		s.backupIfDue()
	}
	return s, nil
}

// withLastGood names the last good backup of dir in a *CorruptError.
func withLastGood(dir string, err error) error {
	var ce *CorruptError
	if errors.As(err, &ce) {
		ce.LastGood, _ = LastGoodBackup(dir)
	}
	return err
}

// createIfMissing creates a new workspace file at path unless one exists. The file is
// written under a temporary name and linked into place, so a crash never leaves an
// empty workspace.db behind and a concurrent creator never has its file replaced.
func createIfMissing(path string) (created bool, err error) {
	switch _, err := os.Lstat(path); {
	case err == nil:
		return false, nil
	case !errors.Is(err, fs.ErrNotExist):
		return false, err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".workspace-*.tmp")
	if err != nil {
		return false, fmt.Errorf("create workspace %s: %w", path, err)
	}
	tmp.Close()
	defer os.Remove(tmp.Name())
	db, err := bolt.Open(tmp.Name(), 0o600, nil)
	if err != nil {
		return false, fmt.Errorf("create workspace %s: %w", path, err)
	}
	err = db.Update(func(tx *bolt.Tx) error { return initMeta(tx, time.Now()) })
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return false, fmt.Errorf("create workspace %s: %w", path, err)
	}
	switch err := os.Link(tmp.Name(), path); {
	case errors.Is(err, fs.ErrExist):
		return false, nil // another window or command created it first
	case err != nil:
		// Some file systems have no hard links; a rename is the next best thing.
		if err := os.Rename(tmp.Name(), path); err != nil {
			return false, fmt.Errorf("create workspace %s: %w", path, err)
		}
	}
	if err := atomicfile.SyncDir(filepath.Dir(path)); err != nil {
		return false, fmt.Errorf("create workspace %s: %w", path, err)
	}
	return true, nil
}

// prepare brings an open read-write workspace to SchemaVersion and creates missing
// buckets. found is the version seen by the read-only check; it is read again under
// the write lock. It reports whether an upgrade was made.
func (s *Store) prepare(found int, buckets []string) (upgraded bool, err error) {
	buckets = append([]string{BucketMeta}, buckets...)
	if found == SchemaVersion {
		complete := true
		err := s.db.View(func(tx *bolt.Tx) error {
			for _, b := range buckets {
				complete = complete && tx.Bucket([]byte(b)) != nil
			}
			return nil
		})
		if err == nil && complete {
			return false, nil // nothing to write
		}
	}

	var backup string
	if found < SchemaVersion {
		if backup, err = s.Backup("before-upgrade"); err != nil {
			return false, fmt.Errorf("upgrade workspace %s: %w", s.path, err)
		}
	}
	var from int
	err = s.db.Update(func(tx *bolt.Tx) error {
		facts, err := readMeta(tx)
		if err != nil {
			return &CorruptError{Path: s.path, Err: err}
		}
		from = facts.version
		switch {
		case from > SchemaVersion:
			return &NewerSchemaError{Path: s.path, Found: from, Supported: SchemaVersion}
		case from < SchemaVersion && backup == "":
			return fmt.Errorf("workspace %s changed to schema %d while it was being opened", s.path, from)
		case from < SchemaVersion:
			if err := migrate(tx, from); err != nil {
				return fmt.Errorf("upgrade workspace %s: %w", s.path, err)
			}
		}
		for _, b := range buckets {
			if _, err := tx.CreateBucketIfNotExists([]byte(b)); err != nil {
				return fmt.Errorf("create bucket %s in %s: %w", b, s.path, err)
			}
		}
		return nil
	})
	if err != nil {
		return false, err
	}
	if from < SchemaVersion {
		s.log.Info("workspace upgraded", "path", s.path, "from", from, "to", SchemaVersion, "backup", backup)
		return true, nil
	}
	return false, nil
}

// backupIfDue takes a backup when the newest one is more than backupEvery old. A failed
// backup is logged, not returned: it must not keep the writer out of the workspace.
func (s *Store) backupIfDue() {
	if last, ok := newestBackup(s.dir); ok && time.Since(last.at) < backupEvery {
		return
	}
	if path, err := s.Backup("daily"); err != nil {
		s.log.Warn("daily workspace backup failed", "path", s.path, "err", err)
	} else {
		s.log.Info("workspace backed up", "backup", path)
	}
}

// Close releases the file and its lock.
func (s *Store) Close() error { return s.db.Close() }

// Dir is the data directory holding the workspace file.
func (s *Store) Dir() string { return s.dir }

// Path is the workspace file.
func (s *Store) Path() string { return s.path }

// View runs fn in a read-only transaction.
func (s *Store) View(fn func(tx *bolt.Tx) error) error { return s.db.View(fn) }

// Update runs fn in a read-write transaction; it commits only if fn returns nil.
func (s *Store) Update(fn func(tx *bolt.Tx) error) error { return s.db.Update(fn) }

func bucket(tx *bolt.Tx, name string) (*bolt.Bucket, error) {
	b := tx.Bucket([]byte(name))
	if b == nil {
		return nil, fmt.Errorf("bucket %s missing from workspace", name)
	}
	return b, nil
}

// GetJSON decodes the value at bucket/key into v, or returns ErrNotFound.
func GetJSON(tx *bolt.Tx, bucketName, key string, v any) error {
	b, err := bucket(tx, bucketName)
	if err != nil {
		return err
	}
	raw := b.Get([]byte(key))
	if raw == nil {
		return fmt.Errorf("%s %q: %w", bucketName, key, ErrNotFound)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("decode %s %q: %w", bucketName, key, err)
	}
	return nil
}

// PutJSON encodes v and stores it at bucket/key.
func PutJSON(tx *bolt.Tx, bucketName, key string, v any) error {
	b, err := bucket(tx, bucketName)
	if err != nil {
		return err
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %s %q: %w", bucketName, key, err)
	}
	return b.Put([]byte(key), raw)
}

// Delete removes bucket/key; deleting a missing key returns ErrNotFound.
func Delete(tx *bolt.Tx, bucketName, key string) error {
	b, err := bucket(tx, bucketName)
	if err != nil {
		return err
	}
	if b.Get([]byte(key)) == nil {
		return fmt.Errorf("%s %q: %w", bucketName, key, ErrNotFound)
	}
	return b.Delete([]byte(key))
}

// ForEachJSON decodes every value whose key starts with prefix, in key order.
func ForEachJSON[T any](tx *bolt.Tx, bucketName, prefix string, fn func(key string, v T) error) error {
	b, err := bucket(tx, bucketName)
	if err != nil {
		return err
	}
	c := b.Cursor()
	p := []byte(prefix)
	for k, raw := c.Seek(p); k != nil && len(k) >= len(p) && string(k[:len(p)]) == prefix; k, raw = c.Next() {
		var v T
		if err := json.Unmarshal(raw, &v); err != nil {
			return fmt.Errorf("decode %s %q: %w", bucketName, k, err)
		}
		if err := fn(string(k), v); err != nil {
			return err
		}
	}
	return nil
}
