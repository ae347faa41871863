package lore

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// textInfo describes a document's text after it was copied and checked.
type textInfo struct {
	Hash  string // SHA-256 of the normalised text, hex
	Size  int64  // bytes of normalised text
	Lines int
	Blank bool // only white space
	// PageStarts are the byte offsets where PDF pages begin (empty for other formats).
	PageStarts []int64
	// Garbled says what makes the text look garbled (see qualityMeter), or nothing.
	Garbled []string
}

// readBlock is how much text is read and checked at a time: memory stays bounded
// however large the file is.
const readBlock = 64 << 10

// blockPool holds the read and work blocks of copyText (readBlock each, and room for a
// carried rune): an import of many small files would otherwise clear 128 KB a file.
var blockPool = sync.Pool{New: func() any {
	b := make([]byte, 2*readBlock+8)
	return &b
}}

// copyText copies src to dst as the library keeps text: UTF-8 without a byte order mark,
// line ends as LF (as Python's universal newlines, so the cloud rule sees the same text),
// refusing NUL bytes and invalid UTF-8 with the line where they are. It reads in blocks,
// so a 1 GB file costs the same memory as a small one. A maxLine above 0 refuses a line,
// or a run of blank space, longer than that many bytes: no real text has one, and the
// chunker holds a run of blank lines whole.
func copyText(dst io.Writer, src io.Reader, maxLine int64) (textInfo, error) {
	h := sha256.New()
	out := io.MultiWriter(dst, h)
	blocks := blockPool.Get().(*[]byte)
	defer blockPool.Put(blocks)
	buf, work := (*blocks)[:readBlock], (*blocks)[readBlock:readBlock]
	var carry []byte
	info := textInfo{Lines: 1, Blank: true}
	first := true
	var srcOff int64 // offset in the source of work[0]
	var lineLen, blankRun int64
	blankLine := 1 // the line where the current run of blank space starts
	var quality qualityMeter
	for {
		n, rerr := io.ReadFull(src, buf)
		eof := rerr == io.EOF || rerr == io.ErrUnexpectedEOF
		if rerr != nil && !eof {
			return info, rerr
		}
		work = append(append(work[:0], carry...), buf[:n]...)
		carry = carry[:0]
		data := work
		if first && (len(data) >= 4 || eof) {
			first = false
			switch {
			case bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
				return info, &FileError{Line: 1, Reason: "UTF-16 text: save the file as UTF-8"}
			case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
				data = data[3:]
				srcOff += 3
			}
			if sniff := data[:min(len(data), 512)]; bytes.IndexByte(sniff, 0) >= 0 {
				return info, &FileError{Reason: fmt.Sprintf("binary file (%s), not text", kindOf(sniff))}
			}
		}
		cut := len(data)
		if !eof {
			// Keep an incomplete last rune, or a CR that may start a CRLF, for the next block.
			for k := 1; k <= 3 && k <= len(data); k++ {
				if b := data[len(data)-k]; utf8.RuneStart(b) {
					if !utf8.FullRune(data[len(data)-k:]) {
						cut = len(data) - k
					}
					break
				}
			}
			if cut > 0 && data[cut-1] == '\r' {
				cut--
			}
			if first {
				cut = 0 // fewer than 4 bytes so far: look at the byte order mark first
			}
		}
		seg := data[:cut]
		if i := bytes.IndexByte(seg, 0); i >= 0 {
			return info, &FileError{Line: info.Lines + bytes.Count(seg[:i], []byte{'\n'}),
				Reason: fmt.Sprintf("NUL byte at byte %d: a binary file, not text", srcOff+int64(i))}
		}
		if !utf8.Valid(seg) {
			i := firstInvalid(seg)
			return info, &FileError{Line: info.Lines + bytes.Count(seg[:i], []byte{'\n'}),
				Reason: fmt.Sprintf("invalid UTF-8 at byte %d (Latin-1 or Windows-1252?): save the file as UTF-8", srcOff+int64(i))}
		}
		srcOff += int64(cut)
		if maxLine > 0 {
			if err := checkRuns(seg, &lineLen, &blankRun, &blankLine, maxLine, info.Lines); err != nil {
				return info, err
			}
		}
		if bytes.IndexByte(seg, '\r') >= 0 {
			seg = bytes.ReplaceAll(seg, []byte("\r\n"), []byte("\n"))
			seg = bytes.ReplaceAll(seg, []byte("\r"), []byte("\n"))
		}
		if info.Blank && len(bytes.TrimFunc(seg, unicode.IsSpace)) > 0 {
			info.Blank = false
		}
		info.Lines += bytes.Count(seg, []byte{'\n'})
		quality.write(seg)
		if _, err := out.Write(seg); err != nil {
			return info, err
		}
		info.Size += int64(len(seg))
		carry = append(carry, data[cut:]...)
		if eof {
			if len(carry) > 0 { // an incomplete rune at the very end
				return info, &FileError{Line: info.Lines, Reason: fmt.Sprintf("invalid UTF-8 at byte %d: the file ends inside a character", srcOff)}
			}
			break
		}
	}
	info.Hash = hex.EncodeToString(h.Sum(nil))
	info.Garbled = quality.problems()
	return info, nil
}

// checkRuns carries the length of the current line and of the current run of blank space
// across the blocks of a text, and refuses either once it passes maxLine. A block is
// shorter than maxLine, so only the run that continues from the previous block can.
func checkRuns(seg []byte, lineLen, blankRun *int64, blankLine *int, maxLine int64, line int) error {
	first := bytes.IndexAny(seg, "\r\n")
	if first < 0 {
		first = len(seg)
	}
	if *lineLen += int64(first); *lineLen > maxLine {
		return &FileError{Line: line, Reason: fmt.Sprintf("a line is longer than %s; the file may be damaged or hostile", humanBytes(maxLine))}
	}
	if last := bytes.LastIndexAny(seg, "\r\n"); last >= 0 {
		*lineLen = int64(len(seg) - last - 1)
	}
	lead := len(seg) - len(bytes.TrimLeftFunc(seg, unicode.IsSpace))
	if *blankRun += int64(lead); *blankRun > maxLine {
		return &FileError{Line: *blankLine, Reason: fmt.Sprintf("more than %s of blank space in a row; the file may be damaged or hostile", humanBytes(maxLine))}
	}
	if lead < len(seg) {
		text := bytes.TrimRightFunc(seg, unicode.IsSpace)
		*blankRun = int64(len(seg) - len(text))
		*blankLine = line + bytes.Count(text, []byte{'\n'}) + 1
	}
	return nil
}

func firstInvalid(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(b)
}

// kindOf names what a binary file looks like.
func kindOf(head []byte) string {
	ct := http.DetectContentType(head)
	if i := strings.IndexByte(ct, ';'); i >= 0 {
		ct = ct[:i]
	}
	if ct == "application/octet-stream" {
		return "unknown binary data"
	}
	return ct
}
