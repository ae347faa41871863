package cli

import (
	"strings"
	"testing"

	"github.com/npcstudio/npcstudio/backend/secrets"
)

func TestLoreRAGFloor(t *testing.T) {
	dir := t.TempDir()
	sec := secrets.NewMemory()
	lore := func(args ...string) result {
		return run(t, sec, "", append([]string{"--data-dir", dir, "lore", "rag"}, args...)...)
	}
	if r := lore(); r.code != ExitOK || r.stdout != "relevance floor: 0.20 (chunks less similar to the player's line stay out of RAG prompts)\n" {
		t.Fatalf("default: %+v", r)
	}
	if r := lore("--min-relevance", "0.35"); r.code != ExitOK || !strings.HasPrefix(r.stdout, "relevance floor: 0.35 ") {
		t.Fatalf("set: %+v", r)
	}
	if r := lore("--json"); r.code != ExitOK || !strings.Contains(r.stdout, `"minRelevance": 0.35`) {
		t.Fatalf("kept: %+v", r)
	}
	if r := lore("--min-relevance", "1.5"); r.code == ExitOK || !strings.Contains(r.stderr, "minRelevance") {
		t.Fatalf("out of range: %+v", r)
	}
	if r := lore("--min-relevance", "0"); r.code != ExitOK || !strings.HasPrefix(r.stdout, "relevance floor: off") {
		t.Fatalf("off: %+v", r)
	}
}
