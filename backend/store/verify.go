package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"runtime/debug"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// bbolt trusts the file it maps: a damaged page makes it panic, and a page number
// past the end of the file makes it read unmapped memory, which is a fatal fault
// unless the goroutine asked for faults to become panics. Every read of a file that
// has not been verified yet goes through guard, in the caller's goroutine.

// guard runs fn, turning panics and memory faults into errors.
func guard(fn func() error) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("reading it failed: %v", r)
		}
	}()
	return fn()
}

// openBolt opens path with bbolt and sorts failures into what the caller can act on:
// a *lockedError when another process holds the lock, a *CorruptError when the file
// is not a readable bbolt database, and a plain error for everything else
// (permissions, missing file). It never creates the file.
func openBolt(path string, readOnly bool, timeout time.Duration) (*bolt.DB, error) {
	if err := precheck(path); err != nil {
		return nil, err
	}
	var f *os.File
	opts := &bolt.Options{
		Timeout:  timeout,
		ReadOnly: readOnly,
		// Load the freelist here, under guard, rather than lazily in tx.Check's goroutine.
		PreLoadFreelist: true,
		OpenFile: func(name string, flag int, perm os.FileMode) (*os.File, error) {
			if name != path { // tx.CopyFile creates its destination through this hook
				return os.OpenFile(name, flag, perm)
			}
			file, err := os.OpenFile(name, flag&^os.O_CREATE, perm)
			if err == nil {
				f = file
				if openedForLock != nil {
					openedForLock(path, readOnly)
				}
			}
			return file, err
		},
	}
	var db *bolt.DB
	err := guard(func() (err error) {
		db, err = bolt.Open(path, 0o600, opts)
		return err
	})
	switch {
	case err == nil && !stillAt(f, path):
		// Replaced while this waited for its lock (a workspace import): the file locked
		// is no longer the workspace.
		db.Close()
		return nil, &lockedError{path: path}
	case err == nil:
		return db, nil
	case f == nil:
		return nil, fmt.Errorf("open workspace %s: %w", path, err)
	case errors.Is(err, berrors.ErrTimeout):
		return nil, &lockedError{path: path}
	}
	// When bbolt panicked half-way through Open (precheck should make that
	// impossible), close the descriptor it could not; its mapping of the file, and
	// with it the lock, stay until exit. After an ordinary error bbolt closed it
	// already and this Close is a no-op.
	f.Close()
	return nil, &CorruptError{Path: path, Err: err}
}

// openedForLock, when set (tests), runs when openBolt has opened the file and is about to
// wait for its lock.
var openedForLock func(path string, readOnly bool)

// stillAt reports whether path still names the file f.
func stillAt(f *os.File, path string) bool {
	fi, err := f.Stat()
	if err != nil {
		return false
	}
	pi, err := os.Stat(path)
	return err == nil && os.SameFile(fi, pi)
}

// openChecked opens path read-only, verifies it (walk, then checkTx) and returns the open
// database with what its meta bucket says. Damage is reported as *CorruptError
// (LastGood left empty for the caller to fill).
func openChecked(path string, timeout time.Duration) (*bolt.DB, metaFacts, error) {
	db, err := openBolt(path, true, timeout)
	if err != nil {
		return nil, metaFacts{}, err
	}
	var facts metaFacts
	err = guard(func() error {
		return db.View(func(tx *bolt.Tx) (err error) {
			if facts, err = readMeta(tx); err != nil {
				return err
			}
			if err := walk(tx); err != nil {
				return err
			}
			return checkTx(tx, 5)
		})
	})
	if err != nil {
		db.Close()
		return nil, metaFacts{}, &CorruptError{Path: path, Err: err}
	}
	return db, facts, nil
}

// bbolt's file header, as far as precheck reads it (go.etcd.io/bbolt/internal/common).
// bbolt writes it in the machine's byte order.
const (
	boltMagic        = 0xED0CDAED
	boltVersion      = 2
	pageHeaderSize   = 16 // id u64, flags u16, count u16, overflow u32
	metaSize         = 64 // magic, version, pageSize, flags u32; root, sequence, freelist, pgid, txid, checksum u64
	freelistPageFlag = 0x10
	noFreelist       = ^uint64(0)
)

type boltMeta struct {
	pageSize                   int64
	root, freelist, pgid, txid uint64
}

// metaAt reads the meta page at off; ok reports whether it is valid (as bbolt's Meta.Validate).
func metaAt(f io.ReaderAt, off int64) (m boltMeta, ok bool) {
	var buf [pageHeaderSize + metaSize]byte
	if _, err := f.ReadAt(buf[:], off); err != nil {
		return m, false
	}
	b, ne := buf[pageHeaderSize:], binary.NativeEndian
	h := fnv.New64a()
	h.Write(b[:56])
	if ne.Uint32(b[0:]) != boltMagic || ne.Uint32(b[4:]) != boltVersion || ne.Uint64(b[56:]) != h.Sum64() {
		return m, false
	}
	m = boltMeta{pageSize: int64(ne.Uint32(b[8:])), root: ne.Uint64(b[16:]), freelist: ne.Uint64(b[32:]),
		pgid: ne.Uint64(b[40:]), txid: ne.Uint64(b[48:])}
	return m, m.pageSize >= 512
}

// precheck reads the header of path without mapping it and refuses what would make
// bolt.Open read past the end of the file. A fault inside bolt.Open cannot be cleaned
// up: the mapping bbolt made is lost, and it holds the file lock until the process
// exits. Files whose meta pages are both invalid are left to bbolt, which reports
// them without reading further.
func precheck(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("open workspace %s: %w", path, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("open workspace %s: %w", path, err)
	}
	m, err := checkHeader(f, fi.Size())
	if err == nil {
		return nil
	}
	// A file another process commits to while its header is read can look damaged
	// for a moment. If it changed, it is in use, not damaged.
	again, _ := checkHeader(f, fi.Size())
	if fi2, err := f.Stat(); err == nil && (fi2.Size() != fi.Size() || again.txid != m.txid) {
		return &lockedError{path: path}
	}
	return &CorruptError{Path: path, Err: err}
}

func checkHeader(f io.ReaderAt, size int64) (boltMeta, error) {
	if size == 0 {
		return boltMeta{}, errors.New("the file is empty")
	}
	// Find the page size as bbolt does: from the first meta page, else from the
	// second one at any plausible offset, else the OS page size.
	ps := int64(os.Getpagesize())
	if m, ok := metaAt(f, 0); ok {
		ps = m.pageSize
	} else {
		for i := range 15 {
			pos := int64(1024) << i
			if pos >= size-1024 {
				break
			}
			if m, ok := metaAt(f, pos); ok {
				ps = m.pageSize
				break
			}
		}
	}
	if size < 2*ps {
		return boltMeta{}, fmt.Errorf("the file is truncated (%d bytes)", size)
	}
	m0, ok0 := metaAt(f, 0)
	m1, ok1 := metaAt(f, ps)
	if !ok0 && !ok1 {
		return boltMeta{}, nil
	}
	m := m0
	if !ok0 || ok1 && m1.txid > m0.txid {
		m = m1
	}
	if m.pgid > uint64(size/ps) {
		return m, fmt.Errorf("the file is truncated (%d bytes, the database needs %d)", size, m.pgid*uint64(ps))
	}
	if m.root >= m.pgid {
		return m, fmt.Errorf("root page %d is past the end of the database", m.root)
	}
	if m.freelist == noFreelist {
		return m, nil
	}
	bad := fmt.Errorf("the freelist page %d is damaged", m.freelist)
	if m.freelist < 2 || m.freelist >= m.pgid {
		return m, bad
	}
	var hdr [pageHeaderSize + 8]byte
	if _, err := f.ReadAt(hdr[:], int64(m.freelist)*ps); err != nil {
		return m, bad
	}
	ne := binary.NativeEndian
	flags, count, overflow := ne.Uint16(hdr[8:]), uint64(ne.Uint16(hdr[10:])), uint64(ne.Uint32(hdr[12:]))
	idx := uint64(0)
	if count == 0xFFFF { // the real count is the first element
		idx, count = 1, ne.Uint64(hdr[16:])
	}
	if flags != freelistPageFlag || m.freelist+overflow >= m.pgid ||
		count > (uint64(ps)*(overflow+1)-pageHeaderSize)/8-idx {
		return m, bad
	}
	return m, nil
}

// touched keeps the bytes read by walk observable, so the reads are not optimised away.
var touched atomic.Uint32

// walk reads every key and value in every bucket. Done under guard, it turns a page
// that bbolt cannot follow into an error before tx.Check (which runs in a goroutine
// of its own, out of guard's reach) looks at the same pages.
func walk(tx *bolt.Tx) error {
	var sum byte
	var visit func(b *bolt.Bucket)
	visit = func(b *bolt.Bucket) {
		c := b.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			sum ^= touch(k)
			if v != nil {
				sum ^= touch(v)
			} else if nested := b.Bucket(k); nested != nil {
				visit(nested)
			}
		}
	}
	err := tx.ForEach(func(name []byte, b *bolt.Bucket) error {
		sum ^= touch(name)
		visit(b)
		return nil
	})
	touched.Add(uint32(sum))
	return err
}

// touch reads one byte per page of p, and its last byte.
func touch(p []byte) byte {
	var x byte
	for i := 0; i < len(p); i += 4096 {
		x ^= p[i]
	}
	if len(p) > 0 {
		x ^= p[len(p)-1]
	}
	return x
}

// checkTx runs bbolt's consistency check and joins what it finds: everything, or the
// first few when limit > 0 (a badly damaged file has one problem per page).
func checkTx(tx *bolt.Tx, limit int) error {
	var errs []error
	for err := range tx.Check() { // drain: bbolt's goroutine blocks until every error is read
		errs = append(errs, err)
	}
	if limit > 0 && len(errs) > limit {
		errs = append(errs[:limit], fmt.Errorf("and %d more problems", len(errs)-limit))
	}
	return errors.Join(errs...)
}
