package prose

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Shows reports whether every character of s shows as itself: valid UTF-8 with no control
// characters (C0, C1), no bidirectional controls (U+202A–U+202E, U+2066–U+2069, U+200E,
// U+200F) and no other invisible format characters.
func Shows(s string) bool {
	for i, r := range s {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size <= 1 {
				return false
			}
		}
		if !strconv.IsPrint(r) && r != ' ' {
			return false
		}
	}
	return true
}

// Name is how a name that came from outside (a file name, a document or card title) reads
// in a message: as it is when every character shows as itself, else quoted with Go escapes,
// so that a control character cannot rewrite the terminal and a bidirectional override
// cannot make "report\u202egpj.exe" read as "reportexe.jpg".
func Name(s string) string {
	if Shows(s) {
		return s
	}
	return strconv.Quote(s)
}

// Safe escapes, in a whole message, each character that does not show as itself (see
// Shows) as \xHH or \uHHHH, leaving line breaks, tabs and all other text as they are. It is
// applied once where errors are shaped for the window and the command line, so a name no
// message quoted with Name still cannot disguise itself.
func Safe(msg string) string {
	if Shows(strings.NewReplacer("\n", "", "\t", "").Replace(msg)) {
		return msg
	}
	var b strings.Builder
	for i, r := range msg {
		switch {
		case r == '\n' || r == '\t' || r == ' ':
			b.WriteRune(r)
		case r == utf8.RuneError && !validAt(msg, i):
			b.WriteString(`\x`)
			b.WriteString(strconv.FormatUint(uint64(msg[i]), 16))
		case !strconv.IsPrint(r):
			q := strconv.QuoteRune(r) // '\u202e', '\x1b'
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func validAt(s string, i int) bool {
	_, size := utf8.DecodeRuneInString(s[i:])
	return size > 1
}

// Slug is s as a piece of an id or a key that reads the same everywhere: lower case ASCII
// letters and digits, accents dropped, every other run of characters one '-', none at
// either end; it stops once it is max bytes long. It is "" when s has no such letter.
func Slug(s string, max int) string {
	var b strings.Builder
	dash := false
	for _, r := range norm.NFKD.String(strings.ToLower(s)) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
		if b.Len() >= max {
			break
		}
	}
	return strings.Trim(b.String(), "-")
}
