package lore

import (
	"errors"
	"fmt"

	"github.com/npcstudio/npcstudio/backend/fault"
	"github.com/npcstudio/npcstudio/backend/prose"
)

var (
	// ErrNotFound: no document, chunk or index by that name.
	ErrNotFound = fault.ErrNotFound
	// ErrNoTextLayer: a PDF whose pages carry no text (a scan).
	ErrNoTextLayer = errors.New("no text layer (scanned?): run it through OCR and import the text")
	// ErrEmpty: a document with no text.
	ErrEmpty = errors.New("the document has no text")
	// ErrClosed: the library was closed (the workspace is closing, or being exported or
	// replaced); open it again to go on.
	ErrClosed = errors.New("the lore library is closed")
	// ErrNoEmbedder: vector search needs an embedder.
	ErrNoEmbedder = errors.New("no embedder is configured: set one in lore settings, or search by keyword")
)

// FileError says why one file could not be imported. Import goes on with the other files.
type FileError struct {
	Path string
	// Line is the 1-based line of the problem in a text file, when known.
	Line   int
	Reason string
	Err    error
}

func (e *FileError) Error() string {
	msg := prose.Name(e.Path)
	if e.Line > 0 {
		msg += fmt.Sprintf(":%d", e.Line)
	}
	msg += ": " + e.Reason
	if e.Err != nil && e.Err.Error() != e.Reason {
		msg += ": " + e.Err.Error()
	}
	return msg
}

func (e *FileError) Unwrap() error      { return e.Err }
func (e *FileError) ErrorCode() string  { return "invalid" }
func (e *FileError) ErrorField() string { return "file" }
func (e *FileError) ErrorLine() int     { return e.Line }

// DuplicateError is returned for a file whose text is already in the library under
// another name.
type DuplicateError struct {
	Path     string
	Existing string // name of the document with the same text
}

func (e *DuplicateError) Error() string {
	return fmt.Sprintf("%s: same text as %s, already in the library", prose.Name(e.Path), prose.Name(e.Existing))
}

func (e *DuplicateError) Is(target error) bool { return target == fault.ErrExists }
func (e *DuplicateError) ErrorCode() string    { return "duplicate" }

// DimensionError is returned when vectors of one length meet an index built for another.
type DimensionError struct {
	Index       string
	IndexDim    int
	EmbedderDim int
	Embedder    string
}

func (e *DimensionError) Error() string {
	emb := "the embedder"
	if e.Embedder != "" {
		emb = "embedder " + e.Embedder
	}
	return fmt.Sprintf("index %s holds %d-dimension vectors but %s makes %d-dimension vectors: pick the embedder the index was built with, or use a new index",
		e.Index, e.IndexDim, emb, e.EmbedderDim)
}

func (e *DimensionError) ErrorCode() string  { return "dimension_mismatch" }
func (e *DimensionError) ErrorField() string { return "embedder" }
