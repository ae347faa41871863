package testenv

import (
	"os"
	"path/filepath"
	"testing"
)

// Llama3Tokenizer returns the path of Llama 3's tokenizer.model: $NPCSTUDIO_LLAMA3_TOKENIZER,
// or .cache/models/llama3/tokenizer.model of the repository, where make puts it. Without it
// the test is skipped, or fails under make test (NPCSTUDIO_REQUIRE_SERVICES=1).
func Llama3Tokenizer(t testing.TB) string {
	t.Helper()
	path := os.Getenv("NPCSTUDIO_LLAMA3_TOKENIZER")
	if path == "" || path == "none" {
		if root, err := repoRoot(); err == nil {
			path = filepath.Join(root, ".cache", "models", "llama3", "tokenizer.model")
		}
	}
	if _, err := os.Stat(path); err != nil {
		if os.Getenv("NPCSTUDIO_REQUIRE_SERVICES") == "1" {
			t.Fatalf("Llama 3's tokenizer.model is not at %q: run make deps (or set NPCSTUDIO_LLAMA3_TOKENIZER)", path)
		}
		t.Skipf("no Llama 3 tokenizer.model at %q: run make deps, or set NPCSTUDIO_LLAMA3_TOKENIZER", path)
	}
	return path
}
