import type { provider } from '../../bridge'

// keyLabel says where the provider's key comes from, naming the variable it reads.
export function keyLabel(p: provider.Provider): string {
  if (p.hasStoredKey) return 'keychain'
  if (p.apiKeyEnv) return `reads $${p.apiKeyEnv}`
  return p.kind === 'bedrock' ? 'AWS chain' : '—'
}

// sameAddress says early whether an edit moves a provider to a new address (a trailing slash
// or letter case aside); Go decides for sure when it saves.
export function sameAddress(a: string, b: string): boolean {
  const norm = (u: string) => u.trim().replace(/\/+$/, '').toLowerCase()
  return norm(a) === norm(b)
}
