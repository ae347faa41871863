package strictyaml

import (
	"errors"
	"testing"

	"github.com/npcstudio/npcstudio/backend/fault"
)

func TestReader(t *testing.T) {
	r := Reader{File: "scenes.yaml", Noun: "spec"}
	read := func(src string) error {
		root, err := r.Document([]byte(src))
		if err != nil || root == nil {
			return err
		}
		f, _, err := r.Fields(root, "", []string{"name", "tags"}, []string{"notes"})
		if err != nil {
			return err
		}
		if n := f["tags"]; n != nil {
			_, _, err = r.Fields(n, "tags", []string{"a"}, nil)
		}
		return err
	}
	for _, c := range []struct {
		name, src string
		line      int
		field     string
		reason    string
	}{
		{"not yaml", "name: [x\n", 1, "", "not valid YAML: yaml: line 1: did not find expected ',' or ']'"},
		{"two documents", "name: a\n---\nname: b\n", 2, "", "the file holds more than one YAML document (---): keep one spec per file"},
		{"unknown", "name: a\ncolour: red\n", 2, "colour", "unknown field (known: name, tags)"},
		{"twice", "name: a\nname: b\n", 2, "name", "set twice"},
		{"alias", "name: &x a\ntags: *x\n", 1, "name", "anchors and aliases (&, *, <<) are not supported in a spec: write the values out"},
		{"not a mapping", "name: a\ntags: [1]\n", 2, "tags", "must be a mapping of fields"},
		{"nested unknown", "tags:\n  b: 1\n", 2, "tags.b", "unknown field (known: a)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var v *fault.ValidationError
			if err := read(c.src); !errors.As(err, &v) {
				t.Fatalf("error %v, want a ValidationError", err)
			}
			if v.File != "scenes.yaml" || v.Line != c.line || v.Field != c.field || v.Reason != c.reason {
				t.Errorf("got %+v\nwant line %d field %q reason %q", *v, c.line, c.field, c.reason)
			}
		})
	}
	for _, ok := range []string{"name: a\nnotes: [anything]\ntags: {a: 1}\n"} {
		if err := read(ok); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
}
