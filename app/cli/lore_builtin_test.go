package cli

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/npcstudio/npcstudio/backend/secrets"
	"github.com/npcstudio/npcstudio/backend/testenv"
)

// TestLoreEmbedderBuiltin: lore embedder set builtin embeds the library with the built-in
// embedder, and hybrid search follows; without the model the command says how to get it.
func TestLoreEmbedderBuiltin(t *testing.T) {
	model := testenv.MiniLMDir(t)
	dir := t.TempDir()
	sec := secrets.NewMemory()
	cli := func(args ...string) result { return run(t, sec, "", append([]string{"--data-dir", dir}, args...)...) }
	if r := cli("lore", "add", filepath.Join(world, "ember-court.md"), filepath.Join(world, "sleeper.md")); r.code != ExitOK {
		t.Fatalf("add: %+v", r)
	}
	t.Setenv("NPCSTUDIO_MINILM_DIR", t.TempDir())
	if r := cli("lore", "embedder", "set", "builtin"); r.code == ExitOK || !strings.Contains(r.stderr, "lore embedder download") {
		t.Fatalf("without the model: %+v", r)
	}
	t.Setenv("NPCSTUDIO_MINILM_DIR", model)
	if r := cli("lore", "embedder", "set", "builtin"); r.code != ExitOK || !strings.Contains(r.stdout, "embedder builtin:all-MiniLM-L6-v2 ready: 2 chunks embedded, 384 dimensions") {
		t.Fatalf("set builtin: %+v", r)
	}
	if r := cli("lore", "search", "a secret society of blacksmiths"); r.code != ExitOK || !strings.Contains(r.stdout, "(hybrid search") || !strings.Contains(r.stdout, "ember-court.md") {
		t.Fatalf("search: %+v", r)
	}
}
