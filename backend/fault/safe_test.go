package fault

import (
	"fmt"
	"testing"
)

func TestShapeEscapesWhatDoesNotShow(t *testing.T) {
	err := fmt.Errorf("import %s: %w", "/tmp/report\u202egpj.exe\x1b[2J", ErrNotFound)
	got := Shape(err, nil)
	if want := `import /tmp/report\u202egpj.exe\x1b[2J: not found`; got.Message != want || got.Code != "not_found" {
		t.Fatalf("Shape: %+v, want message %s", got, want)
	}
}
