package persona

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
)

// CardFormat is a Character Card version.
type CardFormat string

// Card formats. ImportCard reads all three; ExportCard writes V2 and V3.
const (
	CardV1 CardFormat = "ccv1"
	CardV2 CardFormat = "ccv2"
	CardV3 CardFormat = "ccv3"
	// CardCHARX is a V3 card in a CHARX zip with its icon (ExportCard ignores png for it).
	CardCHARX CardFormat = "charx"
)

const (
	specV2 = "chara_card_v2"
	specV3 = "chara_card_v3"
)

// Size limits for card files.
const (
	// MaxCardSize bounds a card file, JSON or PNG.
	MaxCardSize = 20 << 20
	// MaxCardChunk bounds the chara or ccv3 text chunk of a PNG.
	MaxCardChunk = 10 << 20
)

// ImportResult is a card turned into a persona, ready for Repository.Create.
type ImportResult struct {
	Persona Persona    `json:"persona"`
	Format  CardFormat `json:"format"`
	PNG     bool       `json:"png"`
	// Warnings are things the writer may want to check, e.g. a field of an unexpected type
	// that was kept as it was but not imported.
	Warnings []string `json:"warnings,omitempty"`
}

// npcExtension is the extensions key under which ExportCard carries the persona fields that
// cards have no place for, so that a card exported by NPC Studio imports complete.
const npcExtension = "npcstudio"

type npcFields struct {
	Role          string         `json:"role,omitempty"`
	SpeechStyle   string         `json:"speechStyle,omitempty"`
	Goals         []string       `json:"goals,omitempty"`
	Relationships []Relationship `json:"relationships,omitempty"`
	Knowledge     *Knowledge     `json:"knowledge,omitempty"`
	SafetyNotes   string         `json:"safetyNotes,omitempty"`
	TemplateID    string         `json:"templateId,omitempty"`
	Template      *Template      `json:"template,omitempty"`
}

// ImportCard reads a Character Card (V1, V2 or V3) from JSON, from a PNG with a chara or
// ccv3 text chunk (ccv3 wins when both are there), or from a CHARX zip (see charx.go). name is the file name used in errors.
// Errors are *CardError.
func ImportCard(name string, r io.Reader) (ImportResult, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxCardSize+1))
	if err != nil {
		return ImportResult{}, &CardError{File: name, Reason: "cannot read: " + err.Error()}
	}
	if len(data) > MaxCardSize {
		return ImportResult{}, &CardError{File: name, Reason: fmt.Sprintf("the file is over the %d MB limit for a card", MaxCardSize>>20)}
	}
	switch {
	case len(data) == 0:
		return ImportResult{}, &CardError{File: name, Reason: "the file is empty"}
	case bytes.HasPrefix(data, pngSignature):
		return importPNG(name, data)
	case bytes.HasPrefix(data, []byte{0xff, 0xd8, 0xff}):
		return ImportResult{}, &CardError{File: name, Reason: "a JPEG image cannot carry a character card; use the PNG or JSON export"}
	case len(data) > 12 && string(data[:4]) == "RIFF" && string(data[8:12]) == "WEBP":
		return ImportResult{}, &CardError{File: name, Reason: "a WebP image cannot carry a character card; use the PNG or JSON export"}
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return importCHARX(name, data)
	}
	text := bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if t := bytes.TrimSpace(text); len(t) == 0 || (t[0] != '{' && t[0] != '[') {
		return ImportResult{}, &CardError{File: name, Reason: "not a character card: expected JSON or a PNG image"}
	}
	return parseCard(where{file: name}, text)
}

// parseCard maps card JSON onto a persona.
func parseCard(at where, data []byte) (ImportResult, error) {
	fail := func(field, reason string) error { return at.fail(field, reason) }
	// Compacting first drops the layout of the values kept as they are, so that a card
	// imported from indented or compact JSON stores the same bytes.
	var compact bytes.Buffer
	if json.Compact(&compact, data) == nil {
		data = compact.Bytes()
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		var syn *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.As(err, &syn):
			line, col := lineCol(data, syn.Offset)
			return ImportResult{}, fail("", fmt.Sprintf("not valid JSON: %s at line %d, column %d", syn.Error(), line, col))
		case errors.As(err, &typ):
			return ImportResult{}, fail("", "a card must be a JSON object, not "+jsonKind(bytes.TrimSpace(data)))
		}
		return ImportResult{}, fail("", "not valid JSON: "+err.Error())
	}
	if top == nil {
		return ImportResult{}, fail("", "a card must be a JSON object, not null")
	}
	res := ImportResult{}
	var spec string
	if raw, ok := top["spec"]; ok {
		if err := json.Unmarshal(raw, &spec); err != nil {
			return ImportResult{}, fail("spec", "must be a string, not "+jsonKind(raw))
		}
	}
	if spec == "lorebook_v3" || (spec == "" && isWorldInfo(top)) {
		return ImportResult{}, fail("", worldInfoHint)
	}
	p := &res.Persona
	switch spec {
	case specV2, specV3:
		res.Format = CardV2
		if spec == specV3 {
			res.Format = CardV3
		}
		rawData, ok := top["data"]
		if !ok {
			return ImportResult{}, fail("data", "missing: a "+spec+" card keeps its fields in data")
		}
		d, err := readObject(at, "data", rawData, &res.Warnings)
		if err != nil {
			return ImportResult{}, err
		}
		if err := readData(d, p); err != nil {
			return ImportResult{}, err
		}
		delete(top, "spec")
		delete(top, "data")
		p.Card = &CardOrigin{Format: res.Format, Extra: nonEmpty(top), DataExtra: d.rest(), Mirrored: mirrored(top, *p)}
		if spec == specV2 {
			liftV3Fields(p)
		}
	case "":
		if _, ok := top["name"]; !ok {
			return ImportResult{}, fail("", "not a character card: no spec and no name")
		}
		res.Format = CardV1
		o := &object{at: at, m: top, warnings: &res.Warnings}
		if err := readData(o, p); err != nil {
			return ImportResult{}, err
		}
		p.Card = &CardOrigin{Format: CardV1, Extra: o.rest()}
	default:
		return ImportResult{}, fail("spec", fmt.Sprintf("%q is not a card format NPC Studio reads (chara_card_v2, chara_card_v3)", spec))
	}
	if strings.TrimSpace(p.Name) == "" {
		field := "data.name"
		if res.Format == CardV1 {
			field = "name"
		}
		return ImportResult{}, fail(field, "the card has no name")
	}
	return res, nil
}

// liftV3Fields takes back the V3-only fields a V2 export keeps under extensions.ccv3, when
// that object holds nothing else; the persona then exports as the V3 card it came from.
func liftV3Fields(p *Persona) {
	raw, ok := p.Extensions[v3Extension]
	if !ok {
		return
	}
	var kept map[string]json.RawMessage
	if json.Unmarshal(raw, &kept) != nil || len(kept) == 0 {
		return
	}
	for key := range kept {
		if !slices.Contains(v3Only, key) {
			return
		}
	}
	o := &object{m: kept}
	take(o, "nickname", &p.Nickname)
	take(o, "group_only_greetings", &p.GroupGreetings)
	for key, v := range o.m {
		if p.Card.DataExtra == nil {
			p.Card.DataExtra = map[string]json.RawMessage{}
		}
		if _, taken := p.Card.DataExtra[key]; !taken {
			p.Card.DataExtra[key] = v
		}
	}
	delete(p.Extensions, v3Extension)
	if len(p.Extensions) == 0 {
		p.Extensions = nil
	}
}

// worldInfoHint says where a World Info file goes instead.
const worldInfoHint = "this is a World Info file (a lorebook), not a character card: import it into the lore library " +
	"with `npcstudio lore book import FILE` (or in the Lore area, Lorebooks), then attach it to a persona " +
	"with `npcstudio lore book attach BOOK --persona P`"

// isWorldInfo tells a SillyTavern world file ({"entries": {...}}, maybe with a name) from
// a V1 card: entries is an object, and a card has none.
func isWorldInfo(top map[string]json.RawMessage) bool {
	raw, ok := top["entries"]
	if !ok {
		return false
	}
	t := bytes.TrimSpace(raw)
	return len(t) > 0 && t[0] == '{'
}

// mirrorFields are the data fields SillyTavern also writes at a V2 card's top level.
func mirrorFields(p Persona) map[string]string {
	return map[string]string{
		"name": p.Name, "description": p.Description, "personality": p.Personality,
		"scenario": p.Scenario, "first_mes": p.FirstGreeting, "mes_example": p.ExampleDialogue,
	}
}

// mirrored lists the top-level copies in top that equal their data field, in a fixed order.
func mirrored(top map[string]json.RawMessage, p Persona) []string {
	fields := mirrorFields(p)
	var out []string
	for _, key := range []string{"name", "description", "personality", "scenario", "first_mes", "mes_example"} {
		var v string
		if raw, ok := top[key]; ok && json.Unmarshal(raw, &v) == nil && v == fields[key] {
			out = append(out, key)
		}
	}
	return out
}

func nonEmpty(m map[string]json.RawMessage) map[string]json.RawMessage {
	if len(m) == 0 {
		return nil
	}
	return m
}

func lineCol(data []byte, offset int64) (int, int) {
	if offset > int64(len(data)) {
		offset = int64(len(data))
	}
	before := data[:offset]
	line := 1 + bytes.Count(before, []byte("\n"))
	col := int(offset) - (bytes.LastIndexByte(before, '\n') + 1)
	return line, col
}

// readData takes the card fields of a data object (or of a V1 card's top level).
func readData(o *object, p *Persona) error {
	take(o, "name", &p.Name)
	take(o, "nickname", &p.Nickname)
	take(o, "description", &p.Description)
	take(o, "personality", &p.Personality)
	take(o, "scenario", &p.Scenario)
	take(o, "first_mes", &p.FirstGreeting)
	take(o, "mes_example", &p.ExampleDialogue)
	take(o, "creator_notes", &p.CreatorNotes)
	take(o, "system_prompt", &p.SystemPrompt)
	take(o, "post_history_instructions", &p.PostHistoryInstructions)
	take(o, "alternate_greetings", &p.AlternateGreetings)
	take(o, "group_only_greetings", &p.GroupGreetings)
	take(o, "tags", &p.Tags)
	take(o, "creator", &p.Creator)
	take(o, "character_version", &p.CharacterVersion)
	take(o, "extensions", &p.Extensions)
	if raw, ok := o.m["character_book"]; ok && jsonKind(raw) != "null" {
		book, err := readBook(o.at, o.field("character_book"), raw)
		if err != nil {
			return err
		}
		p.Lorebook = book
		delete(o.m, "character_book")
	}
	if raw, ok := p.Extensions[npcExtension]; ok {
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		var ext npcFields
		if dec.Decode(&ext) == nil {
			p.Role, p.SpeechStyle, p.Goals, p.Relationships = ext.Role, ext.SpeechStyle, ext.Goals, ext.Relationships
			p.SafetyNotes, p.TemplateID, p.Template = ext.SafetyNotes, ext.TemplateID, ext.Template
			if ext.Knowledge != nil {
				p.Knowledge = *ext.Knowledge
			}
			delete(p.Extensions, npcExtension)
			if len(p.Extensions) == 0 {
				p.Extensions = nil
			}
		}
	}
	return nil
}

func readBook(at where, path string, raw json.RawMessage) (*Lorebook, error) {
	o, err := readObject(at, path, raw, nil)
	if err != nil {
		return nil, err
	}
	b := &Lorebook{}
	take(o, "name", &b.Name)
	take(o, "description", &b.Description)
	take(o, "scan_depth", &b.ScanDepth)
	take(o, "token_budget", &b.TokenBudget)
	take(o, "recursive_scanning", &b.RecursiveScanning)
	take(o, "extensions", &b.Extensions)
	if raw, ok := o.m["entries"]; ok && jsonKind(raw) != "null" {
		var entries []json.RawMessage
		if err := json.Unmarshal(raw, &entries); err != nil {
			return nil, at.fail(path+".entries", "must be a list of entries, not "+jsonKind(raw))
		}
		for i, er := range entries {
			e, err := readEntry(at, fmt.Sprintf("%s.entries[%d]", path, i), er)
			if err != nil {
				return nil, err
			}
			b.Entries = append(b.Entries, e)
		}
		delete(o.m, "entries")
	}
	b.Extra = o.rest()
	return b, nil
}

func readEntry(at where, path string, raw json.RawMessage) (LoreEntry, error) {
	o, err := readObject(at, path, raw, nil)
	if err != nil {
		return LoreEntry{}, err
	}
	var e LoreEntry
	take(o, "keys", &e.Keys)
	take(o, "content", &e.Content)
	take(o, "extensions", &e.Extensions)
	take(o, "enabled", &e.Enabled)
	take(o, "insertion_order", &e.InsertionOrder)
	take(o, "case_sensitive", &e.CaseSensitive)
	take(o, "constant", &e.Constant)
	take(o, "name", &e.Name)
	take(o, "priority", &e.Priority)
	take(o, "id", &e.ID)
	take(o, "comment", &e.Comment)
	take(o, "selective", &e.Selective)
	take(o, "secondary_keys", &e.SecondaryKeys)
	take(o, "position", &e.Position)
	take(o, "use_regex", &e.UseRegex)
	e.Extra = o.rest()
	return e, nil
}

// ExportCard writes p as a Character Card V2 or V3, as indented JSON or inside a PNG. The
// PNG is p.Avatar with its card chunks replaced, or a small generated image when p has no
// avatar; a V3 PNG also carries a V2 chara chunk for older readers.
func ExportCard(p Persona, format CardFormat, png bool, w io.Writer) error {
	file := p.Name + " (" + string(format) + ")"
	if format == CardCHARX {
		return ExportCHARX(p, w)
	}
	if format != CardV2 && format != CardV3 {
		return &CardError{File: file, Reason: fmt.Sprintf("cannot export %q: choose ccv2, ccv3 or charx", format)}
	}
	card, err := cardJSON(p, format)
	if err != nil {
		return &CardError{File: file, Reason: err.Error()}
	}
	if !png {
		var out bytes.Buffer
		if err := json.Indent(&out, card, "", "  "); err != nil {
			return &CardError{File: file, Reason: err.Error()}
		}
		out.WriteByte('\n')
		_, err := w.Write(out.Bytes())
		return err
	}
	texts := []textChunk{{keyword: "chara", data: card}}
	if format == CardV3 {
		v2, err := cardJSON(p, CardV2)
		if err != nil {
			return &CardError{File: file, Reason: err.Error()}
		}
		texts = []textChunk{{keyword: "chara", data: v2}, {keyword: "ccv3", data: card}}
	}
	img := p.Avatar
	if len(img) == 0 {
		img = placeholderPNG(p.Name)
	}
	out, err := replaceCardChunks(img, texts)
	if err != nil {
		return &CardError{File: file, Field: "avatar", Reason: err.Error()}
	}
	_, err = w.Write(out)
	return err
}

// cardJSON is the compact card JSON, keys in the spec's order.
func cardJSON(p Persona, format CardFormat) ([]byte, error) {
	origin := p.Card
	if origin == nil {
		origin = &CardOrigin{}
	}
	top := newObjectWriter(maps.Clone(origin.Extra))
	if origin.Format != format {
		delete(top.extra, "spec_version") // only the card's own format keeps its spec_version
	}
	spec, version := specV2, "2.0"
	if format == CardV3 {
		spec, version = specV3, "3.0"
	}
	top.put("spec", spec, true)
	if raw, ok := top.extra["spec_version"]; ok {
		top.raw("spec_version", raw)
	} else {
		top.put("spec_version", version, true)
	}
	top.value("data", dataWriter(p, format, origin))
	// Copies of data fields at the top level (for V1 readers, as SillyTavern writes them)
	// that matched their field on import follow it; other top-level keys of a V2 or V3 card
	// stay as they were. A V1 card's own fields that were left over (empty ones, which are
	// not taken) are dropped: a V2 or V3 card keeps its fields in data.
	fields := mirrorFields(p)
	for key := range v1Fields {
		if origin.Format == CardV1 {
			delete(top.extra, key)
			continue
		}
		if !slices.Contains(origin.Mirrored, key) {
			continue
		}
		if _, ok := top.extra[key]; !ok {
			continue
		}
		if raw, err := marshal(fields[key]); err == nil {
			top.extra[key] = raw
		}
	}
	return marshal(top)
}

// v1Fields are the fields of a V1 card, which V2 and V3 keep in data.
var v1Fields = map[string]bool{
	"name": true, "description": true, "personality": true, "scenario": true, "first_mes": true, "mes_example": true,
}

// v3Only are the data fields V3 added. A V2 export keeps them under data.extensions.ccv3,
// where a V2 reader leaves them alone and from where ImportCard takes them back.
var v3Only = []string{"nickname", "creator_notes_multilingual", "source", "group_only_greetings", "assets", "creation_date", "modification_date"}

const v3Extension = "ccv3"

func dataWriter(p Persona, format CardFormat, origin *CardOrigin) *objectWriter {
	v3 := format == CardV3
	dataExtra := origin.DataExtra
	ext := extensionsOut(p)
	if !v3 {
		dataExtra = maps.Clone(dataExtra)
		kept := map[string]json.RawMessage{}
		for _, key := range v3Only {
			if raw, ok := dataExtra[key]; ok {
				kept[key] = raw
				delete(dataExtra, key)
			}
		}
		if p.Nickname != "" {
			kept["nickname"], _ = marshal(p.Nickname)
		}
		if len(p.GroupGreetings) > 0 {
			kept["group_only_greetings"], _ = marshal(p.GroupGreetings)
		}
		if len(kept) > 0 {
			if raw, err := marshal(kept); err == nil {
				ext = maps.Clone(ext)
				ext[v3Extension] = raw
			}
		}
	}
	d := newObjectWriter(dataExtra)
	d.put("name", p.Name, true)
	d.put("description", p.Description, true)
	d.put("personality", p.Personality, true)
	d.put("scenario", p.Scenario, true)
	d.put("first_mes", p.FirstGreeting, true)
	d.put("mes_example", p.ExampleDialogue, true)
	d.put("creator_notes", p.CreatorNotes, true)
	d.put("system_prompt", p.SystemPrompt, true)
	d.put("post_history_instructions", p.PostHistoryInstructions, true)
	d.put("alternate_greetings", strs(p.AlternateGreetings), true)
	if p.Lorebook != nil {
		d.value("character_book", bookWriter(p.Lorebook, v3))
	} else {
		d.put("character_book", nil, false)
	}
	d.put("tags", strs(p.Tags), true)
	d.put("creator", p.Creator, true)
	d.put("character_version", p.CharacterVersion, true)
	d.put("extensions", ext, true)
	if v3 {
		d.put("nickname", p.Nickname, false)
		d.put("group_only_greetings", strs(p.GroupGreetings), true)
	}
	return d
}

// extensionsOut is p.Extensions plus the persona fields cards have no key for.
func extensionsOut(p Persona) map[string]json.RawMessage {
	ext := npcFields{
		Role: p.Role, SpeechStyle: p.SpeechStyle, Goals: p.Goals, Relationships: p.Relationships,
		SafetyNotes: p.SafetyNotes, TemplateID: p.TemplateID, Template: p.Template,
	}
	if p.Knowledge.Boundaries != "" || len(p.Knowledge.LoreCollections) > 0 {
		k := p.Knowledge
		ext.Knowledge = &k
	}
	out := rawMap(maps.Clone(p.Extensions))
	if raw, err := marshal(ext); err == nil && string(raw) != "{}" {
		out[npcExtension] = raw
	}
	return out
}

func bookWriter(b *Lorebook, v3 bool) *objectWriter {
	w := newObjectWriter(b.Extra)
	w.put("name", b.Name, false)
	w.put("description", b.Description, false)
	w.put("scan_depth", b.ScanDepth, false)
	w.put("token_budget", b.TokenBudget, false)
	w.put("recursive_scanning", b.RecursiveScanning, false)
	w.put("extensions", rawMap(b.Extensions), true)
	entries := make([]*objectWriter, len(b.Entries))
	for i := range b.Entries {
		entries[i] = entryWriter(&b.Entries[i], v3)
	}
	w.value("entries", entries)
	return w
}

func entryWriter(e *LoreEntry, v3 bool) *objectWriter {
	w := newObjectWriter(e.Extra)
	w.put("keys", strs(e.Keys), true)
	w.put("content", e.Content, true)
	w.put("extensions", rawMap(e.Extensions), true)
	w.put("enabled", e.Enabled, true)
	w.put("insertion_order", e.InsertionOrder, true)
	w.put("case_sensitive", e.CaseSensitive, false)
	w.put("constant", e.Constant, false)
	w.put("name", e.Name, false)
	w.put("priority", e.Priority, false)
	w.put("id", e.ID, false)
	w.put("comment", e.Comment, false)
	w.put("selective", e.Selective, false)
	w.put("secondary_keys", e.SecondaryKeys, false)
	w.put("position", e.Position, false)
	w.put("use_regex", e.UseRegex, v3)
	return w
}
