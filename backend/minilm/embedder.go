package minilm

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/npcstudio/npcstudio/backend/lowprio"
)

// MaxTokens is the longest sequence embedded, [CLS] and [SEP] included: sentence-transformers'
// max_seq_length for all-MiniLM-L6-v2. Longer texts are truncated.
const MaxTokens = 256

// ID names the built-in embedder's vectors; vectors of another id are never compared.
const ID = "builtin:all-MiniLM-L6-v2"

// Embedder embeds texts with the model, on Workers goroutines.
type Embedder struct {
	tok     *Tokenizer
	model   *Model
	scratch sync.Pool
	// Workers bounds the texts embedded at once (default: all cores but one).
	Workers int
}

// Load reads the model folder dir (config.json, model.safetensors, tokenizer.json).
func Load(dir string) (*Embedder, error) {
	if !Present(dir) {
		return nil, fmt.Errorf("%s: no model there (it needs %v)", dir, modelFiles)
	}
	tok, err := LoadTokenizer(dir + "/tokenizer.json")
	if err != nil {
		return nil, err
	}
	m, err := LoadModel(dir)
	if err != nil {
		return nil, err
	}
	if len(tok.vocab) > m.cfg.Vocab {
		return nil, fmt.Errorf("%s: the tokenizer has %d tokens, the model %d", dir, len(tok.vocab), m.cfg.Vocab)
	}
	return &Embedder{tok: tok, model: m, Workers: DefaultWorkers()}, nil
}

// DefaultWorkers is all cores Go may use but one, so the window stays responsive while
// lore embeds; at least one.
func DefaultWorkers() int { return max(1, runtime.GOMAXPROCS(0)-1) }

func (e *Embedder) ID() string { return ID }
func (e *Embedder) Dim() int   { return e.model.Dim() }

// Tokens returns the ids text is embedded from.
func (e *Embedder) Tokens(text string) []int32 {
	return e.tok.Encode(text, min(MaxTokens, e.model.MaxPositions()))
}

// workerStarted, when set (tests), is called by each worker as it starts.
var workerStarted func()

// Embed returns one unit vector per text, in order. Texts are spread over Workers
// goroutines, one text each at a time; cancelling ctx stops between texts. When ctx is
// marked as background work (lowprio.Background), the workers' threads run at a lower
// priority than the rest of the process, so a library embedding in the background
// leaves the window and the writer's own searches their share of the cores.
func (e *Embedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	workers := min(max(1, e.Workers), len(texts))
	background := lowprio.Is(ctx)
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make([]error, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if r := recover(); r != nil {
					errs[w] = fmt.Errorf("minilm: %v", r)
				}
			}()
			if background {
				// The thread ends with this goroutine (it never unlocks), so no other
				// work runs at the lowered priority. Failing to lower it is harmless.
				_ = lowprio.LowerThread()
			}
			if workerStarted != nil {
				workerStarted()
			}
			s, _ := e.scratch.Get().(*scratch)
			if s == nil {
				s = &scratch{}
			}
			defer e.scratch.Put(s)
			for {
				i := int(next.Add(1) - 1)
				if i >= len(texts) {
					return
				}
				if err := ctx.Err(); err != nil {
					errs[w] = err
					return
				}
				v, err := e.model.Embed(e.Tokens(texts[i]), s)
				if err != nil {
					errs[w] = err
					return
				}
				out[i] = v
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}
