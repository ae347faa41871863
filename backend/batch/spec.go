package batch

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	yaml "go.yaml.in/yaml/v3"

	"github.com/npcstudio/npcstudio/backend/chat"
	"github.com/npcstudio/npcstudio/backend/fault"
	"github.com/npcstudio/npcstudio/backend/strictyaml"
)

// Limits on a spec, so that a hostile or mistaken file cannot exhaust memory.
const (
	MaxSpecBytes    = 4 << 20
	MaxLines        = 100_000
	MaxVariants     = 20
	maxIDLen        = 48
	maxTextRunes    = 4000
	maxListItems    = 64
	DefaultVariants = 1
)

// Spec is a batch of scenes to write lines for.
type Spec struct {
	// File is the name the spec was read from, for messages.
	File   string  `json:"file,omitempty"`
	Scenes []Scene `json:"scenes"`
}

// Scene is one place and moment, with the personas who speak in it and its beats.
type Scene struct {
	ID       string   `json:"id"`
	Setting  string   `json:"setting,omitempty"`
	Personas []string `json:"personas"`
	Beats    []Beat   `json:"beats"`
	Line     int      `json:"line,omitempty"`
	// PersonasLine is the line of the personas field, for messages.
	PersonasLine int `json:"-"`
}

// Beat is one moment of a scene that a persona speaks a line for: either a direction
// (what the line must do) or a player's line to answer, or both.
type Beat struct {
	ID      string `json:"id"`
	Persona string `json:"persona"`
	// Direction says what the line does; it also goes to the voice director.
	Direction string `json:"direction,omitempty"`
	// Player is the player's line the persona answers.
	Player      string      `json:"player,omitempty"`
	Variants    int         `json:"variants"`
	Constraints Constraints `json:"constraints"`
	Model       chat.Config `json:"model"`
	Line        int         `json:"line,omitempty"`
}

// Constraints every line of a beat must meet; a line that misses one is flagged.
type Constraints struct {
	MaxWords    int      `json:"maxWords,omitempty"`
	Tone        []string `json:"tone,omitempty"`
	MustMention []string `json:"mustMention,omitempty"`
}

// Lines returns the number of lines the spec asks for.
func (s Spec) Lines() int {
	n := 0
	for _, sc := range s.Scenes {
		for _, b := range sc.Beats {
			n += b.Variants
		}
	}
	return n
}

// idPattern is what scene and beat ids may be: a Yarn Spinner node title (an
// identifier) that is also safe in a line id and a file name.
var idPattern = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// specErr is a ValidationError for the spec file at node n.
func specErr(file string, n *yaml.Node, field, format string, args ...any) error {
	line := 0
	if n != nil {
		line = n.Line
	}
	return &fault.ValidationError{File: file, Line: line, Field: field, Reason: fmt.Sprintf(format, args...)}
}

// defaults are what a spec's top level sets for every scene.
type defaults struct {
	variants    int
	constraints Constraints
	model       chat.Config
	hasModel    bool
}

// ParseSpec reads a YAML spec. It refuses, naming the line, anything it does not know:
// unknown fields, duplicate scene or beat ids, a beat's persona that is not in its
// scene, a scene without a model, and inputs past the limits. Personas are checked
// against the workspace by Check.
func ParseSpec(file string, data []byte) (Spec, error) {
	if len(data) > MaxSpecBytes {
		return Spec{}, &fault.ValidationError{File: file, Reason: fmt.Sprintf("the spec is %d bytes, more than the %d a spec may have: split it", len(data), MaxSpecBytes)}
	}
	if !utf8.Valid(data) {
		return Spec{}, &fault.ValidationError{File: file, Reason: "the spec is not UTF-8 text"}
	}
	p := &parser{file: file, y: strictyaml.Reader{File: file, Noun: "spec"}}
	root, err := p.y.Document(data)
	if err != nil {
		return Spec{}, err
	}
	if root == nil {
		return Spec{}, &fault.ValidationError{File: file, Line: 1, Reason: "the spec is empty"}
	}
	spec, err := p.spec(root)
	if err != nil {
		return Spec{}, err
	}
	spec.File = file
	return spec, nil
}

type parser struct {
	file string
	y    strictyaml.Reader
}

// fields checks that n is a mapping whose keys are all in allowed and returns them by
// name, each with its key node (for lines).
func (p *parser) fields(n *yaml.Node, where string, allowed ...string) (map[string]*yaml.Node, map[string]*yaml.Node, error) {
	return p.y.Fields(n, where, allowed, nil)
}

// plain refuses anchors, aliases and merge keys: a spec is written out in full.
func (p *parser) plain(n *yaml.Node, where string) error { return p.y.Plain(n, where) }

func (p *parser) str(n *yaml.Node, field string, maxRunes int) (string, error) {
	if n.Kind != yaml.ScalarNode || (n.Tag != "!!str" && n.Tag != "!!int" && n.Tag != "!!float" && n.Tag != "!!bool") {
		return "", specErr(p.file, n, field, "must be text")
	}
	if utf8.RuneCountInString(n.Value) > maxRunes {
		return "", specErr(p.file, n, field, "longer than %d characters", maxRunes)
	}
	return strings.TrimSpace(n.Value), nil
}

func (p *parser) id(n *yaml.Node, field string) (string, error) {
	s, err := p.str(n, field, maxIDLen*4)
	if err != nil {
		return "", err
	}
	if len(s) > maxIDLen || !idPattern.MatchString(s) {
		return "", specErr(p.file, n, field, "%q is not an id: use letters, digits and underscores, starting with a letter, at most %d characters", s, maxIDLen)
	}
	return s, nil
}

func (p *parser) int(n *yaml.Node, field string, lo, hi int) (int, error) {
	if n.Kind != yaml.ScalarNode || n.Tag != "!!int" {
		return 0, specErr(p.file, n, field, "must be a whole number")
	}
	v, err := strconv.Atoi(n.Value)
	if err != nil || v < lo || v > hi {
		return 0, specErr(p.file, n, field, "must be from %d to %d", lo, hi)
	}
	return v, nil
}

func (p *parser) list(n *yaml.Node, field string) ([]string, error) {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!str" {
		// One item written without brackets.
		s, err := p.str(n, field, 200)
		if err != nil || s == "" {
			return nil, err
		}
		return []string{s}, nil
	}
	if n.Kind != yaml.SequenceNode {
		return nil, specErr(p.file, n, field, "must be a list")
	}
	if len(n.Content) > maxListItems {
		return nil, specErr(p.file, n, field, "more than %d items", maxListItems)
	}
	var out []string
	for i, it := range n.Content {
		f := fmt.Sprintf("%s[%d]", field, i)
		if err := p.plain(it, f); err != nil {
			return nil, err
		}
		s, err := p.str(it, f, 200)
		if err != nil {
			return nil, err
		}
		if s == "" {
			return nil, specErr(p.file, it, f, "is empty")
		}
		out = append(out, s)
	}
	return out, nil
}

func (p *parser) spec(root *yaml.Node) (Spec, error) {
	f, keys, err := p.fields(root, "", "version", "defaults", "scenes")
	if err != nil {
		return Spec{}, err
	}
	if v, ok := f["version"]; ok {
		n, err := p.int(v, "version", 1, 1)
		if err != nil || n != 1 {
			return Spec{}, specErr(p.file, v, "version", "this version of NPC Studio reads spec version 1")
		}
	}
	d := defaults{variants: DefaultVariants}
	if dn, ok := f["defaults"]; ok {
		if d, err = p.defaults(dn); err != nil {
			return Spec{}, err
		}
	}
	sn, ok := f["scenes"]
	if !ok {
		return Spec{}, specErr(p.file, root, "scenes", "a spec needs a list of scenes")
	}
	_ = keys
	if sn.Kind != yaml.SequenceNode || len(sn.Content) == 0 {
		return Spec{}, specErr(p.file, sn, "scenes", "must be a list of at least one scene")
	}
	var spec Spec
	seen := map[string]int{}
	total := 0
	for i, n := range sn.Content {
		sc, err := p.scene(n, fmt.Sprintf("scenes[%d]", i), d)
		if err != nil {
			return Spec{}, err
		}
		if first, dup := seen[sc.ID]; dup {
			return Spec{}, specErr(p.file, n, fmt.Sprintf("scenes[%d].id", i), "scene %q is already defined on line %d", sc.ID, first)
		}
		seen[sc.ID] = sc.Line
		for _, b := range sc.Beats {
			total += b.Variants
		}
		if total > MaxLines {
			return Spec{}, specErr(p.file, n, fmt.Sprintf("scenes[%d]", i), "the spec asks for more than %d lines: split it", MaxLines)
		}
		spec.Scenes = append(spec.Scenes, sc)
	}
	if err := checkLineIDs(p.file, spec); err != nil {
		return Spec{}, err
	}
	return spec, nil
}

func (p *parser) defaults(n *yaml.Node) (defaults, error) {
	d := defaults{variants: DefaultVariants}
	f, _, err := p.fields(n, "defaults", "variants", "constraints", "model")
	if err != nil {
		return d, err
	}
	if v, ok := f["variants"]; ok {
		if d.variants, err = p.int(v, "defaults.variants", 1, MaxVariants); err != nil {
			return d, err
		}
	}
	if v, ok := f["constraints"]; ok {
		if d.constraints, err = p.constraints(v, "defaults.constraints", Constraints{}); err != nil {
			return d, err
		}
	}
	if v, ok := f["model"]; ok {
		if d.model, err = p.model(v, "defaults.model", chat.Config{}); err != nil {
			return d, err
		}
		d.hasModel = true
	}
	return d, nil
}

func (p *parser) constraints(n *yaml.Node, where string, base Constraints) (Constraints, error) {
	f, _, err := p.fields(n, where, "maxWords", "tone", "mustMention")
	if err != nil {
		return base, err
	}
	c := base
	if v, ok := f["maxWords"]; ok {
		if c.MaxWords, err = p.int(v, where+".maxWords", 1, 1000); err != nil {
			return c, err
		}
	}
	if v, ok := f["tone"]; ok {
		if c.Tone, err = p.list(v, where+".tone"); err != nil {
			return c, err
		}
	}
	if v, ok := f["mustMention"]; ok {
		if c.MustMention, err = p.list(v, where+".mustMention"); err != nil {
			return c, err
		}
	}
	return c, nil
}

// model reads the model configuration a beat is generated with, over base.
func (p *parser) model(n *yaml.Node, where string, base chat.Config) (chat.Config, error) {
	f, _, err := p.fields(n, where, "provider", "model", "mode")
	if err != nil {
		return base, err
	}
	m := base
	if v, ok := f["provider"]; ok {
		if m.Provider, err = p.str(v, where+".provider", 200); err != nil {
			return m, err
		}
	}
	if v, ok := f["model"]; ok {
		if m.Model, err = p.str(v, where+".model", 500); err != nil {
			return m, err
		}
	}
	if v, ok := f["mode"]; ok {
		mode, err := p.str(v, where+".mode", 20)
		if err != nil {
			return m, err
		}
		m.Mode = chat.Mode(mode)
		switch m.Mode {
		case chat.ModeBase, chat.ModeFineTuned, chat.ModeRAG:
		default:
			return m, specErr(p.file, v, where+".mode", "%q is not a mode: use base, finetuned or rag", m.Mode)
		}
	}
	return m, nil
}

func (p *parser) scene(n *yaml.Node, where string, d defaults) (Scene, error) {
	f, _, err := p.fields(n, where, "id", "setting", "personas", "variants", "constraints", "model", "beats")
	if err != nil {
		return Scene{}, err
	}
	sc := Scene{Line: n.Line}
	idn, ok := f["id"]
	if !ok {
		return sc, specErr(p.file, n, where+".id", "a scene needs an id")
	}
	if sc.ID, err = p.id(idn, where+".id"); err != nil {
		return sc, err
	}
	sc.Line = idn.Line
	if v, ok := f["setting"]; ok {
		if sc.Setting, err = p.str(v, where+".setting", maxTextRunes); err != nil {
			return sc, err
		}
	}
	pn, ok := f["personas"]
	if !ok {
		return sc, specErr(p.file, n, where+".personas", "scene %q names no personas", sc.ID)
	}
	sc.PersonasLine = pn.Line
	if sc.Personas, err = p.list(pn, where+".personas"); err != nil {
		return sc, err
	}
	if len(sc.Personas) == 0 {
		return sc, specErr(p.file, pn, where+".personas", "scene %q names no personas", sc.ID)
	}
	local := d
	if v, ok := f["variants"]; ok {
		if local.variants, err = p.int(v, where+".variants", 1, MaxVariants); err != nil {
			return sc, err
		}
	}
	if v, ok := f["constraints"]; ok {
		if local.constraints, err = p.constraints(v, where+".constraints", d.constraints); err != nil {
			return sc, err
		}
	}
	if v, ok := f["model"]; ok {
		if local.model, err = p.model(v, where+".model", d.model); err != nil {
			return sc, err
		}
		local.hasModel = true
	}
	bn, ok := f["beats"]
	if !ok || bn.Kind != yaml.SequenceNode || len(bn.Content) == 0 {
		at := n
		if ok {
			at = bn
		}
		return sc, specErr(p.file, at, where+".beats", "scene %q needs a list of at least one beat", sc.ID)
	}
	seen := map[string]int{}
	for i, b := range bn.Content {
		bw := fmt.Sprintf("%s.beats[%d]", where, i)
		beat, err := p.beat(b, bw, sc, local, pn)
		if err != nil {
			return sc, err
		}
		if first, dup := seen[beat.ID]; dup {
			return sc, specErr(p.file, b, bw+".id", "beat %q is already defined in scene %q on line %d", beat.ID, sc.ID, first)
		}
		seen[beat.ID] = beat.Line
		sc.Beats = append(sc.Beats, beat)
	}
	return sc, nil
}

func (p *parser) beat(n *yaml.Node, where string, sc Scene, d defaults, personasNode *yaml.Node) (Beat, error) {
	f, _, err := p.fields(n, where, "id", "persona", "direction", "player", "variants", "constraints", "model")
	if err != nil {
		return Beat{}, err
	}
	b := Beat{Line: n.Line, Variants: d.variants, Constraints: d.constraints, Model: d.model}
	idn, ok := f["id"]
	if !ok {
		return b, specErr(p.file, n, where+".id", "a beat needs an id")
	}
	if b.ID, err = p.id(idn, where+".id"); err != nil {
		return b, err
	}
	b.Line = idn.Line
	if v, ok := f["persona"]; ok {
		if b.Persona, err = p.str(v, where+".persona", 200); err != nil {
			return b, err
		}
		i := slices.IndexFunc(sc.Personas, func(s string) bool { return strings.EqualFold(s, b.Persona) })
		if i < 0 {
			return b, specErr(p.file, v, where+".persona", "%q is not one of scene %q's personas (%s)", b.Persona, sc.ID, strings.Join(sc.Personas, ", "))
		}
		b.Persona = sc.Personas[i]
	} else if len(sc.Personas) == 1 {
		b.Persona = sc.Personas[0]
	} else {
		return b, specErr(p.file, n, where+".persona", "scene %q has %d personas: say which one speaks this beat", sc.ID, len(sc.Personas))
	}
	if v, ok := f["direction"]; ok {
		if b.Direction, err = p.str(v, where+".direction", maxTextRunes); err != nil {
			return b, err
		}
	}
	if v, ok := f["player"]; ok {
		if b.Player, err = p.str(v, where+".player", maxTextRunes); err != nil {
			return b, err
		}
	}
	if b.Direction == "" && b.Player == "" {
		return b, specErr(p.file, n, where, "beat %q needs a direction, a player line, or both", b.ID)
	}
	if v, ok := f["variants"]; ok {
		if b.Variants, err = p.int(v, where+".variants", 1, MaxVariants); err != nil {
			return b, err
		}
	}
	if v, ok := f["constraints"]; ok {
		if b.Constraints, err = p.constraints(v, where+".constraints", d.constraints); err != nil {
			return b, err
		}
	}
	if v, ok := f["model"]; ok {
		if b.Model, err = p.model(v, where+".model", d.model); err != nil {
			return b, err
		}
	}
	if b.Model.Mode == "" {
		b.Model.Mode = chat.ModeBase
	}
	return b, nil
}

// WithProvider returns the spec with name (the command line's --provider) as the
// provider of every beat that names none.
func WithProvider(s Spec, name string) Spec {
	out := s
	out.Scenes = slices.Clone(s.Scenes)
	for i := range out.Scenes {
		out.Scenes[i].Beats = slices.Clone(out.Scenes[i].Beats)
		for j := range out.Scenes[i].Beats {
			if out.Scenes[i].Beats[j].Model.Provider == "" {
				out.Scenes[i].Beats[j].Model.Provider = name
			}
		}
	}
	return out
}

// PersonaFinder says whether a persona exists; *persona.Repository fits through a
// small adapter (the app wires it).
type PersonaFinder interface {
	Exists(name string) error
}

// Check refuses, before anything runs, a spec that names a persona the workspace does
// not have or leaves a beat without a provider, naming the line of the scene or beat.
func Check(s Spec, personas PersonaFinder) error {
	checked := map[string]error{}
	for i, sc := range s.Scenes {
		for j, b := range sc.Beats {
			if b.Model.Provider == "" {
				return &fault.ValidationError{File: s.File, Line: b.Line, Field: fmt.Sprintf("scenes[%d].beats[%d].model.provider", i, j),
					Reason: fmt.Sprintf("no provider for beat %q: set model.provider in defaults, the scene or the beat, or pass --provider", b.ID)}
			}
		}
		for _, name := range sc.Personas {
			key := strings.ToLower(name)
			err, done := checked[key]
			if !done {
				err = personas.Exists(name)
				checked[key] = err
			}
			if err != nil {
				return &fault.ValidationError{File: s.File, Line: sc.PersonasLine, Field: fmt.Sprintf("scenes[%d].personas", i),
					Reason: fmt.Sprintf("scene %q names persona %q, which this workspace does not have (%v): create or import it first", sc.ID, name, err)}
			}
		}
	}
	return nil
}

func specErrAt(file string, line int, field, format string, args ...any) error {
	return &fault.ValidationError{File: file, Line: line, Field: field, Reason: fmt.Sprintf(format, args...)}
}
