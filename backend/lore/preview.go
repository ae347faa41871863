package lore

import (
	"context"
	"errors"
	"os"
	"strings"

	"github.com/npcstudio/npcstudio/backend/fault"
)

// PreviewRequest asks how a file or a text would be chunked, without importing it.
type PreviewRequest struct {
	// Path is a file to preview; Text is used when Path is empty.
	Path     string       `json:"path,omitempty"`
	Text     string       `json:"text,omitempty"`
	Chunking ChunkOptions `json:"chunking"`
	// Limit is how many chunks to return (default 200); Total still counts them all.
	Limit int `json:"limit,omitempty"`
}

// ChunkPreview is what a chunking would make.
type ChunkPreview struct {
	Chunking ChunkOptions `json:"chunking"`
	Chunks   []Chunk      `json:"chunks"`
	Total    int          `json:"total"`
	// Bytes is the length of the text chunked.
	Bytes int64 `json:"bytes"`
}

// Preview chunks a file or a text as Add would, and returns the first chunks.
func Preview(ctx context.Context, req PreviewRequest) (ChunkPreview, error) {
	opt, err := req.Chunking.Normalize()
	if err != nil {
		return ChunkPreview{}, err
	}
	if req.Limit <= 0 {
		req.Limit = 200
	}
	p := ChunkPreview{Chunking: opt, Chunks: []Chunk{}}
	collect := func(c Chunk) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		p.Total++
		if len(p.Chunks) < req.Limit {
			p.Chunks = append(p.Chunks, c)
		}
		return nil
	}
	if req.Path == "" {
		if strings.TrimSpace(req.Text) == "" {
			return p, fault.Invalid("text", "nothing to preview")
		}
		var sb strings.Builder
		info, err := copyText(&sb, strings.NewReader(req.Text), maxLine)
		if err != nil {
			return p, err
		}
		p.Bytes = info.Size
		return p, ChunkText(strings.NewReader(sb.String()), opt, collect)
	}
	format := FormatOf(req.Path)
	if format == "" {
		return p, &FileError{Path: req.Path, Reason: "unsupported file type: lore takes .txt, .md, .pdf and .docx"}
	}
	tmp, err := os.CreateTemp("", "npcstudio-preview-*.txt")
	if err != nil {
		return p, err
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	info, err := extract(ctx, tmp, req.Path, format)
	var fe *FileError
	if errors.As(err, &fe) {
		fe.Path = req.Path
		return p, fe
	}
	if err != nil {
		return p, &FileError{Path: req.Path, Reason: "cannot read it", Err: err}
	}
	if info.Blank {
		return p, &FileError{Path: req.Path, Reason: ErrEmpty.Error(), Err: ErrEmpty}
	}
	p.Bytes = info.Size
	if _, err := tmp.Seek(0, 0); err != nil {
		return p, err
	}
	return p, ChunkText(tmp, opt, collect)
}
