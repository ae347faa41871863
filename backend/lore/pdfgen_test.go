package lore

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The PDFs below are built by the tests, in the ways office suites write them, so that
// extraction is tested on the shapes that break it (a LaTeX PDF, made once with pdflatex,
// is in testdata/lore/pdf with its source).

// pdfRun is text drawn at a point in Courier (every glyph 0.6 em wide, so positions are exact).
type pdfRun struct {
	x, y, size float64
	text       string
}

// buildPDF writes a one-page-per-slice PDF of runs, each run its own text object (BT..ET),
// as Word writes runs. toUnicode, when set, is the font's ToUnicode CMap.
func buildPDF(pages [][]pdfRun, toUnicode string) []byte {
	var objs []string
	add := func(s string) int { objs = append(objs, s); return len(objs) }
	font := add("") // filled below
	pagesObj := add("")
	var kids []string
	for _, runs := range pages {
		var c strings.Builder
		for _, r := range runs {
			esc := strings.NewReplacer(`\`, `\\`, "(", `\(`, ")", `\)`).Replace(r.text)
			fmt.Fprintf(&c, "BT /F1 %.2f Tf 1 0 0 1 %.2f %.2f Tm (%s) Tj ET\n", r.size, r.x, r.y, latin1(esc))
		}
		content := add(fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", c.Len(), c.String()))
		page := add(fmt.Sprintf("<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>", pagesObj, font, content))
		kids = append(kids, fmt.Sprintf("%d 0 R", page))
	}
	fontDict := "<< /Type /Font /Subtype /Type1 /BaseFont /Courier /Encoding /WinAnsiEncoding"
	if toUnicode != "" {
		cm := add(fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(toUnicode), toUnicode))
		fontDict += fmt.Sprintf(" /ToUnicode %d 0 R", cm)
	}
	objs[font-1] = fontDict + " >>"
	objs[pagesObj-1] = fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), len(kids))
	catalog := add(fmt.Sprintf("<< /Type /Catalog /Pages %d 0 R >>", pagesObj))
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, catalog, xref)
	return b.Bytes()
}

// latin1 encodes s in WinAnsi (Latin-1 for the letters used here).
func latin1(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r < 256 {
			b.WriteByte(byte(r))
		} else {
			b.WriteByte('?')
		}
	}
	return b.String()
}

// wordStylePDF lays out German paragraphs as Word does when runs change mid-word: each
// word longer than five letters is drawn as two text objects that meet exactly, the
// first letter of each heading is a larger capital (Word's small caps), and lines wrap
// without hyphens.
func wordStylePDF(paragraphs []string) []byte {
	const size, left, width = 10.0, 72.0, 440.0
	adv := func(s string, sz float64) float64 { return float64(len([]rune(s))) * 0.6 * sz }
	var pages [][]pdfRun
	var runs []pdfRun
	y := 770.0
	newline := func(dy float64) {
		y -= dy
		if y < 72 {
			pages, runs, y = append(pages, runs), nil, 770
		}
	}
	for _, p := range paragraphs {
		if heading, ok := strings.CutPrefix(p, "# "); ok {
			up := strings.ToUpper(heading)
			r := []rune(up)
			runs = append(runs, pdfRun{left, y, 14, string(r[0])}, pdfRun{left + adv(string(r[0]), 14), y, 11, string(r[1:])})
			newline(22)
			continue
		}
		x := left
		for _, w := range strings.Fields(p) {
			if x+adv(w, size) > left+width {
				newline(13)
				x = left
			}
			if r := []rune(w); len(r) > 5 {
				cut := len(r) / 2
				runs = append(runs, pdfRun{x, y, size, string(r[:cut])}, pdfRun{x + adv(string(r[:cut]), size), y, size, string(r[cut:])})
			} else {
				runs = append(runs, pdfRun{x, y, size, w})
			}
			x += adv(w+" ", size)
		}
		newline(20)
	}
	return buildPDF(append(pages, runs), "")
}

var germanLore = []string{
	"# Zusammenfassung",
	"Die Forschungsstationen am Rand der Salzwüste wurden vor vierzig Jahren gebaut. Heute leben dort nur noch drei Wissenschaftlerinnen, die das menschliche Gedächtnis der Expedition bewahren.",
	"Jede Station hat einen Namen aus der alten Seefahrt: Leuchtturm, Ankerplatz und Sturmwarnung. Die Forschungsstationen sind durch eine Seilbahn verbunden, die bei starkem Wind stillsteht.",
	"# Figuren",
	"Doktor Henrike Vogt leitet die nördliche Station. Sie misstraut der Regierung und schreibt ihre Berichte in einer Geheimschrift, die nur ihr Assistent lesen kann.",
	"Der Spieler erfährt im zweiten Kapitel, dass die Forschungsstationen nicht verlassen wurden, sondern geräumt: die Gründe stehen in einem Tagebuch, das unter dem Boden der Küche liegt.",
}

// garbledPDF is readable on the page but extracts as nonsense: its ToUnicode map sends
// every letter to the next one, as broken font subsets do.
func garbledPDF() []byte {
	cmap := `/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CMapName /Shifted def
1 begincodespacerange
<00> <FF>
endcodespacerange
2 beginbfrange
<41> <5A> <0042>
<61> <7A> <0062>
endbfrange
endcmap
CMapName currentdict /CMap defineresource pop
end
end`
	var runs []pdfRun
	y := 770.0
	for _, line := range []string{
		"The harbour of Saltmere is dark since the lamp failed.",
		"The keeper of the lighthouse would not speak of it again.",
		"Smugglers land at the cove on nights without a moon.",
		"Every family in the town lost someone to the sea.",
		"The children of the harbour are told to stay away from the rocks.",
		"When the fog comes in, the boats wait at the pier until noon.",
		"Nobody in the town has seen the keeper since the winter storm.",
		"The old map in the inn shows a second light on the cliffs.",
	} {
		runs = append(runs, pdfRun{72, y, 10, line})
		y -= 14
	}
	return buildPDF([][]pdfRun{runs}, cmap)
}

// writePDFs writes the generated PDFs into dir and returns their paths by name.
func writePDFs(t testing.TB, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for name, data := range map[string][]byte{
		"forschung_word.pdf": wordStylePDF(germanLore),
		"garbled.pdf":        garbledPDF(),
	} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		out[name] = p
	}
	return out
}
