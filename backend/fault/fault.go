// Package fault holds the error kinds every area shares, so the window and the command line
// can shape any error into {code, message, field, line} without parsing strings.
package fault

import (
	"errors"
	"fmt"

	"github.com/npcstudio/npcstudio/backend/prose"
)

var (
	// ErrNotFound: the thing named does not exist.
	ErrNotFound = errors.New("not found")
	// ErrExists: a thing with that name already exists.
	ErrExists = errors.New("already exists")
	// ErrUnavailable: a service the action needs (keychain, server, cloud) cannot be reached.
	ErrUnavailable = errors.New("unavailable")
)

// NotFound is an ErrNotFound (code not_found) whose message is the sentence given, for when
// the sentence says all, what is missing and what to do, without ": not found" after it.
func NotFound(format string, args ...any) error {
	return &notFound{msg: fmt.Sprintf(format, args...)}
}

type notFound struct{ msg string }

func (e *notFound) Error() string { return e.msg }
func (e *notFound) Unwrap() error { return ErrNotFound }

// ValidationError says which input is wrong and why: the file, line and field where known.
type ValidationError struct {
	File   string
	Line   int
	Field  string
	Reason string
}

func (e *ValidationError) Error() string {
	msg := e.Reason
	if e.Field != "" {
		msg = e.Field + ": " + msg
	}
	switch {
	case e.File != "" && e.Line > 0:
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, msg)
	case e.File != "":
		return e.File + ": " + msg
	case e.Line > 0:
		return fmt.Sprintf("line %d: %s", e.Line, msg)
	}
	return msg
}

// Invalid returns a ValidationError for field.
func Invalid(field, format string, args ...any) error {
	return &ValidationError{Field: field, Reason: fmt.Sprintf(format, args...)}
}

func (e *ValidationError) ErrorCode() string  { return "invalid" }
func (e *ValidationError) ErrorField() string { return e.Field }
func (e *ValidationError) ErrorLine() int     { return e.Line }

// Coder, Fielder and Liner are implemented by errors that know their code, field or line.
// Area packages implement them on their own error types; Shape finds them through wrapping.
type (
	Coder   interface{ ErrorCode() string }
	Fielder interface{ ErrorField() string }
	Liner   interface{ ErrorLine() int }
)

// Shaped is an error as the window and the command line show it.
type Shaped struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
	Line    int    `json:"line,omitempty"`
}

// Shape turns any error into its shown form. extra maps sentinels from other packages
// (store, secrets) to codes; the first match wins.
func Shape(err error, extra map[error]string) Shaped {
	// Messages name files and documents from outside; what would not show as itself (a
	// control character, a bidirectional override) is escaped here, once for every message.
	s := Shaped{Code: "error", Message: prose.Safe(err.Error())}
	var c Coder
	var f Fielder
	var l Liner
	switch {
	case errors.As(err, &c):
		s.Code = c.ErrorCode()
	case errors.Is(err, ErrNotFound):
		s.Code = "not_found"
	case errors.Is(err, ErrExists):
		s.Code = "exists"
	case errors.Is(err, ErrUnavailable):
		s.Code = "unavailable"
	default:
		for sentinel, code := range extra {
			if errors.Is(err, sentinel) {
				s.Code = code
				break
			}
		}
	}
	if errors.As(err, &f) {
		s.Field = f.ErrorField()
	}
	if errors.As(err, &l) {
		s.Line = l.ErrorLine()
	}
	return s
}
