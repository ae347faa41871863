package fault

import (
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var errLocked = errors.New("locked")

func TestShape(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want Shaped
	}{
		{"plain", errors.New("boom"), Shaped{Code: "error", Message: "boom"}},
		{"not found wrapped", fmt.Errorf("persona %q: %w", "Ada", ErrNotFound), Shaped{Code: "not_found", Message: `persona "Ada": not found`}},
		{"validation", fmt.Errorf("import: %w", &ValidationError{File: "a.jsonl", Line: 3, Field: "messages[0].role", Reason: "must be user"}),
			Shaped{Code: "invalid", Message: "import: a.jsonl:3: messages[0].role: must be user", Field: "messages[0].role", Line: 3}},
		{"extra sentinel", fmt.Errorf("open: %w", errLocked), Shaped{Code: "locked", Message: "open: locked"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Shape(tt.err, map[error]string{errLocked: "locked"})
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Fatalf("(-want +got)\n%s", d)
			}
		})
	}
}

// TestNotFoundSaysOnlyItsSentence: a NotFound is shaped not_found with the sentence given,
// nothing added after it.
func TestNotFoundSaysOnlyItsSentence(t *testing.T) {
	err := NotFound("no batch runs yet: start one with `%s`", "npcstudio batch run SPEC")
	if !errors.Is(err, ErrNotFound) {
		t.Fatal("a NotFound is not an ErrNotFound")
	}
	s := Shape(err, nil)
	if s.Code != "not_found" || s.Message != "no batch runs yet: start one with `npcstudio batch run SPEC`" {
		t.Fatalf("shaped %+v", s)
	}
}
