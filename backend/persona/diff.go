package persona

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	// go-diff is a Go port of Google's diff-match-patch: Myers' diff with a semantic
	// clean-up that merges the scraps a raw diff leaves, maintained and used widely (go-git
	// among others). It diffs runes, so words are mapped to runes first, the same trick its
	// line mode uses.
	"github.com/sergi/go-diff/diffmatchpatch"
)

// Diff operations.
const (
	OpEqual  = "equal"
	OpInsert = "insert"
	OpDelete = "delete"
)

// Field changes.
const (
	ChangeAdded   = "added"
	ChangeRemoved = "removed"
	ChangeChanged = "changed"
)

// FieldDiff is one persona field that differs between two versions.
type FieldDiff struct {
	// Field is the JSON path of the field: "description", "goals",
	// "relationships[0].notes", "lorebook.entries[2].content".
	Field string `json:"field"`
	// Change is added, removed or changed.
	Change string `json:"change"`
	Before string `json:"before"`
	After  string `json:"after"`
	// Segments spell the change word by word: equal text, deleted text, inserted text.
	Segments []Segment `json:"segments"`
}

// Segment is a run of text that is equal in both versions, or only in one.
type Segment struct {
	Op   string `json:"op"`
	Text string `json:"text"`
}

// Diff compares two personas field by field, in the order fields appear in a persona, and
// returns the fields that differ. Lists of strings (goals, tags, greetings) compare as one
// text, one item a line; lists of objects compare item by item. Ids and the avatar bytes are
// not compared; the avatar id is.
func Diff(a, b Persona) []FieldDiff {
	la, lb := leaves(a), leaves(b)
	ia, ib := index(la), index(lb)
	done := make(map[string]bool, len(la))
	var out []FieldDiff
	emit := func(path string) {
		if done[path] {
			return
		}
		done[path] = true
		before, inA := ia[path]
		after, inB := ib[path]
		switch {
		case !inB:
			out = append(out, fieldDiff(path, ChangeRemoved, before, ""))
		case !inA:
			out = append(out, fieldDiff(path, ChangeAdded, "", after))
		case before != after:
			out = append(out, fieldDiff(path, ChangeChanged, before, after))
		}
	}
	// Merge the two field lists so that each change appears where its field is.
	i, j := 0, 0
	for i < len(la) || j < len(lb) {
		switch {
		case i < len(la) && (done[la[i].path] || !hasKey(ib, la[i].path)):
			emit(la[i].path)
			i++
		case j < len(lb) && (done[lb[j].path] || !hasKey(ia, lb[j].path)):
			emit(lb[j].path)
			j++
		case i < len(la):
			emit(la[i].path)
			i++
		default:
			emit(lb[j].path)
			j++
		}
	}
	return out
}

func index(ls []leaf) map[string]string {
	m := make(map[string]string, len(ls))
	for _, l := range ls {
		m[l.path] = l.text
	}
	return m
}

func hasKey(m map[string]string, k string) bool {
	_, ok := m[k]
	return ok
}

func fieldDiff(path, change, before, after string) FieldDiff {
	return FieldDiff{Field: path, Change: change, Before: before, After: after, Segments: DiffWords(before, after)}
}

type leaf struct{ path, text string }

// leaves flattens a persona's JSON into non-empty text values keyed by path, in order.
func leaves(p Persona) []leaf {
	p.ID, p.Avatar = "", nil
	raw, err := json.Marshal(p)
	if err != nil {
		return nil
	}
	// Decoding into a map would lose the order of fields, so walk the tokens instead.
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var out []leaf
	walkJSON(dec, "", &out)
	return out
}

// walkJSON reads one value from dec and appends its leaves under path.
func walkJSON(dec *json.Decoder, path string, out *[]leaf) {
	tok, err := dec.Token()
	if err != nil {
		return
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return
				}
				k, _ := kt.(string)
				walkJSON(dec, join(path, k), out)
			}
			dec.Token() // '}'
		case '[':
			var items []json.RawMessage
			for dec.More() {
				var r json.RawMessage
				if err := dec.Decode(&r); err != nil {
					return
				}
				items = append(items, r)
			}
			dec.Token() // ']'
			appendList(path, items, out)
		}
	case string:
		if t != "" {
			*out = append(*out, leaf{path, t})
		}
	case nil:
	default:
		*out = append(*out, leaf{path, fmt.Sprint(t)})
	}
}

func appendList(path string, items []json.RawMessage, out *[]leaf) {
	if len(items) == 0 {
		return
	}
	allStrings := true
	lines := make([]string, len(items))
	for i, it := range items {
		if err := json.Unmarshal(it, &lines[i]); err != nil {
			allStrings = false
			break
		}
	}
	if allStrings {
		*out = append(*out, leaf{path, strings.Join(lines, "\n")})
		return
	}
	for i, it := range items {
		walkJSON(json.NewDecoder(bytes.NewReader(it)), path+"["+strconv.Itoa(i)+"]", out)
	}
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// DiffWords compares two texts word by word. Words, runs of spaces and punctuation marks are
// the units, so a changed word is shown whole.
func DiffWords(before, after string) []Segment {
	ta, tb := tokens(before), tokens(after)
	ids := map[string]rune{}
	var vocab []string
	toRunes := func(toks []string) []rune {
		rs := make([]rune, len(toks))
		for i, t := range toks {
			r, ok := ids[t]
			if !ok {
				r = tokenRune(len(vocab))
				ids[t] = r
				vocab = append(vocab, t)
			}
			rs[i] = r
		}
		return rs
	}
	ra, rb := toRunes(ta), toRunes(tb)
	if len(vocab) > maxDiffTokens {
		return wholeChange(before, after)
	}
	dmp := diffmatchpatch.New()
	diffs := dmp.DiffCleanupSemantic(dmp.DiffMainRunes(ra, rb, false))
	out := make([]Segment, 0, len(diffs))
	for _, d := range diffs {
		var text strings.Builder
		for _, r := range d.Text {
			text.WriteString(vocab[runeToken(r)])
		}
		op := OpEqual
		switch d.Type {
		case diffmatchpatch.DiffInsert:
			op = OpInsert
		case diffmatchpatch.DiffDelete:
			op = OpDelete
		}
		out = append(out, Segment{Op: op, Text: text.String()})
	}
	return out
}

// maxDiffTokens is how many distinct tokens fit in the runes tokenRune hands out.
const maxDiffTokens = unicode.MaxRune - 0x800

func wholeChange(before, after string) []Segment {
	var out []Segment
	if before != "" {
		out = append(out, Segment{Op: OpDelete, Text: before})
	}
	if after != "" {
		out = append(out, Segment{Op: OpInsert, Text: after})
	}
	return out
}

// tokenRune numbers tokens with valid runes, skipping the surrogate range so that the rune
// slices survive go-diff's conversions to strings.
func tokenRune(i int) rune {
	r := rune(i)
	if r >= 0xD800 {
		r += 0x800
	}
	return r
}

func runeToken(r rune) int {
	if r >= 0xD800 {
		r -= 0x800
	}
	return int(r)
}

// tokens splits text into words (letters and digits), runs of white space, and single
// other characters.
func tokens(s string) []string {
	var out []string
	for len(s) > 0 {
		r, n := utf8.DecodeRuneInString(s)
		class := runeClass(r)
		if class == 2 {
			out = append(out, s[:n])
			s = s[n:]
			continue
		}
		end := n
		for end < len(s) {
			r2, n2 := utf8.DecodeRuneInString(s[end:])
			if runeClass(r2) != class {
				break
			}
			end += n2
		}
		out = append(out, s[:end])
		s = s[end:]
	}
	return out
}

func runeClass(r rune) int {
	switch {
	case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'' || r == '_':
		return 0
	case unicode.IsSpace(r):
		return 1
	}
	return 2
}
