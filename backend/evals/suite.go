package evals

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/npcstudio/npcstudio/backend/fault"
)

// Assertion kinds. The first seven are promptfoo's; the others are NPC Studio's own and
// travel in promptfoo files under the same keys (type, value, threshold) plus min/max.
const (
	Contains     = "contains"
	IContains    = "icontains"
	NotContains  = "not-contains"
	NotIContains = "not-icontains"
	Regex        = "regex"
	Similar      = "similar"
	LLMRubric    = "llm-rubric"
	Words        = "words"        // answer length in words within Min..Max
	InCharacter  = "in-character" // none of OutOfCharacter (nor Values) appears
	MentionsLore = "mentions-lore"
	AvoidsLore   = "avoids-lore"
)

// Kinds are every assertion kind, in the order the window offers them.
var Kinds = []string{Contains, IContains, NotContains, NotIContains, Regex, Words, InCharacter, MentionsLore, AvoidsLore, Similar, LLMRubric}

// Bounds on what a suite may hold, so a hostile file cannot exhaust memory or time.
const (
	MaxCases       = 1000
	MaxAssertions  = 32
	MaxTurns       = 20
	MaxText        = 8000 // characters in a message, value or rubric
	MaxPattern     = 512  // characters in a regex
	MaxFileSize    = 4 << 20
	DefaultSimilar = 0.8
)

// OutOfCharacter are phrases an NPC in character never says; matched case-insensitively.
var OutOfCharacter = []string{
	"as an ai", "as an a.i.", "language model", "i cannot assist", "i can't assist", "i'm sorry, but i can't",
	"i am an ai", "i'm an ai", "artificial intelligence", "openai", "my training data", "as a chatbot",
	"i don't have personal", "i do not have personal", "virtual assistant",
}

// Suite is a set of questions for NPCs and what their answers must do.
type Suite struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	// Persona is the persona every case asks (name or id); empty makes a shared suite,
	// whose cases name their persona or take one when run.
	Persona string `json:"persona,omitempty"`
	// Threshold is the pass rate (0..1) a configuration needs; a model version whose
	// attached run of this suite is under it is not ready. 0 means no gate.
	Threshold float64    `json:"threshold,omitempty"`
	Cases     []TestCase `json:"cases"`
}

// TestCase is one question: Turns are earlier player lines, each answered in order before
// Message (a multi-turn case); the assertions judge the answer to Message.
type TestCase struct {
	Description string      `json:"description,omitempty"`
	Persona     string      `json:"persona,omitempty"`
	Turns       []string    `json:"turns,omitempty"`
	Message     string      `json:"message"`
	Assert      []Assertion `json:"assert"`
	// Line is where the case starts in the file it was read from (0 when not from a file).
	Line int `json:"line,omitempty"`
}

// Assertion is one check of an answer.
type Assertion struct {
	Type string `json:"type"`
	// Value is the text, pattern, reference answer or rubric.
	Value string `json:"value,omitempty"`
	// Values are phrases (in-character's extra phrases, lore facts).
	Values []string `json:"values,omitempty"`
	// Threshold is similar's least cosine similarity, or llm-rubric's least score.
	Threshold *float64 `json:"threshold,omitempty"`
	// Min and Max bound words (0: no bound).
	Min  int `json:"min,omitempty"`
	Max  int `json:"max,omitempty"`
	Line int `json:"line,omitempty"`
}

func invalidAt(file string, line int, field, format string, args ...any) error {
	return &fault.ValidationError{File: file, Line: line, Field: field, Reason: fmt.Sprintf(format, args...)}
}

// Validate checks a suite; file names where it came from in errors ("" for none).
func (s *Suite) Validate(file string) error {
	s.Name = strings.TrimSpace(s.Name)
	if s.Name == "" {
		return invalidAt(file, 0, "name", "a suite needs a name")
	}
	if len(s.Name) > 200 {
		return invalidAt(file, 0, "name", "at most 200 characters")
	}
	if s.Threshold < 0 || s.Threshold > 1 {
		return invalidAt(file, 0, "threshold", "%v is not a pass rate between 0 and 1", s.Threshold)
	}
	if len(s.Cases) > MaxCases {
		return invalidAt(file, 0, "tests", "%d cases; at most %d", len(s.Cases), MaxCases)
	}
	for i := range s.Cases {
		if err := s.Cases[i].validate(file, fmt.Sprintf("tests[%d]", i)); err != nil {
			return err
		}
	}
	return nil
}

func (c *TestCase) validate(file, field string) error {
	if strings.TrimSpace(c.Message) == "" {
		return invalidAt(file, c.Line, field+".vars.message", "the player's line is empty")
	}
	if len(c.Message) > MaxText {
		return invalidAt(file, c.Line, field+".vars.message", "longer than %d characters", MaxText)
	}
	if len(c.Turns) > MaxTurns {
		return invalidAt(file, c.Line, field+".vars.turns", "%d turns; at most %d", len(c.Turns), MaxTurns)
	}
	for i, t := range c.Turns {
		if strings.TrimSpace(t) == "" || len(t) > MaxText {
			return invalidAt(file, c.Line, fmt.Sprintf("%s.vars.turns[%d]", field, i), "a turn is empty or longer than %d characters", MaxText)
		}
	}
	if len(c.Assert) == 0 {
		return invalidAt(file, c.Line, field+".assert", "a case needs at least one assertion")
	}
	if len(c.Assert) > MaxAssertions {
		return invalidAt(file, c.Line, field+".assert", "%d assertions; at most %d", len(c.Assert), MaxAssertions)
	}
	for i := range c.Assert {
		if err := c.Assert[i].validate(file, fmt.Sprintf("%s.assert[%d]", field, i)); err != nil {
			return err
		}
	}
	return nil
}

// Validate checks one assertion alone (as the window does while a writer types it).
func (a *Assertion) Validate() error { return a.validate("", "assert") }

func (a *Assertion) validate(file, field string) error {
	if len(a.Value) > MaxText {
		return invalidAt(file, a.Line, field+".value", "longer than %d characters", MaxText)
	}
	for _, v := range a.Values {
		if len(v) > MaxText {
			return invalidAt(file, a.Line, field+".value", "a phrase is longer than %d characters", MaxText)
		}
	}
	if len(a.Values) > 100 {
		return invalidAt(file, a.Line, field+".value", "at most 100 phrases")
	}
	needValue := func() error {
		if strings.TrimSpace(a.Value) == "" {
			return invalidAt(file, a.Line, field+".value", "%s needs a value", a.Type)
		}
		return nil
	}
	if a.Threshold != nil && (*a.Threshold < 0 || *a.Threshold > 1) {
		return invalidAt(file, a.Line, field+".threshold", "%v is not between 0 and 1", *a.Threshold)
	}
	switch a.Type {
	case Contains, IContains, NotContains, NotIContains, Similar, LLMRubric:
		return needValue()
	case Regex:
		if err := needValue(); err != nil {
			return err
		}
		if len(a.Value) > MaxPattern {
			return invalidAt(file, a.Line, field+".value", "a pattern of %d characters; at most %d", len(a.Value), MaxPattern)
		}
		if _, err := regexp.Compile(a.Value); err != nil {
			return invalidAt(file, a.Line, field+".value", "not a regular expression: %v", err)
		}
	case Words:
		if a.Min < 0 || a.Max < 0 || (a.Max > 0 && a.Min > a.Max) || (a.Min == 0 && a.Max == 0) {
			return invalidAt(file, a.Line, field, "words needs min and/or max, with min ≤ max")
		}
	case InCharacter:
	case MentionsLore, AvoidsLore:
		if len(a.Values) == 0 && strings.TrimSpace(a.Value) != "" {
			a.Values = []string{a.Value}
			a.Value = ""
		}
		if len(a.Values) == 0 {
			return invalidAt(file, a.Line, field+".value", "%s needs at least one lore fact", a.Type)
		}
	default:
		return invalidAt(file, a.Line, field+".type", "unknown assertion type %q; known: %s", a.Type, strings.Join(Kinds, ", "))
	}
	return nil
}
