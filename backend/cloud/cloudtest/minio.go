package cloudtest

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// MinIO is a MinIO server of the caller's own (the test servers' binary), which can be
// stopped and started again on the same address and data, as a server that dies and comes
// back.
type MinIO struct {
	URL string

	bin, dir, port, console string
	env                     []string
	cmd                     *exec.Cmd
	done                    chan struct{}
}

// NewMinIO starts a MinIO with data under dir, the root keys given and extra environment.
func NewMinIO(ctx context.Context, bin, dir, accessKey, secretKey string, env ...string) (*MinIO, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	console, err := freePort()
	if err != nil {
		return nil, err
	}
	m := &MinIO{URL: "http://127.0.0.1:" + port, bin: bin, dir: dir, port: port, console: console,
		env: append([]string{"MINIO_ROOT_USER=" + accessKey, "MINIO_ROOT_PASSWORD=" + secretKey, "MINIO_BROWSER=off"}, env...)}
	return m, m.Start(ctx)
}

// Start runs the server (again) and waits until it is ready.
func (m *MinIO) Start(ctx context.Context) error {
	if err := os.MkdirAll(filepath.Join(m.dir, "data"), 0o755); err != nil {
		return err
	}
	m.cmd = exec.Command(m.bin, "server", "--quiet", "--address", "127.0.0.1:"+m.port, "--console-address", "127.0.0.1:"+m.console, filepath.Join(m.dir, "data"))
	m.cmd.Env = append(os.Environ(), m.env...)
	logf, err := os.OpenFile(filepath.Join(m.dir, "minio.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	m.cmd.Stdout, m.cmd.Stderr = logf, logf
	m.cmd.SysProcAttr = procAttr()
	if err := m.cmd.Start(); err != nil {
		logf.Close()
		return err
	}
	m.done = make(chan struct{})
	go func(cmd *exec.Cmd, done chan struct{}) { cmd.Wait(); logf.Close(); close(done) }(m.cmd, m.done)
	for range 1200 { // up to a minute on a loaded machine
		if err := ctx.Err(); err != nil {
			m.Stop()
			return err
		}
		if res, err := http.Get(m.URL + "/minio/health/ready"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-m.done:
			log, _ := os.ReadFile(filepath.Join(m.dir, "minio.log"))
			return fmt.Errorf("MinIO exited while starting: %s", log)
		case <-time.After(50 * time.Millisecond):
		}
	}
	m.Stop()
	log, _ := os.ReadFile(filepath.Join(m.dir, "minio.log"))
	return fmt.Errorf("MinIO did not start: %s", log)
}

// Stop kills the server and waits until it has gone.
func (m *MinIO) Stop() {
	if m.cmd == nil || m.cmd.Process == nil {
		return
	}
	m.cmd.Process.Kill()
	<-m.done
	m.cmd = nil
}

// minIOBin is the MinIO binary .ci/services.sh installed. Without one the test is skipped,
// or fails under make test (NPCSTUDIO_REQUIRE_SERVICES=1).
func minIOBin(t *testing.T) string {
	t.Helper()
	bin := os.Getenv("NPCSTUDIO_TEST_MINIO_BIN")
	if bin == "" {
		if os.Getenv("NPCSTUDIO_REQUIRE_SERVICES") == "1" {
			t.Fatal("no MinIO binary: .ci/services.sh start minio exports NPCSTUDIO_TEST_MINIO_BIN")
		}
		t.Skip("no MinIO binary: run `make services` and export what it prints, or run `make test`")
	}
	return bin
}

// StartMinIO starts a MinIO of the test's own with the test servers' keys and points the
// AWS SDK's S3 at it (NPCSTUDIO_TEST_S3_URL, read by Deploy). It is stopped when the test ends.
func StartMinIO(t *testing.T) *MinIO {
	t.Helper()
	m, err := NewMinIO(context.Background(), minIOBin(t), t.TempDir(), os.Getenv("NPCSTUDIO_TEST_S3_ACCESS_KEY"), os.Getenv("NPCSTUDIO_TEST_S3_SECRET_KEY"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(m.Stop)
	t.Setenv("NPCSTUDIO_TEST_S3_URL", m.URL)
	return m
}
