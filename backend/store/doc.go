// Package store owns the workspace file: one bbolt database per data directory, its
// schema and upgrades, its backups, its health checks, and workspace archives.
//
// # Data directory
//
//	<dir>/
//	  workspace.db        the bbolt database (FileName)
//	  backups/            snapshots of workspace.db (BackupDir), see below
//	  logs/               the app's log files; never archived
//	  lore/ ...           files other packages keep beside the database; archived
//
// # Buckets and keys
//
// Values are small versioned JSON structs unless noted.
//
//	meta                  owned by this package; plain strings, not JSON
//	  schema_version  ->  decimal integer, the schema the file was last written with
//	                      (SchemaVersion is the one this version writes)
//	  created         ->  RFC 3339 UTC time the workspace was created
//	                      (schema 1: unix seconds, decimal)
//	  workspace_id    ->  16 random bytes, lower-case hex; stable across export/import
//	                      (absent in schema 1)
//
// Domain packages own their buckets and document them in their own doc.go; they pass the
// names to Open through Options.Buckets so a workspace always has every bucket it needs.
//
// # Opening, upgrades and refusals
//
// Open first opens the file read-only (shared lock) and verifies it: every key and value
// is read and bbolt's consistency check runs. Panics and memory faults raised by bbolt on
// a damaged file are recovered. Only then is the file reopened read-write.
//
//   - a damaged file gives *CorruptError naming the last good backup;
//   - a file with schema_version > SchemaVersion gives *NewerSchemaError;
//   - a file held by another window or command gives an error matching ErrLocked;
//
// and in each case the file is not written. A file with an older schema is backed up
// (reason "before-upgrade") and then upgraded by the steps in migrations, from N to N+1,
// all in one transaction together with the new schema_version. A new workspace is
// written under a temporary name and linked into place, so there is never an empty or
// half-made workspace.db.
//
// # Backups
//
//	backups/workspace-<UTC yyyymmddThhmmssZ>-<reason>.db
//
// A backup is a consistent snapshot (bbolt's Tx.WriteTo) written to a temporary file,
// synced and renamed. Only the newest 10 are kept; files with other names are left
// alone. Open takes one (reason "daily") when the newest is more than 24 hours old,
// and one before every upgrade; Import takes one before replacing a workspace
// ("before-import"). LastGoodBackup finds the newest one that opens and passes a check.
//
// # Archives
//
// A workspace archive (.npcws) is a gzip-compressed tar stream:
//
//	manifest.json         always first: format, app version, schema version, created,
//	                      exported, workspace id, and name, size and SHA-256 of every
//	                      other member
//	workspace.db          a consistent snapshot of the database
//	lore/...              every other regular file of the data directory, except
//	                      backups/, logs/, hidden files (.*), temporary files (*.tmp,
//	                      *~) and archives (*.npcws); symbolic links are not followed
//
// Members are regular files with local, slash-separated names. Export writes the archive
// under a temporary name and renames it; VerifyArchive and Import check every byte of it
// (and the database inside) before anything in the workspace is touched.
package store
