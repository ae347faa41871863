package dataset

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A file that is no dataset (here a password file) read as JSON Lines or CSV imports nothing,
// makes no version, and the error names file, line and reason without quoting the file.
func TestImportOfAFileThatIsNoDataset(t *testing.T) {
	r := newRepo(t)
	ds := mustDataset(t, r, "Ada", "")
	path := filepath.Join(t.TempDir(), "passwd")
	if err := os.WriteFile(path, []byte("root:x:0:0:root:/root:/bin/bash\nwriter:hunter2:1000:1000::/home/writer:/bin/sh\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, kind := range []string{KindJSONL, KindCSV} {
		t.Run(kind, func(t *testing.T) {
			_, err := r.Import(ctx, ImportRequest{DatasetID: ds.ID, Path: path, Kind: kind})
			if err == nil {
				t.Fatal("imported a password file")
			}
			for _, leak := range []string{"root:", "hunter2", "/bin/", "writer:"} {
				if strings.Contains(err.Error(), leak) {
					t.Errorf("error quotes the file (%q): %v", leak, err)
				}
			}
			if kind == KindJSONL {
				var nothing *NothingImportedError
				if !errors.As(err, &nothing) || !errors.Is(err, ErrNothingImported) || nothing.Skipped != 2 || nothing.ErrorLine() != 1 ||
					!strings.Contains(err.Error(), "passwd: nothing imported: 2 lines skipped; line 1: skipped: not a JSON object") {
					t.Fatalf("jsonl: %v", err)
				}
			}
			vs, err := r.ListVersions(ctx, ds.ID)
			if err != nil || len(vs) != 0 {
				t.Fatalf("versions after importing nothing: %v %+v", err, vs)
			}
		})
	}
}

func TestHeaderNamesQuoteOnlyColumnNames(t *testing.T) {
	for _, tt := range []struct {
		header []string
		want   string
	}{
		{[]string{"question", "answer", "notes"}, "question, answer, notes"},
		{[]string{"Player line", "NPC reply (draft)"}, "Player line, NPC reply (draft)"},
		{[]string{"root:x:0:0:root:/root:/bin/bash"}, "1 cell, not a column name"},
		{[]string{"prompt", "OPENAI_API_KEY=sk-secret"}, "2 cells, not all of them column names"},
	} {
		if got := headerNames(tt.header); got != tt.want {
			t.Errorf("headerNames(%q) = %q, want %q", tt.header, got, tt.want)
		}
	}
}
