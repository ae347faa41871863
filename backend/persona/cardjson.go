package persona

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
)

// Character cards come from many tools, each with its own extra keys and its own idea of
// types. Reading keeps everything: a known key is taken into a typed field when it holds a
// non-zero value of the expected type; anything else (unknown keys, zero values, nulls,
// values of an unexpected type) stays in an Extra map exactly as given. Writing puts a typed
// field when it is not zero, else the Extra value, else the zero value when the spec requires
// the key; then the remaining Extra keys. An unchanged persona therefore exports the JSON it
// was imported from, key for key.

// object is a JSON object being read; keys are removed as they are taken.
type object struct {
	at   where
	path string
	m    map[string]json.RawMessage
	// warnings, when set, collects known keys of an unexpected type.
	warnings *[]string
}

// where locates a card for errors: its file, and the PNG chunk it came from if any.
type where struct {
	file  string
	chunk string
}

func (w where) fail(path, reason string) *CardError {
	field := path
	if w.chunk != "" {
		field = strings.TrimSuffix(w.chunk+": "+path, ": ")
	}
	return &CardError{File: w.file, Field: field, Reason: reason}
}

func readObject(at where, path string, raw json.RawMessage, warnings *[]string) (*object, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil || m == nil {
		return nil, at.fail(path, "must be a JSON object, not "+jsonKind(raw))
	}
	return &object{at: at, path: path, m: m, warnings: warnings}, nil
}

// marshal is json.Marshal without HTML escaping: cards are full of "<START>".
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	e := json.NewEncoder(&b)
	e.SetEscapeHTML(false)
	if err := e.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

func (o *object) field(key string) string {
	if o.path == "" {
		return key
	}
	return o.path + "." + key
}

// take decodes key into dst if it holds a non-zero value of dst's type, and removes it.
func take[T any](o *object, key string, dst *T) {
	raw, ok := o.m[key]
	if !ok {
		return
	}
	var v T
	if err := json.Unmarshal(raw, &v); err != nil {
		if o.warnings != nil {
			*o.warnings = append(*o.warnings, fmt.Sprintf("%s: expected %s, found %s; kept as it was",
				o.field(key), typeWord(reflect.TypeFor[T]()), jsonKind(raw)))
		}
		return
	}
	if isZero(reflect.ValueOf(v)) {
		return
	}
	*dst = v
	delete(o.m, key)
}

// rest is what was not taken, or nil.
func (o *object) rest() map[string]json.RawMessage {
	if len(o.m) == 0 {
		return nil
	}
	return o.m
}

func isZero(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Slice, reflect.Map:
		return v.Len() == 0
	case reflect.Invalid:
		return true
	}
	return v.IsZero()
}

func typeWord(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int:
		return "a whole number"
	case reflect.Slice:
		return "a list of " + strings.TrimPrefix(typeWord(t.Elem()), "a ") + "s"
	case reflect.Map:
		return "an object"
	case reflect.Pointer:
		return typeWord(t.Elem())
	}
	return t.String()
}

// jsonKind names the JSON type of raw for error messages.
func jsonKind(raw []byte) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "nothing"
	}
	switch raw[0] {
	case '{':
		return "an object"
	case '[':
		return "a list"
	case '"':
		return "a string"
	case 't', 'f':
		return "true/false"
	case 'n':
		return "null"
	}
	return "a number"
}

// objectWriter builds a JSON object with keys in the order they are put, then the extra
// keys that were not put, in sorted order.
type objectWriter struct {
	keys  []string
	vals  map[string]json.RawMessage
	extra map[string]json.RawMessage
	err   error
}

func newObjectWriter(extra map[string]json.RawMessage) *objectWriter {
	return &objectWriter{vals: make(map[string]json.RawMessage), extra: extra}
}

// put writes v unless it is zero; a zero v falls back to the extra value for key, and to v
// itself when required.
func (w *objectWriter) put(key string, v any, required bool) {
	if !isZero(reflect.ValueOf(v)) {
		w.value(key, v)
		return
	}
	if raw, ok := w.extra[key]; ok {
		w.raw(key, raw)
		return
	}
	if required {
		w.value(key, v)
	}
}

func (w *objectWriter) value(key string, v any) {
	raw, err := marshal(v)
	if err != nil {
		if w.err == nil {
			w.err = fmt.Errorf("%s: %w", key, err)
		}
		return
	}
	w.raw(key, raw)
}

func (w *objectWriter) raw(key string, raw json.RawMessage) {
	if _, ok := w.vals[key]; !ok {
		w.keys = append(w.keys, key)
	}
	w.vals[key] = raw
}

func (w *objectWriter) MarshalJSON() ([]byte, error) {
	if w.err != nil {
		return nil, w.err
	}
	keys := slices.Clone(w.keys)
	var rest []string
	for k := range w.extra {
		if _, ok := w.vals[k]; !ok {
			rest = append(rest, k)
		}
	}
	slices.Sort(rest)
	keys = append(keys, rest...)
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		kb, _ := marshal(k)
		b.Write(kb)
		b.WriteByte(':')
		v, ok := w.vals[k]
		if !ok {
			v = w.extra[k]
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func strs(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func rawMap(m map[string]json.RawMessage) map[string]json.RawMessage {
	if m == nil {
		return map[string]json.RawMessage{}
	}
	return m
}
