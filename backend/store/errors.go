package store

import (
	"errors"
	"fmt"
)

// ErrNotFound is returned when a key is absent.
var ErrNotFound = errors.New("not found")

// ErrLocked is returned when another NPC Studio (window or command) holds the workspace.
// The error returned by Open names the file; test for it with errors.Is.
var ErrLocked = errors.New("workspace is already open in another NPC Studio window or command")

// ErrNeedsUpgrade is returned by a read-only Open of a workspace written with an older
// schema: upgrading writes, so the workspace must be opened read-write once.
var ErrNeedsUpgrade = errors.New("workspace needs an upgrade, which a read-only open cannot do")

// lockedError names the locked file while still matching ErrLocked.
type lockedError struct{ path string }

func (e *lockedError) Error() string {
	return fmt.Sprintf("workspace %s is already open in another NPC Studio window or command: close it and try again", e.path)
}

func (e *lockedError) Is(target error) bool { return target == ErrLocked }

// NewerSchemaError is returned when a workspace was written by a newer NPC Studio.
// The file is left untouched.
type NewerSchemaError struct {
	Path      string
	Found     int
	Supported int
}

func (e *NewerSchemaError) Error() string {
	return fmt.Sprintf("workspace %s was written by a newer NPC Studio (schema %d; this version reads up to %d): update NPC Studio",
		e.Path, e.Found, e.Supported)
}

// CorruptError is returned when a workspace file is damaged (truncated, overwritten,
// not a workspace at all). The file is left untouched. LastGood is the newest backup
// that passes a check, or empty when there is none.
type CorruptError struct {
	Path     string
	LastGood string
	Err      error
}

func (e *CorruptError) Error() string {
	if e.LastGood == "" {
		return fmt.Sprintf("workspace %s is damaged (%v); there is no good backup to restore", e.Path, e.Err)
	}
	return fmt.Sprintf("workspace %s is damaged (%v); the last good copy is %s", e.Path, e.Err, e.LastGood)
}

func (e *CorruptError) Unwrap() error { return e.Err }

// ArchiveError is returned when a workspace archive is damaged, unsafe or not
// readable by this version. Member is the archive member at fault, empty when the
// archive as a whole is unreadable. Err, when set, is the underlying cause
// (a *NewerSchemaError for an archive from a newer NPC Studio, a *CorruptError for
// a damaged database, a decompression error...).
type ArchiveError struct {
	Path   string
	Member string
	Reason string
	Err    error
}

func (e *ArchiveError) Error() string {
	msg := "archive " + e.Path + ": "
	if e.Member != "" {
		msg += e.Member + ": "
	}
	msg += e.Reason
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

func (e *ArchiveError) Unwrap() error { return e.Err }
