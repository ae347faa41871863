package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/npcstudio/npcstudio/backend/llm/openaifake"
	"github.com/npcstudio/npcstudio/backend/lore"
	"github.com/npcstudio/npcstudio/backend/secrets"
	"github.com/npcstudio/npcstudio/backend/testenv"
)

var world = filepath.Join("..", "..", "testdata", "lore", "world")

func TestLoreAddListSearchRemoveReindex(t *testing.T) {
	dir := t.TempDir()
	sec := secrets.NewMemory()
	lore := func(args ...string) result {
		return run(t, sec, "", append([]string{"--data-dir", dir, "lore"}, args...)...)
	}

	r := lore("add", world, "--collection", "ashfall", "--tag", "source=bible")
	if r.code != ExitOK || !strings.Contains(r.stdout, "added      ember-court.md (1 chunk)") || !strings.Contains(r.stdout, "19 added, 0 updated, 0 unchanged, 0 failed") {
		t.Fatalf("add: %+v", r)
	}
	// The same again changes nothing; a changed file is updated.
	changed := filepath.Join(t.TempDir(), "festival.md")
	raw, _ := os.ReadFile(filepath.Join(world, "festival.md"))
	os.WriteFile(changed, append(raw, "\n\nThe festival now lasts three days.\n"...), 0o644)
	r = lore("add", filepath.Join(world, "ashfall.md"), changed, "--collection", "ashfall")
	if r.code != ExitOK || !strings.Contains(r.stdout, "unchanged  ashfall.md") || !strings.Contains(r.stdout, "updated    festival.md") {
		t.Fatalf("re-import: %+v", r)
	}
	if r = lore("meta", "ember-court.md", "--collection", "court", "--tag", "spoiler=act2"); r.code != ExitOK ||
		r.stdout != "ember-court.md: collection \"court\", tags source=bible,spoiler=act2\n" {
		t.Fatalf("meta: %+v", r)
	}

	r = lore("list")
	if r.code != ExitOK || !strings.HasPrefix(r.stdout, "NAME") || strings.Count(r.stdout, "\n") != 20 || !slices.Contains(strings.Split(r.stdout, "\n"), "ember-court.md   court       source=bible,spoiler=act2  1       paragraphs  "+strings.Fields(strings.Split(r.stdout, "\n")[4])[5]) {
		t.Fatalf("list: %+v", r)
	}
	r = lore("list", "--collection", "court", "--json")
	var list struct {
		Documents []struct {
			Name       string            `json:"name"`
			Collection string            `json:"collection"`
			Hash       string            `json:"hash"`
			Tags       map[string]string `json:"tags"`
		} `json:"documents"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &list); err != nil || len(list.Documents) != 1 || list.Documents[0].Hash == "" || list.Documents[0].Tags["spoiler"] != "act2" {
		t.Fatalf("list --json: %v %s", err, r.stdout)
	}

	// search --json is exactly {"results":[{"doc","chunk","score","text","collection"}]}.
	r = lore("search", "who controls the obsidian trade", "--k", "3", "--json")
	var raw1 map[string][]map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &raw1); err != nil || r.code != ExitOK {
		t.Fatalf("search --json: %v %+v", err, r)
	}
	if len(raw1) != 1 || len(raw1["results"]) != 3 {
		t.Fatalf("search --json: %s", r.stdout)
	}
	for _, res := range raw1["results"] {
		keys := make([]string, 0, len(res))
		for k := range res {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		if !slices.Equal(keys, []string{"chunk", "collection", "doc", "score", "text"}) {
			t.Fatalf("result keys %v", keys)
		}
	}
	if top := raw1["results"][0]; top["doc"] != "ember-court.md" || top["collection"] != "court" || top["score"].(float64) <= 0 {
		t.Fatalf("top result: %v", top)
	}
	r = lore("search", "obsidian", "--collection", "ashfall", "--json")
	var res struct {
		Results []struct {
			Doc, Collection string
		} `json:"results"`
	}
	json.Unmarshal([]byte(r.stdout), &res)
	if len(res.Results) == 0 {
		t.Fatalf("filtered search: %s", r.stdout)
	}
	for _, x := range res.Results {
		if x.Collection != "ashfall" || x.Doc == "ember-court.md" {
			t.Fatalf("a result outside --collection ashfall: %+v", x)
		}
	}
	if r = lore("search", "Mother Quill", "--k", "1"); r.code != ExitOK || !strings.Contains(r.stdout, " 1  ") || !strings.Contains(r.stdout, "ember-court.md #") || !strings.Contains(r.stdout, "(keyword search)") {
		t.Fatalf("search: %+v", r)
	}

	if r = lore("show", "ember-court.md"); r.code != ExitOK || !strings.Contains(r.stdout, "148     The Ember Court") || !strings.Contains(r.stdout, "paragraphs up to 1200 chars") {
		t.Fatalf("show: %+v", r)
	}
	if r = lore("preview", "--doc", "ember-court.md", "--strategy", "cloud"); r.code != ExitOK || !strings.HasPrefix(r.stdout, "cloud (1024 characters, no overlap") {
		t.Fatalf("preview: %+v", r)
	}
	if r = lore("preview", filepath.Join(world, "sleeper.md"), "--strategy", "fixed", "--size", "200", "--overlap", "40", "--json"); r.code != ExitOK || !strings.Contains(r.stdout, `"overlap": 40`) {
		t.Fatalf("preview fixed: %+v", r)
	}

	if r = lore("remove", "ember-court.md", "sleeper.md"); r.code != ExitOK || r.stdout != "removed ember-court.md\nremoved sleeper.md\n" {
		t.Fatalf("remove: %+v", r)
	}
	if r = lore("search", "Mother Quill", "--json"); strings.Contains(r.stdout, "ember-court.md") {
		t.Fatalf("a removed document is still found: %s", r.stdout)
	}
	if r = lore("reindex"); r.code != ExitOK || r.stdout != "reindexed 17 documents, 17 chunks\n" {
		t.Fatalf("reindex: %+v", r)
	}
	if r = lore("reindex", "--strategy", "cloud", "--json"); r.code != ExitOK || !strings.Contains(r.stdout, `"documents": 17`) {
		t.Fatalf("reindex --strategy cloud: %+v", r)
	}
	if r = lore("show", "ashfall.md"); !strings.Contains(r.stdout, "chunking    cloud") {
		t.Fatalf("after re-chunking: %s", r.stdout)
	}
}

func TestLoreBadInput(t *testing.T) {
	dir := t.TempDir()
	other := t.TempDir()
	notLore := filepath.Join(other, "map.png")
	os.WriteFile(notLore, []byte("\x89PNG\r\n"), 0o644)
	run(t, nil, "", "--data-dir", dir, "lore", "add", filepath.Join(world, "ashfall.md"))
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"add without files", []string{"add"}, ExitUsage, "requires at least 1 arg"},
		{"a tag without =", []string{"add", notLore, "--tag", "novalue"}, ExitUsage, `--tag "novalue": a tag is key=value`},
		{"an unknown strategy", []string{"add", notLore, "--strategy", "sentences"}, ExitUsage, `--strategy: unknown chunking strategy "sentences"`},
		{"overlap as large as the size", []string{"preview", notLore, "--strategy", "fixed", "--size", "100", "--overlap", "100"}, ExitUsage, "--overlap: overlap 100 must be at least 0 and less than the size 100"},
		{"not a lore file", []string{"add", notLore}, ExitInvalid, `unsupported file type ".png"`},
		{"a missing file", []string{"add", filepath.Join(other, "nope.md")}, ExitInvalid, "nope.md: cannot read it"},
		{"k out of range", []string{"search", "ash", "--k", "0"}, ExitUsage, "--k must be between 1 and 100"},
		{"an unknown mode", []string{"search", "ash", "--mode", "fuzzy"}, ExitUsage, `--mode "fuzzy": use keyword, vector or hybrid`},
		{"an empty query", []string{"search", "  "}, ExitUsage, "QUERY is empty"},
		{"vector search without an embedder", []string{"search", "ash", "--mode", "vector"}, ExitError, "no embedder is configured"},
		{"remove an unknown document", []string{"remove", "nope.md"}, ExitError, `lore document "nope.md": not found`},
		{"preview nothing", []string{"preview"}, ExitUsage, "give a FILE or --doc DOC"},
		{"meta without a change", []string{"meta", "ashfall.md"}, ExitUsage, "nothing to change"},
		{"opensearch before connecting", []string{"opensearch", "status"}, ExitError, "no team index is connected"},
		{"push without documents", []string{"opensearch", "push"}, ExitUsage, "give the documents to push, or --all"},
		{"an embedder without a provider", []string{"embedder", "set", "nope", "--model", "m"}, ExitError, `provider "nope": not found`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := run(t, nil, "", append([]string{"--data-dir", dir, "lore"}, tt.args...)...)
			if r.code != tt.code || !strings.Contains(r.stdout+r.stderr, tt.want) {
				t.Fatalf("exit %d (want %d), want %q in\n%s%s", r.code, tt.code, tt.want, r.stdout, r.stderr)
			}
		})
	}
}

func TestLoreOpenSearch(t *testing.T) {
	url := testenv.Service(t, "opensearch")
	dir := t.TempDir()
	sec := secrets.NewMemory()
	fake := openaifake.New("llama3.1:8b", "nomic-embed-text")
	defer fake.Close()
	fake.EmbeddingDim = 24
	cli := func(stdin string, args ...string) result {
		return run(t, sec, stdin, append([]string{"--data-dir", dir}, args...)...)
	}
	index := fmt.Sprintf("npcstudio-cli-%d", time.Now().UnixNano())
	t.Cleanup(func() {
		if ti, err := lore.ConnectTeam(context.Background(), lore.TeamConfig{URL: url, Index: index}); err == nil {
			ti.DeleteIndex(context.Background())
		}
	})
	cli("", "provider", "add", "local", "--kind", "openai", "--base-url", fake.BaseURL(), "--model", "llama3.1:8b")
	if r := cli("", "lore", "add", filepath.Join(world, "ember-court.md"), filepath.Join(world, "sleeper.md"), "--collection", "ashfall"); r.code != ExitOK {
		t.Fatalf("add: %+v", r)
	}
	if r := cli("", "lore", "embedder", "set", "local", "--model", "nomic-embed-text"); r.code != ExitOK || !strings.Contains(r.stdout, "ready: 2 chunks embedded, 24 dimensions") {
		t.Fatalf("embedder: %+v", r)
	}
	// The test node has no security plugin: it ignores basic auth, which lets the test check
	// where the password goes. The node's k-NN runs only the Lucene engine, the default.
	r := cli("s3cret\n", "lore", "opensearch", "connect", url, "--index", index, "--user", "writer", "--password-stdin")
	if r.code != ExitOK || !strings.Contains(r.stdout, "connected to "+url+" (basic auth)") || !strings.Contains(r.stdout, "does not exist yet") {
		t.Fatalf("connect: %+v", r)
	}
	host := strings.TrimPrefix(url, "http://")
	if pw, _ := sec.Get("opensearch/writer@" + host); pw != "s3cret" {
		t.Fatalf("keychain has %q", pw)
	}
	if ws, _ := os.ReadFile(filepath.Join(dir, "workspace.db")); strings.Contains(string(ws), "s3cret") {
		t.Fatal("the password is in the workspace")
	}

	r = cli("", "lore", "opensearch", "push", "--all")
	if r.code != ExitOK || !strings.Contains(r.stdout, "pushed 2 files (") || !strings.Contains(r.stderr, "only that file stays searchable") {
		t.Fatalf("push: %+v", r)
	}
	r = cli("", "lore", "opensearch", "status", "--json")
	var st struct {
		Index struct {
			Exists    bool   `json:"exists"`
			Dimension int    `json:"dimension"`
			Engine    string `json:"engine"`
			Files     []struct {
				Name   string `json:"name"`
				Chunks int    `json:"chunks"`
			} `json:"files"`
		} `json:"index"`
		Embedder string `json:"embedder"`
		Problem  string `json:"problem"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &st); err != nil || !st.Index.Exists || st.Index.Dimension != 24 || st.Index.Engine != "lucene" || len(st.Index.Files) != 2 ||
		st.Index.Files[0].Name != "ember-court.md" || st.Problem != "" {
		t.Fatalf("status: %v %s", err, r.stdout)
	}
	r = cli("", "lore", "opensearch", "search", "obsidian blades", "--hybrid", "--json")
	var found map[string][]map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &found); err != nil || len(found["results"]) == 0 || found["results"][0]["doc"] != "ember-court.md" {
		t.Fatalf("search: %v %s", err, r.stdout)
	}
	if r = cli("", "lore", "opensearch", "hydrated", "sleeper.md"); r.code != ExitOK || !strings.Contains(r.stdout, "sleeper.md is hydrated") {
		t.Fatalf("hydrated: %+v", r)
	}
	if r = cli("", "lore", "opensearch", "hydrated", "lore_12.txt"); r.code != ExitInvalid || !strings.Contains(r.stdout, "not in the index") {
		t.Fatalf("not hydrated: %+v", r)
	}

	// Another embedder dimension is refused, naming both.
	fake.EmbeddingDim = 12
	cli("", "lore", "embedder", "set", "local", "--model", "nomic-embed-text", "--dimensions", "12")
	if r = cli("", "lore", "opensearch", "push", "sleeper.md"); r.code != ExitError || !strings.Contains(r.stderr, "holds 24-dimension vectors") {
		t.Fatalf("push with another dimension: %+v", r)
	}
	if r = cli("", "lore", "opensearch", "disconnect"); r.code != ExitOK {
		t.Fatalf("disconnect: %+v", r)
	}
	if _, err := sec.Get("opensearch/writer@" + host); err == nil {
		t.Fatal("the password stayed in the keychain")
	}
}

func TestLoreSearchUsesTheSavedEmbedder(t *testing.T) {
	dir := t.TempDir()
	sec := secrets.NewMemory()
	fake := openaifake.New("llama3.1:8b", "nomic-embed-text")
	defer fake.Close()
	cli := func(args ...string) result { return run(t, sec, "", append([]string{"--data-dir", dir}, args...)...) }
	cli("provider", "add", "local", "--kind", "openai", "--base-url", fake.BaseURL(), "--model", "llama3.1:8b")
	cli("lore", "embedder", "set", "local", "--model", "nomic-embed-text")
	// Chunks added after the embedder was set get their vectors before add returns.
	if r := cli("lore", "add", filepath.Join(world, "ember-court.md"), filepath.Join(world, "sleeper.md")); r.code != ExitOK || !strings.Contains(r.stderr, "vectors ready: 2 chunks embedded") {
		t.Fatalf("add: %+v", r)
	}
	// A new process restores the embedder and waits for its vectors to load before searching.
	r := cli("lore", "search", "obsidian blades", "--k", "2")
	if r.code != ExitOK || !strings.Contains(r.stdout, "(hybrid search with openai:") || !strings.Contains(r.stdout, "keyword #1") {
		t.Fatalf("search: %+v", r)
	}
	if r = cli("lore", "search", "obsidian blades", "--mode", "vector", "--json"); r.code != ExitOK || !strings.Contains(r.stdout, `"doc": "ember-court.md"`) {
		t.Fatalf("vector search: %+v", r)
	}
	if r = cli("lore", "embedder", "status"); !strings.Contains(r.stdout, "provider local, model nomic-embed-text: ready, 2 of 2 chunks") {
		t.Fatalf("status: %+v", r)
	}
}
