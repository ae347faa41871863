package lore

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/ledongthuc/pdf"
)

// Formats the library imports, by file extension.
var formats = map[string]string{
	".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md", ".pdf": "pdf", ".docx": "docx",
}

// FormatOf returns the format of a file the library can import ("txt", "md", "pdf",
// "docx"), or "" for any other file.
func FormatOf(path string) string { return formats[strings.ToLower(filepath.Ext(path))] }

// maxExtracted bounds the text taken from one PDF or DOCX file, whose text is built in
// memory (text files are streamed and bounded by Options.MaxDocumentBytes only).
const maxExtracted = 256 << 20

// extract writes the text of the file at path to dst.
func extract(dst io.Writer, path, format string) (textInfo, error) {
	switch format {
	case "txt", "md":
		f, err := os.Open(path)
		if err != nil {
			return textInfo{}, err
		}
		defer f.Close()
		return copyText(dst, f)
	case "pdf":
		text, starts, err := pdfText(path)
		if err != nil {
			return textInfo{}, err
		}
		info, err := copyText(dst, strings.NewReader(text))
		info.PageStarts = starts
		return info, err
	case "docx":
		text, err := docxText(path)
		if err != nil {
			return textInfo{}, err
		}
		return copyText(dst, strings.NewReader(text))
	}
	return textInfo{}, fmt.Errorf("unsupported format %q", format)
}

// pdfText reads the text layer of every page, pages separated by a blank line. It also
// returns the byte offset where each page starts in that text.
func pdfText(path string) (text string, starts []int64, err error) {
	head := make([]byte, 5)
	if f, err := os.Open(path); err == nil {
		n, _ := io.ReadFull(f, head)
		f.Close()
		if !bytes.Equal(head[:n], []byte("%PDF-")) {
			return "", nil, &FileError{Reason: fmt.Sprintf("not a PDF file (%s)", kindOf(head[:n]))}
		}
	}
	// The PDF reader panics on some damaged files.
	defer func() {
		if r := recover(); r != nil {
			err = &FileError{Reason: fmt.Sprintf("damaged PDF: %v", r)}
		}
	}()
	f, r, err := pdf.Open(path)
	if err != nil {
		return "", nil, &FileError{Reason: "damaged or encrypted PDF", Err: err}
	}
	defer f.Close()
	var b strings.Builder
	n := r.NumPage()
	for i := 1; i <= n; i++ {
		page, err := r.Page(i).GetPlainText(nil)
		if err != nil {
			return "", nil, &FileError{Reason: fmt.Sprintf("page %d: cannot read its text", i), Err: err}
		}
		page = strings.ToValidUTF8(strings.ReplaceAll(page, "\x00", ""), "\uFFFD")
		page = strings.TrimSpace(strings.ReplaceAll(strings.ReplaceAll(page, "\r\n", "\n"), "\r", "\n"))
		if b.Len() > 0 {
			b.WriteString("\n\n")
		}
		starts = append(starts, int64(b.Len()))
		b.WriteString(page)
		if b.Len() > maxExtracted {
			return "", nil, &FileError{Reason: fmt.Sprintf("more than %d MB of text: split the PDF", maxExtracted>>20)}
		}
	}
	if strings.TrimSpace(b.String()) == "" {
		return "", nil, &FileError{Reason: ErrNoTextLayer.Error(), Err: ErrNoTextLayer}
	}
	return b.String(), starts, nil
}

// docxText reads word/document.xml of a DOCX file: paragraphs separated by a blank line,
// headings written as Markdown headings so that chunking keeps them with their section.
// A DOCX file is a zip of XML; archive/zip and encoding/xml read the little of it lore
// needs, where a full OOXML library would bring far more than it gives.
func docxText(path string) (string, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return "", &FileError{Reason: "not a DOCX file (it is not a zip archive)", Err: err}
	}
	defer zr.Close()
	var doc *zip.File
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			doc = f
		}
	}
	if doc == nil {
		return "", &FileError{Reason: "not a DOCX file (no word/document.xml)"}
	}
	rc, err := doc.Open()
	if err != nil {
		return "", &FileError{Reason: "damaged DOCX file", Err: err}
	}
	defer rc.Close()
	dec := xml.NewDecoder(io.LimitReader(rc, 4*maxExtracted))
	var b, para strings.Builder
	heading := 0
	inText := false
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return "", &FileError{Reason: "damaged DOCX file", Err: err}
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "p":
				para.Reset()
				heading = 0
			case "pStyle":
				heading = headingLevel(attr(t, "val"))
			case "t":
				inText = true
			case "tab":
				para.WriteByte('\t')
			case "br", "cr":
				para.WriteByte('\n')
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "t":
				inText = false
			case "p":
				text := strings.TrimSpace(para.String())
				if text == "" {
					continue
				}
				if b.Len() > 0 {
					b.WriteString("\n\n")
				}
				if heading > 0 {
					b.WriteString(strings.Repeat("#", heading) + " ")
				}
				b.WriteString(text)
				if b.Len() > maxExtracted {
					return "", &FileError{Reason: fmt.Sprintf("more than %d MB of text: split the document", maxExtracted>>20)}
				}
			}
		case xml.CharData:
			if inText {
				para.Write(t)
			}
		}
	}
	return b.String(), nil
}

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
