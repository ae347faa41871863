package app

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/npcstudio/npcstudio/backend/cloud"
)

// TestWindowErrorIsShapedText: the window receives a failed call's shaped error as JSON
// text (Wails wraps what it is given in a JavaScript Error, so an object would arrive as
// "[object Object]"), and the text decodes to the same shape the CLI and the bridge send.
func TestWindowErrorIsShapedText(t *testing.T) {
	err := fmt.Errorf("models: %w", cloud.ErrNoDeployment)
	text, ok := windowError(err).(string)
	if !ok {
		t.Fatalf("windowError gave %T, want the shaped error as text", windowError(err))
	}
	var got AppError
	if jerr := json.Unmarshal([]byte(text), &got); jerr != nil {
		t.Fatalf("%q is not JSON: %v", text, jerr)
	}
	if want := FormatError(err); got != want {
		t.Fatalf("decoded %+v, want %+v", got, want)
	}
	if got.Code != "no_deployment" || got.Message == "" {
		t.Fatalf("shape lost its code or message: %+v", got)
	}
}
