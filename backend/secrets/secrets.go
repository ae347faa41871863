// Package secrets keeps API keys in the operating system's keychain (Secret Service on Linux,
// Keychain on macOS, Credential Manager on Windows) and nowhere else. Where no keychain runs
// (a headless box), it says so, and callers take keys from an environment variable instead.
package secrets

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/zalando/go-keyring"
)

// Service is the keychain service name every NPC Studio secret is filed under.
const Service = "npcstudio"

// ErrNotFound is returned when no secret is stored under a name.
var ErrNotFound = errors.New("no secret stored")

// ErrUnavailable is returned when the machine has no usable keychain.
var ErrUnavailable = errors.New("no OS keychain available")

// Store is where secrets live.
type Store interface {
	Get(name string) (string, error)
	Set(name, value string) error
	Delete(name string) error
	// Status reports whether the keychain can be used, and what it is.
	Status(ctx context.Context) Status
}

// Status describes the keychain for doctor and the settings page.
type Status struct {
	Available bool   `json:"available"`
	Backend   string `json:"backend"`
	Detail    string `json:"detail"`
}

// Keychain is the OS keychain through go-keyring, which speaks the Secret Service D-Bus API,
// macOS Keychain and Windows Credential Manager without cgo.
type Keychain struct {
	// Timeout bounds each keychain call: a Secret Service that is not running can make
	// D-Bus wait, and the window must never freeze on it.
	Timeout time.Duration
}

// NewKeychain returns the OS keychain store.
func NewKeychain() *Keychain { return &Keychain{Timeout: 3 * time.Second} }

func (k *Keychain) do(fn func() error) error {
	done := make(chan error, 1)
	go func() { done <- fn() }()
	select {
	case err := <-done:
		return err
	case <-time.After(k.Timeout):
		return fmt.Errorf("%w: the keychain did not answer within %s", ErrUnavailable, k.Timeout)
	}
}

func mapErr(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, keyring.ErrNotFound):
		return ErrNotFound
	case errors.Is(err, ErrUnavailable):
		return err
	default:
		return fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
}

// Get returns the secret stored under name.
func (k *Keychain) Get(name string) (string, error) {
	var v string
	err := k.do(func() (err error) { v, err = keyring.Get(Service, name); return })
	return v, mapErr(err)
}

// Set stores value under name, replacing any earlier one.
func (k *Keychain) Set(name, value string) error {
	return mapErr(k.do(func() error { return keyring.Set(Service, name, value) }))
}

// Delete removes the secret under name; a missing one is not an error.
func (k *Keychain) Delete(name string) error {
	err := mapErr(k.do(func() error { return keyring.Delete(Service, name) }))
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}

// Status probes the keychain with a lookup of a name that is never stored.
func (k *Keychain) Status(ctx context.Context) Status {
	_, err := k.Get("npcstudio-probe")
	switch {
	case err == nil, errors.Is(err, ErrNotFound):
		return Status{Available: true, Backend: backendName, Detail: "keys are kept in the " + backendName}
	default:
		return Status{Available: false, Backend: backendName, Detail: unavailableReason(err) +
			"; keys can come from environment variables instead (name one with --api-key-env)"}
	}
}

// unavailableReason says in plain words why the keychain cannot be used.
func unavailableReason(err error) string {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "dbus-launch") || strings.Contains(msg, "DBUS_SESSION_BUS_ADDRESS") ||
		strings.Contains(msg, "no such file or directory") && strings.Contains(msg, "bus"):
		return "no desktop session here, so no keychain service to ask (headless machine?)"
	case strings.Contains(msg, "org.freedesktop.secrets") || strings.Contains(msg, "ServiceUnknown"):
		return "no keychain service is running (install and start gnome-keyring or KeePassXC's Secret Service)"
	case strings.Contains(msg, "unlock"):
		return "the keychain is locked: unlock it (log in to the desktop) and check again"
	}
	return msg
}

var _ Store = (*Keychain)(nil)
