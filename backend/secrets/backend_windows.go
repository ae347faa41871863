package secrets

const backendName = "Windows Credential Manager"
