package lore

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"hash/adler32"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/npcstudio/npcstudio/backend/testenv"
)

// maxBombRSS is the resident memory an import of any hostile file may reach.
const maxBombRSS = 300 << 20

const docxHead = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
	`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`

// noisy repeats a random piece made by piece until it fills 1 MiB: DEFLATE finds the
// repeats, so the unit compresses some sixty times, under the cap on expansion ratio,
// where a run of one letter would compress a thousand times.
func noisy(seed uint64, piece func(r *rand.Rand) string) []byte {
	r := rand.New(rand.NewPCG(seed, seed))
	p := piece(r)
	return []byte(strings.Repeat(p, (1<<20)/len(p)))
}

func letters(r *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = "abcdefghijklmnopqrstuvwxyz     "[r.IntN(31)]
	}
	return string(b)
}

func writeDOCXBomb(t *testing.T, path string, doc testenv.Repeated) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	w, _ := zw.Create("[Content_Types].xml")
	w.Write([]byte(`<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`))
	if err := doc.AddToZip(zw, "word/document.xml"); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// writePDFBomb writes a one-page PDF whose content stream is content, deflated.
func writePDFBomb(t *testing.T, path string, content testenv.Repeated) {
	t.Helper()
	var stream bytes.Buffer
	stream.Write([]byte{0x78, 0xda})
	if _, err := content.WriteDeflate(&stream); err != nil {
		t.Fatal(err)
	}
	a := adler32.New()
	a.Write(content.Head)
	for range content.Count {
		a.Write(content.Unit)
	}
	a.Write(content.Tail)
	stream.Write(a.Sum(nil))

	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	var offsets []int
	obj := func(body string) {
		offsets = append(offsets, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", len(offsets), body)
	}
	obj("<< /Type /Catalog /Pages 2 0 R >>")
	obj("<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
	obj("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 14400 14400] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>")
	obj(fmt.Sprintf("<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream", stream.Len(), stream.Bytes()))
	obj("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(offsets)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offsets)+1, xref)
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// pdfLines is a page content stream showing lines of text.
func pdfLines(n int) testenv.Repeated {
	// Small type, each line its own and below the last: pdftotext keeps only what is on
	// the page, and drops a line drawn again over itself.
	var unit strings.Builder
	for i := 0; unit.Len() < 1<<20-200; i++ {
		fmt.Fprintf(&unit, "(Line %d. %s) Tj 0 -1.2 Td\n", i, strings.Repeat("The lighthouse keeper counts the ships. ", 2))
	}
	return testenv.Repeated{Head: []byte("BT /F1 1 Tf 20 14300 Td\n"), Unit: []byte(unit.String()), Count: n, Tail: []byte("ET\n")}
}

// The bomb builders make files of a few megabytes that expand to hundreds of megabytes
// or gigabytes; the honest small versions below prove each one is a file the importer
// reads, so it is the cap that refuses the bomb.
var bombs = []struct {
	name, file string
	// mib is how many MiB the bomb expands to: past every cap for the bombs the zip
	// reader refuses, under the cap on one zip entry (256 MiB) for those the XML
	// reader must refuse while it streams.
	mib   int
	write func(t *testing.T, path string, count int)
	want  string // the reason in the error
}{
	{"docx one paragraph expanding a thousand times", "chapter1.docx", 1500, func(t *testing.T, path string, n int) {
		writeDOCXBomb(t, path, testenv.Repeated{
			Head:  []byte(docxHead + `<w:p><w:r><w:t>`),
			Unit:  bytes.Repeat([]byte("lighthouse "), (1<<20)/11),
			Count: n,
			Tail:  []byte(`</w:t></w:r></w:p></w:body></w:document>`),
		})
	}, "word/document.xml expands to more than 256 MiB; the file may be damaged or hostile"},
	{"docx one paragraph of many runs", "chapter2.docx", 250, func(t *testing.T, path string, n int) {
		writeDOCXBomb(t, path, testenv.Repeated{
			Head: []byte(docxHead + `<w:p>`),
			Unit: noisy(2, func(r *rand.Rand) string {
				return `<w:r><w:t xml:space="preserve">` + letters(r, 8000) + `</w:t></w:r>`
			}),
			Count: n,
			Tail:  []byte(`</w:p></w:body></w:document>`),
		})
	}, "a paragraph is longer than 1.0 MB of text; the file may be damaged or hostile"},
	{"docx one text run", "chapter3.docx", 250, func(t *testing.T, path string, n int) {
		writeDOCXBomb(t, path, testenv.Repeated{
			Head:  []byte(docxHead + `<w:p><w:r><w:t>`),
			Unit:  noisy(3, func(r *rand.Rand) string { return letters(r, 8000) }),
			Count: n,
			Tail:  []byte(`</w:t></w:r></w:p></w:body></w:document>`),
		})
	}, "a paragraph is longer than 1.0 MB of text; the file may be damaged or hostile"},
	{"docx one huge element", "chapter5.docx", 250, func(t *testing.T, path string, n int) {
		writeDOCXBomb(t, path, testenv.Repeated{
			Head: []byte(docxHead + `<w:p `),
			Unit: noisy(5, func(r *rand.Rand) string {
				var b strings.Builder
				for range 200 {
					fmt.Fprintf(&b, `w:a%d="%s" `, r.IntN(1000), letters(r, 30))
				}
				return b.String()
			}),
			Count: n,
			Tail:  []byte(`/></w:body></w:document>`),
		})
	}, "an XML element or text run is longer than 8.0 MB; the file may be damaged or hostile"},
	{"docx deeply nested", "chapter4.docx", 250, func(t *testing.T, path string, n int) {
		unit := noisy(4, func(r *rand.Rand) string {
			var b strings.Builder
			for range 900 {
				fmt.Fprintf(&b, "<w:x%06x>", r.IntN(1<<24))
			}
			return b.String()
		})
		writeDOCXBomb(t, path, testenv.Repeated{Head: []byte(docxHead), Unit: unit, Count: n,
			Tail: []byte(`</w:body></w:document>`)})
	}, "its XML nests more than 256 elements deep; the file may be damaged or hostile"},
	{"pdf page content expanding a thousand times", "atlas.pdf", 1500, func(t *testing.T, path string, n int) {
		writePDFBomb(t, path, pdfLines(n))
	}, "page 1 expands to more than 32.0 MB of content; the file may be damaged or hostile"},
}

// TestBombsReadWhenSmall checks that each bomb builder makes a file the importer takes
// when it is small, or refuses for the reason the bomb is about.
func TestBombsReadWhenSmall(t *testing.T) {
	for _, b := range bombs[:3] {
		t.Run(b.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), b.file)
			writeDocxSmall(t, p, b.file)
			lib := newLibrary(t, Options{})
			rep, err := lib.Add(context.Background(), []string{p}, AddOptions{})
			if err != nil || len(rep.Added) != 1 || rep.Added[0].Size < 1000 {
				t.Fatalf("%+v %v", rep, err)
			}
		})
	}
	t.Run("pdf", func(t *testing.T) {
		p := filepath.Join(t.TempDir(), "atlas.pdf")
		writePDFBomb(t, p, pdfLines(1))
		lib := newLibrary(t, Options{})
		rep, err := lib.Add(context.Background(), []string{p}, AddOptions{})
		// pdftotext takes at most 50,000 characters from one page (far more than a page
		// holds); the Go reader takes all of it.
		if err != nil || len(rep.Added) != 1 || rep.Added[0].Size < 50000 {
			t.Fatalf("%+v %v", rep, err)
		}
	})
}

// writeDocxSmall writes the small honest version of a DOCX bomb: the same pieces, a
// few kilobytes of them.
func writeDocxSmall(t *testing.T, path, name string) {
	switch name {
	case "chapter1.docx":
		writeDOCXBomb(t, path, testenv.Repeated{Head: []byte(docxHead + `<w:p><w:r><w:t>`),
			Unit: bytes.Repeat([]byte("lighthouse "), 300), Count: 1, Tail: []byte(`</w:t></w:r></w:p></w:body></w:document>`)})
	case "chapter2.docx":
		r := rand.New(rand.NewPCG(2, 2))
		writeDOCXBomb(t, path, testenv.Repeated{Head: []byte(docxHead + `<w:p>`),
			Unit: []byte(`<w:r><w:t xml:space="preserve">` + letters(r, 8000) + `</w:t></w:r>`), Count: 3, Tail: []byte(`</w:p></w:body></w:document>`)})
	case "chapter3.docx":
		r := rand.New(rand.NewPCG(3, 3))
		writeDOCXBomb(t, path, testenv.Repeated{Head: []byte(docxHead + `<w:p><w:r><w:t>`),
			Unit: []byte(letters(r, 8000)), Count: 3, Tail: []byte(`</w:t></w:r></w:p></w:body></w:document>`)})
	}
}

// TestImportBombs imports each hostile file in a process of its own and measures it:
// the import fails naming the file and the limit, the process stays under 300 MB, and
// the workspace is as it was.
func TestImportBombs(t *testing.T) {
	if testing.Short() {
		t.Skip("decompresses gigabyte bombs")
	}
	for _, b := range bombs {
		t.Run(b.name, func(t *testing.T) {
			var path string
			res := testenv.RunBounded(t, func() error {
				dir := t.TempDir()
				path = filepath.Join(t.TempDir(), b.file)
				b.write(t, path, b.mib)
				st := openStore(t, dir)
				lib, err := NewLibrary(st, Options{})
				if err != nil {
					return err
				}
				before := tree(t, dir)
				rep, err := lib.Add(context.Background(), []string{path}, AddOptions{})
				lib.Close()
				st.Close()
				after := tree(t, dir)
				switch {
				case err != nil:
					return err
				case len(rep.Failed) != 1:
					return fmt.Errorf("imported: %+v", rep)
				case before != after:
					return fmt.Errorf("%s (and the workspace changed:\n%s\n%s)", rep.Failed[0].Message, before, after)
				}
				return fmt.Errorf("%s", rep.Failed[0].Message)
			})
			t.Logf("peak RSS %d MiB: %s", res.PeakRSS>>20, res.Err)
			if !strings.HasSuffix(res.Err, b.file+": "+b.want) {
				t.Errorf("got %q, want %q", res.Err, b.want)
			}
			if res.PeakRSS > maxBombRSS {
				t.Errorf("peak RSS %d MiB, over %d MiB", res.PeakRSS>>20, maxBombRSS>>20)
			}
		})
	}
}

// tree lists the files and folders under dir with their sizes.
func tree(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if d.IsDir() {
			fmt.Fprintf(&b, "%s/\n", rel)
		} else {
			fmt.Fprintf(&b, "%s %d\n", rel, info.Size())
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestTextLineCaps refuses a text file with a line, or a run of blank lines, longer than
// 1 MiB, naming the line; a line just under the cap is taken.
func TestTextLineCaps(t *testing.T) {
	dir := t.TempDir()
	long := strings.Repeat("the keeper's log ", (1<<20)/17+1)
	cases := []struct{ name, text, want string }{
		{"long.md", "# Log\n\n" + long + "\n", "long.md:3: a line is longer than 1.0 MB; the file may be damaged or hostile"},
		{"blank.txt", "first\n" + strings.Repeat(" \n", 600<<10) + "last\n", "blank.txt:2: more than 1.0 MB of blank space in a row; the file may be damaged or hostile"},
		{"fine.txt", "first\n" + long[:1<<20-1] + "\n" + strings.Repeat("\n", 1<<19) + "last\n", ""},
	}
	lib := newLibrary(t, Options{})
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := writeFile(t, dir, tc.name, []byte(tc.text))
			rep, err := lib.Add(context.Background(), []string{p}, AddOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if tc.want == "" {
				if len(rep.Added) != 1 {
					t.Fatalf("%+v", rep)
				}
				return
			}
			if len(rep.Failed) != 1 || !strings.HasSuffix(rep.Failed[0].Message, tc.want) {
				t.Fatalf("got %+v, want %q", rep, tc.want)
			}
		})
	}
}
