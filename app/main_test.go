package app

import (
	"os"
	"testing"
)

// miniLMDir is the built-in embedder's model folder the environment named, if any.
var miniLMDir string

// TestMain keeps the built-in embedder out of tests that do not ask for it: its model is
// found only where a test puts it, not in the user's cache nor through the environment.
func TestMain(m *testing.M) {
	cache, err := os.MkdirTemp("", "npcstudio-test-cache-")
	if err != nil {
		panic(err)
	}
	os.Setenv("XDG_CACHE_HOME", cache)
	miniLMDir = os.Getenv("NPCSTUDIO_MINILM_DIR")
	os.Unsetenv("NPCSTUDIO_MINILM_DIR")
	code := m.Run()
	os.RemoveAll(cache)
	os.Exit(code)
}
