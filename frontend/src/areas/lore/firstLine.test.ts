import { expect, it, vi } from 'vitest'

vi.mock('../../bridge', () => ({}))
const { firstLine } = await import('./ActivationDebugger')

it('shows the start of a chunk on one line, cut at a word', () => {
  expect(firstLine('# Maren Drane\n\nThe harbour   master.')).toBe('# Maren Drane The harbour master.')
  const long = 'word '.repeat(60)
  const line = firstLine(long)
  expect(line.endsWith('…')).toBe(true)
  expect(line.length).toBeLessThanOrEqual(141)
  expect(line).not.toContain('wor…')
})
