// Package boundedzip reads zip files that may be damaged or hostile (DOCX documents,
// character cards) without letting one of them take unbounded memory, disk or time:
// the number of entries, the size of each entry and of all entries together, and how
// far an entry expands from its compressed size are all capped. The declared sizes are
// checked before an entry is opened, and the bytes actually read are counted while
// they are read, so a zip whose headers lie is stopped at the cap as well.
package boundedzip

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"os"
)

// Limits caps what a zip may hold. A zero field takes the value of DefaultLimits.
type Limits struct {
	// MaxFileSize bounds the zip file itself.
	MaxFileSize int64
	// MaxEntries bounds the number of entries. The central directory, which lists
	// them and is held in memory, may take at most 1 KiB per entry allowed (plus 1 MiB
	// for finding it), counted while it is read.
	MaxEntries int
	// MaxEntrySize bounds the uncompressed size of one entry.
	MaxEntrySize int64
	// MaxTotalSize bounds the uncompressed bytes read from all entries together.
	MaxTotalSize int64
	// MaxRatio bounds how many times larger than its compressed size an entry may
	// expand, once it is past RatioFloor bytes (small entries often compress far).
	MaxRatio   int64
	RatioFloor int64
}

// DefaultLimits suit office documents and character cards.
var DefaultLimits = Limits{
	MaxFileSize:  1 << 30,
	MaxEntries:   10000,
	MaxEntrySize: 256 << 20,
	MaxTotalSize: 512 << 20,
	MaxRatio:     200,
	RatioFloor:   1 << 20,
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits
	if l.MaxFileSize > 0 {
		d.MaxFileSize = l.MaxFileSize
	}
	if l.MaxEntries > 0 {
		d.MaxEntries = l.MaxEntries
	}
	if l.MaxEntrySize > 0 {
		d.MaxEntrySize = l.MaxEntrySize
	}
	if l.MaxTotalSize > 0 {
		d.MaxTotalSize = l.MaxTotalSize
	}
	if l.MaxRatio > 0 {
		d.MaxRatio = l.MaxRatio
	}
	if l.RatioFloor > 0 {
		d.RatioFloor = l.RatioFloor
	}
	return d
}

// ErrLimit matches every *LimitError.
var ErrLimit = errors.New("zip exceeds a limit")

// LimitError says which limit a zip exceeds.
type LimitError struct {
	// Entry is the entry's name, or "" when the limit is about the whole zip.
	Entry string
	// Reason names the limit in the writer's words ("expands to more than 256 MiB").
	Reason string
}

func (e *LimitError) Error() string {
	if e.Entry == "" {
		return "the zip " + e.Reason
	}
	return e.Entry + " " + e.Reason
}

func (e *LimitError) Is(target error) bool { return target == ErrLimit }

// Reader is an open zip file whose entries are read within Limits.
type Reader struct {
	f    io.Closer
	size int64
	zr   *zip.Reader
	lim  Limits
	read int64 // uncompressed bytes read so far from every entry
}

// Open opens the zip file at path. It fails with *LimitError when the file or its
// number of entries is over the limits, and with an error matching zip.ErrFormat
// when it is not a zip file.
func Open(path string, lim Limits) (*Reader, error) {
	lim = lim.withDefaults()
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	r, err := newReader(f, fi.Size(), lim)
	if err != nil {
		f.Close()
		return nil, err
	}
	r.f = f
	return r, nil
}

// NewReader reads a zip of size bytes held in memory or elsewhere (a card file already
// read), within the same limits as Open. Close does nothing for it.
func NewReader(ra io.ReaderAt, size int64, lim Limits) (*Reader, error) {
	return newReader(ra, size, lim.withDefaults())
}

type nopCloser struct{}

func (nopCloser) Close() error { return nil }

func newReader(f io.ReaderAt, size int64, lim Limits) (*Reader, error) {
	if size > lim.MaxFileSize {
		return nil, &LimitError{Reason: fmt.Sprintf("is larger than %s", mib(lim.MaxFileSize))}
	}
	fi := sizeOnly(size)
	// archive/zip reads directory records until one is malformed, whatever count the
	// zip declares: the bytes it may read to list the entries are counted instead.
	dir := &budgetReaderAt{r: f, left: int64(lim.MaxEntries)<<10 + 1<<20}
	zr, err := zip.NewReader(dir, fi.Size())
	if errors.Is(err, errDirectory) {
		err = &LimitError{Reason: fmt.Sprintf("holds more than %d entries", lim.MaxEntries)}
	}
	if err != nil {
		return nil, err
	}
	dir.left = -1 // entries' data is bounded by Reader.Open
	if len(zr.File) > lim.MaxEntries {
		return nil, &LimitError{Reason: fmt.Sprintf("holds more than %d entries", lim.MaxEntries)}
	}
	return &Reader{f: nopCloser{}, size: fi.Size(), zr: zr, lim: lim}, nil
}

type sizeOnly int64

func (s sizeOnly) Size() int64 { return int64(s) }

// Close closes the zip file.
func (r *Reader) Close() error { return r.f.Close() }

// Files lists the entries as the central directory has them.
func (r *Reader) Files() []*zip.File { return r.zr.File }

// Lookup returns the last entry named name, or nil.
func (r *Reader) Lookup(name string) *zip.File {
	var found *zip.File
	for _, f := range r.zr.File {
		if f.Name == name {
			found = f
		}
	}
	return found
}

// Open opens an entry. Its declared sizes are checked first; the reader returned fails
// with *LimitError as soon as the bytes read pass a limit.
func (r *Reader) Open(f *zip.File) (io.ReadCloser, error) {
	if err := r.check(f.Name, int64(min(f.UncompressedSize64, 1<<62)), r.compressed(f), r.read); err != nil {
		return nil, err
	}
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	return &entryReader{r: r, f: f, rc: rc}, nil
}

// check tests an entry that has expanded to n bytes from compressed bytes, with total
// bytes read from the zip in all.
func (r *Reader) check(name string, n, compressed, total int64) error {
	switch {
	case n > r.lim.MaxEntrySize:
		return &LimitError{Entry: name, Reason: fmt.Sprintf("expands to more than %s", mib(r.lim.MaxEntrySize))}
	case total > r.lim.MaxTotalSize:
		return &LimitError{Reason: fmt.Sprintf("expands to more than %s in all", mib(r.lim.MaxTotalSize))}
	case n > r.lim.RatioFloor && n/max(compressed, 1) > r.lim.MaxRatio:
		return &LimitError{Entry: name, Reason: fmt.Sprintf("expands more than %d times its compressed size", r.lim.MaxRatio)}
	}
	return nil
}

// compressed is an entry's compressed size, which cannot be more than the file's.
func (r *Reader) compressed(f *zip.File) int64 { return int64(min(f.CompressedSize64, uint64(r.size))) }

type entryReader struct {
	r  *Reader
	f  *zip.File
	rc io.ReadCloser
	n  int64
}

func (e *entryReader) Read(p []byte) (int, error) {
	n, err := e.rc.Read(p)
	e.n += int64(n)
	e.r.read += int64(n)
	if lerr := e.r.check(e.f.Name, e.n, e.r.compressed(e.f), e.r.read); lerr != nil {
		return 0, lerr
	}
	return n, err
}

func (e *entryReader) Close() error { return e.rc.Close() }

var errDirectory = errors.New("central directory too large")

// budgetReaderAt fails once more than left bytes were read, unless left is -1.
type budgetReaderAt struct {
	r    io.ReaderAt
	left int64
}

func (b *budgetReaderAt) ReadAt(p []byte, off int64) (int, error) {
	if b.left >= 0 {
		if int64(len(p)) > b.left {
			return 0, errDirectory
		}
		b.left -= int64(len(p))
	}
	return b.r.ReadAt(p, off)
}

func mib(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}
