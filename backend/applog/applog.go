// Package applog writes the studio's log: log/slog records to a size-rotated file in the
// data directory, with anything that looks like a secret redacted before it is written.
package applog

import (
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"gopkg.in/natefinch/lumberjack.v2"
)

// FileName is the current log file inside <data dir>/logs.
const FileName = "npcstudio.log"

// Open returns a logger writing JSON lines to <dataDir>/logs/npcstudio.log, rotated at 10 MB
// and keeping five old files. lumberjack is the rotating writer most Go services use; it
// rotates by size and prunes old files without a background daemon.
func Open(dataDir string, level slog.Level) (*slog.Logger, io.Closer, error) {
	dir := filepath.Join(dataDir, "logs")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, nil, err
	}
	w := &lumberjack.Logger{
		Filename:   filepath.Join(dir, FileName),
		MaxSize:    10, // megabytes
		MaxBackups: 5,
		Compress:   false,
	}
	return New(w, level), w, nil
}

// New returns a redacting JSON logger on w.
func New(w io.Writer, level slog.Level) *slog.Logger {
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: level, ReplaceAttr: redact}))
}

// secretish names attributes whose values are never written, whatever their level.
var secretish = []string{"key", "secret", "token", "password", "authorization", "credential"}

func redact(_ []string, a slog.Attr) slog.Attr {
	name := strings.ToLower(a.Key)
	for _, s := range secretish {
		if strings.Contains(name, s) && !strings.HasSuffix(name, "env") {
			return slog.String(a.Key, "[redacted]")
		}
	}
	return a
}
