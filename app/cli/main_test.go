package cli

import (
	"os"
	"testing"
)

// TestMain keeps the built-in embedder out of tests that do not ask for it: its model is
// found only where a test puts it, not in the user's cache nor through the environment.
func TestMain(m *testing.M) {
	cache, err := os.MkdirTemp("", "npcstudio-test-cache-")
	if err != nil {
		panic(err)
	}
	os.Setenv("XDG_CACHE_HOME", cache)
	os.Unsetenv("NPCSTUDIO_MINILM_DIR")
	code := m.Run()
	os.RemoveAll(cache)
	os.Exit(code)
}
