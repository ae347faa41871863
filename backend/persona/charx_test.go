package persona

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func zipOf(t *testing.T, files map[string][]byte, method uint16) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for name, data := range files {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: method})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data)
	}
	zw.Close()
	return b.Bytes()
}

func zipEntries(t *testing.T, data []byte) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, f := range zr.File {
		rc, _ := f.Open()
		out[f.Name], _ = io.ReadAll(rc)
		rc.Close()
	}
	return out
}

// RisuAI's CHARX (card.json plus assets) imports: its card, lorebook and main icon.
func TestImportRealCHARX(t *testing.T) {
	res := importFile(t, "realcards/tk_test_character_with_lorebook.charx")
	p := res.Persona
	if res.Format != CardV3 || p.Name != "Lorebook Test Character" || p.Nickname != "TestChar" || p.Lorebook == nil || len(p.Lorebook.Entries) != 2 {
		t.Fatalf("%s %+v", res.Format, p)
	}
	raw := readFile(t, "realcards/tk_test_character_with_lorebook.charx")
	icon := zipEntries(t, raw)["assets/main.png"]
	if len(icon) == 0 || !bytes.Equal(p.Avatar, icon) {
		t.Errorf("avatar is not the card's main icon (%d bytes, icon %d)", len(p.Avatar), len(icon))
	}
}

// A persona exported as CHARX and imported again is the same persona, avatar included;
// embedded assets NPC Studio does not keep are named in a warning and not listed again.
func TestCHARXRoundTrip(t *testing.T) {
	avatar := placeholderPNG("Bren")
	card := `{"spec":"chara_card_v3","spec_version":"3.0","data":{"name":"Bren","description":"A ferryman.",
		"assets":[{"type":"icon","uri":"embeded://assets/icon/images/bren.png","name":"main","ext":"png"},
		{"type":"background","uri":"embeded://assets/other/bg.webp","name":"river","ext":"webp"},
		{"type":"emotion","uri":"https://example.com/smile.png","name":"smile","ext":"png"}],
		"x_tool":{"kept":true},"extensions":{}}}`
	src := zipOf(t, map[string][]byte{"card.json": []byte(card), "assets/icon/images/bren.png": avatar, "assets/other/bg.webp": []byte("RIFF....WEBP")}, zip.Deflate)
	first, err := ImportCard("bren.charx", bytes.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first.Persona.Avatar, avatar) || len(first.Warnings) != 1 || !strings.Contains(first.Warnings[0], "assets/other/bg.webp") {
		t.Fatalf("avatar %d bytes, warnings %q", len(first.Persona.Avatar), first.Warnings)
	}
	var out bytes.Buffer
	if err := ExportCard(first.Persona, CardCHARX, false, &out); err != nil {
		t.Fatal(err)
	}
	files := zipEntries(t, out.Bytes())
	if !bytes.Equal(files[charxIcon], avatar) {
		t.Errorf("exported icon differs")
	}
	var exported struct {
		Spec string `json:"spec"`
		Data struct {
			Assets []charxAsset     `json:"assets"`
			XTool  *json.RawMessage `json:"x_tool"`
		} `json:"data"`
	}
	if err := json.Unmarshal(files["card.json"], &exported); err != nil {
		t.Fatal(err)
	}
	want := []charxAsset{{"icon", "embeded://" + charxIcon, "main", "png"}, {"emotion", "https://example.com/smile.png", "smile", "png"}}
	if exported.Spec != specV3 || exported.Data.XTool == nil || !cmp.Equal(exported.Data.Assets, want) {
		t.Errorf("card.json: %s", files["card.json"])
	}
	second, err := ImportCard("again.charx", bytes.NewReader(out.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(second.Persona.Avatar, avatar) || second.Persona.Name != "Bren" || len(second.Warnings) != 0 {
		t.Errorf("re-import: %+v %q", second.Persona.Name, second.Warnings)
	}
}

// A CHARX whose card expands past the limits is refused before it is read whole; one with
// no card.json says so.
func TestCHARXBounded(t *testing.T) {
	bomb := zipOf(t, map[string][]byte{"card.json": bytes.Repeat([]byte(" "), MaxCardSize+1)}, zip.Deflate)
	if len(bomb) > 1<<20 {
		t.Fatalf("the bomb is %d bytes", len(bomb))
	}
	for name, data := range map[string][]byte{
		"bomb.charx":  bomb,
		"empty.charx": zipOf(t, map[string][]byte{"readme.txt": []byte("hi")}, zip.Store),
	} {
		_, err := ImportCard(name, bytes.NewReader(data))
		var ce *CardError
		if !errors.As(err, &ce) || ce.File != name {
			t.Fatalf("%s: %v", name, err)
		}
		if name == "bomb.charx" && !strings.Contains(err.Error(), "expands") {
			t.Errorf("bomb: %v", err)
		}
		if name == "empty.charx" && !strings.Contains(err.Error(), "card.json") {
			t.Errorf("no card: %v", err)
		}
	}
}
