package minilm

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Tokenizer is BERT's WordPiece tokenizer as a Hugging Face tokenizer.json describes it:
// the BertNormalizer (control characters removed, whitespace made spaces, CJK ideographs
// split apart, accents stripped and lower-casing when the file asks), the BertPreTokenizer
// (split on whitespace and around each punctuation character) and greedy longest-match
// WordPiece with a "##" continuation prefix. Special tokens written in the text are kept
// whole, as the reference tokenizer keeps them.
type Tokenizer struct {
	vocab        map[string]int32
	unk          int32
	cls, sep     int32
	prefix       string
	maxWordChars int
	lowercase    bool
	stripAccents bool
	cleanText    bool
	chineseChars bool
	// special are the added tokens matched verbatim in the text, longest first.
	special []specialToken
}

type specialToken struct {
	text string
	id   int32
}

type tokenizerFile struct {
	AddedTokens []struct {
		ID         int32  `json:"id"`
		Content    string `json:"content"`
		Normalized bool   `json:"normalized"`
	} `json:"added_tokens"`
	Normalizer *struct {
		Type               string `json:"type"`
		CleanText          bool   `json:"clean_text"`
		HandleChineseChars bool   `json:"handle_chinese_chars"`
		StripAccents       *bool  `json:"strip_accents"`
		Lowercase          bool   `json:"lowercase"`
	} `json:"normalizer"`
	PreTokenizer *struct {
		Type string `json:"type"`
	} `json:"pre_tokenizer"`
	Model struct {
		Type                    string           `json:"type"`
		UnkToken                string           `json:"unk_token"`
		ContinuingSubwordPrefix string           `json:"continuing_subword_prefix"`
		MaxInputCharsPerWord    int              `json:"max_input_chars_per_word"`
		Vocab                   map[string]int32 `json:"vocab"`
	} `json:"model"`
}

const maxTokenizerBytes = 32 << 20

// LoadTokenizer reads a BERT WordPiece tokenizer.json.
func LoadTokenizer(path string) (*Tokenizer, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if st.Size() > maxTokenizerBytes {
		return nil, fmt.Errorf("%s: %d bytes, more than a tokenizer's %d", path, st.Size(), maxTokenizerBytes)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var f tokenizerFile
	if err := json.Unmarshal(raw, &f); err != nil {
		return nil, fmt.Errorf("%s: not a tokenizer.json: %w", path, err)
	}
	bad := func(field, format string, a ...any) error {
		return fmt.Errorf("%s: field %s: %s", path, field, fmt.Sprintf(format, a...))
	}
	if f.Model.Type != "WordPiece" {
		return nil, bad("model.type", "%q, only WordPiece (BERT) tokenizers are supported", f.Model.Type)
	}
	if f.Normalizer == nil || f.Normalizer.Type != "BertNormalizer" {
		return nil, bad("normalizer.type", "only BertNormalizer is supported")
	}
	if f.PreTokenizer == nil || f.PreTokenizer.Type != "BertPreTokenizer" {
		return nil, bad("pre_tokenizer.type", "only BertPreTokenizer is supported")
	}
	if len(f.Model.Vocab) == 0 {
		return nil, bad("model.vocab", "empty")
	}
	t := &Tokenizer{
		vocab:        f.Model.Vocab,
		prefix:       f.Model.ContinuingSubwordPrefix,
		maxWordChars: f.Model.MaxInputCharsPerWord,
		lowercase:    f.Normalizer.Lowercase,
		cleanText:    f.Normalizer.CleanText,
		chineseChars: f.Normalizer.HandleChineseChars,
	}
	// BERT strips accents whenever it lower-cases, unless told otherwise.
	t.stripAccents = t.lowercase
	if f.Normalizer.StripAccents != nil {
		t.stripAccents = *f.Normalizer.StripAccents
	}
	if t.maxWordChars <= 0 {
		t.maxWordChars = 100
	}
	var ok bool
	for field, p := range map[string]*int32{"[UNK]": &t.unk, "[CLS]": &t.cls, "[SEP]": &t.sep} {
		name := field
		if field == "[UNK]" && f.Model.UnkToken != "" {
			name = f.Model.UnkToken
		}
		if *p, ok = t.vocab[name]; !ok {
			return nil, bad("model.vocab", "no %s token", name)
		}
	}
	for _, a := range f.AddedTokens {
		if a.Content != "" && !a.Normalized {
			t.special = append(t.special, specialToken{a.Content, a.ID})
		}
	}
	sort.SliceStable(t.special, func(i, j int) bool { return len(t.special[i].text) > len(t.special[j].text) })
	return t, nil
}

// Encode returns the token ids of text framed by [CLS] and [SEP], truncated to at most
// maxLen ids in all (the tail of a longer text is dropped, as sentence-transformers does).
func (t *Tokenizer) Encode(text string, maxLen int) []int32 {
	ids := []int32{t.cls}
	room := maxLen - 2
	t.tokens(text, func(id int32) bool {
		if len(ids)-1 >= room {
			return false
		}
		ids = append(ids, id)
		return true
	})
	return append(ids, t.sep)
}

// tokens calls emit with each token id of text until emit returns false.
func (t *Tokenizer) tokens(text string, emit func(int32) bool) {
	for text != "" {
		// The next special token written verbatim, if any, splits the text.
		at, sp := -1, specialToken{}
		for _, s := range t.special {
			if i := strings.Index(text, s.text); i >= 0 && (at < 0 || i < at) {
				at, sp = i, s
			}
		}
		part := text
		if at >= 0 {
			part = text[:at]
		}
		for _, w := range t.words(t.normalize(part)) {
			if !t.wordPiece(w, emit) {
				return
			}
		}
		if at < 0 {
			return
		}
		if !emit(sp.id) {
			return
		}
		text = text[at+len(sp.text):]
	}
}

// normalize is the BertNormalizer.
func (t *Tokenizer) normalize(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if t.cleanText {
			if r == 0 || r == utf8.RuneError || isControl(r) {
				continue
			}
			if isWhitespace(r) {
				b.WriteByte(' ')
				continue
			}
		}
		if t.chineseChars && isChinese(r) {
			b.WriteByte(' ')
			b.WriteRune(r)
			b.WriteByte(' ')
			continue
		}
		b.WriteRune(r)
	}
	s = b.String()
	if t.stripAccents {
		s = norm.NFD.String(s)
		s = strings.Map(func(r rune) rune {
			if unicode.Is(unicode.Mn, r) {
				return -1
			}
			return r
		}, s)
	}
	if t.lowercase {
		s = lower(s)
	}
	return s
}

// lower lower-cases as Rust's char::to_lowercase does, which expands a few characters
// that Go's unicode.ToLower maps one to one.
func lower(s string) string {
	if !strings.ContainsRune(s, 'İ') {
		return strings.ToLower(s)
	}
	return strings.ToLower(strings.ReplaceAll(s, "İ", "i\u0307"))
}

// words is the BertPreTokenizer: split on whitespace, and each punctuation character is a
// word of its own.
func (t *Tokenizer) words(s string) []string {
	var out []string
	start := -1
	for i, r := range s {
		switch {
		case isWhitespace(r):
			if start >= 0 {
				out = append(out, s[start:i])
				start = -1
			}
		case isPunct(r):
			if start >= 0 {
				out = append(out, s[start:i])
				start = -1
			}
			out = append(out, string(r))
		default:
			if start < 0 {
				start = i
			}
		}
	}
	if start >= 0 {
		out = append(out, s[start:])
	}
	return out
}

// wordPiece splits one word greedily into the longest pieces of the vocabulary; a word
// with a part no piece covers, or longer than maxWordChars, is one [UNK].
func (t *Tokenizer) wordPiece(w string, emit func(int32) bool) bool {
	if utf8.RuneCountInString(w) > t.maxWordChars {
		return emit(t.unk)
	}
	var pieces []int32
	for start := 0; start < len(w); {
		end := len(w)
		found := int32(-1)
		for end > start {
			sub := w[start:end]
			if start > 0 {
				sub = t.prefix + sub
			}
			if id, ok := t.vocab[sub]; ok {
				found = id
				break
			}
			// Step back one whole character.
			_, size := utf8.DecodeLastRuneInString(w[start:end])
			end -= size
		}
		if found < 0 {
			return emit(t.unk)
		}
		pieces = append(pieces, found)
		start = end
	}
	for _, id := range pieces {
		if !emit(id) {
			return false
		}
	}
	return true
}

// isWhitespace is the tokenizer's whitespace: tab, newline, carriage return and Unicode's
// White_Space.
func isWhitespace(r rune) bool {
	return r == '\t' || r == '\n' || r == '\r' || unicode.Is(unicode.White_Space, r)
}

// isControl is Unicode's "other" categories (Cc, Cf, Cs, Co, Cn) except the whitespace
// controls tab, newline and carriage return.
func isControl(r rune) bool {
	if r == '\t' || r == '\n' || r == '\r' {
		return false
	}
	return unicode.In(r, unicode.Cc, unicode.Cf, unicode.Cs, unicode.Co) || !unicode.In(r, unicode.L, unicode.M, unicode.N, unicode.P, unicode.S, unicode.Z, unicode.C)
}

// isPunct is ASCII punctuation (which includes symbols such as $ and ^) or Unicode's P
// categories.
func isPunct(r rune) bool {
	if r < 128 {
		return (r >= 33 && r <= 47) || (r >= 58 && r <= 64) || (r >= 91 && r <= 96) || (r >= 123 && r <= 126)
	}
	return unicode.IsPunct(r)
}

// isChinese is a CJK Unified Ideograph or compatibility ideograph, as BERT defines them.
func isChinese(r rune) bool {
	return (r >= 0x4E00 && r <= 0x9FFF) || (r >= 0x3400 && r <= 0x4DBF) || (r >= 0x20000 && r <= 0x2A6DF) ||
		(r >= 0x2A700 && r <= 0x2B73F) || (r >= 0x2B740 && r <= 0x2B81F) || (r >= 0x2B920 && r <= 0x2CEAF) ||
		(r >= 0xF900 && r <= 0xFAFF) || (r >= 0x2F800 && r <= 0x2FA1F)
}
