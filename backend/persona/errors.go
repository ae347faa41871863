package persona

import (
	"errors"
	"fmt"
	"strings"

	"github.com/npcstudio/npcstudio/backend/store"
)

// ErrNotFound is returned when a persona, template or version does not exist. It is the
// store's sentinel, so errors.Is works with either.
var ErrNotFound = store.ErrNotFound

var (
	// ErrAmbiguousName is returned by Get when a name matches more than one persona.
	ErrAmbiguousName = errors.New("more than one persona has this name; use its id")
	// ErrReadOnly is returned when saving over a built-in template.
	ErrReadOnly = errors.New("built-in templates cannot be changed; save a copy")
	// ErrInUse is returned when deleting a template that personas still use.
	ErrInUse = errors.New("still in use")
)

// ValidationError names the field of a persona or template that cannot be saved.
type ValidationError struct {
	Field  string
	Reason string
}

func (e *ValidationError) Error() string { return e.Field + ": " + e.Reason }

// CardError says which card file failed to import or export, where in it, and why.
type CardError struct {
	File string
	// Field is a JSON path such as data.character_book.entries[2].keys, or a PNG chunk
	// such as "PNG chunk ccv3"; empty when the whole file is at fault.
	Field  string
	Reason string
}

func (e *CardError) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		b.WriteString(": ")
	}
	if e.Field != "" {
		b.WriteString(e.Field)
		b.WriteString(": ")
	}
	b.WriteString(e.Reason)
	return b.String()
}

// TemplateError says which template, which part of it and which line failed, and why.
type TemplateError struct {
	Template string
	// Part is "system" or "turn".
	Part   string
	Line   int
	Reason string
}

func (e *TemplateError) Error() string {
	loc := e.Part
	if e.Line > 0 {
		loc = fmt.Sprintf("%s, line %d", e.Part, e.Line)
	}
	return fmt.Sprintf("template %q (%s): %s", e.Template, loc, e.Reason)
}

// Codes, fields and lines for app.FormatError (see backend/fault).

func (e *ValidationError) ErrorCode() string  { return "invalid" }
func (e *ValidationError) ErrorField() string { return e.Field }

func (e *CardError) ErrorCode() string  { return "invalid_card" }
func (e *CardError) ErrorField() string { return e.Field }

func (e *TemplateError) ErrorCode() string { return "invalid_template" }

// ErrorField is the part as a persona's own template names it ("template.system"), which is
// also where the template editor shows it.
func (e *TemplateError) ErrorField() string { return "template." + e.Part }
func (e *TemplateError) ErrorLine() int     { return e.Line }
