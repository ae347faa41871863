package minilm

import (
	"encoding/json"
	"fmt"
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

// linear is a dense layer: y = x·Wᵀ + b, with W stored [out][in] as PyTorch keeps it.
type linear struct {
	w       []float32
	b       []float32
	in, out int
}

type layerNorm struct{ w, b []float32 }

type layer struct {
	q, k, v, attnOut, inter, out linear
	ln1, ln2                     layerNorm
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
}

// LoadModel reads config.json and model.safetensors from dir.
func LoadModel(dir string) (*Model, error) {
	raw, err := os.ReadFile(dir + "/config.json")
	if err != nil {
		return nil, err
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
	m := &Model{cfg: cfg, eps: float32(cfg.LayerNormEps)}
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
		return linear{w: get(name+".weight", out, in), b: get(name+".bias", out), in: in, out: out}
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
			q:       lin(p+"attention.self.query", h, h),
			k:       lin(p+"attention.self.key", h, h),
			v:       lin(p+"attention.self.value", h, h),
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
	x, q, k, v, ctx, tmp, inter, scores []float32
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
	scale := float32(1 / math.Sqrt(float64(dh)))
	q, k, v := s.grow(&s.q, n*h), s.grow(&s.k, n*h), s.grow(&s.v, n*h)
	ctx, tmp := s.grow(&s.ctx, n*h), s.grow(&s.tmp, n*h)
	inter := s.grow(&s.inter, n*m.cfg.Intermediate)
	scores := s.grow(&s.scores, n)
	// Keys and values laid out per head, so each head's rows are contiguous.
	// Values transposed ([dh][n]) so each output element is one dot product.
	kh, vt := make([]float32, n*dh), make([]float32, n*dh)
	qh := make([]float32, dh)
	for _, l := range m.layers {
		l.q.apply(q, x, n)
		l.k.apply(k, x, n)
		l.v.apply(v, x, n)
		for hd := range heads {
			off := hd * dh
			for t := range n {
				copy(kh[t*dh:(t+1)*dh], k[t*h+off:t*h+off+dh])
				for d := range dh {
					vt[d*n+t] = v[t*h+off+d]
				}
			}
			for t := range n {
				copy(qh, q[t*h+off:t*h+off+dh])
				mx := float32(math.Inf(-1))
				for u := range n {
					sc := vek32.Dot(qh, kh[u*dh:(u+1)*dh]) * scale
					scores[u] = sc
					mx = max(mx, sc)
				}
				var sum float32
				for u := range scores {
					e := expf(scores[u] - mx)
					scores[u] = e
					sum += e
				}
				inv := 1 / sum
				out := ctx[t*h+off : t*h+off+dh]
				for d := range dh {
					out[d] = vek32.Dot(scores, vt[d*n:(d+1)*n]) * inv
				}
			}
		}
		l.attnOut.apply(tmp, ctx, n)
		vek32.Add_Inplace(x, tmp)
		l.ln1.apply(x, h, m.eps)
		l.inter.apply(inter, x, n)
		for i, a := range inter {
			inter[i] = gelu(a)
		}
		l.out.apply(tmp, inter, n)
		vek32.Add_Inplace(x, tmp)
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

// apply computes dst[n][out] = x[n][in]·Wᵀ + b. Each weight row stays in cache while it
// meets every token.
func (l linear) apply(dst, x []float32, n int) {
	for j := range l.out {
		w := l.w[j*l.in : (j+1)*l.in]
		b := l.b[j]
		for i := range n {
			dst[i*l.out+j] = vek32.Dot(x[i*l.in:(i+1)*l.in], w) + b
		}
	}
}

// apply normalises each row of x (rows of h) in place.
func (ln layerNorm) apply(x []float32, h int, eps float32) {
	for i := 0; i < len(x); i += h {
		row := x[i : i+h]
		var mean, vr float64
		for _, a := range row {
			mean += float64(a)
		}
		mean /= float64(h)
		for _, a := range row {
			d := float64(a) - mean
			vr += d * d
		}
		vr /= float64(h)
		inv := float32(1 / math.Sqrt(vr+float64(eps)))
		m := float32(mean)
		for j, a := range row {
			row[j] = (a-m)*inv*ln.w[j] + ln.b[j]
		}
	}
}
