import { expect, test } from 'vitest'
import type { app } from '../../bridge'
import { checksOf } from './WorkspaceHome'

test('an unreachable provider is said plainly in the workspace checks', () => {
  const report = {
    workspace: { open: true, health: 'ok', path: '/w', schemaVersion: 2 },
    keychain: { available: true, backend: 'memory', detail: 'ok' },
    webview: { display: true, library: 'webkit', detail: 'ok' },
    providers: [
      { name: 'local', reachable: false, latencyMs: 0, detail: 'http://localhost:11434 does not answer: Get "http://localhost:11434/models": dial tcp 127.0.0.1:11434: connect: connection refused' },
      { name: 'cloud', reachable: true, latencyMs: 42, detail: '3 models; gpt-4o is served' },
    ],
    aws: { configured: false },
  } as unknown as app.DoctorReport
  const checks = checksOf(report)
  expect(checks.find((c) => c.label === 'Provider local')?.detail).toBe('Nothing answers at http://localhost:11434. Is the model server running? Did you mean http://localhost:11434/v1?')
  expect(checks.find((c) => c.label === 'Provider cloud')?.detail).toBe('3 models; gpt-4o is served (42 ms)')
})
