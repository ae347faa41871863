package app

import (
	"errors"

	"github.com/npcstudio/npcstudio/backend/cloud"
	"github.com/npcstudio/npcstudio/backend/fault"
	"github.com/npcstudio/npcstudio/backend/lore"
	"github.com/npcstudio/npcstudio/backend/persona"
	"github.com/npcstudio/npcstudio/backend/secrets"
	"github.com/npcstudio/npcstudio/backend/store"
)

// sentinels maps errors of packages that do not implement fault.Coder to their codes.
var sentinels = map[error]string{
	store.ErrLocked:          "locked",
	store.ErrNotFound:        "not_found",
	secrets.ErrUnavailable:   "keychain_unavailable",
	secrets.ErrNotFound:      "not_found",
	persona.ErrAmbiguousName: "ambiguous",
	persona.ErrReadOnly:      "read_only",
	persona.ErrInUse:         "in_use",
	lore.ErrNoEmbedder:       "no_embedder",
	lore.ErrNoTextLayer:      "no_text_layer",
	lore.ErrEmpty:            "empty",
	cloud.ErrNoDeployment:    "no_deployment",
}

// AppError is how every error reaches the window and the command line's --json output.
type AppError = fault.Shaped

// FormatError shapes err once, at the boundary (Wails' ErrorFormatter, the browser bridge, the CLI).
func FormatError(err error) AppError {
	s := fault.Shape(err, sentinels)
	if s.Code != "error" {
		return s
	}
	var (
		newer   *store.NewerSchemaError
		corrupt *store.CorruptError
		archive *store.ArchiveError
	)
	switch {
	case errors.As(err, &archive):
		s.Code, s.Field = "archive_invalid", archive.Member
	case errors.As(err, &newer):
		s.Code = "newer_schema"
	case errors.As(err, &corrupt):
		s.Code = "corrupt"
	}
	return s
}
