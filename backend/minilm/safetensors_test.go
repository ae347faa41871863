package minilm

import (
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// safetensorsFile writes a header and data as a safetensors file.
func safetensorsFile(t *testing.T, header string, data []byte) string {
	t.Helper()
	b := binary.LittleEndian.AppendUint64(nil, uint64(len(header)))
	b = append(b, header...)
	b = append(b, data...)
	p := filepath.Join(t.TempDir(), "model.safetensors")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestReadSafetensors(t *testing.T) {
	var data []byte
	for _, f := range []float32{1, -2.5, 3, 0.25} {
		data = binary.LittleEndian.AppendUint32(data, math.Float32bits(f))
	}
	data = binary.LittleEndian.AppendUint16(data, 0x3c00) // f16 1.0
	data = binary.LittleEndian.AppendUint16(data, 0xc000) // f16 -2.0
	data = binary.LittleEndian.AppendUint16(data, 0x3f80) // bf16 1.0
	data = binary.LittleEndian.AppendUint64(data, 7)      // i64, skipped
	p := safetensorsFile(t, `{"__metadata__":{"format":"pt"},"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]},`+
		`"h":{"dtype":"F16","shape":[2],"data_offsets":[16,20]},"b":{"dtype":"BF16","shape":[1],"data_offsets":[20,22]},`+
		`"ids":{"dtype":"I64","shape":[1],"data_offsets":[22,30]}}`, data)
	ts, err := readSafetensors(p)
	if err != nil {
		t.Fatal(err)
	}
	if w := ts["w"]; len(w.Data) != 4 || w.Data[1] != -2.5 || w.Shape[0] != 2 {
		t.Errorf("w = %+v", w)
	}
	if h := ts["h"].Data; len(h) != 2 || h[0] != 1 || h[1] != -2 {
		t.Errorf("h = %v", h)
	}
	if b := ts["b"].Data; len(b) != 1 || b[0] != 1 {
		t.Errorf("b = %v", b)
	}
	if _, ok := ts["ids"]; ok {
		t.Error("an integer tensor was read as floats")
	}
}

func TestReadSafetensorsRefusesBadFiles(t *testing.T) {
	f32 := make([]byte, 16)
	tests := []struct {
		name, header string
		data         []byte
		want         string
	}{
		{"header not JSON", `{"w":`, f32, "not JSON"},
		{"offsets past the data", `{"w":{"dtype":"F32","shape":[4],"data_offsets":[0,32]}}`, f32, "outside"},
		{"shape and offsets disagree", `{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,16]}}`, f32, "needs 12 bytes"},
		{"negative dimension", `{"w":{"dtype":"F32","shape":[-4],"data_offsets":[0,16]}}`, f32, "shape"},
		{"overflowing shape", `{"w":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,16]}}`, f32, "shape"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := readSafetensors(safetensorsFile(t, tt.header, tt.data))
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "model.safetensors") {
				t.Fatalf("err = %v, want %q and the file's name", err, tt.want)
			}
		})
	}
	// A header length larger than the bound or the file is refused before it is read.
	p := filepath.Join(t.TempDir(), "model.safetensors")
	os.WriteFile(p, binary.LittleEndian.AppendUint64(nil, 1<<40), 0o644)
	if _, err := readSafetensors(p); err == nil || !strings.Contains(err.Error(), "header length") {
		t.Fatalf("huge header: %v", err)
	}
}

func TestHalfToFloat(t *testing.T) {
	for h, want := range map[uint16]float32{0x0000: 0, 0x3c00: 1, 0x3555: 0.33325195, 0x7bff: 65504, 0x0001: 5.9604645e-8, 0x03ff: 6.097555e-5, 0xfc00: float32(math.Inf(-1))} {
		if got := halfToFloat(h); got != want {
			t.Errorf("halfToFloat(%#04x) = %g, want %g", h, got, want)
		}
	}
}

// TestLoadModelRefusesAHugeConfig: a config.json past its bound is refused without being
// read whole (a 1 GiB sparse file).
func TestLoadModelRefusesAHugeConfig(t *testing.T) {
	dir := t.TempDir()
	f, err := os.Create(dir + "/config.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(1 << 30); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if _, err := LoadModel(dir); err == nil || !strings.Contains(err.Error(), "more than a model's config may be") {
		t.Fatalf("LoadModel with a 1 GiB config.json: %v", err)
	}
}
