package llama3

import (
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/npcstudio/npcstudio/backend/testenv"
)

var (
	loadOnce sync.Once
	loaded   *Tokenizer
	loadErr  error
)

// testTokenizer loads Meta's tokenizer.model once for the package's tests.
func testTokenizer(t testing.TB) *Tokenizer {
	t.Helper()
	path := testenv.Llama3Tokenizer(t)
	loadOnce.Do(func() { loaded, loadErr = Load(path) })
	if loadErr != nil {
		t.Fatal(loadErr)
	}
	return loaded
}

type golden struct {
	Roles map[string][]int `json:"roles"`
	Cases []struct {
		Text string `json:"text"`
		IDs  []int  `json:"ids"`
	} `json:"cases"`
}

func loadGolden(t *testing.T) golden {
	t.Helper()
	raw, err := os.ReadFile("testdata/golden.json")
	if err != nil {
		t.Fatal(err)
	}
	var g golden
	if err := json.Unmarshal(raw, &g); err != nil {
		t.Fatal(err)
	}
	if len(g.Cases) < 60 {
		t.Fatalf("golden.json: %d cases", len(g.Cases))
	}
	return g
}

// TestGoldenIDs: token ids equal tiktoken's with the same file and pattern for every golden
// text (contractions in both cases, numbers, white-space runs, CR LF, accents, CJK, emoji,
// special-token text, long pieces, random mixes); see testdata/golden.py.
func TestGoldenIDs(t *testing.T) {
	g := loadGolden(t)
	tok := testTokenizer(t)
	for _, c := range g.Cases {
		if got := tok.Encode(c.Text); !slices.Equal(got, c.IDs) && !(len(got) == 0 && len(c.IDs) == 0) {
			t.Errorf("%q:\n got %v\nwant %v", c.Text, got, c.IDs)
		}
		if got := tok.Count(c.Text); got != len(c.IDs) {
			t.Errorf("%q: Count %d, want %d", c.Text, got, len(c.IDs))
		}
	}
	// A Counter gives the same counts, the second time from what it remembers.
	c := tok.NewCounter()
	for range 2 {
		for _, cs := range g.Cases {
			if got := c.Count(cs.Text); got != len(cs.IDs) {
				t.Errorf("%q: Counter.Count %d, want %d", cs.Text, got, len(cs.IDs))
			}
		}
	}
	if len(c.merged) == 0 {
		t.Error("the Counter remembered no merged piece")
	}
	for role, ids := range g.Roles {
		if got := tok.Encode(role); !slices.Equal(got, ids) {
			t.Errorf("role %q: got %v, want %v", role, got, ids)
		}
	}
	if got := tok.HeaderTokens("assistant"); got != 4 {
		t.Errorf("HeaderTokens(assistant) = %d, want 4", got)
	}
}

// scanMerge is tiktoken's own merge loop (a linear scan for the lowest rank, leftmost on
// ties), kept here to check the heap against it.
func scanMerge(ranks map[string]int32, piece string) []string {
	parts := make([]int, 0, len(piece)+1)
	for i := 0; i <= len(piece); i++ {
		parts = append(parts, i)
	}
	for {
		best, at := int32(-1), -1
		for i := 0; i+2 < len(parts); i++ {
			if r, ok := ranks[piece[parts[i]:parts[i+2]]]; ok && (best < 0 || r < best) {
				best, at = r, i
			}
		}
		if at < 0 {
			break
		}
		parts = append(parts[:at+1], parts[at+2:]...)
	}
	out := make([]string, 0, len(parts)-1)
	for i := 0; i+1 < len(parts); i++ {
		out = append(out, piece[parts[i]:parts[i+1]])
	}
	return out
}

// TestHeapMergeEqualsScan: the heap merges as tiktoken's scan does, on pieces that are not
// whole tokens: random letters and long runs where many pairs share a rank.
func TestHeapMergeEqualsScan(t *testing.T) {
	tok := testTokenizer(t)
	rng := rand.New(rand.NewPCG(1, 2))
	pieces := []string{strings.Repeat("a", 301), strings.Repeat("ab", 150), strings.Repeat("中文字", 100), strings.Repeat("=", 130)}
	const letters = "abcdeilnorstuvxyzäöüßжщ中文字"
	for range 300 {
		var b strings.Builder
		n := 2 + rng.IntN(40)
		rs := []rune(letters)
		for range n {
			b.WriteRune(rs[rng.IntN(len(rs))])
		}
		pieces = append(pieces, b.String())
	}
	var m merger
	for _, p := range pieces {
		n := m.merge(tok.ranks, p)
		var got []string
		for i := 0; i < len(p); i = m.end[i] {
			got = append(got, p[i:m.end[i]])
		}
		want := scanMerge(tok.ranks, p)
		if n != len(got) || !slices.Equal(got, want) {
			t.Fatalf("%q: heap %q (%d), scan %q", p, got, n, want)
		}
	}
}

// TestPieces: the pre-tokenizer splits as Meta's pattern does.
func TestPieces(t *testing.T) {
	cases := map[string][]string{
		"I'm here":       {"I", "'m", " here"},
		"THEY'RE":        {"THEY", "'RE"},
		"a  b":           {"a", " ", " b"},
		"a \n\n  b":      {"a", " \n\n", " ", " b"},
		"x   ":           {"x", "   "},
		"12345":          {"123", "45"},
		" 12":            {" ", "12"},
		"!!word":         {"!!", "word"},
		"(word":          {"(word"},
		" ...\n\nok":     {" ...\n\n", "ok"},
		"\tword":         {"\tword"},
		"\nword":         {"\n", "word"},
		"北京的冬天。":         {"北京的冬天", "。"},
		"cafe\u0301 ok":  {"cafe", "\u0301", " ok"},
		"a\r\n\r\n":      {"a", "\r\n\r\n"},
		"x\u00a0\u00a0y": {"x", "\u00a0", "\u00a0y"},
	}
	for in, want := range cases {
		var got []string
		for i := 0; i < len(in); {
			j := nextPiece(in, i)
			got = append(got, in[i:j])
			i = j
		}
		if !slices.Equal(got, want) {
			t.Errorf("%q: got %q, want %q", in, got, want)
		}
	}
}

// TestLoadRefusesOtherFiles: a file that is not Meta's is refused by its digest, and Parse
// names the line of a malformed rank.
func TestLoadRefusesOtherFiles(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, FileName)
	os.WriteFile(p, []byte("IQ== 0\n"), 0o644)
	if _, err := Load(p); err == nil || !strings.Contains(err.Error(), "is not that of Llama 3's tokenizer.model") {
		t.Errorf("Load of another file: %v", err)
	}
	if _, err := Parse("t.model", []byte("IQ== 0\nnot-base64! 1\n")); err == nil || !strings.Contains(err.Error(), "t.model:2: token") {
		t.Errorf("Parse of a bad token: %v", err)
	}
	if _, err := Parse("t.model", []byte("IQ== 0\nIg== x\n")); err == nil || !strings.Contains(err.Error(), "t.model:2: rank") {
		t.Errorf("Parse of a bad rank: %v", err)
	}
	if _, err := Parse("t.model", []byte("IQ== 0\n")); err == nil || !strings.Contains(err.Error(), "has no rank") {
		t.Errorf("Parse of a vocabulary without every byte: %v", err)
	}
}

// TestLocate: NPCSTUDIO_LLAMA3_TOKENIZER comes first, "none" looks nowhere, and Locate
// takes the first path that is a file.
func TestLocate(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, FileName)
	os.WriteFile(p, []byte("x"), 0o644)
	t.Setenv("NPCSTUDIO_LLAMA3_TOKENIZER", p)
	if got := SearchPaths(); len(got) == 0 || got[0] != p {
		t.Errorf("SearchPaths = %q, want %q first", got, p)
	}
	if got := Locate(filepath.Join(dir, "absent"), dir, p); got != p {
		t.Errorf("Locate = %q, want %q", got, p)
	}
	t.Setenv("NPCSTUDIO_LLAMA3_TOKENIZER", "none")
	if got := SearchPaths(); got != nil {
		t.Errorf("SearchPaths with none = %q", got)
	}
}

// BenchmarkCount: tokens counted a second on English prose with numbers and punctuation.
//
//	go test ./backend/llama3 -run '^$' -bench Count -cpu 1
func BenchmarkCount(b *testing.B) {
	tok := testTokenizer(b)
	text := strings.Repeat("The harbour bell rang twice before dawn, and Ada counted the ships that limped in: three from Valen, "+
		"one from the salt marshes, none from the north. Prices for rope rose 12% by noon; the fishmongers blamed the storm.\n", 200)
	b.SetBytes(int64(len(text)))
	c := tok.NewCounter()
	cpu0 := testenv.CPUTime()
	for b.Loop() {
		c.Count(text)
	}
	if cpu := (testenv.CPUTime() - cpu0).Seconds(); cpu > 0 {
		b.ReportMetric(float64(len(text))*float64(b.N)/1e6/cpu, "MB/cpu-s")
	}
}

// TestLoadRefusesALargerFileUnread: a file larger than Meta's is refused after reading one
// byte past that size, never held whole (here a 1 GiB sparse file).
func TestLoadRefusesALargerFileUnread(t *testing.T) {
	p := filepath.Join(t.TempDir(), FileName)
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(1 << 30); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if _, err := Load(p); err == nil || !strings.Contains(err.Error(), "larger than Llama 3's tokenizer.model") {
		t.Fatalf("Load of a 1 GiB file: %v", err)
	}
}
