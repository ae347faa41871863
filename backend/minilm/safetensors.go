package minilm

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
)

// Bounds on what a safetensors file may declare, so a damaged or hostile file fails with
// a clear error instead of taking unbounded memory.
const (
	maxHeaderBytes = 1 << 20 // the JSON header (MiniLM's is 11 KB)
	maxTensorBytes = 1 << 30 // all tensors together
	maxTensors     = 4096
)

// tensor is one tensor of a safetensors file, as float32 in row-major order.
type tensor struct {
	Shape []int
	Data  []float32
}

type tensorHeader struct {
	DType   string  `json:"dtype"`
	Shape   []int   `json:"shape"`
	Offsets []int64 `json:"data_offsets"`
}

// readSafetensors reads the F32, F16 and BF16 tensors of a safetensors file (other dtypes,
// such as BERT's I64 position ids, are skipped) and widens them to float32.
func readSafetensors(path string) (map[string]tensor, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%s: not a usable safetensors file: %s", path, fmt.Sprintf(format, a...))
	}
	var lenBuf [8]byte
	if _, err := io.ReadFull(f, lenBuf[:]); err != nil {
		return nil, bad("no header length")
	}
	n := binary.LittleEndian.Uint64(lenBuf[:])
	if n < 2 || n > maxHeaderBytes || int64(n) > st.Size()-8 {
		return nil, bad("header length %d (at most %d, and within the file's %d bytes)", n, maxHeaderBytes, st.Size())
	}
	hdr := make([]byte, n)
	if _, err := io.ReadFull(f, hdr); err != nil {
		return nil, bad("header cut short: %v", err)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(hdr, &raw); err != nil {
		return nil, bad("header is not JSON: %v", err)
	}
	delete(raw, "__metadata__")
	if len(raw) > maxTensors {
		return nil, bad("%d tensors (at most %d)", len(raw), maxTensors)
	}
	dataStart := int64(8 + n)
	dataLen := st.Size() - dataStart
	if dataLen > maxTensorBytes {
		return nil, bad("%d bytes of tensors (at most %d)", dataLen, maxTensorBytes)
	}
	names := make([]string, 0, len(raw))
	for k := range raw {
		names = append(names, k)
	}
	sort.Strings(names)
	out := make(map[string]tensor, len(raw))
	for _, name := range names {
		var h tensorHeader
		if err := json.Unmarshal(raw[name], &h); err != nil {
			return nil, bad("tensor %q: %v", name, err)
		}
		var width int64
		switch h.DType {
		case "F32":
			width = 4
		case "F16", "BF16":
			width = 2
		default:
			continue
		}
		if len(h.Offsets) != 2 || h.Offsets[0] < 0 || h.Offsets[1] < h.Offsets[0] || h.Offsets[1] > dataLen {
			return nil, bad("tensor %q: data_offsets %v outside the %d data bytes", name, h.Offsets, dataLen)
		}
		count := int64(1)
		for _, d := range h.Shape {
			if d < 0 || (d > 0 && count > maxTensorBytes/int64(d)) {
				return nil, bad("tensor %q: shape %v", name, h.Shape)
			}
			count *= int64(d)
		}
		if count*width != h.Offsets[1]-h.Offsets[0] {
			return nil, bad("tensor %q: shape %v of %s needs %d bytes, offsets give %d", name, h.Shape, h.DType, count*width, h.Offsets[1]-h.Offsets[0])
		}
		buf := make([]byte, count*width)
		if _, err := f.ReadAt(buf, dataStart+h.Offsets[0]); err != nil {
			return nil, bad("tensor %q: %v", name, err)
		}
		data := make([]float32, count)
		for i := range data {
			switch h.DType {
			case "F32":
				data[i] = math.Float32frombits(binary.LittleEndian.Uint32(buf[4*i:]))
			case "F16":
				data[i] = halfToFloat(binary.LittleEndian.Uint16(buf[2*i:]))
			case "BF16":
				data[i] = math.Float32frombits(uint32(binary.LittleEndian.Uint16(buf[2*i:])) << 16)
			}
		}
		out[name] = tensor{Shape: h.Shape, Data: data}
	}
	return out, nil
}

// halfToFloat widens an IEEE 754 half-precision number.
func halfToFloat(h uint16) float32 {
	sign := uint32(h>>15) << 31
	exp := uint32(h>>10) & 0x1f
	mant := uint32(h) & 0x3ff
	switch {
	case exp == 0 && mant == 0:
		return math.Float32frombits(sign)
	case exp == 0: // subnormal
		for mant&0x400 == 0 {
			mant <<= 1
			exp--
		}
		exp++
		mant &= 0x3ff
	case exp == 0x1f:
		return math.Float32frombits(sign | 0xff<<23 | mant<<13)
	}
	return math.Float32frombits(sign | (exp+112)<<23 | mant<<13)
}
