package dataset

import (
	"fmt"
	"strconv"
)

// Problem is one thing wrong with (error) or worth knowing about (warning) a dataset.
// Line is 1-based; 0 means the whole file. Field is a path inside the record, such as
// "messages[2].role"; "" means the whole line.
type Problem struct {
	Line    int    `json:"line"`
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Error makes a *Problem usable as a domain error (a request field that is wrong, for example).
func (p *Problem) Error() string {
	switch {
	case p.Line > 0 && p.Field != "":
		return fmt.Sprintf("line %d: %s: %s", p.Line, p.Field, p.Message)
	case p.Line > 0:
		return fmt.Sprintf("line %d: %s", p.Line, p.Message)
	case p.Field != "":
		return p.Field + ": " + p.Message
	}
	return p.Message
}

// ErrorCode, ErrorField and ErrorLine let the window and the command line show where a
// problem is without parsing its message (see fault.Shape).
func (p *Problem) ErrorCode() string  { return "invalid" }
func (p *Problem) ErrorField() string { return p.Field }
func (p *Problem) ErrorLine() int     { return p.Line }

// DefaultMaxProblems is how many errors (and, separately, warnings) a report keeps.
const DefaultMaxProblems = 1000

// problems collects errors and warnings, keeping the first max of each and counting all,
// so a file with a million bad lines costs the same memory as one with a thousand.
type problems struct {
	max          int
	errors       []Problem
	warnings     []Problem
	errorCount   int
	warningCount int
}

func newProblems(max int) *problems {
	if max <= 0 {
		max = DefaultMaxProblems
	}
	return &problems{max: max, errors: []Problem{}, warnings: []Problem{}}
}

func (p *problems) errorf(line int, field, format string, args ...any) {
	p.errorCount++
	if len(p.errors) < p.max {
		p.errors = append(p.errors, Problem{Line: line, Field: field, Message: fmt.Sprintf(format, args...)})
	}
}

func (p *problems) warnf(line int, field, format string, args ...any) {
	p.warningCount++
	if len(p.warnings) < p.max {
		p.warnings = append(p.warnings, Problem{Line: line, Field: field, Message: fmt.Sprintf(format, args...)})
	}
}

func (p *problems) truncated() bool {
	return p.errorCount > len(p.errors) || p.warningCount > len(p.warnings)
}

// at builds a field path such as messages[2].
func at(name string, i int) string {
	return name + "[" + strconv.Itoa(i) + "]"
}

// count formats n with thousands separators, as writers read numbers.
func count(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := ""
	if n < 0 {
		neg, s = "-", s[1:]
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return neg + s
}

func sizeString(n int64) string {
	switch {
	case n >= gb && n%gb == 0:
		return strconv.FormatInt(n/gb, 10) + " GB"
	case n >= mb && n%mb == 0:
		return strconv.FormatInt(n/mb, 10) + " MB"
	case n >= mb:
		return strconv.FormatFloat(float64(n)/float64(mb), 'f', 1, 64) + " MB"
	}
	return count(n) + " bytes"
}
