package testenv

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/flate"
	"encoding/binary"
	"encoding/json"
	"hash/crc32"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// Bounded is what a function run by RunBounded did, measured in its own process.
type Bounded struct {
	// Err is the error the function returned ("" for none).
	Err string
	// PeakRSS is the most resident memory the process had, in bytes (VmHWM).
	PeakRSS int64
}

const (
	boundedChildEnv = "NPCSTUDIO_BOUNDED_CHILD"
	boundedOutEnv   = "NPCSTUDIO_BOUNDED_OUT"
	// boundedHeadroom is how much address space the child may map beyond what it has
	// at the start: code that would take gigabytes dies at once instead of taking the
	// machine's memory.
	boundedHeadroom = 1536 << 20
)

// RunBounded runs fn in a fresh copy of the test binary (the test re-executes itself
// with only this test selected) and returns its error and the peak resident memory of
// that process. The child's address space is capped, so code that would take gigabytes
// fails fast: the test then fails with the child's output. Everything the test does
// before RunBounded runs in both processes, so build inputs on disk before calling it
// only when that is cheap, or inside fn.
func RunBounded(t *testing.T, fn func() error) Bounded {
	t.Helper()
	if os.Getenv(boundedChildEnv) == t.Name() {
		limitAddressSpace(t)
		debug.SetMemoryLimit(256 << 20)
		var res Bounded
		if err := fn(); err != nil {
			res.Err = err.Error()
		}
		res.PeakRSS = procStatus("VmHWM")
		raw, _ := json.Marshal(res)
		if err := os.WriteFile(os.Getenv(boundedOutEnv), raw, 0o600); err != nil {
			t.Fatal(err)
		}
		t.SkipNow() // the parent reports
	}
	out := filepath.Join(t.TempDir(), "bounded.json")
	var pattern []string
	for _, part := range strings.Split(t.Name(), "/") {
		pattern = append(pattern, "^"+regexp.QuoteMeta(part)+"$")
	}
	cmd := exec.Command(os.Args[0], "-test.run="+strings.Join(pattern, "/"), "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), boundedChildEnv+"="+t.Name(), boundedOutEnv+"="+out)
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	err := cmd.Run()
	var maxrss int64
	if cmd.ProcessState != nil {
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			maxrss = ru.Maxrss << 10
		}
	}
	raw, rerr := os.ReadFile(out)
	if err != nil || rerr != nil {
		tail := logs.String()
		if len(tail) > 4000 {
			tail = tail[len(tail)-4000:]
		}
		t.Fatalf("the child process failed (%v; peak RSS %d MiB):\n%s", err, maxrss>>20, tail)
	}
	var res Bounded
	if err := json.Unmarshal(raw, &res); err != nil {
		t.Fatal(err)
	}
	res.PeakRSS = max(res.PeakRSS, maxrss)
	return res
}

func limitAddressSpace(t *testing.T) {
	lim := uint64(procStatus("VmSize")) + boundedHeadroom
	if err := syscall.Setrlimit(syscall.RLIMIT_AS, &syscall.Rlimit{Cur: lim, Max: lim}); err != nil {
		t.Fatalf("limit the address space: %v", err)
	}
}

// procStatus reads a size field of /proc/self/status, in bytes.
func procStatus(field string) int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		name, value, ok := strings.Cut(sc.Text(), ":")
		if !ok || name != field {
			continue
		}
		kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(value), " kB"), 10, 64)
		return kb << 10
	}
	return 0
}

// Repeated describes a highly compressible stream: Head, then Unit Count times, then
// Tail. It is how the tests build multi-gigabyte bombs in a few megabytes without ever
// holding them in memory.
type Repeated struct {
	Head, Unit, Tail []byte
	Count            int
}

// Size is the length of the stream.
func (r Repeated) Size() int64 {
	return int64(len(r.Head)) + int64(len(r.Unit))*int64(r.Count) + int64(len(r.Tail))
}

// CRC32 is the stream's IEEE CRC-32, as zip and gzip record it.
func (r Repeated) CRC32() uint32 {
	c := crc32.Update(0, crc32.IEEETable, r.Head)
	for range r.Count {
		c = crc32.Update(c, crc32.IEEETable, r.Unit)
	}
	return crc32.Update(c, crc32.IEEETable, r.Tail)
}

// WriteDeflate writes the stream as raw DEFLATE. Unit is compressed once and its
// blocks written Count times: blocks that refer only to their own bytes can follow
// one another, so compressing a gigabyte costs what compressing Unit does.
func (r Repeated) WriteDeflate(w io.Writer) (int64, error) {
	block := func(p []byte) []byte {
		var b bytes.Buffer
		fw, _ := flate.NewWriter(&b, flate.BestCompression)
		fw.Write(p)
		fw.Flush() // ends byte-aligned, not final
		return b.Bytes()
	}
	cw := &countWriter{w: w}
	unit := block(r.Unit)
	if _, err := cw.Write(block(r.Head)); err != nil {
		return cw.n, err
	}
	for range r.Count {
		if _, err := cw.Write(unit); err != nil {
			return cw.n, err
		}
	}
	fw, _ := flate.NewWriter(cw, flate.BestCompression)
	fw.Write(r.Tail)
	err := fw.Close() // the final block
	return cw.n, err
}

// AddToZip adds the stream to zw as a deflated entry named name.
func (r Repeated) AddToZip(zw *zip.Writer, name string) error {
	compressed, err := r.WriteDeflate(io.Discard)
	if err != nil {
		return err
	}
	w, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Deflate, CRC32: r.CRC32(),
		CompressedSize64: uint64(compressed), UncompressedSize64: uint64(r.Size())})
	if err != nil {
		return err
	}
	_, err = r.WriteDeflate(w)
	return err
}

// WriteGzip writes the stream as one gzip member.
func (r Repeated) WriteGzip(w io.Writer) error {
	if _, err := w.Write([]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255}); err != nil {
		return err
	}
	if _, err := r.WriteDeflate(w); err != nil {
		return err
	}
	trailer := binary.LittleEndian.AppendUint32(nil, r.CRC32())
	trailer = binary.LittleEndian.AppendUint32(trailer, uint32(r.Size()))
	_, err := w.Write(trailer)
	return err
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
