package applog

import (
	"bytes"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRedactsSecretAttributes(t *testing.T) {
	var buf bytes.Buffer
	log := New(&buf, slog.LevelInfo)
	log.Info("provider added", "name", "local", "apiKey", "sk-live-123", "api_key_env", "OPENAI_API_KEY",
		slog.Group("req", "Authorization", "Bearer sk-live-123"))
	out := buf.String()
	if strings.Contains(out, "sk-live-123") {
		t.Fatalf("secret written to log: %s", out)
	}
	for _, want := range []string{`"name":"local"`, `"api_key_env":"OPENAI_API_KEY"`, "[redacted]"} {
		if !strings.Contains(out, want) {
			t.Errorf("log line lacks %s: %s", want, out)
		}
	}
}

func TestOpenWritesFileInDataDir(t *testing.T) {
	dir := t.TempDir()
	log, closer, err := Open(dir, slog.LevelDebug)
	if err != nil {
		t.Fatal(err)
	}
	log.Debug("hello", "n", 1)
	closer.Close()
	raw, err := os.ReadFile(filepath.Join(dir, "logs", FileName))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(raw), `"msg":"hello"`) {
		t.Fatalf("log file content: %s", raw)
	}
}
