package store

import (
	"fmt"
	"os"

	bolt "go.etcd.io/bbolt"
)

// Info describes an open workspace for the health screen and `npcstudio workspace info`.
type Info struct {
	Path                   string `json:"path"`
	DataDir                string `json:"dataDir"`
	SchemaVersion          int    `json:"schemaVersion"`
	SupportedSchemaVersion int    `json:"supportedSchemaVersion"`
	WorkspaceID            string `json:"workspaceId"`
	// Created is RFC 3339, UTC.
	Created   string `json:"created"`
	SizeBytes int64  `json:"sizeBytes"`
	// Buckets maps each top-level bucket to its number of keys (nested buckets included).
	Buckets map[string]int `json:"buckets"`
	// LastBackup is the newest file in the backups folder, empty when there is none.
	LastBackup string `json:"lastBackup"`
}

// Info reports what the workspace is and holds.
func (s *Store) Info() (Info, error) {
	info := Info{
		Path:                   s.path,
		DataDir:                s.dir,
		SupportedSchemaVersion: SchemaVersion,
		Buckets:                map[string]int{},
	}
	err := s.db.View(func(tx *bolt.Tx) error {
		facts, err := readMeta(tx)
		if err != nil {
			return err
		}
		info.SchemaVersion, info.WorkspaceID, info.Created = facts.version, facts.workspaceID, facts.created
		return tx.ForEach(func(name []byte, b *bolt.Bucket) error {
			info.Buckets[string(name)] = b.Stats().KeyN
			return nil
		})
	})
	if err != nil {
		return Info{}, fmt.Errorf("workspace %s: %w", s.path, err)
	}
	fi, err := os.Stat(s.path)
	if err != nil {
		return Info{}, fmt.Errorf("workspace %s: %w", s.path, err)
	}
	info.SizeBytes = fi.Size()
	if b, ok := newestBackup(s.dir); ok {
		info.LastBackup = b.path
	}
	return info, nil
}

// Check runs bbolt's consistency check over the whole file. Problems are returned
// joined in a *CorruptError that also names the last good backup.
func (s *Store) Check() error {
	// bbolt's check reads the freelist, which a concurrent writer may be changing;
	// a writable transaction (rolled back, so nothing is written) keeps writers out.
	// A read-only store has no writers.
	tx, err := s.db.Begin(!s.readOnly)
	if err != nil {
		return fmt.Errorf("check workspace %s: %w", s.path, err)
	}
	err = checkTx(tx, 0)
	tx.Rollback()
	if err != nil {
		last, _ := LastGoodBackup(s.dir)
		return &CorruptError{Path: s.path, LastGood: last, Err: err}
	}
	return nil
}
