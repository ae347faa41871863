package evals_test

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/npcstudio/npcstudio/backend/evals"
	"github.com/npcstudio/npcstudio/backend/fault"
)

func readFixture(t testing.TB) []byte {
	raw, err := os.ReadFile("testdata/mira.promptfoo.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func TestPromptfooFileReadsAndRoundTrips(t *testing.T) {
	s, err := evals.ParseYAML("mira.yaml", readFixture(t))
	if err != nil {
		t.Fatal(err)
	}
	if s.Name != "Mira basics" || s.Persona != "Mira Saltwhistle" || s.Threshold != 0.8 || len(s.Cases) != 2 {
		t.Fatalf("%+v", s)
	}
	c := s.Cases[1]
	if c.Message != "What was his name?" || len(c.Turns) != 1 || len(c.Assert) != 4 || c.Assert[1].Max != 40 || c.Assert[2].Values[0] != "Tam" {
		t.Errorf("case 2 %+v", c)
	}
	if a := s.Cases[0].Assert[2]; a.Type != evals.Similar || a.Threshold == nil || *a.Threshold != 0.75 {
		t.Errorf("similar %+v", a)
	}
	out, err := evals.WriteYAML(s)
	if err != nil {
		t.Fatal(err)
	}
	back, err := evals.ParseYAML("out.yaml", out)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	strip := func(s evals.Suite) evals.Suite {
		for i := range s.Cases {
			s.Cases[i].Line = 0
			for j := range s.Cases[i].Assert {
				s.Cases[i].Assert[j].Line = 0
			}
		}
		return s
	}
	if d := cmp.Diff(strip(s), strip(back)); d != "" {
		t.Errorf("round trip (-want +got):\n%s\n%s", d, out)
	}
}

func TestBadFilesNameTheLine(t *testing.T) {
	for _, c := range []struct {
		name, yaml string
		line       int
		reason     string
	}{
		{"unknown type", "description: x\ntests:\n  - vars: {message: hi}\n    assert:\n      - type: javascript\n        value: output.length > 3\n", 5, `unknown assertion type "javascript"`},
		{"no message", "description: x\ntests:\n  - assert:\n      - type: contains\n        value: a\n", 3, "vars.message"},
		{"bad regex", "description: x\ntests:\n  - vars: {message: hi}\n    assert:\n      - type: regex\n        value: '(a'\n", 5, "not a regular expression"},
		{"unknown field", "description: x\ntests:\n  - vars: {message: hi}\n    asserts: []\n", 4, "unknown field"},
		{"alias", "description: x\nbase: &b {message: hi}\ntests:\n  - vars: *b\n", 2, "anchors"},
		{"threshold", "description: x\ntests:\n  - vars: {message: hi}\n    assert:\n      - type: similar\n        value: a\n        threshold: 3\n", 7, "from 0 to 1"},
		{"not yaml", "description: [x\n", 1, "not valid YAML"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := evals.ParseYAML("suite.yaml", []byte(c.yaml))
			var ve *fault.ValidationError
			if !errors.As(err, &ve) || ve.File != "suite.yaml" || !strings.Contains(err.Error(), c.reason) {
				t.Fatalf("err %v, want a validation error with %q", err, c.reason)
			}
			if c.line > 0 && ve.Line != c.line {
				t.Errorf("line %d, want %d (%v)", ve.Line, c.line, err)
			}
		})
	}
	big := make([]byte, evals.MaxFileSize+1)
	if _, err := evals.ParseYAML("big.yaml", big); err == nil {
		t.Error("a file over the limit was read")
	}
}

func FuzzParseYAML(f *testing.F) {
	f.Add(readFixture(f))
	f.Add([]byte("description: x\ntests:\n  - vars: {message: hi}\n    assert: [{type: words, min: 1}]\n"))
	f.Add([]byte("tests: [{vars: {message: a, turns: [b, c]}, assert: [{type: mentions-lore, value: [x, y]}]}]"))
	f.Add([]byte("a: &a [*a]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := evals.ParseYAML("f.yaml", data)
		if err != nil {
			return
		}
		// What was read writes and reads back to the same suite.
		out, err := evals.WriteYAML(s)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := evals.ParseYAML("g.yaml", out); err != nil {
			t.Fatalf("written suite does not read back: %v\n%s", err, out)
		}
	})
}
