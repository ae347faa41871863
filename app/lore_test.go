package app

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/npcstudio/npcstudio/backend/chat"
	"github.com/npcstudio/npcstudio/backend/llm/openaifake"
	"github.com/npcstudio/npcstudio/backend/lore"
	"github.com/npcstudio/npcstudio/backend/persona"
	"github.com/npcstudio/npcstudio/backend/provider"
)

var world = filepath.Join("..", "testdata", "lore", "world")

// addLore imports paths into collection and returns the report.
func addLore(t *testing.T, a *App, rec *recorder, collection string, paths ...string) lore.AddReport {
	t.Helper()
	id, err := a.Lore.Add(LoreAddRequest{Paths: paths, Collection: collection, Tags: map[string]string{"source": "bible"}})
	if err != nil {
		t.Fatal(err)
	}
	return done[lore.AddReport](t, waitOp(t, rec, id))
}

func TestLoreLibraryImportSearchEditRemove(t *testing.T) {
	a := newApp(t, t.TempDir())
	rec := &recorder{}
	a.SetEmitter(rec)
	if s, _ := a.Chat.Setup(); s.LoreReady {
		t.Fatal("an empty library is plugged into RAG")
	}
	if _, err := a.Lore.Add(LoreAddRequest{}); err == nil || FormatError(err).Field != "paths" {
		t.Fatalf("no paths: %v", err)
	}
	rep := addLore(t, a, rec, "ashfall", world)
	if len(rep.Added) != 19 || len(rep.Failed) != 0 {
		t.Fatalf("import: %d added, failed %+v", len(rep.Added), rep.Failed)
	}
	if s, _ := a.Chat.Setup(); !s.LoreReady {
		t.Fatal("the library holds lore but RAG says it is not set up")
	}
	st, err := a.Lore.Status()
	if err != nil || st.Documents != 19 || len(st.Collections) != 1 || st.Collections[0].Name != "ashfall" ||
		len(st.Tags) != 1 || st.Tags[0] != (LoreTag{Key: "source", Value: "bible", Docs: 19}) || st.Embedding.State != "off" || len(st.Strategies) != 3 {
		t.Fatalf("status: %+v %v", st, err)
	}

	// Paging and filters.
	page, err := a.Lore.List(LoreListRequest{Limit: 5, Offset: 5})
	if err != nil || len(page.Items) != 5 || page.Total != 19 || page.Items[0].Name != "glass-works.md" {
		t.Fatalf("page: %+v %v", page, err)
	}
	if page, _ = a.Lore.List(LoreListRequest{Query: "EMBER"}); page.Total != 1 || page.Items[0].Name != "ember-court.md" {
		t.Fatalf("query: %+v", page)
	}

	// Move one document to another collection; a filtered search sees it at once.
	town := "town"
	if d, err := a.Lore.UpdateMeta(LoreMetaRequest{Doc: "ember-court.md", Update: lore.MetaUpdate{Collection: &town, Tags: map[string]string{"spoiler": "yes"}}}); err != nil || d.Collection != "town" {
		t.Fatalf("update meta: %+v %v", d, err)
	}
	res, err := a.Lore.Search(lore.Query{Text: "obsidian blades", Collections: []string{"town"}})
	if err != nil || len(res.Results) == 0 || res.Mode != lore.Keyword {
		t.Fatalf("search: %+v %v", res, err)
	}
	for _, r := range res.Results {
		if r.Collection != "town" || r.Doc != "ember-court.md" || r.Keyword == nil {
			t.Fatalf("a result outside the filter: %+v", r)
		}
	}
	if res, err = a.Lore.Search(lore.Query{Text: "obsidian", Tags: map[string]string{"spoiler": "no"}}); err != nil || len(res.Results) != 0 || res.Results == nil {
		t.Fatalf("tag filter: %+v %v", res, err)
	}
	if _, err := a.Lore.Search(lore.Query{Text: "obsidian", Mode: lore.Vector}); FormatError(err).Code != "no_embedder" {
		t.Fatalf("vector search without an embedder: %v", err)
	}

	// Chunks as indexed, and a preview of the cloud rule on an imported document.
	cp, err := a.Lore.Chunks(LoreChunksRequest{Doc: "ember-court.md"})
	if err != nil || cp.Total != len(cp.Chunks) || cp.Total == 0 || cp.Chunks[0].Heading == "" {
		t.Fatalf("chunks: %+v %v", cp, err)
	}
	pv, err := a.Lore.Preview(LorePreviewRequest{Doc: "ember-court.md", Chunking: lore.ChunkOptions{Strategy: lore.Cloud}})
	if err != nil || pv.Chunking.Size != lore.CloudChunkSize || pv.Total == 0 || pv.Bytes == 0 {
		t.Fatalf("preview: %+v %v", pv, err)
	}
	if pv, err = a.Lore.Preview(LorePreviewRequest{Path: filepath.Join(world, "festival.md"), Chunking: lore.ChunkOptions{Strategy: lore.Fixed, Size: 200, Overlap: 50}}); err != nil || pv.Total < 2 || pv.Chunks[1].Start >= pv.Chunks[0].End {
		t.Fatalf("fixed preview with overlap: %+v %v", pv, err)
	}
	if _, err := a.Lore.Preview(LorePreviewRequest{Path: filepath.Join(world, "festival.md"), Chunking: lore.ChunkOptions{Strategy: lore.Fixed, Size: 100, Overlap: 100}}); FormatError(err).Field != "overlap" {
		t.Fatalf("bad overlap: %v", err)
	}

	// Re-importing a changed file updates it; the same text under another name is a duplicate.
	dir := t.TempDir()
	raw, _ := os.ReadFile(filepath.Join(world, "festival.md"))
	os.WriteFile(filepath.Join(dir, "festival.md"), append(raw, []byte("\n\nThe festival now lasts three days.\n")...), 0o644)
	os.WriteFile(filepath.Join(dir, "copy.md"), raw, 0o644)
	rep = addLore(t, a, rec, "ashfall", filepath.Join(dir, "copy.md"), filepath.Join(dir, "festival.md"))
	if len(rep.Updated) != 1 || len(rep.Failed) != 1 || rep.Failed[0].Code != "duplicate" {
		t.Fatalf("re-import: %+v", rep)
	}

	if err := a.Lore.Remove(LoreDocRequest{Doc: "ember-court.md"}); err != nil {
		t.Fatal(err)
	}
	if err := a.Lore.Remove(LoreDocRequest{Doc: "ember-court.md"}); FormatError(err).Code != "not_found" {
		t.Fatalf("remove twice: %v", err)
	}
	id, err := a.Lore.Reindex(LoreReindexRequest{Chunking: &lore.ChunkOptions{Strategy: lore.Fixed}})
	if err != nil {
		t.Fatal(err)
	}
	if st := done[LoreStatus](t, waitOp(t, rec, id)); st.Documents != 18 {
		t.Fatalf("after reindex: %+v", st)
	}
	if d, _ := a.Lore.Get(LoreDocRequest{Doc: "festival.md"}); d.Chunking.Strategy != lore.Fixed {
		t.Fatalf("re-chunked: %+v", d.Chunking)
	}
}

func TestLoreEmbedderReembedsInTheBackground(t *testing.T) {
	a, rec, fake := embeddingApp(t, 32)
	addLore(t, a, rec, "ashfall", world)
	if _, err := a.Lore.SetEmbedder(LoreEmbedderRequest{Embedder: LoreEmbedder{Provider: "local"}}); FormatError(err).Field != "model" {
		t.Fatalf("no model: %v", err)
	}
	if _, err := a.Lore.SetEmbedder(LoreEmbedderRequest{Embedder: LoreEmbedder{Provider: "nope", Model: "m"}}); FormatError(err).Code != "not_found" {
		t.Fatalf("unknown provider: %v", err)
	}
	id, err := a.Lore.SetEmbedder(LoreEmbedderRequest{Embedder: LoreEmbedder{Provider: "local", Model: "nomic-embed-text"}})
	if err != nil {
		t.Fatal(err)
	}
	p := done[lore.EmbedProgress](t, waitOp(t, rec, id))
	if p.State != "ready" || p.Done != p.Total || p.Dim != 32 {
		t.Fatalf("embedding: %+v", p)
	}
	res, err := a.Lore.Search(lore.Query{Text: "Ember Court obsidian", Mode: lore.Hybrid, K: 3})
	if err != nil || res.Mode != lore.Hybrid || res.Embedder == "" || len(res.Results) != 3 {
		t.Fatalf("hybrid: %+v %v", res, err)
	}
	if r := res.Results[0]; r.Keyword == nil || r.Vector == nil {
		t.Fatalf("the best hybrid result lacks a ranker's score: %+v", r)
	}

	// The embedder is kept with the workspace and restored when it opens again.
	dir := a.dataDir
	a.Close()
	b := newApp(t, dir)
	b.SetEmitter(rec)
	id, err = b.Lore.WatchEmbedding(LoreWatchRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if p := done[lore.EmbedProgress](t, waitOp(t, rec, id)); p.State != "ready" || p.Embedder != "openai:"+strings.TrimPrefix(fake.URL, "http://")+"/v1:nomic-embed-text" {
		t.Fatalf("restored: %+v", p)
	}
	if st, _ := b.Lore.Status(); st.Embedder.Model != "nomic-embed-text" {
		t.Fatalf("status: %+v", st.Embedder)
	}
	// Off: vector search says why.
	id, _ = b.Lore.SetEmbedder(LoreEmbedderRequest{})
	waitOp(t, rec, id)
	if _, err := b.Lore.Search(lore.Query{Text: "obsidian", Mode: lore.Vector}); FormatError(err).Code != "no_embedder" {
		t.Fatalf("after off: %v", err)
	}
}

// marenJSON is a persona with a knowledge boundary and a lorebook.
const marenJSON = `{"name": "Maren Drane", "role": "reeve's sister", "firstGreeting": "What do you want?",
 "knowledge": {"loreCollections": ["court"]},
 "lorebook": {"name": "Maren's secrets", "tokenBudget": 200, "entries": [
  {"keys": ["Ember Court"], "content": "Maren suspects her brother sits on the Ember Court.", "enabled": true, "name": "Court", "insertionOrder": 1},
  {"keys": ["quill"], "content": "Mother Quill taught Maren to read.", "enabled": true, "name": "Quill", "insertionOrder": 2},
  {"keys": ["never"], "content": "Unused.", "enabled": false}]}}`

func TestLoreGroundsRAGChatAndRecordsTheTurn(t *testing.T) {
	a, rec, fake, _ := chatApp(t)
	p := filepath.Join(t.TempDir(), "maren.json")
	os.WriteFile(p, []byte(marenJSON), 0o644)
	if _, err := a.Personas.Create(CreatePersonaRequest{FromFile: p}); err != nil {
		t.Fatal(err)
	}
	addLore(t, a, rec, "court", filepath.Join(world, "ember-court.md"), filepath.Join(world, "maren-drane.md"))
	addLore(t, a, rec, "elsewhere", filepath.Join(world, "mount-cinder.md"), filepath.Join(world, "glass-works.md"))
	v, err := a.Chat.Create(CreateChatRequest{PersonaRef: "Maren Drane"})
	if err != nil {
		t.Fatal(err)
	}
	id, err := a.Chat.Send(SendRequest{ChatID: v.Chat.ID, Message: "Who sits on the Ember Court, what of obsidian, and where did Maren go?", Config: chat.Config{Provider: "local", Mode: chat.ModeRAG}})
	if err != nil {
		t.Fatal(err)
	}
	res := done[chat.Result](t, opEnd(t, rec, id))
	reply := res.Reply
	if reply == nil || len(reply.Citations) == 0 || reply.LoreNote != "" {
		t.Fatalf("reply: %+v", reply)
	}
	var sawChunk, sawEntry bool
	for _, c := range reply.Citations {
		switch {
		case strings.HasPrefix(c.Doc, "lorebook: "):
			sawEntry = true
		case c.Collection != "court":
			t.Fatalf("a citation outside the persona's boundary: %+v", c)
		case c.ChunkID == "" || c.End <= c.Start:
			t.Fatalf("a citation that does not point at its chunk: %+v", c)
		default:
			sawChunk = true
		}
	}
	if !sawChunk || !sawEntry {
		t.Fatalf("citations: %+v", reply.Citations)
	}
	sent := string(fake.Requests()[len(fake.Requests())-1].Body)
	if !strings.Contains(sent, "## Lore") || !strings.Contains(sent, "[1] (ember-court.md") || !strings.Contains(sent, "Maren suspects her brother") {
		t.Fatalf("the prompt lacks the lore: %s", sent)
	}

	tv, err := a.Lore.Turn(LoreTurnRequest{ChatID: v.Chat.ID, MessageID: reply.ID})
	if err != nil || !tv.Recorded || tv.Turn.AllLore || tv.Line != "Who sits on the Ember Court, what of obsidian, and where did Maren go?" {
		t.Fatalf("turn: %+v %v", tv, err)
	}
	act, ret := tv.Turn.Trace.Lorebook, tv.Turn.Trace.Retrieval
	if act == nil || len(act.Fired) != 1 || act.Fired[0].Name != "Court" || act.Fired[0].Keys[0].Text != "Ember Court" {
		t.Fatalf("lorebook: %+v", act)
	}
	if ret == nil || len(ret.Candidates) == 0 || ret.TokenBudget != 200 || ret.Collections[0] != "court" {
		t.Fatalf("retrieval: %+v", ret)
	}
	cut := 0
	for _, c := range ret.Candidates {
		if !c.Used {
			cut++
			if !strings.Contains(c.Reason, "token budget") {
				t.Fatalf("cut without a reason: %+v", c)
			}
		}
	}
	if cut == 0 || len(tv.Turn.Passages) == 0 || tv.Turn.Passages[0].Citation != "1" {
		t.Fatalf("a budget of 200 tokens cut nothing: %+v", tv.Turn)
	}

	// A base-mode reply has no record: the debugger says so and shows what the lorebook fires.
	id, _ = a.Chat.Send(SendRequest{ChatID: v.Chat.ID, Message: "And Mother Quill?", Config: chat.Config{Provider: "local", Mode: chat.ModeBase}})
	res = done[chat.Result](t, opEnd(t, rec, id))
	tv, err = a.Lore.Turn(LoreTurnRequest{ChatID: v.Chat.ID, MessageID: res.Reply.ID})
	if err != nil || tv.Recorded || !strings.Contains(tv.Turn.Notes[0], "base mode") || tv.Turn.Trace.Lorebook == nil {
		t.Fatalf("base turn: %+v %v", tv, err)
	}
	if _, err := a.Lore.Turn(LoreTurnRequest{ChatID: v.Chat.ID, MessageID: res.User.ID}); FormatError(err).Field != "messageId" {
		t.Fatalf("a player's line: %v", err)
	}

	// A persona with no boundary draws on all lore, and the trace says so.
	r := &loreRetriever{a: a}
	got, err := r.RetrieveTurn(context.Background(), chat.LoreTurn{Persona: persona.Persona{Name: "Ada"}, Query: "glass works", Recent: []string{"glass works"}})
	if err != nil || len(got.Passages) == 0 {
		t.Fatalf("no boundary: %+v %v", got, err)
	}
	var turn LoreTurn
	json.Unmarshal(got.Detail, &turn)
	if !turn.AllLore || !strings.Contains(turn.Notes[0], "Ada has no knowledge boundary") || got.Trace[1] != "boundary: none (all lore)" {
		t.Fatalf("no boundary: %+v %v", turn, got.Trace)
	}

	act2, err := a.Lore.TryLorebook(LoreLorebookRequest{PersonaRef: "Maren Drane", Messages: []string{"Is mother quill in the ember court?"}})
	if err != nil || len(act2.Fired) != 2 {
		t.Fatalf("try lorebook: %+v %v", act2, err)
	}
}

func TestLoreLibraryFollowsTheWorkspace(t *testing.T) {
	a := newApp(t, t.TempDir())
	rec := &recorder{}
	a.SetEmitter(rec)
	addLore(t, a, rec, "ashfall", filepath.Join(world, "ashfall.md"))
	archive := filepath.Join(t.TempDir(), "ws.npcws")
	if _, err := a.Workspace.Export(ArchiveRequest{Path: archive}); err != nil {
		t.Fatal(err)
	}
	b := newApp(t, t.TempDir())
	b.SetEmitter(rec)
	addLore(t, b, rec, "other", filepath.Join(world, "sleeper.md"))
	if _, err := b.Workspace.Import(ArchiveRequest{Path: archive}); err != nil {
		t.Fatal(err)
	}
	page, err := b.Lore.List(LoreListRequest{})
	if err != nil || page.Total != 1 || page.Items[0].Name != "ashfall.md" {
		t.Fatalf("after import: %+v %v", page, err)
	}
	if res, err := b.Lore.Search(lore.Query{Text: "sleeper"}); err != nil || len(res.Results) != 0 {
		t.Fatalf("the replaced workspace's lore is still searched: %+v %v", res, err)
	}
}

func TestLorebookWritersMake(t *testing.T) {
	a, _, _, _ := chatApp(t)
	v, err := a.Lore.Lorebook(LorebookRequest{PersonaRef: "Mira Saltwhistle"})
	if err != nil || v.Version != 1 || len(v.Lorebook.Entries) != 0 || v.Lorebook.Entries == nil {
		t.Fatalf("empty lorebook: %+v %v", v, err)
	}
	book := persona.Lorebook{Name: "Harbour", TokenBudget: 100, Entries: []persona.LoreEntry{
		{Keys: []string{" anchor ", ""}, Content: "Mira forged the harbour's great anchor.", Enabled: true, Name: "Anchor"},
		{Content: "The tide bell rings at dusk.", Enabled: true},
	}}
	if _, err := a.Lore.SaveLorebook(SaveLorebookRequest{PersonaRef: "Mira Saltwhistle", Lorebook: book}); FormatError(err).Field != "entries[1].keys" {
		t.Fatalf("an entry without keys: %v", err)
	}
	book.Entries[1].Constant = true
	v, err = a.Lore.SaveLorebook(SaveLorebookRequest{PersonaRef: "Mira Saltwhistle", Lorebook: book})
	if err != nil || v.Version != 2 || v.Lorebook.Entries[0].Keys[0] != "anchor" || len(v.Lorebook.Entries[0].Keys) != 1 {
		t.Fatalf("saved: %+v %v", v, err)
	}
	act, err := a.Lore.TryLorebook(LoreLorebookRequest{PersonaRef: "Mira Saltwhistle", Messages: []string{"Can you mend this anchor?"}})
	if err != nil || len(act.Fired) != 2 || !act.Fired[0].Constant && !act.Fired[1].Constant {
		t.Fatalf("try: %+v %v", act, err)
	}
	if h, _ := a.Personas.History(PersonaRef{Ref: "Mira Saltwhistle"}); len(h) != 2 {
		t.Fatalf("history: %+v", h)
	}
}

// embeddingApp is an app with a model server (provider "local", llama3.1:8b) that also
// serves nomic-embed-text vectors of dim dimensions; its events go to rec.
func embeddingApp(t *testing.T, dim int) (*App, *recorder, *openaifake.Server) {
	t.Helper()
	a := newApp(t, t.TempDir())
	rec := &recorder{}
	a.SetEmitter(rec)
	fake := openaifake.New("llama3.1:8b", "nomic-embed-text")
	t.Cleanup(fake.Close)
	fake.EmbeddingDim = dim
	if _, err := a.Providers.Add(AddProviderRequest{Provider: provider.Provider{Name: "local", Kind: provider.KindOpenAI, BaseURL: fake.BaseURL(), Model: "llama3.1:8b"}}); err != nil {
		t.Fatal(err)
	}
	return a, rec, fake
}
