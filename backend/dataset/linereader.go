package dataset

import (
	"bufio"
	"io"
)

// DefaultMaxLineBytes caps one line; a longer line is one error, never a buffer that big.
const DefaultMaxLineBytes = 10 << 20

// lineReader reads '\n'-terminated lines in bounded memory: a line that fits the bufio buffer is
// returned in place, a longer one is copied into a reused buffer up to max bytes, and a line
// past max is skipped to its end without being kept.
type lineReader struct {
	br  *bufio.Reader
	max int
	buf []byte
}

func newLineReader(r io.Reader, max int) *lineReader {
	if max <= 0 {
		max = DefaultMaxLineBytes
	}
	return &lineReader{br: bufio.NewReaderSize(r, 256<<10), max: max}
}

// read returns the next line without its '\n' (a '\r' before it is kept), the bytes it took
// from the input (newline included), and long when the line was over max and skipped (line is
// then nil). It returns io.EOF after the last line; a last line without '\n' is still a line.
// The line is valid until the next call.
func (lr *lineReader) read() (line []byte, n int64, long bool, err error) {
	lr.buf = lr.buf[:0]
	for {
		frag, e := lr.br.ReadSlice('\n')
		n += int64(len(frag))
		switch e {
		case nil, io.EOF:
			if e == io.EOF && n == 0 {
				return nil, 0, false, io.EOF
			}
			if e == nil {
				frag = frag[:len(frag)-1]
			}
			if long || len(lr.buf)+len(frag) > lr.max {
				return nil, n, true, nil
			}
			if len(lr.buf) == 0 {
				return frag, n, false, nil
			}
			lr.buf = append(lr.buf, frag...)
			return lr.buf, n, false, nil
		case bufio.ErrBufferFull:
			if !long && len(lr.buf)+len(frag) > lr.max {
				long = true
				lr.buf = lr.buf[:0]
			}
			if !long {
				lr.buf = append(lr.buf, frag...)
			}
		default:
			return nil, n, long, e
		}
	}
}
