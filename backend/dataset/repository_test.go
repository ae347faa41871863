package dataset

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/npcstudio/npcstudio/backend/store"
	bolt "go.etcd.io/bbolt"
)

var ctx = context.Background()

func newRepo(t testing.TB) *Repository {
	t.Helper()
	st, err := store.Open(t.TempDir(), store.Options{Buckets: Buckets})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	r := NewRepository(st)
	clock := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	r.now = func() time.Time { clock = clock.Add(time.Second); return clock }
	return r
}

func mustDataset(t testing.TB, r *Repository, name, model string) Dataset {
	t.Helper()
	d, err := r.CreateDataset(ctx, CreateDatasetRequest{Name: name, BaseModel: model})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// addRecords appends n records made by mk in one version, through an import file.
func addRecords(t testing.TB, r *Repository, id string, n int, mk func(int) Record) Version {
	t.Helper()
	path := filepath.Join(t.TempDir(), "records.jsonl")
	if err := os.WriteFile(path, []byte(jsonl(t, FormatClaudeMessages, n, mk)), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := r.Import(ctx, ImportRequest{DatasetID: id, Path: path})
	if err != nil {
		t.Fatal(err)
	}
	if res.Imported != n {
		t.Fatalf("imported %d of %d:%s", res.Imported, n, dump(res.Errors))
	}
	return res.Version
}

func bucketKeys(t testing.TB, r *Repository, bucket string) int {
	n := 0
	r.st.View(func(tx *bolt.Tx) error {
		return tx.Bucket([]byte(bucket)).ForEach(func(_, _ []byte) error { n++; return nil })
	})
	return n
}

func TestDatasetLifecycle(t *testing.T) {
	r := newRepo(t)
	ada := mustDataset(t, r, "Ada barks", "meta.llama3-2-1b-instruct-v1:0:128k")
	want := Dataset{ID: ada.ID, Name: "Ada barks", BaseModel: "meta.llama3-2-1b-instruct-v1:0", Format: FormatBedrockConversation,
		CreatedAt: "2025-03-01T12:00:01Z", UpdatedAt: "2025-03-01T12:00:01Z"}
	if diff := cmp.Diff(want, ada); diff != "" {
		t.Fatalf("created (-want +got):\n%s", diff)
	}
	if !strings.HasPrefix(ada.ID, "ds-") || len(ada.ID) != 15 {
		t.Fatalf("id %q", ada.ID)
	}

	var p *Problem
	_, err := r.CreateDataset(ctx, CreateDatasetRequest{Name: "ada BARKS"})
	if !errors.Is(err, ErrNameTaken) {
		t.Fatalf("same name: %v", err)
	}
	_, err = r.CreateDataset(ctx, CreateDatasetRequest{Name: "x", BaseModel: "amazon.nova-lite-v1:0", Format: FormatPromptCompletion})
	if !errors.As(err, &p) || p.Field != "format" || p.Message != "Nova Lite does not read prompt-completion records; it reads bedrock-conversation" {
		t.Fatalf("format not allowed: %v", err)
	}
	_, err = r.CreateDataset(ctx, CreateDatasetRequest{Name: "x", BaseModel: "gpt-4"})
	if !errors.As(err, &p) || p.Field != "baseModel" {
		t.Fatalf("unknown model: %v", err)
	}
	if _, err = r.CreateDataset(ctx, CreateDatasetRequest{Name: "  "}); !errors.As(err, &p) || p.Field != "name" {
		t.Fatalf("no name: %v", err)
	}
	open := mustDataset(t, r, "bob", "")
	if open.Format != FormatClaudeMessages || open.BaseModel != "" {
		t.Fatalf("no model: %+v", open)
	}

	up, err := r.UpdateDataset(ctx, UpdateDatasetRequest{ID: ada.ID, Name: "Ada lines", BaseModel: "amazon.titan-text-express-v1"})
	if err != nil {
		t.Fatal(err)
	}
	if up.Name != "Ada lines" || up.Format != FormatPromptCompletion || up.BaseModel != "amazon.titan-text-express-v1" {
		t.Fatalf("updated %+v", up)
	}
	if up, err = r.UpdateDataset(ctx, UpdateDatasetRequest{ID: ada.ID, Format: FormatInputOutput}); err != nil || up.Format != FormatInputOutput {
		t.Fatalf("format change: %+v %v", up, err)
	}
	if _, err = r.UpdateDataset(ctx, UpdateDatasetRequest{ID: ada.ID, Name: "Bob"}); !errors.Is(err, ErrNameTaken) {
		t.Fatalf("rename onto another: %v", err)
	}

	list, err := r.ListDatasets(ctx)
	if err != nil || len(list) != 2 || list[0].Name != "Ada lines" || list[1].Name != "bob" {
		t.Fatalf("list %+v %v", list, err)
	}

	addRecords(t, r, ada.ID, 5, distinct)
	if err := r.DeleteDataset(ctx, ada.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := r.GetDataset(ctx, ada.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("get deleted: %v", err)
	}
	for _, b := range []string{BucketVersions, BucketManifests, BucketRecords} {
		if n := bucketKeys(t, r, b); n != 0 {
			t.Fatalf("%s still has %d keys", b, n)
		}
	}
}

func TestImportJSONL(t *testing.T) {
	r := newRepo(t)
	ds := mustDataset(t, r, "Ada", "")
	path := filepath.Join(testdata, "import", "mixed.jsonl")
	before := fileHash(t, path)
	res, err := r.Import(ctx, ImportRequest{DatasetID: ds.ID, Path: path, Tags: []string{"import"}})
	if err != nil {
		t.Fatal(err)
	}
	if fileHash(t, path) != before {
		t.Fatal("import changed the file")
	}
	wantErrors := []Problem{
		{3, "", "skipped: invalid JSON at column 23: invalid character '}' looking for beginning of object key string"},
		{6, "", "skipped: not a record of any supported format: expected prompt/completion, input/output, or messages"},
		{7, "messages", "skipped: must be a list of turns, not a string"},
		{8, "", "skipped: invalid UTF-8 at byte 15 of the line"},
	}
	wantWarnings := []Problem{
		{1, "", "byte order mark removed"},
		{5, "messages[0].content", "2 text blocks were joined into one text, separated by line breaks"},
	}
	if diff := cmp.Diff(wantErrors, res.Errors); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(wantWarnings, res.Warnings); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
	if res.Imported != 3 || res.Skipped != 4 || res.Version.Number != 1 || res.Version.Records != 3 {
		t.Fatalf("result %+v", res)
	}
	page, err := r.PageRecords(ctx, PageRequest{DatasetID: ds.ID})
	if err != nil {
		t.Fatal(err)
	}
	got := []RecordView{}
	for _, rv := range page.Records {
		rv.Tokens = 0
		got = append(got, rv)
	}
	want := []RecordView{
		{ID: "r1", Line: 1, Record: pc("Where can I find the lighthouse keeper?", "Down by the north pier, past the fish market. Mind the gulls."), Tags: []string{"import"}, Source: "mixed.jsonl line 1"},
		{ID: "r2", Line: 2, Record: chat("You are Ada, innkeeper of the Salted Gull in Valen. Speak plainly.", "How much for a room?", "Two silver a night, and the stew is free if you sing."), Tags: []string{"import"}, Source: "mixed.jsonl line 4"},
		{ID: "r3", Line: 3, Record: Record{Format: FormatBedrockConversation, Messages: []Message{{RoleUser, "Part one.\nPart two."}, {RoleAssistant, "Aye, she came through at dawn and paid in old coin."}}}, Tags: []string{"import"}, Source: "mixed.jsonl line 5"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("records (-want +got):\n%s", diff)
	}
}

func TestImportCSV(t *testing.T) {
	r := newRepo(t)
	ds := mustDataset(t, r, "Ada", "amazon.titan-text-express-v1")

	t.Run("header names and tags", func(t *testing.T) {
		res, err := r.Import(ctx, ImportRequest{DatasetID: ds.ID, Path: filepath.Join(testdata, "import", "lines.csv")})
		if err != nil || res.Imported != 2 || res.ErrorCount != 0 {
			t.Fatalf("%+v %v", res, err)
		}
		page, _ := r.PageRecords(ctx, PageRequest{DatasetID: ds.ID})
		first := page.Records[0]
		if first.Record.System != "You are Ada, innkeeper of the Salted Gull in Valen. Speak plainly." ||
			first.Record.Messages[1].Content != "Down by the north pier, past the fish market." ||
			!cmp.Equal(first.Tags, []string{"greeting", "lore"}) || first.Record.Format != FormatPromptCompletion || first.Source != "lines.csv line 2" {
			t.Fatalf("first record %+v", first)
		}
	})
	t.Run("ragged rows are reported with their lines", func(t *testing.T) {
		path := filepath.Join(testdata, "import", "ragged.csv")
		before := fileHash(t, path)
		res, err := r.Import(ctx, ImportRequest{DatasetID: ds.ID, Path: path})
		if err != nil {
			t.Fatal(err)
		}
		want := []Problem{
			{3, "", "skipped: the row has 2 fields, the header has 3"},
			{6, "", "skipped: the row has 4 fields, the header has 3"},
		}
		if diff := cmp.Diff(want, res.Errors); diff != "" {
			t.Fatalf("(-want +got):\n%s", diff)
		}
		if res.Imported != 3 || fileHash(t, path) != before {
			t.Fatalf("imported %d", res.Imported)
		}
		page, _ := r.PageRecords(ctx, PageRequest{DatasetID: ds.ID, Offset: 2})
		if got := page.Records[1].Record.Messages[0].Content; got != "Multi\nline prompt" || page.Records[1].Source != "ragged.csv line 4" {
			t.Fatalf("multi-line cell %q from %s", got, page.Records[1].Source)
		}
	})
	t.Run("named columns", func(t *testing.T) {
		_, err := r.Import(ctx, ImportRequest{DatasetID: ds.ID, Path: filepath.Join(testdata, "import", "ragged.csv"),
			Columns: CSVColumns{Prompt: "question", Completion: "reply"}})
		var p *Problem
		if !errors.As(err, &p) || p.Field != "columns.completion" || p.Message != `the header has no column "reply" (it has question, answer, notes)` {
			t.Fatalf("got %v", err)
		}
		path := filepath.Join(t.TempDir(), "x.csv")
		os.WriteFile(path, []byte("a,b\n1,2\n"), 0o644)
		_, err = r.Import(ctx, ImportRequest{DatasetID: ds.ID, Path: path})
		if !errors.As(err, &p) || p.Field != "columns.prompt" {
			t.Fatalf("no guessable column: %v", err)
		}
	})
}

// TestEditWritesOnlyTheChange checks the storage promise: an edit of a 10,000-record dataset
// writes one record blob and one manifest, and every earlier version still reads as it was.
func TestEditWritesOnlyTheChange(t *testing.T) {
	r := newRepo(t)
	ds := mustDataset(t, r, "big", "anthropic.claude-3-haiku-20240307-v1:0")
	v1 := addRecords(t, r, ds.ID, 10000, distinct)
	blobs, manifests := bucketKeys(t, r, BucketRecords), bucketKeys(t, r, BucketManifests)
	if blobs != 10000 || manifests != 1 {
		t.Fatalf("%d blobs, %d manifests", blobs, manifests)
	}
	edited := chat("You are Ada.", "Question 5000?", "Answer, edited.")
	v2, err := r.UpdateRecord(ctx, UpdateRecordRequest{DatasetID: ds.ID, BaseVersion: v1.Number, ID: "r5001", Record: edited, Tags: []string{"edited"}})
	if err != nil {
		t.Fatal(err)
	}
	if n := bucketKeys(t, r, BucketRecords); n != blobs+1 {
		t.Fatalf("an edit wrote %d blobs", n-blobs)
	}
	if n := bucketKeys(t, r, BucketManifests); n != manifests+1 {
		t.Fatalf("an edit wrote %d manifests", n-manifests)
	}
	if v2.Number != 2 || v2.Parent != 1 || v2.Records != 10000 || v2.Message != "edit line 5001" {
		t.Fatalf("version %+v", v2)
	}
	old, err := r.GetRecord(ctx, ds.ID, 1, "r5001")
	if err != nil || old.Record.Messages[1].Content != "Answer number 5000, friend." || len(old.Tags) != 0 {
		t.Fatalf("version 1 changed: %+v %v", old, err)
	}
	now, _ := r.GetRecord(ctx, ds.ID, 0, "r5001")
	if now.Record.Messages[1].Content != "Answer, edited." || now.Line != 5001 || !cmp.Equal(now.Tags, []string{"edited"}) {
		t.Fatalf("version 2 %+v", now)
	}
	if _, err := r.UpdateRecord(ctx, UpdateRecordRequest{DatasetID: ds.ID, BaseVersion: v1.Number, ID: "r1", Record: edited}); !errors.Is(err, ErrVersionConflict) {
		t.Fatalf("stale base version: %v", err)
	}
	d, err := r.Diff(ctx, DiffRequest{DatasetID: ds.ID, From: 1, To: 2})
	if err != nil || d.Changed != 1 || d.Added != 0 || d.Removed != 0 || d.Changes[0].ID != "r5001" ||
		d.Changes[0].Before.Record.Messages[1].Content != "Answer number 5000, friend." || d.Changes[0].After.Tags[0] != "edited" {
		t.Fatalf("diff %+v %v", d, err)
	}
	versions, _ := r.ListVersions(ctx, ds.ID)
	if len(versions) != 2 || versions[0].Number != 2 || versions[1].Message != "import 10000 records from records.jsonl" {
		t.Fatalf("versions %+v", versions)
	}
}

func TestPageRecords(t *testing.T) {
	r := newRepo(t)
	ds := mustDataset(t, r, "Ada", "")
	addRecords(t, r, ds.ID, 250, distinct)
	if _, err := r.TagRecords(ctx, TagRequest{DatasetID: ds.ID, IDs: []string{"r10", "r20", "r230"}, Add: []string{"lore"}}); err != nil {
		t.Fatal(err)
	}
	lines := func(p Page) []int {
		var l []int
		for _, rv := range p.Records {
			l = append(l, rv.Line)
		}
		return l
	}
	cases := []struct {
		name   string
		req    PageRequest
		total  int
		offset int
		lines  []int
	}{
		{"first page", PageRequest{Limit: 3}, 250, 0, []int{1, 2, 3}},
		{"offset", PageRequest{Offset: 248, Limit: 5}, 250, 248, []int{249, 250}},
		{"jump to line", PageRequest{Line: 123, Limit: 50}, 250, 100, nil},
		{"jump past the end", PageRequest{Line: 999, Limit: 50}, 250, 200, nil},
		{"tag", PageRequest{Tag: "lore"}, 3, 0, []int{10, 20, 230}},
		{"text ignores case", PageRequest{Text: "ANSWER NUMBER 24"}, 11, 0, []int{25, 241, 242, 243, 244, 245, 246, 247, 248, 249, 250}},
		{"text matches tags", PageRequest{Text: "LOR", Limit: 2}, 3, 0, []int{10, 20}},
		{"jump within a filter", PageRequest{Tag: "lore", Line: 21, Limit: 2}, 3, 2, []int{230}},
		{"old version has no tags", PageRequest{Version: 1, Tag: "lore"}, 0, 0, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.req.DatasetID = ds.ID
			p, err := r.PageRecords(ctx, c.req)
			if err != nil {
				t.Fatal(err)
			}
			if p.Total != c.total || p.Offset != c.offset {
				t.Fatalf("total %d offset %d, want %d %d", p.Total, p.Offset, c.total, c.offset)
			}
			if c.lines != nil {
				if diff := cmp.Diff(c.lines, lines(p)); diff != "" {
					t.Fatalf("lines (-want +got):\n%s", diff)
				}
			}
		})
	}
	if _, err := r.PageRecords(ctx, PageRequest{DatasetID: ds.ID, Version: 9}); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("missing version: %v", err)
	}
	p, _ := r.PageRecords(ctx, PageRequest{DatasetID: ds.ID, Limit: 1})
	p.Records[0].Record.Messages[0].Content = "changed by a caller"
	if again, _ := r.PageRecords(ctx, PageRequest{DatasetID: ds.ID, Limit: 1}); again.Records[0].Record.Messages[0].Content != "Question 0?" {
		t.Fatal("a caller changed the cached record")
	}
}

func TestFindReplace(t *testing.T) {
	r := newRepo(t)
	ds := mustDataset(t, r, "Ada", "")
	v1 := addRecords(t, r, ds.ID, 30, distinct)

	preview, err := r.FindReplace(ctx, FindReplaceRequest{DatasetID: ds.ID, Find: "friend", Replace: "traveller"})
	if err != nil {
		t.Fatal(err)
	}
	if preview.Matches != 30 || preview.Records != 30 || len(preview.Samples) != 20 || preview.Version.Number != 1 {
		t.Fatalf("preview %d matches in %d records, %d samples, version %d", preview.Matches, preview.Records, len(preview.Samples), preview.Version.Number)
	}
	if s := preview.Samples[0]; s.Before.Record.Messages[1].Content != "Answer number 0, friend." || s.After.Record.Messages[1].Content != "Answer number 0, traveller." {
		t.Fatalf("sample %+v", s)
	}
	if h, _ := r.GetDataset(ctx, ds.ID); h.Head != 1 {
		t.Fatal("a preview made a version")
	}

	applied, err := r.FindReplace(ctx, FindReplaceRequest{DatasetID: ds.ID, BaseVersion: v1.Number, Find: `Answer number (\d+)`, Replace: "Reply $1", Regex: true, Apply: true})
	if err != nil {
		t.Fatal(err)
	}
	if applied.Version.Number != 2 || applied.Records != 30 {
		t.Fatalf("applied %+v", applied.Version)
	}
	rec, _ := r.GetRecord(ctx, ds.ID, 0, "r8")
	if rec.Record.Messages[1].Content != "Reply 7, friend." {
		t.Fatalf("got %q", rec.Record.Messages[1].Content)
	}

	res, err := r.FindReplace(ctx, FindReplaceRequest{DatasetID: ds.ID, Find: "ada", MatchCase: true, Fields: []string{"system"}})
	if err != nil || res.Matches != 0 {
		t.Fatalf("match case: %+v %v", res, err)
	}
	res, _ = r.FindReplace(ctx, FindReplaceRequest{DatasetID: ds.ID, Find: "ada", Fields: []string{"system"}})
	if res.Matches != 30 {
		t.Fatalf("system only: %d", res.Matches)
	}
	res, _ = r.FindReplace(ctx, FindReplaceRequest{DatasetID: ds.ID, Find: "ada", Fields: []string{"user", "assistant"}})
	if res.Matches != 0 {
		t.Fatalf("turns only: %d", res.Matches)
	}
	none, err := r.FindReplace(ctx, FindReplaceRequest{DatasetID: ds.ID, Find: "dragon", Replace: "x", Apply: true})
	if err != nil || none.Version.Number != 2 {
		t.Fatalf("nothing to replace made version %d (%v)", none.Version.Number, err)
	}
	var p *Problem
	if _, err := r.FindReplace(ctx, FindReplaceRequest{DatasetID: ds.ID, Find: "(", Regex: true}); !errors.As(err, &p) || p.Field != "find" {
		t.Fatalf("bad regex: %v", err)
	}
}

func TestTags(t *testing.T) {
	r := newRepo(t)
	ds := mustDataset(t, r, "Ada", "")
	addRecords(t, r, ds.ID, 5, distinct)
	if _, err := r.TagRecords(ctx, TagRequest{DatasetID: ds.ID, IDs: []string{"r1", "r2", "r3"}, Add: []string{"greeting", " lore ", "greeting"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.TagRecords(ctx, TagRequest{DatasetID: ds.ID, IDs: []string{"r2"}, Remove: []string{"lore"}, Add: []string{"rude"}}); err != nil {
		t.Fatal(err)
	}
	tags, err := r.Tags(ctx, ds.ID, 0)
	want := []TagCount{{"greeting", 3}, {"lore", 2}, {"rude", 1}}
	if diff := cmp.Diff(want, tags); diff != "" || err != nil {
		t.Fatalf("tags (-want +got):\n%s %v", diff, err)
	}
	if _, err := r.TagRecords(ctx, TagRequest{DatasetID: ds.ID, IDs: []string{"r99"}, Add: []string{"x"}}); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("unknown record: %v", err)
	}
	if v, _ := r.ListVersions(ctx, ds.ID); len(v) != 3 {
		t.Fatalf("a failed tagging made a version: %d", len(v))
	}
}

func TestDedupe(t *testing.T) {
	reply := "Down by the north pier, past the fish market; mind the gulls, they steal bread and worse. He drinks at the Gull most nights."
	recs := []Record{
		chat("Ada", "Where is the keeper?", reply),                                       // 1
		chat("Ada", "How much for a room?", "Two silver a night, and the stew is free."), // 2
		chat("Ada", "Where is the keeper?", reply),                                       // 3: exact of 1
		chat("Ada", "Where is the keeper?", strings.Replace(reply, "bread", "pies", 1)),  // 4: near 1
		chat("Bo", "Where is the keeper?", reply),                                        // 5: another system, near 1
		chat("Ada", "where is the KEEPER", strings.ToUpper(reply)),                       // 6: case and punctuation: near 1 at 1.0
		chat("Ada", "Tell me of the storm.", "It took three ships and the old bell."),    // 7
	}
	r := newRepo(t)
	ds := mustDataset(t, r, "Ada", "")
	addRecords(t, r, ds.ID, len(recs), func(i int) Record { return recs[i] })

	exact, err := r.Dedupe(ctx, DedupeRequest{DatasetID: ds.ID})
	if err != nil {
		t.Fatal(err)
	}
	wantExact := []DuplicateGroup{{Kind: DuplicateExact, Similarity: 1, Records: []RecordRef{{"r1", 1}, {"r3", 3}}}}
	if diff := cmp.Diff(wantExact, exact.Groups); diff != "" || exact.Duplicates != 1 {
		t.Fatalf("exact (-want +got):\n%s", diff)
	}

	// At the default 0.8 a changed word in a 28-word record (similarity 0.79) is not a duplicate;
	// a different system prompt or a change of case and punctuation is, at similarity 1.
	near, err := r.Dedupe(ctx, DedupeRequest{DatasetID: ds.ID, Near: true})
	if err != nil {
		t.Fatal(err)
	}
	wantNear := []DuplicateGroup{{Kind: DuplicateNear, Similarity: 1, Records: []RecordRef{{"r1", 1}, {"r3", 3}, {"r5", 5}, {"r6", 6}}}}
	if diff := cmp.Diff(wantNear, near.Groups); diff != "" || near.Duplicates != 3 {
		t.Fatalf("near (-want +got):\n%s", diff)
	}
	looser, _ := r.Dedupe(ctx, DedupeRequest{DatasetID: ds.ID, Near: true, Threshold: 0.75})
	if len(looser.Groups) != 1 {
		t.Fatalf("groups %+v", looser.Groups)
	}
	g := looser.Groups[0]
	if diff := cmp.Diff([]RecordRef{{"r1", 1}, {"r3", 3}, {"r4", 4}, {"r5", 5}, {"r6", 6}}, g.Records); diff != "" {
		t.Fatalf("near group at 0.75 (-want +got):\n%s", diff)
	}
	if g.Similarity < 0.75 || g.Similarity >= 0.8 {
		t.Fatalf("similarity %v", g.Similarity)
	}
	if _, err := r.Dedupe(ctx, DedupeRequest{DatasetID: ds.ID, Threshold: 2}); err == nil {
		t.Fatal("threshold 2 accepted")
	}

	applied, err := r.Dedupe(ctx, DedupeRequest{DatasetID: ds.ID, Near: true, Threshold: 0.75, Apply: true})
	if err != nil {
		t.Fatal(err)
	}
	page, _ := r.PageRecords(ctx, PageRequest{DatasetID: ds.ID})
	var ids []string
	for _, rv := range page.Records {
		ids = append(ids, rv.ID)
	}
	if diff := cmp.Diff([]string{"r1", "r2", "r7"}, ids); diff != "" || applied.Version.Number != 2 {
		t.Fatalf("kept (-want +got):\n%s", diff)
	}
}

func TestDuplicateGroupsAtScale(t *testing.T) {
	// 2,000 distinct records and 50 reworded copies: every copy is found, nothing else is.
	recs := make([]Record, 0, 2050)
	for i := 0; i < 2000; i++ {
		recs = append(recs, chat("", fmt.Sprintf("Tell me about place %d", i),
			fmt.Sprintf("Place %d lies %d leagues north of Valen, beyond the salt marsh where the herons nest in spring, and its people trade in amber and rope.", i, i%37)))
	}
	for i := 0; i < 50; i++ {
		c := cloneRecord(recs[i*40])
		c.Messages[1].Content = strings.Replace(c.Messages[1].Content, "herons", "cranes", 1)
		recs = append(recs, c)
	}
	groups := duplicateGroups(recs, true, DefaultNearThreshold)
	if len(groups) != 50 {
		t.Fatalf("%d groups, want 50", len(groups))
	}
	for k, g := range groups {
		if !cmp.Equal(g.idx, []int{k * 40, 2000 + k}) {
			t.Fatalf("group %d is %v", k, g.idx)
		}
	}
}

func TestSplit(t *testing.T) {
	ids := make([]string, 1000)
	for i := range ids {
		ids[i] = fmt.Sprintf("r%d", i+1)
	}
	train, val, err := SplitIndexes(ids, SplitOptions{Seed: 42, ValidationFraction: 0.1})
	if err != nil || len(val) != 100 || len(train) != 900 {
		t.Fatalf("%d/%d %v", len(train), len(val), err)
	}
	train2, val2, _ := SplitIndexes(ids, SplitOptions{Seed: 42, ValidationFraction: 0.1})
	if !cmp.Equal(val, val2) || !cmp.Equal(train, train2) {
		t.Fatal("same seed, different split")
	}
	_, other, _ := SplitIndexes(ids, SplitOptions{Seed: 43, ValidationFraction: 0.1})
	if cmp.Equal(val, other) {
		t.Fatal("another seed gave the same split")
	}
	// Records added later do not reshuffle: most validation records stay.
	more := append(append([]string{}, ids...), "r1001", "r1002", "r1003", "r1004", "r1005")
	_, val3, _ := SplitIndexes(more, SplitOptions{Seed: 42, ValidationRecords: 100})
	kept := 0
	for _, i := range val3 {
		for _, j := range val {
			if i == j {
				kept++
			}
		}
	}
	if kept < 95 {
		t.Fatalf("only %d of 100 validation records kept their set", kept)
	}
	// Every index is in exactly one set.
	seen := map[int]int{}
	for _, i := range append(append([]int{}, train...), val...) {
		seen[i]++
	}
	if len(seen) != 1000 {
		t.Fatalf("%d indexes covered", len(seen))
	}
	for _, bad := range []SplitOptions{{ValidationFraction: 0}, {ValidationFraction: 1}, {ValidationRecords: 1000}} {
		if _, _, err := SplitIndexes(ids, bad); err == nil {
			t.Errorf("%+v accepted", bad)
		}
	}

	r := newRepo(t)
	ds := mustDataset(t, r, "Ada", "anthropic.claude-3-haiku-20240307-v1:0")
	addRecords(t, r, ds.ID, 40, distinct)
	res, err := r.Split(ctx, SplitRequest{DatasetID: ds.ID, Split: SplitOptions{Seed: 7, ValidationFraction: 0.25}})
	if err != nil || res.Training != 30 || res.Validation != 10 || len(res.ValidationLines) != 10 {
		t.Fatalf("%+v %v", res, err)
	}
	if diff := cmp.Diff([]string{"Claude 3 Haiku needs at least 32 training records"}, res.Warnings); diff != "" {
		t.Fatalf("warnings (-want +got):\n%s", diff)
	}
}

func TestDiff(t *testing.T) {
	r := newRepo(t)
	ds := mustDataset(t, r, "Ada", "")
	addRecords(t, r, ds.ID, 5, distinct)
	r.DeleteRecords(ctx, DeleteRecordsRequest{DatasetID: ds.ID, IDs: []string{"r2"}})
	r.UpdateRecord(ctx, UpdateRecordRequest{DatasetID: ds.ID, ID: "r4", Record: chat("", "Q?", "A changed reply.")})
	r.AddRecord(ctx, AddRecordRequest{DatasetID: ds.ID, Record: chat("", "New?", "A new reply here.")})

	d, err := r.Diff(ctx, DiffRequest{DatasetID: ds.ID, From: 1, To: 4})
	if err != nil {
		t.Fatal(err)
	}
	type change struct {
		ID, Kind         string
		FromLine, ToLine int
	}
	var got []change
	for _, c := range d.Changes {
		got = append(got, change{c.ID, c.Kind, c.FromLine, c.ToLine})
		if (c.Before == nil) != (c.FromLine == 0) || (c.After == nil) != (c.ToLine == 0) {
			t.Fatalf("records of %+v", c)
		}
	}
	want := []change{{"r2", ChangeRemoved, 2, 0}, {"r4", ChangeChanged, 4, 3}, {"r6", ChangeAdded, 0, 5}}
	if diff := cmp.Diff(want, got); diff != "" || d.Added != 1 || d.Removed != 1 || d.Changed != 1 {
		t.Fatalf("changes (-want +got):\n%s", diff)
	}
	all, _ := r.Diff(ctx, DiffRequest{DatasetID: ds.ID, From: 0, To: 1, Offset: 3, Limit: 10})
	if all.Added != 5 || len(all.Changes) != 2 || all.Changes[0].ID != "r4" {
		t.Fatalf("from empty, paged: %+v", all)
	}
	if _, err := r.Diff(ctx, DiffRequest{DatasetID: ds.ID, From: 1, To: 9}); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("missing version: %v", err)
	}
}

func TestExport(t *testing.T) {
	r := newRepo(t)
	ds := mustDataset(t, r, "Ada", "amazon.nova-micro-v1:0")
	addRecords(t, r, ds.ID, 20, distinct)
	dir := t.TempDir()

	t.Run("one file in the dataset's format", func(t *testing.T) {
		path := filepath.Join(dir, "train.jsonl")
		os.WriteFile(path, []byte("old content"), 0o644)
		res, err := r.Export(ctx, ExportRequest{DatasetID: ds.ID, Path: path})
		if err != nil {
			t.Fatal(err)
		}
		got, _ := os.ReadFile(path)
		if want := jsonl(t, FormatBedrockConversation, 20, distinct); string(got) != want {
			t.Fatalf("file:\n%s\nwant:\n%s", got, want)
		}
		if res.Training.Records != 20 || res.Training.Bytes != int64(len(got)) || res.Validation != nil || res.Format != FormatBedrockConversation {
			t.Fatalf("result %+v", res)
		}
		if rep, _ := ValidateFile(ctx, path, Options{BaseModel: "amazon.nova-micro-v1:0"}); !rep.Valid {
			t.Fatalf("export does not validate:%s", dump(rep.Errors))
		}
	})
	t.Run("split into two files", func(t *testing.T) {
		split := &SplitOptions{Seed: 1, ValidationFraction: 0.2}
		train, val := filepath.Join(dir, "t.jsonl"), filepath.Join(dir, "v.jsonl")
		res, err := r.Export(ctx, ExportRequest{DatasetID: ds.ID, Path: train, ValidationPath: val, Split: split})
		if err != nil {
			t.Fatal(err)
		}
		if res.Training.Records != 16 || res.Validation.Records != 4 {
			t.Fatalf("result %+v %+v", res.Training, res.Validation)
		}
		preview, _ := r.Split(ctx, SplitRequest{DatasetID: ds.ID, Split: *split})
		b, _ := os.ReadFile(val)
		want := jsonl(t, FormatBedrockConversation, 4, func(i int) Record { return distinct(preview.ValidationLines[i] - 1) })
		if string(b) != want {
			t.Fatalf("validation file is not the previewed split:\n%s", b)
		}
	})
	t.Run("lossy conversion is refused unless allowed", func(t *testing.T) {
		path := filepath.Join(dir, "pc.jsonl")
		_, err := r.Export(ctx, ExportRequest{DatasetID: ds.ID, Path: path, Format: FormatPromptCompletion})
		if !errors.Is(err, ErrLossy) || !strings.Contains(err.Error(), "20 records (first at line 1: system prompt dropped (27 characters)") {
			t.Fatalf("got %v", err)
		}
		if _, err := os.Stat(path); !os.IsNotExist(err) {
			t.Fatal("a refused export wrote a file")
		}
		res, err := r.Export(ctx, ExportRequest{DatasetID: ds.ID, Path: path, Format: FormatPromptCompletion, AllowLossy: true})
		if err != nil || res.Lossy != 20 || len(res.Losses) != 20 || res.Losses[3].Line != 4 {
			t.Fatalf("%+v %v", res, err)
		}
		b, _ := os.ReadFile(path)
		if !strings.HasPrefix(string(b), `{"prompt":"Question 0?","completion":"Answer number 0, friend."}`+"\n") {
			t.Fatalf("file starts %q", b[:80])
		}
	})
	t.Run("no temporary files are left", func(t *testing.T) {
		if _, err := r.Export(ctx, ExportRequest{DatasetID: ds.ID, Path: filepath.Join(dir, "missing", "x.jsonl")}); err == nil {
			t.Fatal("export into a missing directory")
		}
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if strings.HasSuffix(e.Name(), ".tmp") {
				t.Fatalf("left %s", e.Name())
			}
		}
	})
	t.Run("a record without a reply stops the export", func(t *testing.T) {
		r.AddRecord(ctx, AddRecordRequest{DatasetID: ds.ID, Record: chat("", "Hello?")})
		_, err := r.Export(ctx, ExportRequest{DatasetID: ds.ID, Path: filepath.Join(dir, "y.jsonl"), Format: FormatInputOutput, AllowLossy: true})
		var p *Problem
		if !errors.As(err, &p) || p.Line != 21 {
			t.Fatalf("got %v", err)
		}
	})
}

func TestValidateVersion(t *testing.T) {
	r := newRepo(t)
	ds := mustDataset(t, r, "Ada", "anthropic.claude-3-haiku-20240307-v1:0")
	addRecords(t, r, ds.ID, 40, distinct)
	r.UpdateRecord(ctx, UpdateRecordRequest{DatasetID: ds.ID, ID: "r7", Record: chat("Ada", "Hi", "Well met, traveller.", "And?")})
	r.UpdateRecord(ctx, UpdateRecordRequest{DatasetID: ds.ID, ID: "r9", Record: distinct(0)})

	rep, err := r.ValidateVersion(ctx, ValidateVersionRequest{DatasetID: ds.ID})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]Problem{{7, "messages[2].role", "the last turn must be the assistant's reply"}}, rep.Training.Errors); diff != "" {
		t.Fatalf("errors (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]Problem{{9, "", "duplicate of line 1 (same system prompt and turns)"}}, rep.Training.Warnings); diff != "" {
		t.Fatalf("warnings (-want +got):\n%s", diff)
	}
	if rep.Validation != nil || rep.Valid {
		t.Fatalf("%+v", rep)
	}

	split := &SplitOptions{Seed: 3, ValidationRecords: 8}
	pr, err := r.ValidateVersion(ctx, ValidateVersionRequest{DatasetID: ds.ID, Split: split})
	if err != nil {
		t.Fatal(err)
	}
	if pr.Validation == nil || pr.Training.Records != 32 || pr.Validation.Records != 8 {
		t.Fatalf("records %d + %d", pr.Training.Records, pr.Validation.Records)
	}
	// Lines stay version lines in both sets, so the grid can jump to them.
	all := append(append([]Problem{}, pr.Training.Errors...), pr.Validation.Errors...)
	if !hasProblem(all, 7, "messages[2].role", "last turn") {
		t.Fatalf("errors:%s", dump(all))
	}
	warnings := append(append([]Problem{}, pr.Training.Warnings...), pr.Validation.Warnings...)
	if !hasProblem(warnings, 9, "", "duplicate of line 1") && !hasProblem(warnings, 9, "", "in the training set (line 1)") &&
		!hasProblem(warnings, 1, "", "in the training set (line 9)") {
		t.Fatalf("the copy of line 1 is not reported:%s", dump(warnings))
	}

	r.UpdateDataset(ctx, UpdateDatasetRequest{ID: ds.ID, BaseModel: "meta.llama3-1-8b-instruct-v1:0"})
	lossy, _ := r.ValidateVersion(ctx, ValidateVersionRequest{DatasetID: ds.ID})
	if !hasProblem(lossy.Training.Warnings, 2, "", "written as prompt-completion, this record loses content: system prompt dropped") {
		t.Fatalf("warnings:%s", dump(lossy.Training.Warnings))
	}
	if !hasProblem(lossy.Training.Errors, 7, "", "record cannot be converted to prompt-completion") {
		t.Fatalf("errors:%s", dump(lossy.Training.Errors))
	}
}

func TestAddFromChat(t *testing.T) {
	r := newRepo(t)
	ds := mustDataset(t, r, "Ada", "anthropic.claude-3-haiku-20240307-v1:0")
	ex := ChatExample{
		DatasetID: ds.ID,
		System:    "You are Ada, innkeeper of the Salted Gull.\nLore: the storm of '09 took three ships.",
		Messages: []Message{
			{RoleUser, "Hi"}, {RoleAssistant, "Well met."},
			{RoleUser, "What happened in '09?"}, {RoleAssistant, "I cannot say."},
		},
		Reply: "The storm took three ships, and my brother with one.",
		Tags:  []string{"lore"},
	}
	rv, v, err := r.AddFromChat(ctx, ex)
	if err != nil {
		t.Fatal(err)
	}
	want := RecordView{ID: "r1", Line: 1, Record: Record{Format: FormatClaudeMessages, System: ex.System, Messages: []Message{
		{RoleUser, "Hi"}, {RoleAssistant, "Well met."}, {RoleUser, "What happened in '09?"}, {RoleAssistant, "The storm took three ships, and my brother with one."},
	}}, Tags: []string{"lore"}, Source: "chat", Tokens: rv.Tokens}
	if diff := cmp.Diff(want, rv); diff != "" || v.Number != 1 || v.Message != "add record r1" {
		t.Fatalf("record (-want +got):\n%s", diff)
	}
	if got, _ := r.GetRecord(ctx, ds.ID, 0, "r1"); !cmp.Equal(got, rv) {
		t.Fatalf("stored %+v", got)
	}

	ex.Messages = ex.Messages[:3]
	ex.Source = "chat: Ada on claude-3-haiku"
	rv, _, _ = r.AddFromChat(ctx, ex)
	if len(rv.Record.Messages) != 4 || rv.Source != "chat: Ada on claude-3-haiku" {
		t.Fatalf("reply appended after the user turn: %+v", rv)
	}

	var p *Problem
	for _, bad := range []ChatExample{
		{DatasetID: ds.ID, Messages: []Message{{RoleUser, "Hi"}}},
		{DatasetID: ds.ID, Messages: []Message{{RoleAssistant, "Welcome!"}, {RoleUser, "Hi"}}, Reply: "Well met."},
		{DatasetID: ds.ID, Messages: []Message{{"narrator", "Hi"}}, Reply: "Well met."},
	} {
		if _, _, err := r.AddFromChat(ctx, bad); !errors.As(err, &p) {
			t.Errorf("%+v: got %v", bad.Messages, err)
		}
	}
}

func TestRepositoryCancel(t *testing.T) {
	r := newRepo(t)
	ds := mustDataset(t, r, "Ada", "")
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := r.PageRecords(cctx, PageRequest{DatasetID: ds.ID}); !errors.Is(err, context.Canceled) {
		t.Fatalf("page: %v", err)
	}
	if _, _, err := r.AddRecord(cctx, AddRecordRequest{DatasetID: ds.ID, Record: distinct(1)}); !errors.Is(err, context.Canceled) {
		t.Fatalf("add: %v", err)
	}
}

// TestConcurrentReadersAndWriters pages, edits and validates at once, as the window and the CLI
// may; run with -race.
func TestConcurrentReadersAndWriters(t *testing.T) {
	r := newRepo(t)
	ds := mustDataset(t, r, "Ada", "")
	addRecords(t, r, ds.ID, 300, distinct)
	errs := make(chan error, 40)
	for g := 0; g < 4; g++ {
		go func() {
			for i := 0; i < 10; i++ {
				var err error
				switch (g + i) % 3 {
				case 0:
					_, err = r.PageRecords(ctx, PageRequest{DatasetID: ds.ID, Text: "answer", Limit: 20})
				case 1:
					_, err = r.UpdateRecord(ctx, UpdateRecordRequest{DatasetID: ds.ID, ID: fmt.Sprintf("r%d", g*10+i+1), Record: distinct(1000 + g*10 + i)})
				default:
					_, err = r.ValidateVersion(ctx, ValidateVersionRequest{DatasetID: ds.ID})
				}
				errs <- err
			}
		}()
	}
	for i := 0; i < 40; i++ {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	versions, _ := r.ListVersions(ctx, ds.ID)
	if len(versions) < 2 {
		t.Fatalf("%d versions", len(versions))
	}
}
