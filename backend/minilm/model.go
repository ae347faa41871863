package minilm

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"

	"github.com/viterin/vek/vek32"
)

// Config is the part of a BERT config.json the forward pass needs.
type Config struct {
	Hidden       int     `json:"hidden_size"`
	Layers       int     `json:"num_hidden_layers"`
	Heads        int     `json:"num_attention_heads"`
	Intermediate int     `json:"intermediate_size"`
	MaxPositions int     `json:"max_position_embeddings"`
	Vocab        int     `json:"vocab_size"`
	LayerNormEps float64 `json:"layer_norm_eps"`
	HiddenAct    string  `json:"hidden_act"`
}

// linear is a dense layer: y = x·Wᵀ + b. W comes [out][in] as PyTorch keeps it and is
// packed at load as the right-hand operand of the GEMM (Wᵀ, in kernel-wide panels).
type linear struct {
	w       packedB
	b       []float32
	in, out int
}

// newLinear packs w ([out][in]) for kern: as half floats where kern widens them.
func newLinear(w, b []float32, out, in int, kern kernel) linear {
	if kern.widen != nil {
		return linear{w: packBHalf(in, out, kern.nr, w, 1, in), b: b, in: in, out: out}
	}
	return linear{w: packB(nil, in, out, kern.nr, w, 1, in), b: b, in: in, out: out}
}

type layerNorm struct{ w, b []float32 }

type layer struct {
	// qkv is the query, key and value projections side by side ([out] = 3·hidden), the
	// query's scaled by 1/√head size so the attention scores need no scaling.
	qkv, attnOut, inter, out linear
	ln1, ln2                 layerNorm
}

// Model is a BERT encoder's weights.
type Model struct {
	cfg    Config
	eps    float32
	words  []float32 // [vocab][hidden]
	pos    []float32 // [maxPositions][hidden]
	typ    []float32 // token type 0
	embLN  layerNorm
	layers []layer
	kern   kernel // the GEMM kernel the weights are packed for
}

// LoadModel reads config.json and model.safetensors from dir, packing the weights for the
// fastest GEMM kernel this CPU runs.
func LoadModel(dir string) (*Model, error) { return loadModel(dir, bestKernel) }

// maxConfigBytes bounds config.json (the model's is under 1 KB).
const maxConfigBytes = 64 << 10

func loadModel(dir string, kern kernel) (*Model, error) {
	f, err := os.Open(dir + "/config.json")
	if err != nil {
		return nil, err
	}
	raw, err := io.ReadAll(io.LimitReader(f, maxConfigBytes+1))
	f.Close()
	if err != nil {
		return nil, err
	}
	if len(raw) > maxConfigBytes {
		return nil, fmt.Errorf("%s/config.json: more than a model's config may be (%d bytes)", dir, maxConfigBytes)
	}
	var cfg Config
	if err := json.Unmarshal(raw, &cfg); err != nil {
		return nil, fmt.Errorf("%s/config.json: %w", dir, err)
	}
	if cfg.Hidden <= 0 || cfg.Heads <= 0 || cfg.Hidden%cfg.Heads != 0 || cfg.Layers <= 0 || cfg.Layers > 64 ||
		cfg.Intermediate <= 0 || cfg.MaxPositions <= 0 || cfg.Vocab <= 0 {
		return nil, fmt.Errorf("%s/config.json: not a BERT encoder config (hidden_size %d, num_attention_heads %d, num_hidden_layers %d)", dir, cfg.Hidden, cfg.Heads, cfg.Layers)
	}
	if cfg.HiddenAct != "gelu" {
		return nil, fmt.Errorf("%s/config.json: field hidden_act: %q, only gelu is supported", dir, cfg.HiddenAct)
	}
	if cfg.LayerNormEps == 0 {
		cfg.LayerNormEps = 1e-12
	}
	ts, err := readSafetensors(dir + "/model.safetensors")
	if err != nil {
		return nil, err
	}
	m := &Model{cfg: cfg, eps: float32(cfg.LayerNormEps), kern: kern}
	h := cfg.Hidden
	var missing error
	get := func(name string, shape ...int) []float32 {
		t, ok := ts[name]
		if !ok {
			// Some exports prefix every name with the architecture.
			t, ok = ts["bert."+name]
		}
		if !ok {
			if missing == nil {
				missing = fmt.Errorf("%s/model.safetensors: no tensor %s", dir, name)
			}
			return nil
		}
		if fmt.Sprint(t.Shape) != fmt.Sprint(shape) {
			if missing == nil {
				missing = fmt.Errorf("%s/model.safetensors: tensor %s has shape %v, want %v", dir, name, t.Shape, shape)
			}
			return nil
		}
		return t.Data
	}
	lin := func(name string, out, in int) linear {
		w, b := get(name+".weight", out, in), get(name+".bias", out)
		if w == nil || b == nil {
			return linear{}
		}
		return newLinear(w, b, out, in, m.kern)
	}
	scale := float32(1 / math.Sqrt(float64(h/cfg.Heads)))
	qkv := func(p string) linear {
		q, k, v := get(p+"query.weight", h, h), get(p+"key.weight", h, h), get(p+"value.weight", h, h)
		qb, kb, vb := get(p+"query.bias", h), get(p+"key.bias", h), get(p+"value.bias", h)
		if q == nil || k == nil || v == nil || qb == nil || kb == nil || vb == nil {
			return linear{}
		}
		w := make([]float32, 0, 3*h*h)
		for _, a := range q {
			w = append(w, a*scale)
		}
		w = append(append(w, k...), v...)
		b := make([]float32, 0, 3*h)
		for _, a := range qb {
			b = append(b, a*scale)
		}
		b = append(append(b, kb...), vb...)
		return newLinear(w, b, 3*h, h, m.kern)
	}
	ln := func(name string) layerNorm { return layerNorm{w: get(name+".weight", h), b: get(name+".bias", h)} }
	m.words = get("embeddings.word_embeddings.weight", cfg.Vocab, h)
	m.pos = get("embeddings.position_embeddings.weight", cfg.MaxPositions, h)
	if typ := get("embeddings.token_type_embeddings.weight", 2, h); typ != nil {
		m.typ = typ[:h]
	}
	m.embLN = ln("embeddings.LayerNorm")
	for i := range cfg.Layers {
		p := fmt.Sprintf("encoder.layer.%d.", i)
		m.layers = append(m.layers, layer{
			qkv:     qkv(p + "attention.self."),
			attnOut: lin(p+"attention.output.dense", h, h),
			ln1:     ln(p + "attention.output.LayerNorm"),
			inter:   lin(p+"intermediate.dense", cfg.Intermediate, h),
			out:     lin(p+"output.dense", h, cfg.Intermediate),
			ln2:     ln(p + "output.LayerNorm"),
		})
	}
	if missing != nil {
		return nil, missing
	}
	return m, nil
}

// Dim is the length of the vectors Embed returns.
func (m *Model) Dim() int { return m.cfg.Hidden }

// MaxPositions is the longest token sequence the model takes.
func (m *Model) MaxPositions() int { return m.cfg.MaxPositions }

// scratch holds one forward pass's buffers, reused across texts by one worker.
type scratch struct {
	x, qkv, ctx, inter, scores, bpack []float32
	g                                 gemmer
}

func (s *scratch) grow(buf *[]float32, n int) []float32 {
	if cap(*buf) < n {
		*buf = make([]float32, n)
	}
	*buf = (*buf)[:n]
	return *buf
}

// Embed runs the encoder over token ids (one sequence, no padding) and returns the mean of
// the last layer's token states, L2-normalised. It uses one goroutine.
func (m *Model) Embed(ids []int32, s *scratch) ([]float32, error) {
	n, h := len(ids), m.cfg.Hidden
	if n == 0 || n > m.cfg.MaxPositions {
		return nil, fmt.Errorf("minilm: %d tokens (1 to %d)", n, m.cfg.MaxPositions)
	}
	if s == nil {
		s = &scratch{}
	}
	s.g.kern = m.kern
	x := s.grow(&s.x, n*h)
	for i, id := range ids {
		if id < 0 || int(id) >= m.cfg.Vocab {
			return nil, fmt.Errorf("minilm: token id %d outside the vocabulary", id)
		}
		row := x[i*h : (i+1)*h]
		w := m.words[int(id)*h : (int(id)+1)*h]
		p := m.pos[i*h : (i+1)*h]
		for j := range row {
			row[j] = w[j] + p[j] + m.typ[j]
		}
	}
	m.embLN.apply(x, h, m.eps)
	heads := m.cfg.Heads
	dh := h / heads
	h3 := 3 * h
	qkv, ctx := s.grow(&s.qkv, n*h3), s.grow(&s.ctx, n*h)
	inter := s.grow(&s.inter, n*m.cfg.Intermediate)
	scores := s.grow(&s.scores, n*n)
	g := &s.g
	for _, l := range m.layers {
		l.qkv.setBias(qkv, n)
		g.mul(qkv, h3, n, x, h, l.qkv.w)
		clear(ctx)
		for hd := range heads {
			off := hd * dh
			// scores = Q·Kᵀ for this head (the query already scaled): B[l][j] = K[j][l].
			kt := packB(s.bpack, dh, n, m.kern.nr, qkv[h+off:], 1, h3)
			clear(scores)
			g.mul(scores, n, n, qkv[off:], h3, kt)
			s.bpack = kt.data
			for t := range n {
				softmax(scores[t*n : (t+1)*n])
			}
			// ctx = softmax(scores)·V for this head: B[l][j] = V[l][j].
			v := packB(s.bpack, n, dh, m.kern.nr, qkv[2*h+off:], h3, 1)
			g.mul(ctx[off:], h, n, scores, n, v)
			s.bpack = v.data
		}
		// x += ctx·Wᵀ + b, then layer norm; likewise around the feed-forward block.
		l.attnOut.addBias(x, n)
		g.mul(x, h, n, ctx, h, l.attnOut.w)
		l.ln1.apply(x, h, m.eps)
		l.inter.setBias(inter, n)
		g.mul(inter, m.cfg.Intermediate, n, x, h, l.inter.w)
		geluInPlace(inter)
		l.out.addBias(x, n)
		g.mul(x, h, n, inter, m.cfg.Intermediate, l.out.w)
		l.ln2.apply(x, h, m.eps)
	}
	vec := make([]float32, h)
	for t := range n {
		vek32.Add_Inplace(vec, x[t*h:(t+1)*h])
	}
	var ss float64
	for _, a := range vec {
		ss += float64(a) * float64(a)
	}
	if ss > 0 {
		// sentence-transformers divides by max(norm, 1e-12); the mean's 1/n cancels.
		inv := float32(1 / max(math.Sqrt(ss), 1e-12))
		vek32.MulNumber_Inplace(vec, inv)
	}
	return vec, nil
}

// setBias fills each of dst's n rows with the bias.
func (l linear) setBias(dst []float32, n int) {
	for i := range n {
		copy(dst[i*l.out:(i+1)*l.out], l.b)
	}
}

// addBias adds the bias to each of dst's n rows.
func (l linear) addBias(dst []float32, n int) {
	for i := range n {
		vek32.Add_Inplace(dst[i*l.out:(i+1)*l.out], l.b)
	}
}

// apply normalises each row of x (rows of h) in place, in float32 with vek's vector loops
// (mean and variance over 384 values lose nothing the golden tests can see).
func (ln layerNorm) apply(x []float32, h int, eps float32) {
	for i := 0; i < len(x); i += h {
		row := x[i : i+h]
		vek32.AddNumber_Inplace(row, -vek32.Sum(row)/float32(h))
		vr := vek32.Dot(row, row) / float32(h)
		vek32.MulNumber_Inplace(row, float32(1/math.Sqrt(float64(vr+eps))))
		vek32.Mul_Inplace(row, ln.w)
		vek32.Add_Inplace(row, ln.b)
	}
}
