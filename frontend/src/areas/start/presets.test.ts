import { describe, expect, it } from 'vitest'
import { landing, presets, steps, suggestURL } from './presets'

describe('first run', () => {
  it('opens an empty workspace on the checklist, and otherwise where asked or on the first area', () => {
    expect(landing('', false, false, 'personas')).toBe('start')
    expect(landing('', true, false, 'personas')).toBe('personas')
    expect(landing('', false, true, 'personas')).toBe('personas')
    expect(landing('#/lore', false, false, 'personas')).toBe('lore')
  })
  it('says hello only once a model and a persona exist', () => {
    expect(steps(false, false, false)).toEqual({ model: 'next', persona: 'next', hello: 'waiting' })
    expect(steps(true, false, false).hello).toBe('waiting')
    expect(steps(true, true, false)).toEqual({ model: 'done', persona: 'done', hello: 'next' })
  })
  it('suggests the address a writer meant', () => {
    expect(suggestURL('localhost:11434')).toBe('http://localhost:11434/v1')
    expect(suggestURL('http://localhost:1234/')).toBe('http://localhost:1234/v1')
    expect(suggestURL('http://localhost:11434/v1')).toBe('')
    expect(suggestURL('https://api.openai.com/v1')).toBe('')
    expect(suggestURL('')).toBe('')
    expect(suggestURL('http://127.0.0.1:4000')).toBe('http://127.0.0.1:4000/v1')
    expect(suggestURL('https://example.test/openai/v1')).toBe('')
  })
  it('has the four presets writers ask for', () => {
    expect(presets.map((p) => p.label)).toEqual(['Ollama', 'LM Studio', 'OpenAI', 'Amazon Bedrock'])
  })
})
