package persona

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"strings"

	"github.com/npcstudio/npcstudio/backend/boundedzip"
)

// CHARX is Character Card V3's zip form (RisuAI): card.json at the root, and the files
// its assets list as embeded://path (the spec's spelling; embedded:// is read too).

// charxLimits bound a CHARX file: the file is at most MaxCardSize, and what it expands to
// is bounded like every zip NPC Studio reads.
var charxLimits = boundedzip.Limits{
	MaxFileSize:  MaxCardSize,
	MaxEntries:   1000,
	MaxEntrySize: MaxCardSize,
	MaxTotalSize: 4 * MaxCardSize,
	MaxRatio:     200,
	RatioFloor:   1 << 20,
}

// charxIcon is where ExportCHARX puts the persona's avatar.
const charxIcon = "assets/icon/image/main.png"

type charxAsset struct {
	Type string `json:"type"`
	URI  string `json:"uri"`
	Name string `json:"name"`
	Ext  string `json:"ext"`
}

func embeddedPath(uri string) (string, bool) {
	for _, scheme := range []string{"embeded://", "embedded://"} {
		if p, ok := strings.CutPrefix(uri, scheme); ok {
			return p, true
		}
	}
	return "", false
}

// importCHARX reads a CHARX card: its card.json, and its main icon as the avatar.
func importCHARX(name string, data []byte) (ImportResult, error) {
	zr, err := boundedzip.NewReader(bytes.NewReader(data), int64(len(data)), charxLimits)
	if err != nil {
		return ImportResult{}, &CardError{File: name, Reason: "not a readable CHARX (zip) file: " + err.Error()}
	}
	read := func(entry string) ([]byte, error) {
		f := zr.Lookup(entry)
		if f == nil {
			return nil, fs404
		}
		rc, err := zr.Open(f)
		if err != nil {
			return nil, err
		}
		defer rc.Close()
		return io.ReadAll(rc)
	}
	card, err := read("card.json")
	if errors.Is(err, fs404) {
		return ImportResult{}, &CardError{File: name, Reason: "a CHARX file keeps its card in card.json; this one has none"}
	}
	if err != nil {
		return ImportResult{}, &CardError{File: name, Field: "card.json", Reason: err.Error()}
	}
	res, err := parseCard(where{file: name, chunk: "card.json"}, bytes.TrimPrefix(card, []byte("\xef\xbb\xbf")))
	if err != nil {
		return ImportResult{}, err
	}
	var assets []charxAsset
	if p := res.Persona.Card; p != nil {
		if raw, ok := p.DataExtra["assets"]; ok {
			json.Unmarshal(raw, &assets)
		}
	}
	var dropped []string
	for _, a := range assets {
		path, embedded := embeddedPath(a.URI)
		if !embedded {
			continue
		}
		if a.Type == "icon" && res.Persona.Avatar == nil {
			img, err := read(path)
			switch {
			case errors.Is(err, fs404):
				res.Warnings = append(res.Warnings, fmt.Sprintf("assets: the icon %s is not in the file", path))
			case err != nil:
				return ImportResult{}, &CardError{File: name, Field: path, Reason: err.Error()}
			case !bytes.HasPrefix(img, pngSignature):
				res.Warnings = append(res.Warnings, fmt.Sprintf("assets: the icon %s is not a PNG image; the persona has no avatar", path))
			default:
				res.Persona.Avatar = img
			}
			continue
		}
		dropped = append(dropped, path)
	}
	if len(dropped) > 0 {
		res.Warnings = append(res.Warnings, fmt.Sprintf("assets: %d embedded files (%s) are not kept: NPC Studio keeps a card's main icon only; "+
			"exports list them no more", len(dropped), strings.Join(dropped, ", ")))
	}
	return res, nil
}

var fs404 = errors.New("no such entry")

// ExportCHARX writes p as a CHARX file: card.json (Character Card V3) and the persona's
// avatar (or a generated image) as its main icon. Assets the card lists by URL stay
// listed; embedded ones other than the icon are not kept by NPC Studio and are left out.
func ExportCHARX(p Persona, w io.Writer) error {
	file := p.Name + " (charx)"
	q := p
	origin := CardOrigin{}
	if p.Card != nil {
		origin = *p.Card
	}
	origin.DataExtra = maps.Clone(origin.DataExtra)
	if origin.DataExtra == nil {
		origin.DataExtra = map[string]json.RawMessage{}
	}
	var assets []json.RawMessage
	if raw, ok := origin.DataExtra["assets"]; ok {
		json.Unmarshal(raw, &assets)
	}
	kept := []json.RawMessage{}
	for _, raw := range assets {
		var a charxAsset
		if json.Unmarshal(raw, &a) == nil {
			if _, embedded := embeddedPath(a.URI); embedded || (a.Type == "icon" && a.Name == "main") {
				continue
			}
		}
		kept = append(kept, raw)
	}
	icon, _ := marshal(charxAsset{Type: "icon", URI: "embeded://" + charxIcon, Name: "main", Ext: "png"})
	origin.DataExtra["assets"], _ = marshal(append([]json.RawMessage{icon}, kept...))
	q.Card = &origin
	card, err := cardJSON(q, CardV3)
	if err != nil {
		return &CardError{File: file, Reason: err.Error()}
	}
	var indented bytes.Buffer
	if err := json.Indent(&indented, card, "", "  "); err != nil {
		return &CardError{File: file, Reason: err.Error()}
	}
	img := p.Avatar
	if len(img) == 0 {
		img = placeholderPNG(p.Name)
	}
	zw := zip.NewWriter(w)
	for _, f := range []struct {
		name string
		data []byte
	}{{"card.json", append(indented.Bytes(), '\n')}, {charxIcon, img}} {
		fw, err := zw.Create(f.name)
		if err != nil {
			return err
		}
		if _, err := fw.Write(f.data); err != nil {
			return err
		}
	}
	return zw.Close()
}
