//go:build !linux && !darwin && !windows

package secrets

const backendName = "OS keychain"
