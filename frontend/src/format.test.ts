import { expect, it } from 'vitest'
import { formatWhen, modeName } from './format'

it('says when in a list row: time today, day this year, full date before', () => {
  const now = new Date(2026, 11, 6, 15, 0)
  expect(formatWhen(new Date(2026, 11, 6, 9, 5).toISOString(), now)).toBe('09:05')
  expect(formatWhen(new Date(2026, 2, 14, 9, 5).toISOString(), now)).toBe('14 Mar')
  expect(formatWhen(new Date(2025, 2, 14).toISOString(), now)).toBe('14 Mar 2025')
  expect(formatWhen('not a date', now)).toBe('')
})

it('names chat modes in a writer\'s words', () => {
  expect(modeName('rag')).toBe('with lore')
  expect(modeName('base')).toBe('base model')
  expect(modeName('other')).toBe('other')
})
