import { expect, it } from 'vitest'
import type { provider } from '../../bridge'
import { keyLabel, sameAddress } from './providerKeys'

const p = (over: Partial<provider.Provider>): provider.Provider =>
  ({ v: 1, name: 'p', kind: 'openai', hasStoredKey: false, created: '', updated: '', ...over }) as provider.Provider

it('names the variable a provider reads', () => {
  expect(keyLabel(p({ apiKeyEnv: 'OPENAI_API_KEY' }))).toBe('reads $OPENAI_API_KEY')
  expect(keyLabel(p({ hasStoredKey: true, apiKeyEnv: 'OPENAI_API_KEY' }))).toBe('keychain')
  expect(keyLabel(p({ kind: 'bedrock' }))).toBe('AWS chain')
  expect(keyLabel(p({}))).toBe('—')
})

it('counts a trailing slash or letter case as the same address, anything else as new', () => {
  expect(sameAddress('http://127.0.0.1:11434/v1', 'http://127.0.0.1:11434/v1/')).toBe(true)
  expect(sameAddress('https://API.openai.com/v1', 'https://api.openai.com/v1')).toBe(true)
  expect(sameAddress('http://127.0.0.1:11434/v1', 'http://127.0.0.1:11435/v1')).toBe(false)
  expect(sameAddress('https://api.openai.com/v1', 'https://api.openai.com.evil.test/v1')).toBe(false)
})
