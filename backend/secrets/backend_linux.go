package secrets

const backendName = "Secret Service (D-Bus)"
