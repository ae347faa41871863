package lore

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	bolt "go.etcd.io/bbolt"

	"github.com/npcstudio/npcstudio/backend/fault"
	"github.com/npcstudio/npcstudio/backend/store"
)

func TestAddListSearchRemove(t *testing.T) {
	lib := newLibrary(t, Options{})
	var events []AddProgress
	rep, err := lib.Add(context.Background(), []string{worldDir}, AddOptions{
		Collection: "world", Tags: map[string]string{"era": "now"},
		Progress: func(p AddProgress) { events = append(events, p) },
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Added) != 19 || len(rep.Failed) != 0 {
		t.Fatalf("added %d, failed %+v", len(rep.Added), rep.Failed)
	}
	if last := events[len(events)-1]; last.Stage != "done" || last.FileIndex != 19 || last.Files != 19 {
		t.Errorf("last progress = %+v", last)
	}
	docs := lib.List(DocFilter{})
	if len(docs) != 19 || docs[0].Name != "ashen-steppe.md" {
		t.Fatalf("list: %d docs, first %q", len(docs), docs[0].Name)
	}
	d, err := lib.Get("oren-vale.md")
	if err != nil {
		t.Fatal(err)
	}
	if d.Collection != "world" || d.Tags["era"] != "now" || d.Format != "md" || d.Chunks == 0 || len(d.Hash) != 64 {
		t.Errorf("document = %+v", d)
	}
	rc, err := lib.Text(d.Name)
	if err != nil {
		t.Fatal(err)
	}
	text, _ := io.ReadAll(rc)
	rc.Close()
	orig, _ := os.ReadFile(filepath.Join(worldDir, "oren-vale.md"))
	if string(text) != string(orig) {
		t.Error("stored text differs from the file")
	}

	res, err := lib.Search(context.Background(), Query{Text: "which smith forged the glass crown", K: 3})
	if err != nil {
		t.Fatal(err)
	}
	if res.Mode != Keyword || len(res.Results) == 0 || res.Results[0].Doc != "oren-vale.md" {
		t.Fatalf("search: %+v", res)
	}
	top := res.Results[0]
	if !strings.Contains(top.Text, "Glass Crown") || top.Keyword == nil || top.Keyword.Rank != 1 || top.Collection != "world" {
		t.Errorf("top result = %+v", top)
	}
	// The citation points at the exact bytes of the document.
	if string(text[top.Start:top.End]) != top.Text {
		t.Errorf("offsets %d..%d do not cut the chunk text", top.Start, top.End)
	}
	c, _, err := lib.Chunk(top.ChunkID)
	if err != nil || c.Text != top.Text {
		t.Errorf("Chunk(%s) = %q, %v", top.ChunkID, c.Text, err)
	}

	if err := lib.Remove("oren-vale.md"); err != nil {
		t.Fatal(err)
	}
	if _, err := lib.Get("oren-vale.md"); !errors.Is(err, fault.ErrNotFound) {
		t.Errorf("get removed: %v", err)
	}
	res, _ = lib.Search(context.Background(), Query{Text: "glass crown", K: 10})
	for _, r := range res.Results {
		if r.Doc == "oren-vale.md" {
			t.Errorf("removed document still found: %+v", r)
		}
	}
	if _, err := os.Stat(lib.textPath(d.ID)); !os.IsNotExist(err) {
		t.Errorf("text file of a removed document remains: %v", err)
	}
}

func TestFiltersAndMetadata(t *testing.T) {
	lib := newLibrary(t, Options{})
	dir := t.TempDir()
	ctx := context.Background()
	a := writeFile(t, dir, "north.md", []byte("The frost giants guard the northern pass of the glacier."))
	b := writeFile(t, dir, "south.md", []byte("The desert giants trade salt across the southern dunes."))
	if _, err := lib.Add(ctx, []string{a}, AddOptions{Collection: "north", Tags: map[string]string{"spoiler": "no"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := lib.Add(ctx, []string{b}, AddOptions{Collection: "south", Tags: map[string]string{"spoiler": "yes"}}); err != nil {
		t.Fatal(err)
	}
	docsOf := func(q Query) []string {
		t.Helper()
		res, err := lib.Search(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, r := range res.Results {
			out = append(out, r.Doc)
		}
		return out
	}
	tests := []struct {
		name string
		q    Query
		want []string
	}{
		{"no filter", Query{Text: "giants"}, []string{"north.md", "south.md"}},
		{"collection", Query{Text: "giants", Collections: []string{"south"}}, []string{"south.md"}},
		{"tag", Query{Text: "giants", Tags: map[string]string{"spoiler": "no"}}, []string{"north.md"}},
		{"collection and tag disagree", Query{Text: "giants", Collections: []string{"south"}, Tags: map[string]string{"spoiler": "no"}}, nil},
		{"unknown collection", Query{Text: "giants", Collections: []string{"east"}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := docsOf(tt.q)
			if len(got) == 2 && got[0] > got[1] {
				got[0], got[1] = got[1], got[0]
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Error(diff)
			}
		})
	}
	south := "north"
	if _, err := lib.UpdateMeta("south.md", MetaUpdate{Collection: &south, Tags: map[string]string{}}); err != nil {
		t.Fatal(err)
	}
	if got := docsOf(Query{Text: "giants", Collections: []string{"north"}}); len(got) != 2 {
		t.Errorf("after moving south.md to north: %v", got)
	}
	if diff := cmp.Diff([]Collection{{Name: "north", Docs: 2, Chunks: 2}}, lib.Collections()); diff != "" {
		t.Error(diff)
	}
	if _, err := lib.UpdateMeta("south.md", MetaUpdate{Tags: map[string]string{"a=b": "c"}}); err == nil {
		t.Error("a tag key with '=' was accepted")
	}
}

func TestReimportAndDuplicates(t *testing.T) {
	lib := newLibrary(t, Options{})
	ctx := context.Background()
	dir := t.TempDir()
	p := writeFile(t, dir, "tavern.md", []byte("# The Tavern\n\nThe Copper Kettle serves spiced cider."))
	rep, err := lib.Add(ctx, []string{p}, AddOptions{Collection: "town"})
	if err != nil || len(rep.Added) != 1 {
		t.Fatalf("%+v %v", rep, err)
	}
	first := rep.Added[0]

	// The same file again: unchanged.
	rep, _ = lib.Add(ctx, []string{p}, AddOptions{})
	if len(rep.Unchanged) != 1 || rep.Unchanged[0].ID != first.ID || rep.Unchanged[0].Collection != "town" {
		t.Fatalf("re-adding the same file: %+v", rep)
	}
	// The same text under another name: a duplicate, refused.
	dup := writeFile(t, dir, "copy.md", []byte("# The Tavern\n\nThe Copper Kettle serves spiced cider."))
	rep, _ = lib.Add(ctx, []string{dup}, AddOptions{})
	var de *DuplicateError
	if len(rep.Failed) != 1 || !errors.As(rep.Failed[0].Err, &de) || de.Existing != "tavern.md" || rep.Failed[0].Code != "duplicate" {
		t.Fatalf("duplicate: %+v", rep)
	}
	// Edited file: updated in place, keeping its metadata; the old text is gone from search.
	writeFile(t, dir, "tavern.md", []byte("# The Tavern\n\nThe Copper Kettle now serves black beer."))
	rep, _ = lib.Add(ctx, []string{p}, AddOptions{})
	if len(rep.Updated) != 1 || rep.Updated[0].Collection != "town" || rep.Updated[0].AddedAt != first.AddedAt {
		t.Fatalf("update: %+v", rep)
	}
	if len(lib.List(DocFilter{})) != 1 {
		t.Fatalf("documents after update: %+v", lib.List(DocFilter{}))
	}
	res, _ := lib.Search(ctx, Query{Text: "cider"})
	if len(res.Results) != 0 {
		t.Errorf("old text still found: %+v", res.Results)
	}
	res, _ = lib.Search(ctx, Query{Text: "beer"})
	if len(res.Results) != 1 {
		t.Errorf("new text not found: %+v", res.Results)
	}
}

func TestReopenAndRebuild(t *testing.T) {
	dir := t.TempDir()
	st := openStore(t, dir)
	lib, err := NewLibrary(st, Options{})
	if err != nil {
		t.Fatal(err)
	}
	addWorld(t, lib)
	lib.Close()
	// An import cut short left a chunk of a document that was never committed.
	ghost := chunkKey("ghost-aaaa", 0)
	st.Update(func(tx *bolt.Tx) error {
		return store.PutJSON(tx, BucketChunks, ghost, Chunk{DocID: "ghost-aaaa", Text: "ghost"})
	})
	// A damaged keyword index is rebuilt from the workspace when the library opens.
	kw := filepath.Join(dir, "lore", "keyword.bleve")
	if err := os.WriteFile(filepath.Join(kw, "index_meta.json"), []byte("{garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
	lib, err = NewLibrary(st, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { lib.Close(); st.Close() }()
	st.View(func(tx *bolt.Tx) error {
		if tx.Bucket([]byte(BucketChunks)).Get([]byte(ghost)) != nil {
			t.Error("the chunk of an unfinished import is still there")
		}
		return nil
	})
	res, err := lib.Search(context.Background(), Query{Text: "Tamsin Reed outlaw leader"})
	if err != nil || len(res.Results) == 0 || res.Results[0].Doc != "gray-hoods.md" {
		t.Fatalf("after rebuild: %+v %v", res, err)
	}
	// Reindex with another chunking cuts every document again.
	var last int
	if err := lib.Reindex(context.Background(), ReindexOptions{Chunking: &ChunkOptions{Strategy: Cloud}}); err != nil {
		t.Fatal(err)
	}
	for _, d := range lib.List(DocFilter{}) {
		if d.Chunking.Strategy != Cloud || d.Chunks != 1 {
			t.Errorf("%s: %+v", d.Name, d.Chunking)
		}
	}
	if err := lib.Reindex(context.Background(), ReindexOptions{Progress: func(done, total int) { last = done }}); err != nil {
		t.Fatal(err)
	}
	if last != 19 {
		t.Errorf("reindex progress ended at %d", last)
	}
}
