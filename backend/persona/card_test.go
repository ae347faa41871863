package persona

import (
	"bytes"
	"encoding/json"
	"errors"
	"image/png"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func importFile(t testing.TB, rel string) ImportResult {
	t.Helper()
	res, err := ImportCard(filepath.Base(rel), bytes.NewReader(readFile(t, rel)))
	if err != nil {
		t.Fatalf("import %s: %v", rel, err)
	}
	return res
}

func export(t testing.TB, p Persona, f CardFormat, asPNG bool) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := ExportCard(p, f, asPNG, &b); err != nil {
		t.Fatalf("export %s: %v", f, err)
	}
	return b.Bytes()
}

// A card exported unchanged is the card that was imported: every known field, every
// unknown key at every level, every extension, zero values and odd types included.
func TestCardRoundTripJSON(t *testing.T) {
	tests := []struct {
		file   string
		format CardFormat
	}{
		{"cards/mira_v2.json", CardV2},
		{"cards/bren_v3.json", CardV3},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			first := importFile(t, tt.file)
			if first.Format != tt.format || first.PNG {
				t.Fatalf("format %s png %v, want %s", first.Format, first.PNG, tt.format)
			}
			out := export(t, first.Persona, tt.format, false)
			if diff := cmp.Diff(jsonValue(t, readFile(t, tt.file)), jsonValue(t, out)); diff != "" {
				t.Errorf("exported card differs from the original (-original +exported):\n%s", diff)
			}
			second, err := ImportCard("exported.json", bytes.NewReader(out))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(first, second); diff != "" {
				t.Errorf("re-imported persona differs (-first +second):\n%s", diff)
			}
		})
	}
}

func TestImportV2Fields(t *testing.T) {
	res := importFile(t, "cards/mira_v2.json")
	p := res.Persona
	if p.Name != "Mira Saltwhistle" || p.PostHistoryInstructions != "Keep {{char}}'s replies under 80 words." {
		t.Errorf("name %q, post-history %q", p.Name, p.PostHistoryInstructions)
	}
	if len(p.AlternateGreetings) != 2 || len(p.Tags) != 3 || p.CharacterVersion != "1.3" {
		t.Errorf("greetings %v tags %v version %q", p.AlternateGreetings, p.Tags, p.CharacterVersion)
	}
	if got := string(p.Extensions["x_studio"]); got != `{"nested":{"deep":[1,2.50,{"k":null}]},"big":12345678901234567890}` {
		t.Errorf("extension kept as %s", got)
	}
	book := p.Lorebook
	if book == nil || len(book.Entries) != 3 || book.ScanDepth != 4 || book.TokenBudget != 512 {
		t.Fatalf("lorebook = %+v", book)
	}
	f := false
	want := LoreEntry{
		Keys: []string{"lighthouse", "keeper"}, SecondaryKeys: []string{"dark", "lamp"},
		Content:    "The lighthouse has been dark for three winters. Its keeper, Old Bren, claims the lamp oil was stolen.",
		Extensions: book.Entries[0].Extensions, Enabled: true, InsertionOrder: 100, CaseSensitive: &f,
		Name: "Lighthouse", Priority: 10, Selective: true, Position: "before_char",
		Extra: map[string]json.RawMessage{
			"constant": json.RawMessage("false"), "id": json.RawMessage("0"), "comment": json.RawMessage(`""`),
			"x_entry_color": json.RawMessage(`"#ffcc00"`),
		},
	}
	if diff := cmp.Diff(want, book.Entries[0]); diff != "" {
		t.Errorf("entry 0 (-want +got):\n%s", diff)
	}
	if e := book.Entries[1]; !e.Constant || e.ID != 1 || e.CaseSensitive != nil || e.Comment != "brother" {
		t.Errorf("entry 1 = %+v", e)
	}
	if e := book.Entries[2]; string(e.Extra["id"]) != `"draft-3"` || string(e.Extra["priority"]) != "2.5" {
		t.Errorf("entry 2 kept %v", e.Extra)
	}
	if got := string(p.Card.DataExtra["x_data_unknown"]); got != `"kept"` {
		t.Errorf("data extra = %s", got)
	}
	if got := string(p.Card.Extra["x_exporter"]); got != `{"tool":"some-card-editor","build":1042,"ratio":0.125}` {
		t.Errorf("top extra = %s", got)
	}
}

func TestImportV3(t *testing.T) {
	p := importFile(t, "cards/bren_v3.json").Persona
	if p.Nickname != "Old Bren" || p.DisplayName() != "Old Bren" || len(p.GroupGreetings) != 1 {
		t.Errorf("nickname %q, group greetings %v", p.Nickname, p.GroupGreetings)
	}
	if _, ok := p.Card.DataExtra["assets"]; !ok {
		t.Error("assets not kept")
	}
}

func TestImportV1(t *testing.T) {
	res := importFile(t, "cards/tavern_v1.json")
	if res.Format != CardV1 || res.Persona.Name != "Gull" || res.Persona.FirstGreeting != "Chips? CHIPS?" {
		t.Fatalf("got %+v", res)
	}
	out := export(t, res.Persona, CardV2, false)
	v := jsonValue(t, out).(map[string]any)
	if v["spec"] != "chara_card_v2" || v["metadata"] == nil {
		t.Errorf("V1 exported as V2: %s", out)
	}
}

func TestImportPNG(t *testing.T) {
	res := importFile(t, "cards/mira_v2.png")
	if !res.PNG || res.Format != CardV2 {
		t.Fatalf("png %v format %s", res.PNG, res.Format)
	}
	fromJSON := importFile(t, "cards/mira_v2.json").Persona
	got := res.Persona
	got.Avatar = nil
	if diff := cmp.Diff(fromJSON, got); diff != "" {
		t.Errorf("PNG card differs from its JSON (-json +png):\n%s", diff)
	}
	// The avatar is the image without its card chunk, other chunks kept.
	chunks, err := readChunks(res.Persona.Avatar)
	if err != nil {
		t.Fatal(err)
	}
	var types []string
	for _, c := range chunks {
		types = append(types, c.typ)
		if _, _, ok := cardKeyword(c); ok {
			t.Error("avatar still holds a card chunk")
		}
	}
	if diff := cmp.Diff([]string{"IHDR", "pHYs", "tEXt", "IDAT", "IEND"}, types); diff != "" {
		t.Errorf("avatar chunks (-want +got):\n%s", diff)
	}
	if _, err := png.Decode(bytes.NewReader(res.Persona.Avatar)); err != nil {
		t.Errorf("avatar does not decode: %v", err)
	}
}

func TestImportPNGPrefersCCV3(t *testing.T) {
	res := importFile(t, "cards/bren_both.png")
	if res.Format != CardV3 || res.Persona.Name != "Bren Harrow" {
		t.Fatalf("format %s name %q", res.Format, res.Persona.Name)
	}
}

func TestPNGRoundTrip(t *testing.T) {
	for _, f := range []CardFormat{CardV2, CardV3} {
		t.Run(string(f), func(t *testing.T) {
			first := importFile(t, "cards/mira_v2.png")
			out := export(t, first.Persona, f, true)
			if _, err := png.Decode(bytes.NewReader(out)); err != nil {
				t.Fatalf("exported PNG does not decode: %v", err)
			}
			second, err := ImportCard("out.png", bytes.NewReader(out))
			if err != nil {
				t.Fatal(err)
			}
			if second.Format != f {
				t.Errorf("format %s, want %s", second.Format, f)
			}
			if !bytes.Equal(first.Persona.Avatar, second.Persona.Avatar) {
				t.Error("avatar changed")
			}
			if f == CardV2 {
				if diff := cmp.Diff(first, second); diff != "" {
					t.Errorf("(-first +second):\n%s", diff)
				}
			}
		})
	}
}

// A persona written in NPC Studio, with no avatar and fields cards lack, survives a card.
func TestExportNewPersona(t *testing.T) {
	p := loadPersona(t, "mira")
	p.ID = ""
	p.TemplateID = TemplateAdaText
	for _, f := range []CardFormat{CardV2, CardV3} {
		for _, asPNG := range []bool{false, true} {
			out := export(t, p, f, asPNG)
			res, err := ImportCard("new", bytes.NewReader(out))
			if err != nil {
				t.Fatalf("%s png=%v: %v", f, asPNG, err)
			}
			got := res.Persona
			got.Card, got.Avatar = nil, nil
			if diff := cmp.Diff(p, got); diff != "" {
				t.Errorf("%s png=%v (-want +got):\n%s", f, asPNG, diff)
			}
		}
	}
}

func TestExportCardUnknownFormat(t *testing.T) {
	err := ExportCard(Persona{Name: "M"}, "ccv9", false, io.Discard)
	var ce *CardError
	if !errors.As(err, &ce) || !strings.Contains(ce.Reason, "ccv2, ccv3 or charx") {
		t.Fatalf("got %v", err)
	}
}

// Top-level copies that matched their data field follow edits; a stale one stays as it was.
func TestExportTopLevelCopies(t *testing.T) {
	p := importFile(t, "cards/mira_v2.json").Persona
	if diff := cmp.Diff([]string{"name", "personality", "scenario", "first_mes", "mes_example"}, p.Card.Mirrored); diff != "" {
		t.Errorf("mirrored (-want +got):\n%s", diff)
	}
	p.Name, p.Description = "Mira", "Changed."
	v := jsonValue(t, export(t, p, CardV2, false)).(map[string]any)
	if v["name"] != "Mira" || v["description"] != "{{char}} runs the harbour forge in Saltmere." {
		t.Errorf("top-level name %v, description %v", v["name"], v["description"])
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// Each malformed card fails with a CardError naming the file and what is wrong.
func TestMalformedCards(t *testing.T) {
	tests := []struct {
		file   string
		field  string
		reason string
	}{
		{"bad/not_json.txt", "", "expected JSON or a PNG"},
		{"bad/broken.json", "", "not valid JSON: invalid character '}' looking for beginning of object key string at line 1, column 51"},
		{"bad/array.json", "", "must be a JSON object, not a list"},
		{"bad/no_name.json", "data.name", "the card has no name"},
		{"bad/data_string.json", "data", "must be a JSON object, not a string"},
		{"bad/entries_not_list.json", "data.character_book.entries", "must be a list of entries, not an object"},
		{"bad/entry_not_object.json", "data.character_book.entries[1]", "must be a JSON object, not a number"},
		{"bad/unknown_spec.json", "spec", `"chara_card_v9" is not a card format`},
		{"bad/no_card.png", "", "carries no character card"},
		{"bad/truncated.png", "", "PNG chunk tEXt at byte 117 declares 5370 bytes but the file has only 196 left"},
		{"bad/oversized_chunk.png", "", "PNG chunk tEXt at byte 117 declares 2147483392 bytes"},
		{"bad/huge_length.png", "", "over the PNG limit of 2 GB"},
		{"bad/no_iend.png", "", "ends without an IEND chunk"},
		{"bad/bad_base64.png", "PNG chunk chara", "not valid base64"},
		{"bad/bad_crc.png", "PNG chunk chara", "checksum does not match"},
		{"bad/chunk_not_json.png", "PNG chunk chara", "not valid JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			name := filepath.Base(tt.file)
			_, err := ImportCard(name, bytes.NewReader(readFile(t, tt.file)))
			var ce *CardError
			if !errors.As(err, &ce) {
				t.Fatalf("want *CardError, got %T %v", err, err)
			}
			if ce.File != name || ce.Field != tt.field || !strings.Contains(ce.Reason, tt.reason) {
				t.Errorf("got %q\nwant file %q, field %q, reason containing %q", err, name, tt.field, tt.reason)
			}
		})
	}
}

func TestMalformedInMemory(t *testing.T) {
	pngHead := readFile(t, "bad/no_card.png")[:33]
	bigChunk, err := replaceCardChunks(placeholderPNG("x"), []textChunk{{keyword: "chara", data: make([]byte, 8<<20+512<<10)}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		r      io.Reader
		reason string
	}{
		{"empty.json", strings.NewReader(""), "the file is empty"},
		{"huge.png", io.MultiReader(bytes.NewReader(pngHead), io.LimitReader(zeros{}, 50<<20)), "the file is over the 20 MB limit for a card"},
		{"big-chunk.png", bytes.NewReader(bigChunk), "PNG chunk chara: is 11 MB; a card chunk is at most 10 MB"},
		{"photo.jpg", strings.NewReader("\xff\xd8\xff\xe0 JFIF"), "JPEG"},
		{"card.charx", strings.NewReader("PK\x03\x04 zip"), "CHARX"},
		{"null.json", strings.NewReader("null"), "expected JSON"},
		{"spec.json", strings.NewReader(`{"spec": 2, "data": {}}`), "spec: must be a string"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ImportCard(tt.name, tt.r)
			var ce *CardError
			if !errors.As(err, &ce) || ce.File != tt.name || !strings.Contains(err.Error(), tt.reason) {
				t.Fatalf("got %v, want a CardError for %s containing %q", err, tt.name, tt.reason)
			}
		})
	}
}

func TestImportWarnsAboutOddTypes(t *testing.T) {
	card := `{"spec":"chara_card_v2","spec_version":"2.0","data":{"name":"M","tags":"smith","description":["a"]}}`
	res, err := ImportCard("odd.json", strings.NewReader(card))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"data.description: expected a string, found a list; kept as it was",
		"data.tags: expected a list of strings, found a string; kept as it was",
	}
	if diff := cmp.Diff(want, res.Warnings); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	v := jsonValue(t, export(t, res.Persona, CardV2, false)).(map[string]any)["data"].(map[string]any)
	if v["tags"] != "smith" {
		t.Errorf("odd value not exported as it was: %v", v["tags"])
	}
}

func TestPNGFallsBackToChara(t *testing.T) {
	img := placeholderPNG("x")
	v2 := `{"spec":"chara_card_v2","spec_version":"2.0","data":{"name":"From chara"}}`
	out, err := replaceCardChunks(img, []textChunk{{keyword: "chara", data: []byte(v2)}, {keyword: "ccv3", data: []byte("{broken")}})
	if err != nil {
		t.Fatal(err)
	}
	res, err := ImportCard("both.png", bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if res.Persona.Name != "From chara" || len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "ccv3") {
		t.Errorf("got %q, warnings %q", res.Persona.Name, res.Warnings)
	}
}

func TestMalformedPNGCardNamesChunk(t *testing.T) {
	card := `{"spec":"chara_card_v2","data":{"name":"x","character_book":{"entries":[1]}}}`
	out, err := replaceCardChunks(placeholderPNG("x"), []textChunk{{keyword: "chara", data: []byte(card)}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = ImportCard("x.png", bytes.NewReader(out))
	want := &CardError{File: "x.png", Field: "PNG chunk chara: data.character_book.entries[0]", Reason: "must be a JSON object, not a number"}
	if diff := cmp.Diff(error(want), err, cmp.Comparer(func(a, b error) bool { return a.Error() == b.Error() })); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
