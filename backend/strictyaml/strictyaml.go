// Package strictyaml reads the YAML files writers keep by hand (scene specs, test suites)
// as node trees, strictly: one document, no anchors or aliases, only known fields, and
// every refusal a fault.ValidationError naming the file, line and field.
package strictyaml

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/npcstudio/npcstudio/backend/fault"
)

// Reader reads the nodes of one file. Noun says what the file holds ("spec", "suite")
// in its errors.
type Reader struct {
	File string
	Noun string
}

// Err is a ValidationError at n's line (none when n is nil).
func (r Reader) Err(n *yaml.Node, field, format string, args ...any) error {
	line := 0
	if n != nil {
		line = n.Line
	}
	return &fault.ValidationError{File: r.File, Line: line, Field: field, Reason: fmt.Sprintf(format, args...)}
}

// Document decodes data, which must hold one YAML document, and returns its root node:
// nil when the document holds no node. A file with no document at all is not valid YAML.
func (r Reader) Document(data []byte) (*yaml.Node, error) {
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		return nil, &fault.ValidationError{File: r.File, Line: errLine(err), Reason: "not valid YAML: " + err.Error()}
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return nil, r.Err(&extra, "", "the file holds more than one YAML document (---): keep one %s per file", r.Noun)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		return nil, nil
	}
	return doc.Content[0], nil
}

var lineInErr = regexp.MustCompile(`line (\d+)`)

// errLine is the line the YAML decoder's error names, 0 when it names none.
func errLine(err error) int {
	if m := lineInErr.FindStringSubmatch(err.Error()); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n
	}
	return 0
}

// Plain refuses anchors, aliases and merge keys: they let a small file expand without
// bound, and a file a writer keeps is clearer written out in full.
func (r Reader) Plain(n *yaml.Node, where string) error {
	if n.Kind == yaml.AliasNode || n.Anchor != "" || n.Tag == "!!merge" {
		return r.Err(n, where, "anchors and aliases (&, *, <<) are not supported in a %s: write the values out", r.Noun)
	}
	return nil
}

// Fields checks that n is a mapping whose keys are all known or ignored, and returns the
// known ones by name: their values and their key nodes (for lines). Ignored keys are
// skipped; any other key, or one set twice, is refused.
func (r Reader) Fields(n *yaml.Node, where string, known, ignored []string) (vals, keys map[string]*yaml.Node, err error) {
	if err := r.Plain(n, where); err != nil {
		return nil, nil, err
	}
	if n.Kind != yaml.MappingNode {
		return nil, nil, r.Err(n, where, "must be a mapping of fields")
	}
	vals, keys = map[string]*yaml.Node{}, map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if err := r.Plain(k, where); err != nil {
			return nil, nil, err
		}
		field := Join(where, k.Value)
		if err := r.Plain(v, field); err != nil {
			return nil, nil, err
		}
		switch {
		case slices.Contains(known, k.Value):
			if _, dup := vals[k.Value]; dup {
				return nil, nil, r.Err(k, field, "set twice")
			}
			vals[k.Value], keys[k.Value] = v, k
		case slices.Contains(ignored, k.Value):
		default:
			return nil, nil, r.Err(k, field, "unknown field (known: %s)", strings.Join(known, ", "))
		}
	}
	return vals, keys, nil
}

// Join names a field inside where: "scenes[0].beats".
func Join(where, name string) string {
	if where == "" {
		return name
	}
	return where + "." + name
}
