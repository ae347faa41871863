package testenv

import (
	"os"
	"path/filepath"
	"testing"
)

// MiniLMDir returns the folder of the built-in embedder's model: $NPCSTUDIO_MINILM_DIR, or
// .cache/models/all-MiniLM-L6-v2 of the repository, where make puts it. Without it the
// test is skipped, or fails under make test (NPCSTUDIO_REQUIRE_SERVICES=1).
func MiniLMDir(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("NPCSTUDIO_MINILM_DIR")
	if dir == "" {
		if root, err := repoRoot(); err == nil {
			dir = filepath.Join(root, ".cache", "models", "all-MiniLM-L6-v2")
		}
	}
	for _, f := range []string{"config.json", "model.safetensors", "tokenizer.json"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			if os.Getenv("NPCSTUDIO_REQUIRE_SERVICES") == "1" {
				t.Fatalf("the built-in embedder's model is not in %q: run make deps (or set NPCSTUDIO_MINILM_DIR)", dir)
			}
			t.Skipf("no built-in embedder model in %q: run make deps, or set NPCSTUDIO_MINILM_DIR", dir)
		}
	}
	return dir
}

// repoRoot is the nearest folder above the working directory holding go.mod.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		up := filepath.Dir(dir)
		if up == dir {
			return "", os.ErrNotExist
		}
		dir = up
	}
}
