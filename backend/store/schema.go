package store

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"time"

	bolt "go.etcd.io/bbolt"
)

// SchemaVersion is the workspace schema this version writes. Files with a lower
// version are upgraded on Open; files with a higher one are refused.
const SchemaVersion = 2

// Keys of the meta bucket (see doc.go).
const (
	metaSchemaVersion = "schema_version"
	metaCreated       = "created"
	metaWorkspaceID   = "workspace_id"
)

// metaFacts is what the meta bucket says about a workspace.
type metaFacts struct {
	version     int
	created     string
	workspaceID string
}

var errNotWorkspace = errors.New("no schema version in the meta bucket: not an NPC Studio workspace")

func readMeta(tx *bolt.Tx) (metaFacts, error) {
	b := tx.Bucket([]byte(BucketMeta))
	if b == nil {
		return metaFacts{}, errNotWorkspace
	}
	raw := b.Get([]byte(metaSchemaVersion))
	if raw == nil {
		return metaFacts{}, errNotWorkspace
	}
	v, err := strconv.Atoi(string(raw))
	if err != nil || v < 1 {
		return metaFacts{}, fmt.Errorf("invalid schema version %q in the meta bucket", raw)
	}
	return metaFacts{
		version:     v,
		created:     string(b.Get([]byte(metaCreated))),
		workspaceID: string(b.Get([]byte(metaWorkspaceID))),
	}, nil
}

// initMeta writes the meta bucket of a new workspace.
func initMeta(tx *bolt.Tx, now time.Time) error {
	b, err := tx.CreateBucketIfNotExists([]byte(BucketMeta))
	if err != nil {
		return err
	}
	for k, v := range map[string]string{
		metaSchemaVersion: strconv.Itoa(SchemaVersion),
		metaCreated:       now.UTC().Format(time.RFC3339),
		metaWorkspaceID:   newWorkspaceID(),
	} {
		if err := b.Put([]byte(k), []byte(v)); err != nil {
			return err
		}
	}
	return nil
}

func newWorkspaceID() string {
	var b [16]byte
	rand.Read(b[:]) // never fails (crypto/rand.Read crashes the program instead)
	return hex.EncodeToString(b[:])
}

// migration upgrades a workspace from schema from to from+1. Steps only touch
// what the store owns (the meta bucket); a domain package that changes its own
// values does so with versioned structs, not here.
type migration struct {
	from int
	what string
	up   func(tx *bolt.Tx) error
}

// migrations are run in order, all in the one transaction that also writes the
// new schema_version, so an upgrade either happens completely or not at all.
// migrations[i].from == i+1 (TestMigrationsAreContiguous).
var migrations = []migration{
	{from: 1, what: "created as RFC 3339, add workspace_id", up: upgrade1to2},
}

// upgrade1to2: schema 1 stored created as unix seconds (decimal) and had no workspace_id.
func upgrade1to2(tx *bolt.Tx) error {
	b := tx.Bucket([]byte(BucketMeta))
	if raw := b.Get([]byte(metaCreated)); raw != nil {
		secs, err := strconv.ParseInt(string(raw), 10, 64)
		if err != nil {
			return fmt.Errorf("schema 1 created %q is not unix seconds", raw)
		}
		created := time.Unix(secs, 0).UTC().Format(time.RFC3339)
		if err := b.Put([]byte(metaCreated), []byte(created)); err != nil {
			return err
		}
	}
	if b.Get([]byte(metaWorkspaceID)) == nil {
		return b.Put([]byte(metaWorkspaceID), []byte(newWorkspaceID()))
	}
	return nil
}

// migrate runs every step from version from to SchemaVersion, then records the new version.
func migrate(tx *bolt.Tx, from int) error {
	for v := from; v < SchemaVersion; v++ {
		step := migrations[v-1]
		if err := step.up(tx); err != nil {
			return fmt.Errorf("schema %d to %d (%s): %w", v, v+1, step.what, err)
		}
	}
	return tx.Bucket([]byte(BucketMeta)).Put([]byte(metaSchemaVersion), []byte(strconv.Itoa(SchemaVersion)))
}
