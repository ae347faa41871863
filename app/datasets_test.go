package app

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/npcstudio/npcstudio/backend/dataset"
)

const haiku = "anthropic.claude-3-haiku-20240307-v1:0"

// waitOp waits for the operation to end and returns its events.
func waitOp(t *testing.T, rec *recorder, id string) []OpEvent {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if evs := rec.of(id); len(evs) > 0 && (evs[len(evs)-1].Type == "done" || evs[len(evs)-1].Type == "error") {
			return evs
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("operation %s never ended", id)
	return nil
}

// done returns the result of an operation that must have succeeded.
func done[T any](t *testing.T, evs []OpEvent) T {
	t.Helper()
	last := evs[len(evs)-1]
	if last.Type != "done" {
		t.Fatalf("operation failed: %+v", last.Error)
	}
	return last.Data.(T)
}

// writeLines writes n Claude messages records; bad maps a line number to the line written instead.
func writeLines(t *testing.T, path string, n int, bad map[int]string) {
	t.Helper()
	var b strings.Builder
	for i := 1; i <= n; i++ {
		if line, ok := bad[i]; ok {
			b.WriteString(line + "\n")
			continue
		}
		fmt.Fprintf(&b, `{"system":"You are Ada, the innkeeper.","messages":[{"role":"user","content":"Question %d?"},{"role":"assistant","content":"Answer number %d, friend."}]}`+"\n", i, i)
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestDatasetServiceImportValidateFixExport(t *testing.T) {
	a := newApp(t, t.TempDir())
	rec := &recorder{}
	a.SetEmitter(rec)
	svc := a.Datasets
	dir := t.TempDir()

	ds, err := svc.Create(dataset.CreateDatasetRequest{Name: "Ada lines", BaseModel: haiku})
	if err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(dir, "ada.jsonl")
	writeLines(t, src, 41, map[int]string{
		5:  `{"system":"x","messages":[{"role":"user","content":"Hi"},]}`,
		12: `{"system":"You are Ada.","messages":[{"role":"user","content":"And the stew?"},{"role":"assistant","content":"Aye.\nHuman: more stew"}]}`,
	})

	id, err := svc.Import(DatasetImportRequest{OpID: "imp-1", Import: dataset.ImportRequest{DatasetID: ds.ID, Path: src}})
	if err != nil || id != "imp-1" {
		t.Fatalf("import: %q %v", id, err)
	}
	imp := done[dataset.ImportResult](t, waitOp(t, rec, id))
	if imp.Imported != 40 || imp.Skipped != 1 || imp.Errors[0].Line != 5 || imp.Version.Number != 1 {
		t.Fatalf("import: %+v", imp)
	}

	page, err := svc.Page(dataset.PageRequest{DatasetID: ds.ID, Limit: 200})
	if err != nil || page.Total != 40 || len(page.Records) != 40 || page.Version != 1 {
		t.Fatalf("page: %+v %v", page.Total, err)
	}

	validate := func(opID string) dataset.PairReport {
		t.Helper()
		id, err := svc.Validate(DatasetValidateRequest{OpID: opID, Validate: dataset.ValidateVersionRequest{DatasetID: ds.ID}})
		if err != nil {
			t.Fatal(err)
		}
		return done[dataset.PairReport](t, waitOp(t, rec, id))
	}
	rep := validate("val-1")
	if rep.Valid || rep.Training.ErrorCount != 1 {
		t.Fatalf("validate: %+v", rep.Training.Errors)
	}
	problem := rep.Training.Errors[0]
	// File line 12 is the 11th record: line 5 was skipped.
	if problem.Line != 11 || problem.Field != "messages[1].content" {
		t.Fatalf("problem: %+v", problem)
	}

	// Jump to the line, fix the reply there.
	at, err := svc.Page(dataset.PageRequest{DatasetID: ds.ID, Line: problem.Line, Limit: 5})
	if err != nil {
		t.Fatal(err)
	}
	var target dataset.RecordView
	for _, r := range at.Records {
		if r.Line == problem.Line {
			target = r
		}
	}
	if target.ID == "" || at.Offset != 10 {
		t.Fatalf("jump: offset %d, %+v", at.Offset, at.Records)
	}
	fixed := target.Record
	fixed.Messages[1].Content = "Rabbit, and the bread is fresh."
	v2, err := svc.UpdateRecord(dataset.UpdateRecordRequest{DatasetID: ds.ID, BaseVersion: page.Version, ID: target.ID, Record: fixed, Tags: []string{"fixed"}})
	if err != nil || v2.Number != 2 {
		t.Fatalf("update: %+v %v", v2, err)
	}
	// An edit on the old version is refused as a conflict, not applied over the new one.
	_, err = svc.UpdateRecord(dataset.UpdateRecordRequest{DatasetID: ds.ID, BaseVersion: 1, ID: target.ID, Record: fixed})
	if FormatError(err).Code != "conflict" {
		t.Fatalf("stale edit: %v (%+v)", err, FormatError(err))
	}
	if rep := validate("val-2"); !rep.Valid || rep.Training.Records != 40 || rep.Training.Stats.Records != 40 {
		t.Fatalf("after the fix: %+v", rep.Training.Errors)
	}

	out := filepath.Join(dir, "train.jsonl")
	valOut := filepath.Join(dir, "val.jsonl")
	id, err = svc.Export(DatasetExportRequest{OpID: "exp-1", Export: dataset.ExportRequest{DatasetID: ds.ID, Path: out, ValidationPath: valOut,
		Split: &dataset.SplitOptions{Seed: 7, ValidationRecords: 4}}})
	if err != nil {
		t.Fatal(err)
	}
	exp := done[dataset.ExportResult](t, waitOp(t, rec, id))
	if exp.Training.Records != 36 || exp.Validation == nil || exp.Validation.Records != 4 {
		t.Fatalf("export: %+v", exp)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	lines := 0
	for sc.Scan() {
		var obj map[string]any
		if err := json.Unmarshal(sc.Bytes(), &obj); err != nil || obj["messages"] == nil {
			t.Fatalf("exported line %d: %s", lines+1, sc.Text())
		}
		lines++
	}
	if lines != 36 {
		t.Fatalf("exported %d lines", lines)
	}
	split, err := svc.Split(dataset.SplitRequest{DatasetID: ds.ID, Split: dataset.SplitOptions{Seed: 7, ValidationRecords: 4}})
	if err != nil || split.Training != 36 || len(split.ValidationLines) != 4 {
		t.Fatalf("split: %+v %v", split, err)
	}
}

func TestDatasetServiceCuration(t *testing.T) {
	a := newApp(t, t.TempDir())
	rec := &recorder{}
	a.SetEmitter(rec)
	svc := a.Datasets
	ds, err := svc.Create(dataset.CreateDatasetRequest{Name: "Barks"})
	if err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(t.TempDir(), "barks.csv")
	csv := "prompt,completion,tags\nHello,Well met traveller,greeting\nHello,Well met traveller,greeting\nBye,Safe roads to you friend,farewell\n"
	if err := os.WriteFile(src, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	id, _ := svc.Import(DatasetImportRequest{OpID: "csv", Import: dataset.ImportRequest{DatasetID: ds.ID, Path: src}})
	if imp := done[dataset.ImportResult](t, waitOp(t, rec, id)); imp.Imported != 3 {
		t.Fatalf("csv import: %+v", imp)
	}
	fr, err := svc.FindReplace(dataset.FindReplaceRequest{DatasetID: ds.ID, Find: "traveller", Replace: "traveler", Apply: true})
	if err != nil || fr.Records != 2 || fr.Version.Number != 2 {
		t.Fatalf("find and replace: %+v %v", fr, err)
	}
	tags, err := svc.Tags(DatasetVersionRequest{DatasetID: ds.ID})
	if err != nil || len(tags) != 2 || tags[0] != (dataset.TagCount{Tag: "greeting", Records: 2}) {
		t.Fatalf("tags: %+v %v", tags, err)
	}
	page, _ := svc.Page(dataset.PageRequest{DatasetID: ds.ID, Tag: "farewell"})
	if page.Total != 1 {
		t.Fatalf("tag filter: %+v", page)
	}
	if _, err := svc.Tag(dataset.TagRequest{DatasetID: ds.ID, IDs: []string{page.Records[0].ID}, Add: []string{"keep"}}); err != nil {
		t.Fatal(err)
	}
	dd, err := svc.Dedupe(dataset.DedupeRequest{DatasetID: ds.ID, Near: true, Apply: true})
	if err != nil || dd.Duplicates != 1 || dd.Version.Records != 2 {
		t.Fatalf("dedupe: %+v %v", dd, err)
	}
	versions, err := svc.Versions(DatasetRequest{ID: ds.ID})
	if err != nil || len(versions) != 4 || versions[0].Number != 4 {
		t.Fatalf("versions: %+v %v", versions, err)
	}
	diff, err := svc.Diff(dataset.DiffRequest{DatasetID: ds.ID, From: 1, To: 4})
	if err != nil || diff.Removed != 1 || diff.Changed != 2 {
		t.Fatalf("diff: %+v %v", diff, err)
	}
	if err := svc.Delete(DatasetRequest{ID: ds.ID}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Get(DatasetRequest{ID: ds.ID}); FormatError(err).Code != "not_found" {
		t.Fatalf("deleted dataset: %v", err)
	}
}

func TestDatasetServiceRefusesBadRequestsBeforeStarting(t *testing.T) {
	a := newApp(t, t.TempDir())
	svc := a.Datasets
	ds, _ := svc.Create(dataset.CreateDatasetRequest{Name: "Ada"})
	missing := filepath.Join(t.TempDir(), "nope.jsonl")
	for _, c := range []struct {
		name  string
		start func() (string, error)
		code  string
		field string
	}{
		{"import of a missing file", func() (string, error) {
			return svc.Import(DatasetImportRequest{Import: dataset.ImportRequest{DatasetID: ds.ID, Path: missing}})
		}, "invalid", "path"},
		{"import into a missing dataset", func() (string, error) {
			return svc.Import(DatasetImportRequest{Import: dataset.ImportRequest{DatasetID: "ds-000000000000", Path: missing}})
		}, "not_found", ""},
		{"export without a file", func() (string, error) {
			return svc.Export(DatasetExportRequest{Export: dataset.ExportRequest{DatasetID: ds.ID}})
		}, "invalid", "path"},
		{"validation of a missing dataset", func() (string, error) {
			return svc.Validate(DatasetValidateRequest{Validate: dataset.ValidateVersionRequest{DatasetID: "ds-000000000000"}})
		}, "not_found", ""},
		{"file check with an unknown model", func() (string, error) {
			return svc.ValidateFile(FileValidateRequest{Path: missing, BaseModel: "gpt-4"})
		}, "invalid", "baseModel"},
		{"file check of a folder", func() (string, error) {
			return svc.ValidateFile(FileValidateRequest{Path: t.TempDir()})
		}, "invalid", "path"},
	} {
		t.Run(c.name, func(t *testing.T) {
			id, err := c.start()
			s := FormatError(err)
			if err == nil || id != "" || s.Code != c.code || s.Field != c.field {
				t.Fatalf("id %q, error %+v", id, s)
			}
		})
	}
	if _, err := svc.Create(dataset.CreateDatasetRequest{Name: "ada"}); FormatError(err).Code != "exists" {
		t.Fatalf("same name: %+v", FormatError(err))
	}
	if _, err := svc.Create(dataset.CreateDatasetRequest{Name: "x", BaseModel: haiku, Format: "prompt-completion"}); FormatError(err).Field != "format" {
		t.Fatalf("wrong format for the model: %+v", FormatError(err))
	}
}

func TestDatasetFileCheckReportsProgress(t *testing.T) {
	a := newApp(t, t.TempDir())
	rec := &recorder{}
	a.SetEmitter(rec)
	path := filepath.Join(t.TempDir(), "big.jsonl")
	writeLines(t, path, 60_000, map[int]string{3: `{"prompt":"x"}`})
	id, err := a.Datasets.ValidateFile(FileValidateRequest{OpID: "check", Path: path})
	if err != nil {
		t.Fatal(err)
	}
	evs := waitOp(t, rec, id)
	rep := done[dataset.Report](t, evs)
	if rep.Valid || rep.Records != 60_000 || rep.Errors[0].Line != 3 {
		t.Fatalf("report: valid %v, %d records, %+v", rep.Valid, rep.Records, rep.Errors)
	}
	progress := 0
	for _, e := range evs {
		if e.Type == "progress" {
			progress++
			p := e.Data.(DatasetProgress)
			if p.Unit != "bytes" || p.Total <= 0 || p.Done > p.Total {
				t.Fatalf("progress: %+v", p)
			}
		}
	}
	if progress == 0 {
		t.Fatal("no progress reported")
	}
}

func TestProgressIsReportedAtMostEvery100ms(t *testing.T) {
	a := newApp(t, t.TempDir())
	rec := &recorder{}
	a.SetEmitter(rec)
	report := reportTo(&Op{ID: "t", Kind: "k", o: a.ops}, "records", 10, progressRecords)
	start := time.Now()
	for i := 0; i < 100_000; i++ {
		report(dataset.Progress{Lines: i})
	}
	elapsed := time.Since(start)
	time.Sleep(progressEvery)
	report(dataset.Progress{Lines: 7})
	evs := rec.of("t")
	if max := 2 + int(elapsed/progressEvery); len(evs) > max || len(evs) < 2 {
		t.Fatalf("%d events in %v", len(evs), elapsed)
	}
	if p := evs[len(evs)-1].Data.(DatasetProgress); p != (DatasetProgress{Done: 7, Total: 10, Unit: "records"}) {
		t.Fatalf("last: %+v", p)
	}
}
