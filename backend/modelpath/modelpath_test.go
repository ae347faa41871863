package modelpath

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestCandidates(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", "/cache")
	t.Setenv("NPCSTUDIO_TEST_MODEL", "")
	got := Candidates("NPCSTUDIO_TEST_MODEL", "llama3", "tokenizer.model")
	if len(got) != 2 || got[0] != "/cache/npcstudio/models/llama3/tokenizer.model" ||
		!strings.HasSuffix(got[1], filepath.Join(".cache", "models", "llama3", "tokenizer.model")) {
		t.Fatalf("candidates %q", got)
	}
	if dirs := Candidates("NPCSTUDIO_TEST_MODEL", "m", ""); dirs[0] != "/cache/npcstudio/models/m" {
		t.Fatalf("folders %q", dirs)
	}
	t.Setenv("NPCSTUDIO_TEST_MODEL", "/here/tokenizer.model")
	if got := Candidates("NPCSTUDIO_TEST_MODEL", "llama3", "tokenizer.model"); len(got) != 3 || got[0] != "/here/tokenizer.model" {
		t.Fatalf("with the variable set: %q", got)
	}
	t.Setenv("NPCSTUDIO_TEST_MODEL", "none")
	if got := Candidates("NPCSTUDIO_TEST_MODEL", "llama3", "tokenizer.model"); len(got) != 0 {
		t.Fatalf("none: %q", got)
	}
}
