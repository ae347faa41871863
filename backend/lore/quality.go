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

func (q *qualityMeter) write(b []byte) {
	for len(b) > 0 {
		if c := b[0]; c < utf8.RuneSelf {
			b = b[1:]
			q.ascii(c)
			continue
		}
		r, n := utf8.DecodeRune(b)
		b = b[n:]
		q.rune(r)
	}
}

// ascii is rune for a character below U+0080, which is most of most lore, without the
// Unicode tables: no ASCII character is a spacing accent the meter counts ('`' is code).
func (q *qualityMeter) ascii(c byte) {
	q.prev = rune(c)
	switch {
	case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
		if q.kept < maxWordKept {
			q.word = append(q.word, c|0x20)
			q.kept++
		}
		q.wordLen++
	case c == '\'' || c == '-':
		// inside a word
	default:
		q.end()
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
	if len(q.word) <= maxCommonWord && commonWords[string(q.word)] {
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
