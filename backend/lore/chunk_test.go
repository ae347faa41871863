package lore

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// TestCloudRuleMatchesLangChain compares the Cloud strategy with chunks made by LangChain's
// RecursiveCharacterTextSplitter itself (langchain-text-splitters 1.1.3, the cloud job's
// parameters), kept as golden files beside the inputs.
func TestCloudRuleMatchesLangChain(t *testing.T) {
	dir := filepath.Join("..", "..", "testdata", "lore", "cloud")
	goldens, _ := filepath.Glob(filepath.Join(dir, "*.golden.json"))
	if len(goldens) < 5 {
		t.Fatalf("%d golden files", len(goldens))
	}
	for _, g := range goldens {
		input := strings.TrimSuffix(g, ".golden.json")
		t.Run(filepath.Base(input), func(t *testing.T) {
			raw, err := os.ReadFile(g)
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			if err := json.Unmarshal(raw, &want); err != nil {
				t.Fatal(err)
			}
			text, err := os.ReadFile(input)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			err = ChunkText(strings.NewReader(string(text)), ChunkOptions{Strategy: Cloud}, func(c Chunk) error {
				if string(text[c.Start:c.End]) != c.Text {
					t.Errorf("chunk %d: offsets do not cut its text", c.Ord)
				}
				got = append(got, c.Text)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("cloud chunks differ from LangChain's (-want +got):\n%s", diff)
			}
		})
	}
}

func TestChunkStrategies(t *testing.T) {
	world, _ := filepath.Glob(filepath.Join(worldDir, "*.md"))
	long := strings.Repeat("A sentence about the mountain and its fire. ", 400) // one 18,000-character paragraph
	inputs := map[string]string{"long paragraph": "# Title\n\n" + long + "\n\nAfter.", "no blank lines": strings.Repeat("line of text\n", 500)}
	for _, p := range world {
		b, _ := os.ReadFile(p)
		inputs[filepath.Base(p)] = string(b)
	}
	strategies := []ChunkOptions{
		{},
		{Strategy: Paragraphs, Size: 300},
		{Strategy: Paragraphs, Size: 60, Unit: Tokens},
		{Strategy: Fixed},
		{Strategy: Fixed, Size: 200, Overlap: 50},
		{Strategy: Fixed, Size: 64, Overlap: 16, Unit: Tokens},
		{Strategy: Cloud},
	}
	for _, opt := range strategies {
		norm, err := opt.Normalize()
		if err != nil {
			t.Fatal(err)
		}
		limit := norm.chars(norm.Size)
		for name, text := range inputs {
			t.Run(string(norm.Strategy)+"/"+name, func(t *testing.T) {
				var chunks []Chunk
				err := ChunkText(strings.NewReader(text), opt, func(c Chunk) error { chunks = append(chunks, c); return nil })
				if err != nil {
					t.Fatal(err)
				}
				if len(chunks) == 0 {
					t.Fatal("no chunks")
				}
				var prevEnd int64
				for i, c := range chunks {
					if c.Ord != i || text[c.Start:c.End] != c.Text || strings.TrimSpace(c.Text) != c.Text || c.Text == "" {
						t.Fatalf("chunk %d (%d..%d) is not an exact, trimmed slice: %q", i, c.Start, c.End, c.Text)
					}
					if n := utf8.RuneCountInString(c.Text); n > limit && norm.Strategy != Paragraphs {
						t.Errorf("chunk %d has %d characters, limit %d", i, n, limit)
					}
					if norm.Strategy == Paragraphs && utf8.RuneCountInString(c.Text) > limit+200 {
						t.Errorf("chunk %d has %d characters, limit %d", i, utf8.RuneCountInString(c.Text), limit)
					}
					if norm.Overlap == 0 && c.Start < prevEnd {
						t.Errorf("chunk %d starts at %d, inside the previous one (ends %d)", i, c.Start, prevEnd)
					}
					if norm.Overlap > 0 && i > 0 && c.Start >= prevEnd && strings.Contains(name, ".md") {
						t.Errorf("chunk %d does not overlap the previous one", i)
					}
					prevEnd = c.End
				}
				// Nothing of the text is lost: every non-space character is in some chunk.
				covered := make([]bool, len(text))
				for _, c := range chunks {
					for j := c.Start; j < c.End; j++ {
						covered[j] = true
					}
				}
				for j, r := range text {
					if !covered[j] && !strings.ContainsRune(" \t\n", r) {
						t.Fatalf("byte %d (%q) is in no chunk", j, r)
					}
				}
			})
		}
	}
}

func TestParagraphsKeepHeadings(t *testing.T) {
	text := "# Factions\n\nIntro line.\n\n## The Ember Court\n\nSmiths meet at new moon.\n\nThey burn rival blades.\n\n## The Wakers\nA cult with a red eye."
	var got []Chunk
	ChunkText(strings.NewReader(text), ChunkOptions{Size: 60}, func(c Chunk) error { c.Start, c.End, c.Tokens, c.V = 0, 0, 0, 0; got = append(got, c); return nil })
	want := []Chunk{
		{Ord: 0, Heading: "Factions", Text: "# Factions\n\nIntro line."},
		{Ord: 1, Heading: "Factions > The Ember Court", Text: "## The Ember Court\n\nSmiths meet at new moon."},
		{Ord: 2, Heading: "Factions > The Ember Court", Text: "They burn rival blades."},
		{Ord: 3, Heading: "Factions > The Wakers", Text: "## The Wakers\nA cult with a red eye."},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Error(diff)
	}
}

func TestChunkOptionsRefused(t *testing.T) {
	tests := []struct {
		opt   ChunkOptions
		field string
	}{
		{ChunkOptions{Strategy: "sentences"}, "strategy"},
		{ChunkOptions{Strategy: Fixed, Size: 100, Overlap: 100}, "overlap"},
		{ChunkOptions{Strategy: Fixed, Size: 100, Overlap: -1}, "overlap"},
		{ChunkOptions{Size: 10}, "size"},
		{ChunkOptions{Size: 10000, Unit: Tokens}, "size"},
		{ChunkOptions{Unit: "words"}, "unit"},
	}
	for _, tt := range tests {
		t.Run(tt.field, func(t *testing.T) {
			_, err := tt.opt.Normalize()
			if err == nil || !strings.HasPrefix(err.Error(), tt.field+":") {
				t.Errorf("%+v: %v", tt.opt, err)
			}
		})
	}
}

func TestPreviewText(t *testing.T) {
	p, err := Preview(context.Background(), PreviewRequest{Text: strings.Repeat("word ", 1000), Chunking: ChunkOptions{Strategy: Cloud}, Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	if p.Total != 5 || len(p.Chunks) != 2 || p.Chunking.Size != CloudChunkSize {
		t.Errorf("preview: total %d, %d chunks, %+v", p.Total, len(p.Chunks), p.Chunking)
	}
}

// No paragraphs chunk is longer than the size asked for, however wide the blank space
// between paragraphs and however many headings wait for a body.
func TestParagraphChunksNeverExceedSize(t *testing.T) {
	words := strings.Fields("the harbour of Saltmere is dark since the lamp failed and nobody speaks of the keeper")
	rng := uint32(7)
	next := func(n int) int { rng = rng*1664525 + 1013904223; return int(rng>>8) % n }
	var b strings.Builder
	for i := 0; i < 400; i++ {
		switch next(6) {
		case 0:
			b.WriteString(strings.Repeat("#", 1+next(3)) + " " + strings.Repeat("Heading ", 1+next(12)) + "\n")
		default:
			for n := 1 + next(60); n > 0; n-- {
				b.WriteString(words[next(len(words))] + " ")
			}
			if next(3) == 0 {
				b.WriteString("end.\n")
			}
		}
		b.WriteString(strings.Repeat("\n", 1+next(4)) + strings.Repeat(" ", next(3)) + strings.Repeat("\n", next(3)))
	}
	for _, size := range []int{60, 120, 200, 333} {
		n := 0
		err := ChunkText(strings.NewReader(b.String()), ChunkOptions{Strategy: Paragraphs, Size: size}, func(c Chunk) error {
			n++
			if l := utf8.RuneCountInString(c.Text); l > size {
				t.Errorf("size %d: chunk %d has %d characters: %q", size, c.Ord, l, c.Text)
			}
			return nil
		})
		if err != nil || n == 0 {
			t.Fatalf("size %d: %d chunks, %v", size, n, err)
		}
	}
}

// Short sections share a chunk with the sections after them under the heading they share,
// up to half the size; sections of different top-level headings never do.
func TestParagraphsMergeShortSections(t *testing.T) {
	text := "# The Ember Court\n\nSmiths who meet at new moon.\n\n## Membership\n\nNine seats.\n\n## Aims\n\nThey burn rival blades.\n\n" +
		"# Ash Hounds\n\nThey hunt in packs of six.\n\n## Habitat\n\n" + strings.Repeat("Cold lava tubes and ash fields. ", 5) + "\n\n## Prey\n\nGoats."
	var got []Chunk
	err := ChunkText(strings.NewReader(text), ChunkOptions{Size: 200}, func(c Chunk) error { got = append(got, c); return nil })
	if err != nil {
		t.Fatal(err)
	}
	type piece struct{ Heading, Text string }
	var pieces []piece
	for _, c := range got {
		if text[c.Start:c.End] != c.Text {
			t.Errorf("chunk %d: offsets do not cut its text", c.Ord)
		}
		pieces = append(pieces, piece{c.Heading, c.Text})
	}
	want := []piece{
		{"The Ember Court", "# The Ember Court\n\nSmiths who meet at new moon.\n\n## Membership\n\nNine seats.\n\n## Aims\n\nThey burn rival blades."},
		// Over the limit with the next section: the heading goes with its body.
		{"Ash Hounds", "# Ash Hounds\n\nThey hunt in packs of six."},
		{"Ash Hounds > Habitat", "## Habitat\n\n" + strings.TrimSpace(strings.Repeat("Cold lava tubes and ash fields. ", 5))},
		{"Ash Hounds > Prey", "## Prey\n\nGoats."},
	}
	if diff := cmp.Diff(want, pieces); diff != "" {
		t.Error(diff)
	}

	// A heading with no body after it, at the end, is kept, on its own as before.
	got = nil
	ChunkText(strings.NewReader("# Notes\n\nShort.\n\n## To do"), ChunkOptions{Size: 200}, func(c Chunk) error { got = append(got, c); return nil })
	if len(got) != 2 || got[0].Text != "# Notes\n\nShort." || got[1].Text != "## To do" || got[1].Heading != "Notes > To do" {
		t.Errorf("a heading at the end: %+v", got)
	}
}
