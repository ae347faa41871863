package secrets

const backendName = "macOS Keychain"
