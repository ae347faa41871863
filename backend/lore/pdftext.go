package lore

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// PDF text comes from poppler's pdftotext when it is installed (Debian poppler-utils):
// measured on a LaTeX PDF, a Word-style PDF and a wiki export, it keeps word spacing,
// accents, ligatures and reading order where the Go reader runs words together and splits
// them at text-object boundaries (docs/PDF.md has the figures). It runs as a separate
// process, bounded in time, memory and output; without it the Go reader is used, and the
// text quality check (quality.go) tells the writer when that went wrong.

// Bounds of the pdftotext process.
const (
	pdfTimeout = 5 * time.Minute
	// pdfMemory is the address space pdftotext may take (prlimit --as).
	pdfMemory = 2 << 30
	pdfStderr = 4 << 10
)

// pdftotext is the path of poppler's pdftotext, "" when it is not installed; tests may
// replace it.
var pdftotext = func() string {
	p, _ := exec.LookPath("pdftotext")
	return p
}

// popplerText writes the text of the PDF at path to w, as pdfText does, using pdftotext.
// Cancelling parent kills pdftotext.
func popplerText(parent context.Context, w io.Writer, path, bin string) (starts []int64, err error) {
	ctx, cancel := context.WithTimeout(parent, pdfTimeout)
	defer cancel()
	args := []string{"-enc", "UTF-8", "-eol", "unix", "-q", "--", path, "-"}
	name := bin
	if pl, err := exec.LookPath("prlimit"); err == nil {
		name, args = pl, append([]string{"--as=" + strconv.Itoa(pdfMemory), "--cpu=" + strconv.Itoa(int(pdfTimeout.Seconds())), "--", bin}, args...)
	}
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.WaitDelay = 5 * time.Second
	var stderr bytes.Buffer
	cmd.Stderr = &limitedBuffer{b: &stderr, n: pdfStderr}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	starts, werr := writePages(w, bufio.NewReaderSize(out, readBlock))
	if werr != nil {
		cancel() // stop pdftotext: the text is refused or the reader gave up
	}
	err = cmd.Wait()
	switch {
	case werr != nil:
		return nil, werr
	case parent.Err() != nil:
		return nil, parent.Err()
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return nil, hostile("reading its text took more than %v", pdfTimeout)
	case err != nil:
		msg := strings.TrimSpace(stderr.String())
		if i := strings.IndexByte(msg, '\n'); i >= 0 {
			msg = msg[:i]
		}
		if msg == "" {
			msg = err.Error()
		}
		return nil, &FileError{Reason: "damaged or encrypted PDF: " + msg, Err: err}
	}
	if len(starts) == 0 {
		return nil, &FileError{Reason: ErrNoTextLayer.Error(), Err: ErrNoTextLayer}
	}
	return starts, nil
}

// writePages copies pdftotext's output (pages ended by form feeds) to w, each page's text
// repaired by fixPDFText, pages separated by a blank line. A page is held in memory
// while it is repaired, so pages and the whole text are bounded.
func writePages(w io.Writer, r *bufio.Reader) (starts []int64, err error) {
	var written int64
	blank := true
	var page []byte
	for n := 1; ; n++ {
		page = page[:0]
		var rerr error
		for {
			chunk, err := r.ReadSlice('\f')
			page = append(page, chunk...)
			if len(page) > maxPDFPage {
				return nil, hostile("page %d has more than %s of text", n, humanBytes(maxPDFPage))
			}
			if err == bufio.ErrBufferFull {
				continue
			}
			rerr = err
			break
		}
		if rerr != nil && rerr != io.EOF {
			return nil, rerr
		}
		if rerr == io.EOF && len(bytes.TrimSpace(page)) == 0 {
			break
		}
		text := fixPDFText(strings.TrimSuffix(string(page), "\f"))
		blank = blank && text == ""
		if written > 0 {
			text = "\n\n" + text
		}
		starts = append(starts, written+int64(len(text)-len(strings.TrimLeft(text, "\n"))))
		if written+int64(len(text)) > maxExtracted {
			return nil, &FileError{Reason: fmt.Sprintf("more than %s of text: split the PDF", humanBytes(maxExtracted))}
		}
		if _, err := io.WriteString(w, text); err != nil {
			return nil, err
		}
		written += int64(len(text))
		if rerr == io.EOF {
			break
		}
	}
	if blank {
		return nil, nil
	}
	return starts, nil
}

// spacingAccents are the accents TeX's OT1 fonts draw as separate glyphs, which text
// layers then give as spacing characters before (or after) the letter: "Gui´on", "ni˜na".
var spacingAccents = map[rune]rune{
	'´': '\u0301', '˜': '\u0303', '¨': '\u0308', 'ˆ': '\u0302', '`': '\u0300', '¸': '\u0327', 'ˇ': '\u030C', '˚': '\u030A', '˝': '\u030B',
}

// fixPDFText repairs what PDF text layers commonly break: accents given as separate
// spacing characters or on a dotless i, decomposed letters, ligature characters, words
// hyphenated at a line end, NULs and invalid UTF-8.
func fixPDFText(s string) string {
	s = strings.ToValidUTF8(strings.ReplaceAll(s, "\x00", ""), "\uFFFD")
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	r := []rune(s)
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(r); i++ {
		c := r[i]
		if mark, ok := spacingAccents[c]; ok {
			// An accent glyph before a letter (pdfTeX draws it first), or after one.
			if i+1 < len(r) && accentable(r[i+1]) && (c != '`' || strings.ContainsRune("aeiouAEIOU", r[i+1])) {
				b.WriteRune(dotted(r[i+1]))
				b.WriteRune(mark)
				i++
				continue
			}
		}
		switch c {
		case 'ı': // a dotless i carrying an accent is an accented i
			if i+1 < len(r) && unicode.Is(unicode.Mn, r[i+1]) {
				c = 'i'
			}
		case 'ﬀ':
			b.WriteString("ff")
			continue
		case 'ﬁ':
			b.WriteString("fi")
			continue
		case 'ﬂ':
			b.WriteString("fl")
			continue
		case 'ﬃ':
			b.WriteString("ffi")
			continue
		case 'ﬄ':
			b.WriteString("ffl")
			continue
		case '-', '\u00AD':
			// "direc-\ntor": a lower-case word broken at the line end is one word.
			if i > 0 && i+2 < len(r) && r[i+1] == '\n' && unicode.IsLower(r[i-1]) && unicode.IsLower(r[i+2]) {
				i++
				continue
			}
		}
		b.WriteRune(c)
	}
	return strings.TrimSpace(norm.NFC.String(b.String()))
}

func accentable(r rune) bool { return unicode.IsLetter(r) && r < 0x250 || r == 'ı' }

func dotted(r rune) rune {
	if r == 'ı' {
		return 'i'
	}
	return r
}

// limitedBuffer keeps the first n bytes written to it and drops the rest.
type limitedBuffer struct {
	b *bytes.Buffer
	n int
}

func (l *limitedBuffer) Write(p []byte) (int, error) {
	if room := l.n - l.b.Len(); room > 0 {
		l.b.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}
