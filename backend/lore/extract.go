package lore

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/ledongthuc/pdf"

	"github.com/npcstudio/npcstudio/backend/boundedzip"
)

// Formats the library imports, by file extension.
var formats = map[string]string{
	".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md", ".pdf": "pdf", ".docx": "docx",
}

// FormatOf returns the format of a file the library can import ("txt", "md", "pdf",
// "docx"), or "" for any other file.
func FormatOf(path string) string { return formats[strings.ToLower(filepath.Ext(path))] }

// What one file may make the library read or hold. Text files are streamed in blocks;
// PDF and DOCX text is decoded from compressed streams, which a hostile file can make
// expand without end, so every stage is capped while it runs rather than checked after.
const (
	maxTextFile  = 2 << 30   // a .txt or .md file (Options.MaxDocumentBytes may take less)
	maxLine      = 1 << 20   // one line, or one run of blank space, of a text file
	maxExtracted = 256 << 20 // text taken from one PDF or DOCX file
	maxParagraph = 1 << 20   // text of one DOCX paragraph
	maxXMLToken  = 8 << 20   // XML read for one element, comment or text run
	maxXMLKept   = 64 << 10  // name and namespaces of one XML element, kept until it ends
	maxXMLDepth  = 256       // XML elements open at once
	maxPDFFile   = 1 << 30
	// maxPDFPage bounds the decoded content of one PDF page and its fonts' character
	// maps: the PDF reader holds a page's text, and any one string on it, in memory.
	maxPDFPage = 32 << 20
)

// hostile is the error for a file past one of the limits above.
func hostile(format string, args ...any) *FileError {
	return &FileError{Reason: fmt.Sprintf(format, args...) + "; the file may be damaged or hostile"}
}

// extract writes the text of the file at path to dst. Cancelling ctx stops a PDF's
// pdftotext at once.
func extract(ctx context.Context, dst io.Writer, path, format string) (textInfo, error) {
	switch format {
	case "txt", "md":
		f, err := os.Open(path)
		if err != nil {
			return textInfo{}, err
		}
		defer f.Close()
		if fi, err := f.Stat(); err == nil && fi.Size() > maxTextFile {
			return textInfo{}, &FileError{Reason: fmt.Sprintf("%s is more than the %s a text file may be: split the file", humanBytes(fi.Size()), humanBytes(maxTextFile))}
		}
		return copyText(dst, &cappedReader{r: f, n: maxTextFile + 1, err: hostile("the file grew past %s while it was read", humanBytes(maxTextFile))}, maxLine)
	case "pdf":
		var starts []int64
		info, err := pipeText(dst, func(w io.Writer) (err error) {
			starts, err = pdfText(ctx, w, path)
			return err
		})
		info.PageStarts = starts
		return info, err
	case "docx":
		return pipeText(dst, func(w io.Writer) error { return docxText(w, path) })
	}
	return textInfo{}, fmt.Errorf("unsupported format %q", format)
}

// pipeText runs produce, which writes a document's text, and checks and copies that text
// to dst as it comes: only what is in flight is held in memory.
func pipeText(dst io.Writer, produce func(w io.Writer) error) (textInfo, error) {
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		var err error
		defer func() {
			if r := recover(); r != nil {
				err = &FileError{Reason: fmt.Sprintf("damaged file: %v", r)}
			}
			pw.CloseWithError(err)
			done <- err
		}()
		err = produce(pw)
	}()
	info, err := copyText(dst, pr, 0)
	pr.CloseWithError(errStopped) // stops produce when copyText gave up first
	if perr := <-done; perr != nil && !errors.Is(perr, errStopped) && !errors.Is(perr, io.ErrClosedPipe) {
		err = perr
	}
	return info, err
}

var errStopped = errors.New("stopped")

// cappedReader fails with err once more than n bytes were read.
type cappedReader struct {
	r   io.Reader
	n   int64
	err error
}

func (c *cappedReader) Read(p []byte) (int, error) {
	if c.n <= 0 {
		return 0, c.err
	}
	if int64(len(p)) > c.n {
		p = p[:c.n]
	}
	n, err := c.r.Read(p)
	c.n -= int64(n)
	return n, err
}

// pdfText writes the text layer of every page to w, pages separated by a blank line, and
// returns the byte offset where each page starts in that text. The PDF reader decodes
// streams as it goes but keeps a page's text, and each string on it, in memory, so each
// page's content streams and its fonts' character maps are measured, decoded to nowhere,
// before the page is read. Object and cross-reference streams are read by the library
// object by object and are bounded only by the file's size.
func pdfText(ctx context.Context, w io.Writer, path string) (starts []int64, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	head := make([]byte, 5)
	n, _ := io.ReadFull(f, head)
	fi, serr := f.Stat()
	f.Close()
	switch {
	case !bytes.Equal(head[:n], []byte("%PDF-")):
		return nil, &FileError{Reason: fmt.Sprintf("not a PDF file (%s)", kindOf(head[:n]))}
	case serr == nil && fi.Size() > maxPDFFile:
		return nil, &FileError{Reason: fmt.Sprintf("%s is more than the %s a PDF may be: split the PDF", humanBytes(fi.Size()), humanBytes(maxPDFFile))}
	}
	// The PDF reader panics on some damaged files.
	defer func() {
		if r := recover(); r != nil {
			err = &FileError{Reason: fmt.Sprintf("damaged PDF: %v", r)}
		}
	}()
	bin := pdftotext()
	pf, r, err := pdf.Open(path)
	if err != nil {
		if bin != "" { // poppler reads more damaged files than the Go reader
			return popplerText(ctx, w, path, bin)
		}
		return nil, &FileError{Reason: "damaged or encrypted PDF", Err: err}
	}
	defer pf.Close()
	if bin != "" {
		// Every page is measured first, as below, so that a page that expands without
		// end is refused before pdftotext spends its time and memory limits on it.
		for i := 1; i <= r.NumPage(); i++ {
			if pdfPageSize(r.Page(i), maxPDFPage) > maxPDFPage {
				return nil, hostile("page %d expands to more than %s of content", i, humanBytes(maxPDFPage))
			}
		}
		return popplerText(ctx, w, path, bin)
	}
	var written int64
	blank := true
	for i := 1; i <= r.NumPage(); i++ {
		p := r.Page(i)
		if pdfPageSize(p, maxPDFPage) > maxPDFPage {
			return nil, hostile("page %d expands to more than %s of content", i, humanBytes(maxPDFPage))
		}
		page, err := p.GetPlainText(nil)
		if err != nil {
			return nil, &FileError{Reason: fmt.Sprintf("page %d: cannot read its text", i), Err: err}
		}
		page = fixPDFText(page)
		blank = blank && page == ""
		if written > 0 {
			page = "\n\n" + page
		}
		starts = append(starts, written+int64(len(page)-len(strings.TrimLeft(page, "\n"))))
		if written+int64(len(page)) > maxExtracted {
			return nil, &FileError{Reason: fmt.Sprintf("more than %s of text: split the PDF", humanBytes(maxExtracted))}
		}
		if _, err := io.WriteString(w, page); err != nil {
			return nil, err
		}
		written += int64(len(page))
	}
	if blank {
		return nil, &FileError{Reason: ErrNoTextLayer.Error(), Err: ErrNoTextLayer}
	}
	return starts, nil
}

// pdfPageSize is how many bytes the content streams of page p and the character maps of
// its fonts decode to, counted up to limit+1.
func pdfPageSize(p pdf.Page, limit int64) int64 {
	var streams []pdf.Value
	if c := p.V.Key("Contents"); c.Kind() == pdf.Array {
		for i := 0; i < c.Len(); i++ {
			streams = append(streams, c.Index(i))
		}
	} else {
		streams = append(streams, c)
	}
	for _, name := range p.Fonts() {
		streams = append(streams, p.Font(name).V.Key("ToUnicode"))
	}
	var total int64
	for _, s := range streams {
		if s.Kind() != pdf.Stream {
			continue
		}
		rc := s.Reader()
		n, _ := io.Copy(io.Discard, io.LimitReader(rc, limit+1-total))
		rc.Close()
		if total += n; total > limit {
			break
		}
	}
	return total
}

// docxText writes the text of word/document.xml of a DOCX file to w: paragraphs
// separated by a blank line, headings written as Markdown headings so that chunking
// keeps them with their section. A DOCX file is a zip of XML; boundedzip and
// encoding/xml read the little of it lore needs, where a full OOXML library would bring
// far more than it gives. The zip entry, each XML token, the nesting, each paragraph and
// the whole text are capped as they are read.
func docxText(w io.Writer, path string) error {
	zr, err := boundedzip.Open(path, boundedzip.Limits{})
	var lim *boundedzip.LimitError
	switch {
	case errors.As(err, &lim):
		return hostile("%s", lim.Error())
	case err != nil:
		return &FileError{Reason: "not a DOCX file (it is not a zip archive)", Err: err}
	}
	defer zr.Close()
	doc := zr.Lookup("word/document.xml")
	if doc == nil {
		return &FileError{Reason: "not a DOCX file (no word/document.xml)"}
	}
	rc, err := zr.Open(doc)
	if errors.As(err, &lim) {
		return hostile("%s", lim.Error())
	}
	if err != nil {
		return &FileError{Reason: "damaged DOCX file", Err: err}
	}
	defer rc.Close()
	tokens := &cappedReader{r: rc, err: errXMLToken}
	dec := xml.NewDecoder(tokens)
	var para strings.Builder
	var written int64
	heading, depth := 0, 0
	inText := false
	addText := func(s string) error {
		if para.Len()+len(s) > maxParagraph {
			return hostile("a paragraph is longer than %s of text", humanBytes(maxParagraph))
		}
		para.WriteString(s)
		return nil
	}
	for {
		tokens.n = maxXMLToken
		tok, err := dec.Token()
		switch {
		case errors.Is(err, io.EOF):
			return nil
		case errors.As(err, &lim):
			return hostile("%s", lim.Error())
		case errors.Is(err, errXMLToken):
			return hostile("an XML element or text run is longer than %s", humanBytes(maxXMLToken))
		case err != nil:
			return &FileError{Reason: "damaged DOCX file", Err: err}
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if depth++; depth > maxXMLDepth {
				return hostile("its XML nests more than %d elements deep", maxXMLDepth)
			}
			kept := len(t.Name.Space) + len(t.Name.Local)
			for _, a := range t.Attr {
				if a.Name.Space == "xmlns" || a.Name.Local == "xmlns" {
					kept += len(a.Name.Local) + len(a.Value)
				}
			}
			if kept > maxXMLKept {
				return hostile("an XML element name or its namespaces are longer than %s", humanBytes(maxXMLKept))
			}
			switch t.Name.Local {
			case "p":
				para.Reset()
				heading = 0
			case "pStyle":
				heading = headingLevel(attr(t, "val"))
			case "t":
				inText = true
			case "tab":
				err = addText("\t")
			case "br", "cr":
				err = addText("\n")
			}
		case xml.EndElement:
			depth--
			switch t.Name.Local {
			case "t":
				inText = false
			case "p":
				text := strings.TrimSpace(para.String())
				para.Reset()
				if text == "" {
					continue
				}
				if heading > 0 {
					text = strings.Repeat("#", heading) + " " + text
				}
				if written > 0 {
					text = "\n\n" + text
				}
				if written += int64(len(text)); written > maxExtracted {
					return &FileError{Reason: fmt.Sprintf("more than %s of text: split the document", humanBytes(maxExtracted))}
				}
				if _, err := io.WriteString(w, text); err != nil {
					return err
				}
			}
		case xml.CharData:
			if inText {
				err = addText(string(t))
			}
		}
		if err != nil {
			return err
		}
	}
}

var errXMLToken = errors.New("XML token too long")

func attr(e xml.StartElement, local string) string {
	for _, a := range e.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// headingLevel maps Word's built-in paragraph styles (Title, Heading1..Heading9) to a
// Markdown heading level; other styles are body text.
func headingLevel(style string) int {
	s := strings.ToLower(style)
	switch {
	case s == "title":
		return 1
	case strings.HasPrefix(s, "heading"):
		if n, err := strconv.Atoi(strings.TrimSpace(s[len("heading"):])); err == nil && n >= 1 && n <= 6 {
			return n
		}
	}
	return 0
}
