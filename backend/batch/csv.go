package batch

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	yaml "go.yaml.in/yaml/v3"

	"github.com/npcstudio/npcstudio/backend/fault"
)

// CSVColumns are the columns a scene CSV may have, one beat per row. Only scene, beat
// and persona (or personas) are required. A scene's setting, personas and model are
// taken from its rows; rows of one scene that disagree on them are refused. Lists
// (personas, tone, mustMention) are separated by ';'.
var CSVColumns = []string{"scene", "setting", "personas", "beat", "persona", "direction", "player", "variants", "maxWords", "tone", "mustMention", "provider", "model", "mode"}

// ParseCSV reads scenes from CSV (header row first) with the same rules, limits and
// messages as ParseSpec; lines in messages are the CSV's rows.
func ParseCSV(file string, data []byte) (Spec, error) {
	if len(data) > MaxSpecBytes {
		return Spec{}, &fault.ValidationError{File: file, Reason: fmt.Sprintf("the file is %d bytes, more than the %d a spec may have: split it", len(data), MaxSpecBytes)}
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		return Spec{}, &fault.ValidationError{File: file, Reason: "the file is not UTF-8 text"}
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		return Spec{}, &fault.ValidationError{File: file, Line: 1, Reason: "no header row: the first row names the columns (" + strings.Join(CSVColumns, ",") + ")"}
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.TrimSpace(h)
		if !slices.Contains(CSVColumns, h) {
			return Spec{}, &fault.ValidationError{File: file, Line: 1, Field: h, Reason: "unknown column (known: " + strings.Join(CSVColumns, ", ") + ")"}
		}
		if _, dup := col[h]; dup {
			return Spec{}, &fault.ValidationError{File: file, Line: 1, Field: h, Reason: "column named twice"}
		}
		col[h] = i
	}
	for _, need := range []string{"scene", "beat"} {
		if _, ok := col[need]; !ok {
			return Spec{}, &fault.ValidationError{File: file, Line: 1, Field: need, Reason: "the header has no " + need + " column"}
		}
	}
	str := func(v string, line int) *yaml.Node {
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: v, Line: line}
	}
	num := func(v string, line int) *yaml.Node {
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: v, Line: line}
	}
	list := func(v string, line int) *yaml.Node {
		n := &yaml.Node{Kind: yaml.SequenceNode, Line: line}
		for _, s := range strings.Split(v, ";") {
			if s = strings.TrimSpace(s); s != "" {
				n.Content = append(n.Content, str(s, line))
			}
		}
		return n
	}
	mapping := func(line int) *yaml.Node { return &yaml.Node{Kind: yaml.MappingNode, Line: line} }
	set := func(m *yaml.Node, k string, v *yaml.Node) {
		m.Content = append(m.Content, str(k, v.Line), v)
	}
	type sceneRows struct {
		node, beats            *yaml.Node
		setting, personas, mdl string
		line                   int
	}
	var order []string
	scenes := map[string]*sceneRows{}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.Line
			}
			return Spec{}, &fault.ValidationError{File: file, Line: line, Reason: "not valid CSV: " + err.Error()}
		}
		line, _ := r.FieldPos(0)
		if len(rec) > len(header) {
			return Spec{}, &fault.ValidationError{File: file, Line: line, Reason: fmt.Sprintf("%d fields, more than the header's %d", len(rec), len(header))}
		}
		get := func(name string) string {
			if i, ok := col[name]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		if strings.Join(rec, "") == "" {
			continue
		}
		id := get("scene")
		mdl := strings.Join([]string{get("provider"), get("model"), get("mode")}, "\x00")
		sc, ok := scenes[id]
		if !ok {
			sc = &sceneRows{node: mapping(line), beats: &yaml.Node{Kind: yaml.SequenceNode, Line: line}, line: line,
				setting: get("setting"), personas: get("personas"), mdl: mdl}
			set(sc.node, "id", str(id, line))
			if sc.setting != "" {
				set(sc.node, "setting", str(sc.setting, line))
			}
			personas := sc.personas
			if personas == "" {
				personas = get("persona")
			}
			set(sc.node, "personas", list(personas, line))
			if mdl != "\x00\x00" {
				m := mapping(line)
				for _, k := range []string{"provider", "model", "mode"} {
					if v := get(k); v != "" {
						set(m, k, str(v, line))
					}
				}
				set(sc.node, "model", m)
			}
			set(sc.node, "beats", sc.beats)
			scenes[id] = sc
			order = append(order, id)
		} else {
			for _, c := range []struct{ name, first, now string }{{"setting", sc.setting, get("setting")}, {"personas", sc.personas, get("personas")}} {
				if c.now != "" && c.now != c.first {
					return Spec{}, &fault.ValidationError{File: file, Line: line, Field: c.name,
						Reason: fmt.Sprintf("scene %q has another %s on line %d: leave it empty on later rows or make them the same", id, c.name, sc.line)}
				}
			}
			if mdl != "\x00\x00" && mdl != sc.mdl {
				return Spec{}, &fault.ValidationError{File: file, Line: line, Field: "provider",
					Reason: fmt.Sprintf("scene %q has another model on line %d: leave it empty on later rows or make them the same", id, sc.line)}
			}
		}
		b := mapping(line)
		set(b, "id", str(get("beat"), line))
		for _, k := range []string{"persona", "direction", "player"} {
			if v := get(k); v != "" {
				set(b, k, str(v, line))
			}
		}
		if v := get("variants"); v != "" {
			set(b, "variants", num(v, line))
		}
		c := mapping(line)
		if v := get("maxWords"); v != "" {
			set(c, "maxWords", num(v, line))
		}
		if v := get("tone"); v != "" {
			set(c, "tone", list(v, line))
		}
		if v := get("mustMention"); v != "" {
			set(c, "mustMention", list(v, line))
		}
		if len(c.Content) > 0 {
			set(b, "constraints", c)
		}
		sc.beats.Content = append(sc.beats.Content, b)
	}
	if len(order) == 0 {
		return Spec{}, &fault.ValidationError{File: file, Line: 2, Reason: "no scenes: the file has a header and no rows"}
	}
	root := mapping(1)
	seq := &yaml.Node{Kind: yaml.SequenceNode, Line: 1}
	for _, id := range order {
		seq.Content = append(seq.Content, scenes[id].node)
	}
	set(root, "scenes", seq)
	p := &parser{file: file}
	spec, err := p.spec(root)
	if err != nil {
		return Spec{}, err
	}
	spec.File = file
	return spec, nil
}
