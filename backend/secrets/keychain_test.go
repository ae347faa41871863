package secrets

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"testing"
)

// TestKeychainRoundTrip runs against the machine's real keychain. make test provides one (a
// gnome-keyring Secret Service in a private D-Bus session) and sets NPCSTUDIO_TEST_KEYCHAIN.
func TestKeychainRoundTrip(t *testing.T) {
	if os.Getenv("NPCSTUDIO_TEST_KEYCHAIN") == "" {
		t.Skip("no keychain for tests here: make test runs this under a D-Bus session with gnome-keyring")
	}
	k := NewKeychain()
	if st := k.Status(context.Background()); !st.Available {
		t.Fatalf("keychain not available: %+v", st)
	}
	name := "provider/test-" + t.Name()
	t.Cleanup(func() { k.Delete(name) })
	if _, err := k.Get(name); !errors.Is(err, ErrNotFound) {
		t.Fatalf("get before set: want ErrNotFound, got %v", err)
	}
	if err := k.Set(name, "sk-first"); err != nil {
		t.Fatal(err)
	}
	if err := k.Set(name, "sk-second"); err != nil {
		t.Fatal(err)
	}
	if v, err := k.Get(name); err != nil || v != "sk-second" {
		t.Fatalf("get: %q, %v", v, err)
	}
	if err := k.Delete(name); err != nil {
		t.Fatal(err)
	}
	if err := k.Delete(name); err != nil {
		t.Fatalf("deleting a missing secret: %v", err)
	}
	if _, err := k.Get(name); !errors.Is(err, ErrNotFound) {
		t.Fatalf("get after delete: %v", err)
	}
}

// TestKeychainUnavailableIsSaid runs in a child process: the D-Bus library keeps one session
// connection per process, so the missing bus must be there from the start.
func TestKeychainUnavailableIsSaid(t *testing.T) {
	if os.Getenv("NPCSTUDIO_TEST_NO_BUS_CHILD") == "" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestKeychainUnavailableIsSaid$", "-test.count=1")
		cmd.Env = append(os.Environ(), "NPCSTUDIO_TEST_NO_BUS_CHILD=1",
			"DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent/npcstudio-test-bus", "PATH=/nonexistent")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("child: %v\n%s", err, out)
		}
		return
	}
	k := NewKeychain()
	st := k.Status(context.Background())
	if st.Available {
		t.Fatalf("keychain reported available with no session bus: %+v", st)
	}
	if err := k.Set("x", "y"); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("set without keychain: want ErrUnavailable, got %v", err)
	}
}
