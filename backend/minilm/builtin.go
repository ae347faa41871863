package minilm

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
)

// Dim is the length of all-MiniLM-L6-v2's vectors.
const Dim = 384

// Lazy is the built-in embedder whose model is read on first use, so opening a workspace
// does not wait for 90 MB of weights.
type Lazy struct {
	dir  string
	once sync.Once
	e    *Embedder
	err  error
}

// NewLazy returns the embedder of the model folder dir, read when first asked to embed.
func NewLazy(dir string) *Lazy { return &Lazy{dir: dir} }

func (l *Lazy) ID() string  { return ID }
func (l *Lazy) Dim() int    { return Dim }
func (l *Lazy) Dir() string { return l.dir }

// Embed loads the model on first use, then embeds as Embedder.Embed.
func (l *Lazy) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	l.once.Do(func() {
		l.e, l.err = Load(l.dir)
		if l.err == nil && l.e.Dim() != Dim {
			l.e, l.err = nil, fmt.Errorf("%s: a %d-dimension model, not all-MiniLM-L6-v2", l.dir, l.e.Dim())
		}
	})
	if l.err != nil {
		return nil, l.err
	}
	return l.e.Embed(ctx, texts)
}

// Locate returns the first of dirs that holds the model, or "" when none does.
func Locate(dirs ...string) string {
	for _, d := range dirs {
		if Present(d) {
			return d
		}
	}
	return ""
}

// SearchDirs are the folders where the studio looks for the model, in order: the one
// $NPCSTUDIO_MINILM_DIR names, the user's cache (where the studio downloads it), and the
// tool cache of a source checkout the running binary was built in (make puts it there).
// NPCSTUDIO_MINILM_DIR=none looks nowhere: the studio then has no built-in model until one
// is downloaded or a folder is set.
func SearchDirs() []string {
	var dirs []string
	switch d := os.Getenv("NPCSTUDIO_MINILM_DIR"); d {
	case "none":
		return nil
	case "":
	default:
		dirs = append(dirs, d)
	}
	if d := UserDir(); d != "" {
		dirs = append(dirs, d)
	}
	if exe, err := os.Executable(); err == nil {
		// build/bin/npcstudio in a checkout: the cache is ../../.cache.
		dirs = append(dirs, filepath.Join(filepath.Dir(exe), "..", "..", ".cache", "models", DirName))
	}
	return dirs
}

// UserDir is where the studio downloads the model: the user's cache folder ("" when the
// system has none).
func UserDir() string {
	c, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(c, "npcstudio", "models", DirName)
}
