package lore

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestCancelStopsPDFToText: cancelling an import while pdftotext reads a PDF kills
// pdftotext and returns the cancellation, instead of waiting for its time limit.
func TestCancelStopsPDFToText(t *testing.T) {
	dir := t.TempDir()
	pidFile := filepath.Join(dir, "pid")
	fake := filepath.Join(dir, "pdftotext")
	script := "#!/bin/sh\necho $$ > " + pidFile + "\nexec sleep 600\n"
	if err := os.WriteFile(fake, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := popplerText(ctx, io.Discard, filepath.Join(dir, "any.pdf"), fake)
		done <- err
	}()
	var pid int
	for pid == 0 {
		select {
		case err := <-done:
			t.Fatalf("pdftotext ended before it was cancelled: %v", err)
		case <-time.After(10 * time.Millisecond):
		}
		if b, err := os.ReadFile(pidFile); err == nil && strings.HasSuffix(string(b), "\n") {
			pid, _ = strconv.Atoi(strings.TrimSpace(string(b)))
		}
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("a cancelled read gave %v, want context.Canceled", err)
	}
	if err := syscall.Kill(pid, 0); err == nil {
		t.Fatalf("pdftotext (pid %d) still runs after the cancel", pid)
	}
}
