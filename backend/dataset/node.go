package dataset

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"unsafe"

	"github.com/go-json-experiment/json/jsontext"
)

// node is one parsed JSON value of a record line, typed: validation reads records through
// it, never through interface values. A line is read by a streaming tokenizer (jsontext),
// so memory is bounded by the longest line, not the file.
type node struct {
	kind kind
	str  string   // a string's text
	kids []node   // an array's elements, an object's values
	keys []string // an object's keys, in file order (kids[i] is the value of keys[i])
}

type kind uint8

const (
	kindNull kind = iota
	kindString
	kindNumber
	kindBool
	kindArray
	kindObject
)

// get returns the value of key in an object. As encoding/json does, the last of
// duplicate keys wins.
func (n *node) get(key string) (*node, bool) {
	for i := len(n.keys) - 1; i >= 0; i-- {
		if n.keys[i] == key {
			return &n.kids[i], true
		}
	}
	return nil, false
}

func (n *node) has(key string) bool {
	_, ok := n.get(key)
	return ok
}

// lineParser parses record lines, reusing its tokenizer and its node storage: the nodes of
// a line are valid until the next line is parsed.
type lineParser struct {
	r   bytes.Reader
	dec *jsontext.Decoder
	// borrow lets strings without escapes share the line's bytes (valid while the line
	// is); otherwise every string is a copy.
	borrow bool
	line   []byte
	stack  []node // children being read, innermost value last
	keys   []string
	arena  []node
	karena []string
	buf    []byte
}

func newLineParser(borrow bool) *lineParser {
	p := &lineParser{borrow: borrow}
	p.dec = jsontext.NewDecoder(&p.r)
	return p
}

// parse reads one JSON value filling the whole line. A syntax error is described the way
// encoding/json describes it.
func (p *lineParser) parse(line []byte) (node, error) {
	p.line = line
	p.r.Reset(line)
	p.dec.Reset(&p.r,
		jsontext.AllowDuplicateNames(true), // as encoding/json: the last one wins
		jsontext.AllowInvalidUTF8(true))    // reported separately, with its offset
	p.stack, p.keys, p.arena, p.karena = p.stack[:0], p.keys[:0], p.arena[:0], p.karena[:0]
	n, err := p.value()
	if err == nil {
		if _, err = p.dec.ReadToken(); err == io.EOF {
			return n, nil
		} else if err == nil {
			err = errors.New("more than one value")
		}
	}
	// encoding/json's message, with its offset, for the error (the line is invalid for both).
	var v struct{}
	if jerr := json.Unmarshal(line, &v); jerr != nil {
		return node{}, jerr
	}
	return node{}, err
}

// str reads a string token as a Go string.
func (p *lineParser) str() (string, error) {
	raw, err := p.dec.ReadValue()
	if err != nil {
		return "", err
	}
	if bytes.IndexByte(raw, '\\') < 0 {
		if p.borrow {
			end := int(p.dec.InputOffset()) - 1
			start := end - (len(raw) - 2)
			if start >= 0 && end <= len(p.line) && p.line[end] == '"' {
				return unsafe.String(unsafe.SliceData(p.line[start:end]), end-start), nil
			}
		}
		return string(raw[1 : len(raw)-1]), nil
	}
	p.buf, err = jsontext.AppendUnquote(p.buf[:0], raw)
	if err != nil {
		return "", err
	}
	return string(p.buf), nil
}

func (p *lineParser) value() (node, error) {
	switch p.dec.PeekKind() {
	case '"':
		s, err := p.str()
		return node{kind: kindString, str: s}, err
	case '[':
		if _, err := p.dec.ReadToken(); err != nil {
			return node{}, err
		}
		mark := len(p.stack)
		for p.dec.PeekKind() != ']' {
			k, err := p.value()
			if err != nil {
				return node{}, err
			}
			p.stack = append(p.stack, k)
		}
		if _, err := p.dec.ReadToken(); err != nil {
			return node{}, err
		}
		return node{kind: kindArray, kids: p.keep(mark)}, nil
	case '{':
		if _, err := p.dec.ReadToken(); err != nil {
			return node{}, err
		}
		mark, kmark := len(p.stack), len(p.keys)
		for p.dec.PeekKind() != '}' {
			key, err := p.str()
			if err != nil {
				return node{}, err
			}
			v, err := p.value()
			if err != nil {
				return node{}, err
			}
			p.keys = append(p.keys, key)
			p.stack = append(p.stack, v)
		}
		if _, err := p.dec.ReadToken(); err != nil {
			return node{}, err
		}
		p.karena = append(p.karena, p.keys[kmark:]...)
		keys := p.karena[len(p.karena)-(len(p.keys)-kmark) : len(p.karena) : len(p.karena)]
		p.keys = p.keys[:kmark]
		return node{kind: kindObject, keys: keys, kids: p.keep(mark)}, nil
	}
	tok, err := p.dec.ReadToken()
	if err != nil {
		return node{}, err
	}
	switch tok.Kind() {
	case 'n':
		return node{kind: kindNull}, nil
	case 't', 'f':
		return node{kind: kindBool}, nil
	case '0':
		return node{kind: kindNumber}, nil
	}
	return node{}, errors.New("unexpected token")
}

// keep moves the children above mark from the stack to the arena.
func (p *lineParser) keep(mark int) []node {
	n := len(p.stack) - mark
	if n == 0 {
		return nil
	}
	p.arena = append(p.arena, p.stack[mark:]...)
	p.stack = p.stack[:mark]
	return p.arena[len(p.arena)-n : len(p.arena) : len(p.arena)]
}
