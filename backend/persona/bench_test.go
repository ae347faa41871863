package persona

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
)

// BenchmarkRender renders the default template in RAG mode (the larger prompt) with a
// three-turn history, per family. Goal: under 1 ms per request.
func BenchmarkRender(b *testing.B) {
	for _, f := range Families() {
		b.Run(string(f), func(b *testing.B) {
			req := goldenRequest(b, "mira", TemplateDefault, f, ModeRAG)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Render(context.Background(), req); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkImportCards imports 1,000 cards per iteration: the lorebook-heavy V2 fixture as
// JSON, and as PNG.
func BenchmarkImportCards(b *testing.B) {
	for _, file := range []string{"cards/mira_v2.json", "cards/mira_v2.png"} {
		data := readFile(b, file)
		b.Run(file, func(b *testing.B) {
			b.SetBytes(int64(len(data)) * 1000)
			b.ReportAllocs()
			for b.Loop() {
				for range 1000 {
					if _, err := ImportCard(file, bytes.NewReader(data)); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}

func BenchmarkExportCard(b *testing.B) {
	p := importFile(b, "cards/mira_v2.png").Persona
	for _, asPNG := range []bool{false, true} {
		b.Run(fmt.Sprintf("png=%v", asPNG), func(b *testing.B) {
			b.ReportAllocs()
			var out bytes.Buffer
			for b.Loop() {
				out.Reset()
				if err := ExportCard(p, CardV2, asPNG, &out); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkList lists one page, and searches, among 1,000 stored personas.
func BenchmarkList(b *testing.B) {
	r := openRepo(b)
	base := loadPersona(b, "mira")
	for i := range 1000 {
		p := base
		p.Name = fmt.Sprintf("%s %04d", base.Name, i)
		if _, err := r.Create(p, "bench"); err != nil {
			b.Fatal(err)
		}
	}
	for _, opt := range []ListOptions{{Limit: 50}, {Query: "0999"}} {
		b.Run(cmpOr(opt.Query, "page"), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				page, err := r.List(opt)
				if err != nil || page.Total == 0 {
					b.Fatal(page.Total, err)
				}
			}
		})
	}
}

func BenchmarkDiff(b *testing.B) {
	a := importFile(b, "cards/mira_v2.json").Persona
	c := importFile(b, "cards/mira_v2.json").Persona
	c.Description = strings.Replace(c.Description, "trusts", "fears", 1)
	c.Lorebook.Entries[0].Content += " Nobody believes him."
	b.ReportAllocs()
	for b.Loop() {
		Diff(a, c)
	}
}
