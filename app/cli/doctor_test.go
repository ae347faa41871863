package cli

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/npcstudio/npcstudio/backend/secrets"
)

// A keychain that is not running, as on a headless box.
type noKeychain struct{ *secrets.Memory }

func (noKeychain) Status(context.Context) secrets.Status {
	return secrets.Status{Backend: "secret-service", Detail: "no D-Bus session"}
}

// noAWS hides the machine's AWS set-up, whose sign-in doctor would otherwise check.
func noAWS(t *testing.T) {
	t.Helper()
	t.Setenv("HOME", t.TempDir())
	for _, v := range []string{"AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_ENDPOINT_URL", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"} {
		t.Setenv(v, "")
	}
}

func TestDoctorExitsOneWhenItReportsAProblem(t *testing.T) {
	noAWS(t)
	dir := t.TempDir()
	sec := secrets.NewMemory()
	if r := run(t, sec, "", "--data-dir", dir, "doctor", "--json"); r.code != ExitOK {
		t.Fatalf("healthy doctor: %+v", r)
	}
	if r := run(t, sec, "", "--data-dir", dir, "provider", "add", "dead", "--kind", "openai", "--base-url", "http://127.0.0.1:1/v1", "--model", "m"); r.code != ExitOK {
		t.Fatalf("add: %+v", r)
	}
	r := run(t, sec, "", "--data-dir", dir, "doctor", "--json")
	if r.code != ExitError {
		t.Fatalf("doctor with an unreachable provider: want exit 1, got %+v", r)
	}
	var d struct {
		OK        bool `json:"ok"`
		Providers []struct {
			Name      string `json:"name"`
			Reachable bool   `json:"reachable"`
		} `json:"providers"`
		Error any `json:"error"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &d); err != nil {
		t.Fatalf("stdout is not one JSON report: %v\n%s", err, r.stdout)
	}
	if d.OK || len(d.Providers) != 1 || d.Providers[0].Reachable || d.Error != nil {
		t.Fatalf("report: %+v", d)
	}
	h := run(t, sec, "", "--data-dir", dir, "doctor")
	if h.code != ExitError || !strings.Contains(h.stdout, "[FAIL] provider dead") || !strings.Contains(h.stderr, "problems found") {
		t.Fatalf("human doctor: %+v", h)
	}
}

func TestDoctorExitsOneWithoutAKeychain(t *testing.T) {
	noAWS(t)
	r := run(t, noKeychain{secrets.NewMemory()}, "", "--data-dir", t.TempDir(), "doctor", "--json")
	var d struct {
		OK bool `json:"ok"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &d); err != nil || r.code != ExitError || d.OK {
		t.Fatalf("doctor without a keychain: want exit 1 and ok false, got %+v (%v)", r, err)
	}
}
