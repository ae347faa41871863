package lore

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

var pdfDir = filepath.Join("..", "..", "testdata", "lore", "pdf")

func needPdftotext(t *testing.T) {
	t.Helper()
	if pdftotext() == "" {
		t.Fatal("pdftotext is not installed: install poppler-utils (make test does, through .ci/deps.sh)")
	}
}

func searchDocs(t *testing.T, lib *Library, text string) []string {
	t.Helper()
	res, err := lib.Search(context.Background(), Query{Text: text, K: 10, Mode: Keyword})
	if err != nil {
		t.Fatal(err)
	}
	var docs []string
	for _, r := range res.Results {
		docs = append(docs, r.Doc)
	}
	return docs
}

// Search finds the words of a LaTeX PDF (accents as separate glyphs, spaces as gaps) and
// of a Word-style PDF (words split across text objects), and neither is flagged.
func TestPDFTextSearchable(t *testing.T) {
	needPdftotext(t)
	gen := writePDFs(t, t.TempDir())
	lib := newLibrary(t, Options{})
	rep, err := lib.Add(context.Background(), []string{filepath.Join(pdfDir, "guion_es.pdf"), gen["forschung_word.pdf"]}, AddOptions{})
	if err != nil || len(rep.Added) != 2 || len(rep.Failed) != 0 {
		t.Fatalf("%+v %v", rep, err)
	}
	if len(rep.Warnings) != 0 {
		t.Errorf("warnings on well-extracted PDFs: %q", rep.Warnings)
	}
	for word, doc := range map[string]string{
		"director": "guion_es.pdf", "niña": "guion_es.pdf", "versión": "guion_es.pdf", "días": "guion_es.pdf",
		"Forschungsstationen": "forschung_word.pdf", "menschliche": "forschung_word.pdf", "Zusammenfassung": "forschung_word.pdf",
	} {
		if docs := searchDocs(t, lib, word); len(docs) == 0 || docs[0] != doc {
			t.Errorf("search %q found %v, want %s", word, docs, doc)
		}
	}
	if docs := searchDocs(t, lib, "director"); len(docs) < 2 {
		t.Errorf("director is in several chunks of the script; search found %v", docs)
	}
}

// A PDF that extracts as nonsense is imported with a warning naming it, in the import
// result and on the document.
func TestGarbledPDFWarns(t *testing.T) {
	needPdftotext(t)
	gen := writePDFs(t, t.TempDir())
	lib := newLibrary(t, Options{})
	rep, err := lib.Add(context.Background(), []string{gen["garbled.pdf"]}, AddOptions{})
	if err != nil || len(rep.Added) != 1 {
		t.Fatalf("%+v %v", rep, err)
	}
	if len(rep.Warnings) != 1 || !strings.HasPrefix(rep.Warnings[0], "garbled.pdf: the text taken from it looks garbled") ||
		!strings.Contains(rep.Warnings[0], "common words") {
		t.Fatalf("warnings %q", rep.Warnings)
	}
	d, err := lib.Get("garbled.pdf")
	if err != nil || !cmp.Equal(d.Warnings, rep.Warnings) {
		t.Fatalf("document warnings %q: %v", d.Warnings, err)
	}
}

// Without pdftotext the Go reader runs the LaTeX script's words together; the import says
// so instead of reporting success silently.
func TestGoPDFReaderGarbledWarns(t *testing.T) {
	old := pdftotext
	pdftotext = func() string { return "" }
	t.Cleanup(func() { pdftotext = old })
	lib := newLibrary(t, Options{})
	rep, err := lib.Add(context.Background(), []string{filepath.Join(pdfDir, "guion_es.pdf")}, AddOptions{})
	if err != nil || len(rep.Added) != 1 {
		t.Fatalf("%+v %v", rep, err)
	}
	if len(rep.Warnings) != 1 || !strings.Contains(rep.Warnings[0], "guion_es.pdf") || !strings.Contains(rep.Warnings[0], "words run together") {
		t.Fatalf("warnings %q", rep.Warnings)
	}
}

func TestFixPDFText(t *testing.T) {
	for in, want := range map[string]string{
		"Gui´on narrativo, versi´on": "Guión narrativo, versión",
		"la ni˜na, don ´I˜nigo":      "la niña, don Íñigo",
		"tres d\u0131\u0301as":       "tres días",
		"el direc-\ntor del faro":    "el director del faro",
		"Nord-\nSüd":                 "Nord-\nSüd",
		"la ﬁesta del ﬂoreciente":    "la fiesta del floreciente",
		"e\u0301le\u0300ve":          "élève",
		"run `go test` now":          "run `go test` now",
	} {
		if got := fixPDFText(in); got != want {
			t.Errorf("fixPDFText(%q) = %q, want %q", in, got, want)
		}
	}
}

// Ordinary prose in the project's lore set and in other languages is not flagged.
func TestQualityNoFalseAlarms(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(worldDir, "*"))
	texts := map[string]string{}
	for _, f := range files {
		b, _ := os.ReadFile(f)
		texts[filepath.Base(f)] = string(b)
	}
	texts["german"] = strings.Repeat(strings.Join(germanLore, "\n"), 3)
	texts["japanese"] = strings.Repeat("港町ソルトミアの灯台は三年前の冬から消えたままだ。", 30)
	for name, text := range texts {
		var q qualityMeter
		q.write([]byte(text))
		if p := q.problems(); len(p) > 0 {
			t.Errorf("%s flagged: %q", name, p)
		}
	}
}

// The meter's ASCII path counts what the Unicode path counts: ASCII, accented and spaceless
// scripts, broken accents, words longer than the part kept, cut at every block boundary.
func TestQualityMeterASCIIPathCountsAsUnicode(t *testing.T) {
	texts := []string{
		strings.Join(germanLore, "\n"),
		"The salt hall keeps the tithe ledgers; Oren's ember-court, O'Hara's well-kept vault. " + strings.Repeat("x", 60) + " the end",
		"Gui´on de la se˜nora, dıa de campa˜na: the ` mark, `code` and ´accents´ " + strings.Repeat("Ärger", 12),
		"港町ソルトミアの灯台は the lighthouse 三年前の冬から消えた and THE END of it",
	}
	for _, text := range texts {
		var want qualityMeter
		for _, r := range text {
			want.rune(r)
		}
		for cut := range len(text) + 1 {
			if !utf8.RuneStart(text[min(cut, len(text)-1)]) {
				continue // copyText never cuts a character
			}
			var got qualityMeter
			got.write([]byte(text[:cut]))
			got.write([]byte(text[cut:]))
			if fmt.Sprint(got.problems(), got.words, got.letters, got.longWords, got.common, got.brokenAccents, got.otherScriptRune) !=
				fmt.Sprint(want.problems(), want.words, want.letters, want.longWords, want.common, want.brokenAccents, want.otherScriptRune) {
				t.Fatalf("cut at %d of %q: %+v, want %+v", cut, text, got, want)
			}
		}
	}
}

// BenchmarkQualityMeter is the garbled-text check over lore-like text (most of it ASCII,
// some accented words), as an import runs it on every text.
func BenchmarkQualityMeter(b *testing.B) {
	var text []byte
	for i := 0; len(text) < 8<<20; i++ {
		text = fmt.Appendf(text, "Paragraph %d: the tithe-clerks of the salt hall keep Oren Vale's ledgers; the señora of Ærin's court won't read them.\n\n", i)
	}
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		var q qualityMeter
		for off := 0; off < len(text); off += 32 << 10 {
			q.write(text[off:min(off+32<<10, len(text))])
		}
		if p := q.problems(); p != nil {
			b.Fatal(p)
		}
	}
}

// referenceMeter measures text a character at a time, as the meter is defined: write's runs
// of ASCII letters must come to the same counts.
func referenceMeter(text string) qualityMeter {
	var q qualityMeter
	for _, r := range text {
		if r >= utf8.RuneSelf || r == utf8.RuneError {
			q.rune(r)
			continue
		}
		q.prev = r
		switch c := byte(r); {
		case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
			if q.kept < maxWordKept {
				q.word = append(q.word, c|0x20)
				q.kept++
			}
			q.wordLen++
		case c == '\'' || c == '-':
		default:
			q.end()
		}
	}
	q.end()
	return q
}

func TestQualityMeterRunsCountAsCharacters(t *testing.T) {
	texts := []string{
		"The salt hall keeps the tithe ledgers.",
		"Señora Ærin's court—won't it? ´o ˜n dotless ı here",
		strings.Repeat("a", 100) + " " + strings.Repeat("Zq", 30) + "-x'y\n" + strings.Repeat("b", maxWordKept) + " " + strings.Repeat("c", maxWordKept+1),
		"漢字とかな mixed with words, and the end",
		"",
	}
	for w := range commonWords {
		texts = append(texts, w+" "+strings.ToUpper(w)+" x"+w+" "+w+"s.")
	}
	for _, text := range texts {
		want := referenceMeter(text)
		// The text comes in blocks cut between characters, as copyText cuts it.
		for _, block := range []int{1, 2, 3, 7, 64, 1 << 20} {
			var q qualityMeter
			for off := 0; off < len(text); {
				end := min(off+block, len(text))
				for end < len(text) && !utf8.RuneStart(text[end]) {
					end++
				}
				q.write([]byte(text[off:end]))
				off = end
			}
			q.end()
			if q.words != want.words || q.letters != want.letters || q.longWords != want.longWords || q.common != want.common ||
				q.brokenAccents != want.brokenAccents || q.otherScriptRune != want.otherScriptRune {
				t.Errorf("%q in blocks of %d: %+v, want %+v", text, block, q, want)
			}
		}
	}
}
