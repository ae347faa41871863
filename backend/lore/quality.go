package lore

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Text taken from PDFs and office files can look fine in a count of characters and still
// be useless to search: words run together with no spaces, accents split from their
// letters ("Gui´on"), letters replaced by a broken font map. qualityMeter measures the
// text as it is copied, in constant memory, and says when it looks garbled.

// commonWords are frequent short words of the languages writers here use most (English,
// Spanish, German, French, Italian, Portuguese, Dutch, Polish, Swedish, Danish and
// Norwegian). Ordinary prose has a fifth or more of its words among them; garbled text
// almost none.
var commonWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`the of and to in is it that was for on are as with his her he she they at be this
		have from or one had by but not what all were we when your can said there an which their if do will
		de la que el en y a los se del las un por con no una su para es al lo como más o pero sus le ha me si
		sin sobre este ya entre cuando todo esta ser son dos también fue había muy hasta desde está mi porque
		der die und in den von zu das mit sich des auf für ist im dem nicht ein eine als auch es an er so dass
		sie nach wird bei einer um am sind noch wie einem über einen zum war haben nur oder aber vor zur bis
		le et les des est pas une dans qui du au il elle pour par sur ne se ce avec plus son sont mais nous
		il di che è e la per un non in una sono mi ho lo ma ti le si ci gli della da con come del nel
		o os as um uma não em com para mais por seu sua ao dos das foi são ele ela isso
		het een van en is dat op te zijn voor met niet aan er maar om ook als bij nog wel
		i w z na się nie że do jest to jak po co tak za od ale
		och att det som på är av för med till den har inte om ett han hon men
		og at er til på med af for ikke som har jeg du vi`) {
		m[w] = true
	}
	return m
}()

// commonSet is commonWords as an open-addressing table: the meter looks up every word of
// every text imported, and a Go map's lookup was half of its time.
var commonSet = func() (s wordSet) {
	n := 1
	for n < 4*len(commonWords) {
		n *= 2
	}
	s.slots, s.mask = make([]string, n), uint32(n-1)
	for w := range commonWords {
		i := wordHash([]byte(w)) & s.mask
		for s.slots[i] != "" {
			i = (i + 1) & s.mask
		}
		s.slots[i] = w
	}
	return s
}()

type wordSet struct {
	slots []string
	mask  uint32
}

func (s *wordSet) has(w []byte) bool {
	for i := wordHash(w) & s.mask; ; i = (i + 1) & s.mask {
		switch v := s.slots[i]; {
		case v == "":
			return false
		case v == string(w):
			return true
		}
	}
}

// wordHash is FNV-1a, 32 bits.
func wordHash(w []byte) uint32 {
	h := uint32(2166136261)
	for _, c := range w {
		h = (h ^ uint32(c)) * 16777619
	}
	return h
}

// qualityMeter counts what the quality check needs, block by block.
type qualityMeter struct {
	word    []byte // the word being read, lower case, carried across blocks (capped)
	kept    int    // letters in word
	wordLen int    // its length in letters, uncapped
	prev    rune

	words, letters  int // words of Latin, Greek or Cyrillic letters, and their letters
	longWords       int // words of more than 25 letters: spaces lost
	common          int
	brokenAccents   int
	otherScriptRune int // letters of scripts written without spaces (Han, Kana, Thai...)
}

const maxWordKept = 40

// maxCommonWord is the length in bytes of the longest common word: a longer word is none.
var maxCommonWord = func() int {
	n := 0
	for w := range commonWords {
		n = max(n, len(w))
	}
	return n
}()

// byteClass sorts bytes for the meter: ASCII letters, the two ASCII characters that may
// stand inside a word, other ASCII characters, which end one, and the bytes of characters
// beyond ASCII.
var byteClass = func() (t [256]uint8) {
	for c := 0x80; c < 0x100; c++ {
		t[c] = beyondASCII
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = asciiLetter, asciiLetter
	}
	t['\''], t['-'] = asciiInWord, asciiInWord
	return t
}()

const (
	asciiEnd = iota
	asciiLetter
	asciiInWord
	beyondASCII
)

// write takes the next bytes of the text, cut between characters. A run of ASCII letters
// is taken at once: most of most lore is ASCII, and no ASCII character is a spacing accent
// the meter counts ('`' is code), so it needs no Unicode tables.
func (q *qualityMeter) write(b []byte) {
	for i := 0; i < len(b); {
		c := b[i]
		switch byteClass[c] {
		case asciiLetter:
			j := i + 1
			for j < len(b) && byteClass[b[j]] == asciiLetter {
				j++
			}
			if room := maxWordKept - q.kept; room > 0 {
				n := min(room, j-i)
				from := len(q.word)
				q.word = append(q.word, b[i:i+n]...)
				for k := from; k < len(q.word); k++ {
					q.word[k] |= 0x20
				}
				q.kept += n
			}
			q.wordLen += j - i
			q.prev = rune(b[j-1])
			i = j
			continue
		case beyondASCII:
			r, n := utf8.DecodeRune(b[i:])
			i += n
			q.rune(r)
			continue
		case asciiEnd:
			q.end()
		}
		q.prev = rune(c)
		i++
	}
}

func (q *qualityMeter) rune(r rune) {
	if _, ok := spacingAccents[r]; ok && r != '`' && (unicode.IsLetter(q.prev) || q.prev == ' ') {
		q.brokenAccents++
	}
	if r == '\u0131' { // a dotless i in text that is not Turkish is mostly an accent gone astray
		q.brokenAccents++
	}
	q.prev = r
	switch {
	case unicode.IsLetter(r) || unicode.Is(unicode.Mn, r):
		if unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Thai, unicode.Hangul, unicode.Lao, unicode.Khmer, unicode.Myanmar) {
			q.otherScriptRune++
			q.end()
			return
		}
		if q.kept < maxWordKept {
			q.word = utf8.AppendRune(q.word, unicode.ToLower(r))
			q.kept++
		}
		q.wordLen++
	case r == '\'' || r == '’' || r == '-':
		// inside a word
	default:
		q.end()
	}
}

func (q *qualityMeter) end() {
	if q.wordLen == 0 {
		return
	}
	q.words++
	q.letters += q.wordLen
	if q.wordLen > 25 {
		q.longWords++
	}
	if len(q.word) <= maxCommonWord && commonSet.has(q.word) {
		q.common++
	}
	q.word, q.kept, q.wordLen = q.word[:0], 0, 0
}

// problems says what makes the text look garbled, or nothing.
func (q *qualityMeter) problems() []string {
	q.end()
	if q.letters < 200 || q.otherScriptRune > q.letters {
		return nil // too little to judge, or a script written without spaces
	}
	var out []string
	if avg := float64(q.letters) / float64(q.words); avg > 12 || q.longWords*20 > q.words {
		out = append(out, fmt.Sprintf("words run together (%.0f letters a word on average, %d words of more than 25 letters): spaces were lost", avg, q.longWords))
	}
	if q.brokenAccents >= 3 && q.brokenAccents*200 > q.words {
		out = append(out, fmt.Sprintf("%d accents split from their letters (like ´o or ˜n)", q.brokenAccents))
	}
	if q.words >= 40 && q.common*20 < q.words {
		out = append(out, fmt.Sprintf("only %d of %d words are common words of any language NPC Studio knows: letters may be replaced by a broken font map", q.common, q.words))
	}
	return out
}

// qualityWarning is the warning for a document whose text looks garbled, naming it.
func qualityWarning(name string, problems []string) string {
	if len(problems) == 0 {
		return ""
	}
	return fmt.Sprintf("%s: the text taken from it looks garbled (%s); search may miss what it says: "+
		"check it with npcstudio lore show, or import a text export of the file", name, strings.Join(problems, "; "))
}
