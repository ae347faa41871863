package evals

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/npcstudio/npcstudio/backend/fault"
	"github.com/npcstudio/npcstudio/backend/strictyaml"
)

// promptfoo keys NPC Studio reads nothing from but accepts, so a promptfoo file opens as
// it is: the prompts and providers are the studio's own (personas, configurations).
var (
	ignoredTop    = []string{"prompts", "providers", "evaluateOptions", "sharing", "outputPath", "env", "commandLineOptions", "writeLatestResults", "tags", "metadata"}
	ignoredTest   = []string{"options", "metadata", "provider", "threshold"}
	ignoredAssert = []string{"weight", "metric", "provider", "transform"}
)

// ParseYAML reads a suite in promptfoo's format (the common subset; see doc.go). name
// is used when the file has no description. It refuses, naming the line, unknown
// assertion types and anything past the limits.
func ParseYAML(file string, data []byte) (Suite, error) {
	if len(data) > MaxFileSize {
		return Suite{}, &fault.ValidationError{File: file, Reason: fmt.Sprintf("the file is %d bytes; a suite may have %d", len(data), MaxFileSize)}
	}
	if !utf8.Valid(data) {
		return Suite{}, &fault.ValidationError{File: file, Reason: "not UTF-8 text"}
	}
	p := &yparser{file: file, y: strictyaml.Reader{File: file, Noun: "suite"}}
	root, err := p.y.Document(data)
	if err != nil {
		return Suite{}, err
	}
	if root == nil {
		return Suite{}, invalidAt(file, 1, "", "the file is empty")
	}
	s, err := p.suite(root)
	if err != nil {
		return Suite{}, err
	}
	if err := s.Validate(file); err != nil {
		return Suite{}, err
	}
	return s, nil
}

type yparser struct {
	file string
	y    strictyaml.Reader
}

func (p *yparser) err(n *yaml.Node, field, format string, args ...any) error {
	line := 0
	if n != nil {
		line = n.Line
	}
	return invalidAt(p.file, line, field, format, args...)
}

// fields reads mapping n: known keys by name; ignored keys skipped; others refused.
func (p *yparser) fields(n *yaml.Node, where string, known, ignored []string) (map[string]*yaml.Node, error) {
	vals, _, err := p.y.Fields(n, where, known, ignored)
	return vals, err
}

// plain refuses anchors and aliases: they let a small file expand without bound.
func (p *yparser) plain(n *yaml.Node, where string) error { return p.y.Plain(n, where) }

func (p *yparser) str(n *yaml.Node, field string) (string, error) {
	if n.Kind != yaml.ScalarNode || (n.Tag != "!!str" && n.Tag != "!!int" && n.Tag != "!!float" && n.Tag != "!!bool") {
		return "", p.err(n, field, "must be text")
	}
	if len(n.Value) > MaxText {
		return "", p.err(n, field, "longer than %d characters", MaxText)
	}
	return n.Value, nil
}

func (p *yparser) strs(n *yaml.Node, field string) ([]string, error) {
	if n.Kind == yaml.ScalarNode {
		s, err := p.str(n, field)
		return []string{s}, err
	}
	if n.Kind != yaml.SequenceNode {
		return nil, p.err(n, field, "must be text or a list of text")
	}
	if len(n.Content) > 100 {
		return nil, p.err(n, field, "more than 100 items")
	}
	var out []string
	for i, it := range n.Content {
		f := fmt.Sprintf("%s[%d]", field, i)
		if err := p.plain(it, f); err != nil {
			return nil, err
		}
		s, err := p.str(it, f)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

func (p *yparser) float(n *yaml.Node, field string) (float64, error) {
	if n.Kind != yaml.ScalarNode || (n.Tag != "!!int" && n.Tag != "!!float") {
		return 0, p.err(n, field, "must be a number")
	}
	f, err := strconv.ParseFloat(n.Value, 64)
	if err != nil || f < 0 || f > 1 {
		return 0, p.err(n, field, "must be a number from 0 to 1")
	}
	return f, nil
}

func (p *yparser) int(n *yaml.Node, field string) (int, error) {
	if n.Kind != yaml.ScalarNode || n.Tag != "!!int" {
		return 0, p.err(n, field, "must be a whole number")
	}
	v, err := strconv.Atoi(n.Value)
	if err != nil || v < 0 || v > 100000 {
		return 0, p.err(n, field, "must be a whole number from 0 to 100000")
	}
	return v, nil
}

func (p *yparser) suite(root *yaml.Node) (Suite, error) {
	f, err := p.fields(root, "", []string{"description", "tests", "defaultTest", "npcstudio"}, ignoredTop)
	if err != nil {
		return Suite{}, err
	}
	var s Suite
	if n := f["description"]; n != nil {
		if s.Name, err = p.str(n, "description"); err != nil {
			return s, err
		}
	}
	if n := f["npcstudio"]; n != nil {
		ext, err := p.fields(n, "npcstudio", []string{"name", "description", "persona", "threshold"}, nil)
		if err != nil {
			return s, err
		}
		if v := ext["name"]; v != nil {
			if s.Name, err = p.str(v, "npcstudio.name"); err != nil {
				return s, err
			}
		}
		if v := ext["description"]; v != nil {
			if s.Description, err = p.str(v, "npcstudio.description"); err != nil {
				return s, err
			}
		}
		if v := ext["persona"]; v != nil {
			if s.Persona, err = p.str(v, "npcstudio.persona"); err != nil {
				return s, err
			}
		}
		if v := ext["threshold"]; v != nil {
			if s.Threshold, err = p.float(v, "npcstudio.threshold"); err != nil {
				return s, err
			}
		}
	}
	var defaults TestCase
	if n := f["defaultTest"]; n != nil {
		if defaults, err = p.test(n, "defaultTest", true); err != nil {
			return s, err
		}
		if defaults.Persona != "" && s.Persona == "" {
			s.Persona = defaults.Persona
		}
	}
	n := f["tests"]
	if n == nil {
		return s, p.err(root, "tests", "a suite needs tests")
	}
	if n.Kind != yaml.SequenceNode {
		return s, p.err(n, "tests", "must be a list")
	}
	if len(n.Content) > MaxCases {
		return s, p.err(n, "tests", "%d tests; at most %d", len(n.Content), MaxCases)
	}
	for i, tn := range n.Content {
		c, err := p.test(tn, fmt.Sprintf("tests[%d]", i), false)
		if err != nil {
			return s, err
		}
		if c.Persona == s.Persona {
			c.Persona = ""
		}
		if len(c.Assert)+len(defaults.Assert) > MaxAssertions {
			return s, p.err(tn, fmt.Sprintf("tests[%d].assert", i), "more than %d assertions", MaxAssertions)
		}
		c.Assert = append(c.Assert, defaults.Assert...)
		s.Cases = append(s.Cases, c)
	}
	return s, nil
}

func (p *yparser) test(n *yaml.Node, where string, isDefault bool) (TestCase, error) {
	c := TestCase{Line: n.Line}
	f, err := p.fields(n, where, []string{"description", "vars", "assert"}, ignoredTest)
	if err != nil {
		return c, err
	}
	if v := f["description"]; v != nil {
		if c.Description, err = p.str(v, where+".description"); err != nil {
			return c, err
		}
	}
	if v := f["vars"]; v != nil {
		vars, err := p.fields(v, where+".vars", []string{"message", "persona", "turns"}, nil)
		if err != nil {
			return c, err
		}
		if m := vars["message"]; m != nil {
			if c.Message, err = p.str(m, where+".vars.message"); err != nil {
				return c, err
			}
		}
		if m := vars["persona"]; m != nil {
			if c.Persona, err = p.str(m, where+".vars.persona"); err != nil {
				return c, err
			}
		}
		if m := vars["turns"]; m != nil {
			if m.Kind != yaml.SequenceNode {
				return c, p.err(m, where+".vars.turns", "must be a list of the player's earlier lines")
			}
			if len(m.Content) > MaxTurns {
				return c, p.err(m, where+".vars.turns", "more than %d turns", MaxTurns)
			}
			if c.Turns, err = p.strs(m, where+".vars.turns"); err != nil {
				return c, err
			}
		}
	}
	if !isDefault && strings.TrimSpace(c.Message) == "" {
		return c, p.err(n, where+".vars.message", "each test needs vars.message, the player's line")
	}
	if v := f["assert"]; v != nil {
		if v.Kind != yaml.SequenceNode {
			return c, p.err(v, where+".assert", "must be a list")
		}
		if len(v.Content) > MaxAssertions {
			return c, p.err(v, where+".assert", "more than %d assertions", MaxAssertions)
		}
		for i, an := range v.Content {
			a, err := p.assertion(an, fmt.Sprintf("%s.assert[%d]", where, i))
			if err != nil {
				return c, err
			}
			c.Assert = append(c.Assert, a)
		}
	}
	return c, nil
}

func (p *yparser) assertion(n *yaml.Node, where string) (Assertion, error) {
	a := Assertion{Line: n.Line}
	f, err := p.fields(n, where, []string{"type", "value", "threshold", "min", "max"}, ignoredAssert)
	if err != nil {
		return a, err
	}
	tn := f["type"]
	if tn == nil {
		return a, p.err(n, where+".type", "an assertion needs a type")
	}
	if a.Type, err = p.str(tn, where+".type"); err != nil {
		return a, err
	}
	if !slices.Contains(Kinds, a.Type) {
		return a, p.err(tn, where+".type", "unknown assertion type %q; known: %s", a.Type, strings.Join(Kinds, ", "))
	}
	if v := f["value"]; v != nil {
		switch a.Type {
		case InCharacter, MentionsLore, AvoidsLore:
			if a.Values, err = p.strs(v, where+".value"); err != nil {
				return a, err
			}
		default:
			if a.Value, err = p.str(v, where+".value"); err != nil {
				return a, err
			}
		}
	}
	if v := f["threshold"]; v != nil {
		t, err := p.float(v, where+".threshold")
		if err != nil {
			return a, err
		}
		a.Threshold = &t
	}
	if v := f["min"]; v != nil {
		if a.Min, err = p.int(v, where+".min"); err != nil {
			return a, err
		}
	}
	if v := f["max"]; v != nil {
		if a.Max, err = p.int(v, where+".max"); err != nil {
			return a, err
		}
	}
	return a, nil
}

// WriteYAML writes s in promptfoo's format. NPC Studio's own fields (the suite's name
// when it has a description, its threshold, its persona) go under npcstudio and
// defaultTest.vars.persona, which promptfoo reads as a default variable.
func WriteYAML(s Suite) ([]byte, error) {
	type pfAssert struct {
		Type      string   `yaml:"type"`
		Value     any      `yaml:"value,omitempty"`
		Threshold *float64 `yaml:"threshold,omitempty"`
		Min       int      `yaml:"min,omitempty"`
		Max       int      `yaml:"max,omitempty"`
	}
	type pfVars struct {
		Message string   `yaml:"message"`
		Persona string   `yaml:"persona,omitempty"`
		Turns   []string `yaml:"turns,omitempty"`
	}
	type pfTest struct {
		Description string     `yaml:"description,omitempty"`
		Vars        pfVars     `yaml:"vars"`
		Assert      []pfAssert `yaml:"assert"`
	}
	type pfDefault struct {
		Vars map[string]string `yaml:"vars"`
	}
	type pfExt struct {
		Name        string  `yaml:"name,omitempty"`
		Description string  `yaml:"description,omitempty"`
		Threshold   float64 `yaml:"threshold,omitempty"`
	}
	type pfFile struct {
		Description string     `yaml:"description"`
		NPCStudio   *pfExt     `yaml:"npcstudio,omitempty"`
		DefaultTest *pfDefault `yaml:"defaultTest,omitempty"`
		Tests       []pfTest   `yaml:"tests"`
	}
	out := pfFile{Description: s.Name}
	if s.Description != "" || s.Threshold > 0 {
		out.NPCStudio = &pfExt{Description: s.Description, Threshold: s.Threshold}
	}
	if s.Persona != "" {
		out.DefaultTest = &pfDefault{Vars: map[string]string{"persona": s.Persona}}
	}
	for _, c := range s.Cases {
		t := pfTest{Description: c.Description, Vars: pfVars{Message: c.Message, Persona: c.Persona, Turns: c.Turns}}
		for _, a := range c.Assert {
			pa := pfAssert{Type: a.Type, Threshold: a.Threshold, Min: a.Min, Max: a.Max}
			switch {
			case len(a.Values) > 0:
				pa.Value = a.Values
			case a.Value != "":
				pa.Value = a.Value
			}
			t.Assert = append(t.Assert, pa)
		}
		out.Tests = append(out.Tests, t)
	}
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(out); err != nil {
		return nil, err
	}
	enc.Close()
	return b.Bytes(), nil
}
