package lore

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

func TestCLIShapes(t *testing.T) {
	lib := newLibrary(t, Options{})
	p := writeFile(t, t.TempDir(), "bell.md", []byte("The Bell of Embers rings at dusk."))
	if _, err := lib.Add(context.Background(), []string{p}, AddOptions{Collection: "town"}); err != nil {
		t.Fatal(err)
	}
	res, err := lib.Search(context.Background(), Query{Text: "bell", K: 1})
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(res.CLI())
	var got map[string][]map[string]any
	json.Unmarshal(raw, &got)
	r := got["results"][0]
	r["score"] = r["score"].(float64) > 0
	want := map[string]any{"doc": "bell.md", "chunk": 0.0, "score": true, "text": "The Bell of Embers rings at dusk.", "collection": "town"}
	if diff := cmp.Diff(want, r); diff != "" {
		t.Error(diff)
	}

	tests := []struct {
		in, k, v string
		ok       bool
	}{
		{"region=north", "region", "north", true},
		{"spoiler = yes ", "spoiler", "yes", true},
		{"flag=", "flag", "", true},
		{"=x", "", "", false},
		{"novalue", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			k, v, err := ParseTag(tt.in)
			if (err == nil) != tt.ok || k != tt.k || v != tt.v {
				t.Errorf("ParseTag(%q) = %q, %q, %v", tt.in, k, v, err)
			}
		})
	}
	if _, err := lib.Search(context.Background(), Query{Text: "  "}); err == nil || !strings.HasPrefix(err.Error(), "query:") {
		t.Errorf("empty query: %v", err)
	}
	if _, err := lib.Search(context.Background(), Query{Text: "bell", K: 1000}); err == nil {
		t.Error("k = 1000 accepted")
	}
}

// FuzzChunkText checks that every strategy cuts any text into exact, trimmed slices of it.
func FuzzChunkText(f *testing.F) {
	for _, s := range []string{"", "# h\n\npara", "a\r\nb\n\n\n# x\ny", strings.Repeat("word. ", 300), "ünïcödé — 火山\n\n## 2\n"} {
		f.Add(s, uint8(0))
		f.Add(s, uint8(1))
		f.Add(s, uint8(2))
	}
	f.Fuzz(func(t *testing.T, text string, which uint8) {
		if !utf8.ValidString(text) {
			t.Skip("the library hands ChunkText checked UTF-8 only")
		}
		opts := []ChunkOptions{{Size: 60}, {Strategy: Fixed, Size: 50, Overlap: 10}, {Strategy: Cloud}}
		opt := opts[int(which)%len(opts)]
		covered := make([]bool, len(text))
		err := ChunkText(strings.NewReader(text), opt, func(c Chunk) error {
			if c.Start < 0 || c.End > int64(len(text)) || c.Start > c.End || text[c.Start:c.End] != c.Text {
				t.Fatalf("%+v: chunk %d (%d..%d) is not a slice of the text", opt, c.Ord, c.Start, c.End)
			}
			if c.Text == "" {
				t.Fatalf("%+v: empty chunk", opt)
			}
			for i := c.Start; i < c.End; i++ {
				covered[i] = true
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		// Paragraphs loses nothing of the text but blank space.
		if opt.Strategy == "" {
			for i, r := range text {
				if !covered[i] && !unicode.IsSpace(r) {
					t.Fatalf("%+v: byte %d (%q) is in no chunk", opt, i, r)
				}
			}
		}
	})
}
