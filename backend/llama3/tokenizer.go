// Package llama3 counts tokens as Meta's Llama 3 tokenizer does (the same tokenizer serves
// Llama 3, 3.1, 3.2 and 3.3): the text is split by Meta's pre-tokenizer pattern, then each
// piece is byte-pair encoded over the ranks of Meta's tokenizer.model (tiktoken format: one
// base64 token and its rank a line).
//
// The ranks file is Meta's, under the Llama 3 Community License. It is not part of the
// studio: make fetches it from Meta's llama-models package on PyPI into the tool cache
// (see Locate), and Load refuses any file but that one (FileSHA256).
package llama3

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// FileSHA256 is the SHA-256 of Meta's Llama 3 tokenizer.model (128,000 ranks).
const FileSHA256 = "82e9d31979e92ab929cd544440f129d9ecd797b69e327f80f17e1c50d5551b55"

// fileSize is the length of that file in bytes.
const fileSize = 2183982

// NumBase is the number of byte-pair ranks; special tokens follow them.
const NumBase = 128000

// Special token ids, as Meta's tokenizer numbers them after the ranks.
const (
	BeginOfText = NumBase + 0 // <|begin_of_text|>
	EndOfText   = NumBase + 1 // <|end_of_text|>
	StartHeader = NumBase + 6 // <|start_header_id|>
	EndHeader   = NumBase + 7 // <|end_header_id|>
	EndOfTurn   = NumBase + 9 // <|eot_id|>
)

// Tokenizer encodes text with Llama 3's ranks. It is safe for concurrent use.
type Tokenizer struct {
	ranks map[string]int32
}

// Load reads a tokenizer.model and checks it is Meta's Llama 3 file.
func Load(path string) (*Tokenizer, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// Read no more than the real file's size and one byte: a larger file is not it, and is
	// refused without being held in memory.
	data, err := io.ReadAll(io.LimitReader(f, fileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > fileSize {
		return nil, fmt.Errorf("%s: larger than Llama 3's tokenizer.model (%d bytes): not that file", path, fileSize)
	}
	sum := sha256.Sum256(data)
	if got := hex.EncodeToString(sum[:]); got != FileSHA256 {
		return nil, fmt.Errorf("%s: SHA-256 %s is not that of Llama 3's tokenizer.model (%s)", path, got, FileSHA256)
	}
	return Parse(path, data)
}

// Parse reads ranks in tiktoken's format: a base64 token, a space and its rank on each line.
// name is used in errors.
func Parse(name string, data []byte) (*Tokenizer, error) {
	t := &Tokenizer{ranks: make(map[string]int32, NumBase)}
	line := 0
	for len(data) > 0 {
		line++
		l := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			l, data = data[:i], data[i+1:]
		} else {
			data = nil
		}
		l = bytes.TrimRight(l, "\r")
		if len(l) == 0 {
			continue
		}
		sp := bytes.IndexByte(l, ' ')
		if sp < 0 {
			return nil, fmt.Errorf("%s:%d: want a base64 token and a rank, found %q", name, line, clip(l))
		}
		tok, err := base64.StdEncoding.DecodeString(string(l[:sp]))
		if err != nil || len(tok) == 0 {
			return nil, fmt.Errorf("%s:%d: token %q is not base64", name, line, clip(l[:sp]))
		}
		rank, err := strconv.ParseInt(string(l[sp+1:]), 10, 32)
		if err != nil || rank < 0 {
			return nil, fmt.Errorf("%s:%d: rank %q is not a number", name, line, clip(l[sp+1:]))
		}
		if _, dup := t.ranks[string(tok)]; dup {
			return nil, fmt.Errorf("%s:%d: token %q is listed twice", name, line, tok)
		}
		t.ranks[string(tok)] = int32(rank)
	}
	for b := 0; b < 256; b++ {
		if _, ok := t.ranks[string([]byte{byte(b)})]; !ok {
			return nil, fmt.Errorf("%s: byte 0x%02x has no rank: not a byte-level vocabulary", name, b)
		}
	}
	return t, nil
}

func clip(b []byte) []byte {
	if len(b) > 40 {
		return b[:40]
	}
	return b
}

// Encode returns the token ids of text. Text that spells a special token
// ("<|eot_id|>") is encoded as ordinary text, as Meta's tokenizer does by default.
func (t *Tokenizer) Encode(text string) []int {
	var ids []int
	var m merger
	for i := 0; i < len(text); {
		j := nextPiece(text, i)
		ids = t.appendPiece(ids, &m, text[i:j])
		i = j
	}
	return ids
}

// Count returns len(Encode(text)) without keeping the ids.
func (t *Tokenizer) Count(text string) int {
	n := 0
	var m merger
	for i := 0; i < len(text); {
		j := nextPiece(text, i)
		if _, ok := t.ranks[text[i:j]]; ok {
			n++
		} else {
			n += m.merge(t.ranks, text[i:j])
		}
		i = j
	}
	return n
}

// CountTokens is Count (the dataset package's Tokenizer interface).
func (t *Tokenizer) CountTokens(text string) int { return t.Count(text) }

// Counter counts as Tokenizer.Count does, remembering how many tokens each piece it had to
// merge came to (prose repeats its words), so one goroutine counting many texts merges each
// piece once. It is not safe for concurrent use.
type Counter struct {
	t      *Tokenizer
	m      merger
	merged map[string]int32
}

// Remembered pieces: at most maxMerged of them, each at most maxMergedLen bytes.
const (
	maxMerged    = 1 << 14 // about 2 MB at most
	maxMergedLen = 64
)

// NewCounter returns a Counter of t.
func (t *Tokenizer) NewCounter() *Counter { return &Counter{t: t, merged: map[string]int32{}} }

// Count returns len(Encode(text)).
func (c *Counter) Count(text string) int {
	n := 0
	for i := 0; i < len(text); {
		j := nextPiece(text, i)
		piece := text[i:j]
		i = j
		if _, ok := c.t.ranks[piece]; ok {
			n++
			continue
		}
		if k, ok := c.merged[piece]; ok {
			n += int(k)
			continue
		}
		k := c.m.merge(c.t.ranks, piece)
		if len(piece) <= maxMergedLen && len(c.merged) < maxMerged {
			// A copy: text may share a buffer its caller reuses.
			c.merged[strings.Clone(piece)] = int32(k)
		}
		n += k
	}
	return n
}

func (t *Tokenizer) appendPiece(ids []int, m *merger, piece string) []int {
	if r, ok := t.ranks[piece]; ok {
		return append(ids, int(r))
	}
	m.merge(t.ranks, piece)
	for i := 0; i < len(piece); i = m.end[i] {
		ids = append(ids, int(t.ranks[piece[i:m.end[i]]]))
	}
	return ids
}

// HeaderTokens is the number of tokens Meta's chat format puts before a message of role:
// <|start_header_id|>, the role, <|end_header_id|> and "\n\n".
func (t *Tokenizer) HeaderTokens(role string) int { return 2 + t.Count(role) + t.Count("\n\n") }

// The pre-tokenizer: Meta's pattern
//
//	(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+
//
// written out by hand: Go's regexp has no lookahead, and a scanner is many times faster.
// Alternatives are tried in order at each position, as a backtracking engine does.

// class of a rune for the pattern.
const (
	clLetter = iota
	clNumber
	clSpace // \s: Unicode White_Space
	clOther
)

var asciiClass = func() (c [128]uint8) {
	for b := range c {
		r := rune(b)
		switch {
		case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z':
			c[b] = clLetter
		case '0' <= r && r <= '9':
			c[b] = clNumber
		case r == ' ', '\t' <= r && r <= '\r':
			c[b] = clSpace
		default:
			c[b] = clOther
		}
	}
	return c
}()

// at returns the rune at s[i], its size and its class; size 0 at the end of s.
func at(s string, i int) (rune, int, uint8) {
	if i >= len(s) {
		return 0, 0, clOther
	}
	if b := s[i]; b < utf8.RuneSelf {
		return rune(b), 1, asciiClass[b]
	}
	r, n := utf8.DecodeRuneInString(s[i:])
	switch {
	case unicode.IsLetter(r):
		return r, n, clLetter
	case unicode.IsNumber(r):
		return r, n, clNumber
	case unicode.IsSpace(r):
		return r, n, clSpace
	}
	return r, n, clOther
}

func isCRLF(r rune) bool { return r == '\r' || r == '\n' }

// nextPiece returns the end of the piece that starts at s[i] (i < len(s)).
func nextPiece(s string, i int) int {
	r, n, c := at(s, i)
	// 1: (?i:'s|'t|'re|'ve|'m|'ll|'d); case folding makes U+017F (ſ) an s.
	if r == '\'' {
		r1, n1, _ := at(s, i+1)
		switch unicode.ToLower(r1) {
		case 's', 't', 'm', 'd', 'ſ':
			return i + 1 + n1
		case 'r', 'v', 'l':
			r2, n2, _ := at(s, i+1+n1)
			want := 'e'
			if unicode.ToLower(r1) == 'l' {
				want = 'l'
			}
			if n2 > 0 && unicode.ToLower(r2) == want {
				return i + 1 + n1 + n2
			}
		}
	}
	// 2: [^\r\n\p{L}\p{N}]?\p{L}+
	if c == clLetter {
		return letters(s, i+n)
	}
	if c != clNumber && !isCRLF(r) {
		if _, n1, c1 := at(s, i+n); c1 == clLetter {
			return letters(s, i+n+n1)
		}
	}
	// 3: \p{N}{1,3}
	if c == clNumber {
		j := i + n
		for k := 1; k < 3; k++ {
			_, n1, c1 := at(s, j)
			if n1 == 0 || c1 != clNumber {
				break
			}
			j += n1
		}
		return j
	}
	// 4: ' '?[^\s\p{L}\p{N}]+[\r\n]*
	j := i
	if r == ' ' {
		j++
	}
	if _, n1, c1 := at(s, j); n1 > 0 && c1 == clOther {
		j += n1
		for {
			_, n2, c2 := at(s, j)
			if n2 == 0 || c2 != clOther {
				break
			}
			j += n2
		}
		for j < len(s) && (s[j] == '\r' || s[j] == '\n') {
			j++
		}
		return j
	}
	// Here c is clSpace: the rest are runs of white space.
	end, lastCRLF := i, -1
	for {
		r1, n1, c1 := at(s, end)
		if n1 == 0 || c1 != clSpace {
			break
		}
		if isCRLF(r1) {
			lastCRLF = end
		}
		end += n1
	}
	// 5: \s*[\r\n]+ ends after the run's last CR or LF.
	if lastCRLF >= 0 {
		return lastCRLF + 1
	}
	// 6: \s+(?!\S): the whole run at the end of s, else all but its last character.
	if end == len(s) {
		return end
	}
	_, last := utf8.DecodeLastRuneInString(s[:end])
	if end-last > i {
		return end - last
	}
	// 7: \s+
	return end
}

func letters(s string, j int) int {
	for {
		if j < len(s) && s[j] < utf8.RuneSelf { // ASCII without the call
			if asciiClass[s[j]] != clLetter {
				return j
			}
			j++
			continue
		}
		_, n, c := at(s, j)
		if n == 0 || c != clLetter {
			return j
		}
		j += n
	}
}

// merger byte-pair encodes one piece: the adjacent pair of parts whose joined bytes have the
// lowest rank is merged first, the leftmost among equal ranks, until no pair has a rank.
// That is tiktoken's rule; a heap keeps it O(n log n) for long pieces (a paragraph of Chinese
// is one piece).
type merger struct {
	end  []int // end[i]: the end of the part starting at byte i; -1 once merged into its left
	prev []int
	heap []pair
}

type pair struct {
	rank       int32
	start, end int // the left part's start and the right part's end when pushed
}

func (p pair) less(q pair) bool {
	return p.rank < q.rank || (p.rank == q.rank && p.start < q.start)
}

// merge leaves the parts of piece in m.end and returns how many there are.
func (m *merger) merge(ranks map[string]int32, piece string) int {
	n := len(piece)
	if cap(m.end) < n+1 {
		m.end, m.prev = make([]int, n+1), make([]int, n+1)
	}
	m.end, m.prev, m.heap = m.end[:n+1], m.prev[:n+1], m.heap[:0]
	for i := 0; i < n; i++ {
		m.end[i], m.prev[i] = i+1, i-1
	}
	m.end[n] = n
	for i := 0; i+1 < n; i++ {
		if r, ok := ranks[piece[i:i+2]]; ok {
			m.push(pair{r, i, i + 2})
		}
	}
	parts := n
	for len(m.heap) > 0 {
		p := m.pop()
		j := m.end[p.start]
		if j < 0 || j >= n || m.end[j] != p.end {
			continue // stale: a part of it was merged since
		}
		// Merge the part at p.start with the one at j.
		m.end[p.start] = p.end
		m.end[j] = -1
		if p.end < n {
			m.prev[p.end] = p.start
		}
		parts--
		if p.end < n {
			if r, ok := ranks[piece[p.start:m.end[p.end]]]; ok {
				m.push(pair{r, p.start, m.end[p.end]})
			}
		}
		if l := m.prev[p.start]; l >= 0 {
			if r, ok := ranks[piece[l:p.end]]; ok {
				m.push(pair{r, l, p.end})
			}
		}
	}
	return parts
}

func (m *merger) push(p pair) {
	m.heap = append(m.heap, p)
	i := len(m.heap) - 1
	for i > 0 {
		up := (i - 1) / 2
		if !m.heap[i].less(m.heap[up]) {
			break
		}
		m.heap[i], m.heap[up] = m.heap[up], m.heap[i]
		i = up
	}
}

func (m *merger) pop() pair {
	h := m.heap
	top := h[0]
	last := len(h) - 1
	h[0] = h[last]
	h = h[:last]
	for i := 0; ; {
		l, small := 2*i+1, i
		if l < len(h) && h[l].less(h[small]) {
			small = l
		}
		if r := l + 1; r < len(h) && h[r].less(h[small]) {
			small = r
		}
		if small == i {
			break
		}
		h[i], h[small] = h[small], h[i]
		i = small
	}
	m.heap = h
	return top
}
