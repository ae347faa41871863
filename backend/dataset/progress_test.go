package dataset

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/npcstudio/npcstudio/backend/fault"
)

func TestLongWorkReportsProgress(t *testing.T) {
	r := newRepo(t)
	ds := mustDataset(t, r, "Ada", "anthropic.claude-3-haiku-20240307-v1:0")
	dir := t.TempDir()
	path := filepath.Join(dir, "records.jsonl")
	if err := os.WriteFile(path, []byte(jsonl(t, FormatClaudeMessages, 2000, distinct)), 0o644); err != nil {
		t.Fatal(err)
	}
	size, _ := os.Stat(path)
	var last Progress
	calls := 0
	if _, err := r.Import(ctx, ImportRequest{DatasetID: ds.ID, Path: path, OnProgress: func(p Progress) { last = p; calls++ }}); err != nil {
		t.Fatal(err)
	}
	if calls == 0 || last.Bytes != size.Size() {
		t.Fatalf("import progress: %d calls, last %+v, file %d bytes", calls, last, size.Size())
	}

	var lines []int
	if _, err := r.ValidateVersion(ctx, ValidateVersionRequest{DatasetID: ds.ID, Split: &SplitOptions{Seed: 1, ValidationFraction: 0.1},
		OnProgress: func(p Progress) { lines = append(lines, p.Lines) }}); err != nil {
		t.Fatal(err)
	}
	// Training (1,800 records) then validation (200): progress counts across both sets.
	if want := []int{0, 512, 1024, 1536, 1800}; !slices.Equal(lines, want) {
		t.Fatalf("validate progress %v, want %v", lines, want)
	}

	lines = nil
	_, err := r.Export(ctx, ExportRequest{DatasetID: ds.ID, Path: filepath.Join(dir, "train.jsonl"), ValidationPath: filepath.Join(dir, "val.jsonl"),
		Split: &SplitOptions{Seed: 1, ValidationFraction: 0.1}, OnProgress: func(p Progress) { lines = append(lines, p.Lines) }})
	if err != nil {
		t.Fatal(err)
	}
	if want := []int{0, 512, 1024, 1536, 1800}; !slices.Equal(lines, want) {
		t.Fatalf("export progress %v, want %v", lines, want)
	}
}

func TestErrorsCarryTheirCodes(t *testing.T) {
	for _, c := range []struct {
		err   error
		code  string
		field string
		line  int
	}{
		{ErrVersionConflict, "conflict", "", 0},
		{ErrNameTaken, "exists", "", 0},
		{ErrLossy, "lossy", "", 0},
		{ErrTooManyRecords, "too_many_records", "", 0},
		{&Problem{Line: 3, Field: "messages[0].role", Message: "is assistant"}, "invalid", "messages[0].role", 3},
	} {
		s := fault.Shape(c.err, nil)
		if s.Code != c.code || s.Field != c.field || s.Line != c.line {
			t.Errorf("%v: shaped %+v", c.err, s)
		}
	}
}
