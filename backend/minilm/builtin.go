package minilm

import (
	"context"
	"fmt"
	"sync"

	"github.com/npcstudio/npcstudio/backend/modelpath"
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
	return modelpath.Candidates("NPCSTUDIO_MINILM_DIR", DirName, "")
}

// UserDir is where the studio downloads the model: the user's cache folder ("" when the
// system has none).
func UserDir() string { return modelpath.UserDir(DirName) }
