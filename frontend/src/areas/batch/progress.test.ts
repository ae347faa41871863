import { expect, it } from 'vitest'
import type { BatchLine, BatchProgress } from '../../bridge'
import { byScene, formatEta, lineState, progressFacts, replaceLine } from './progress'

const line = (id: string, scene: string, extra: Partial<BatchLine> = {}): BatchLine =>
  ({ v: 1, runId: 'r', id, order: 0, scene, persona: 'Ada', beat: 'b', variant: 1, status: 'done', text: id, updatedAt: '', ...extra }) as BatchLine

it('says the time left as a writer reads it', () => {
  expect(formatEta(-1)).toBe('—')
  expect(formatEta(44.6)).toBe('45 s')
  expect(formatEta(120)).toBe('2 min')
  expect(formatEta(200)).toBe('3 min 20 s')
  expect(formatEta(3900)).toBe('1 h 5 min')
})

it('sums up a run in one line', () => {
  const p: BatchProgress = { runId: 'r', total: 1000, done: 400, failed: 2, pending: 598, inputTokens: 9000, outputTokens: 1000, linesPerSec: 12.34, etaSeconds: 48, concurrency: 4, throttled: 3 }
  expect(progressFacts(p)).toBe('402 of 1,000 lines · 2 failed · 12.3 lines/s · ETA 48 s · 10,000 tokens · throttled 3× (now 4 at once)')
  expect(progressFacts({ ...p, failed: 0, throttled: 0, pending: 0, etaSeconds: 0, costUsd: 0.01234 })).toBe('400 of 1,000 lines · 12.3 lines/s · 10,000 tokens · about $0.0123')
})

it('groups lines by scene in spec order and replaces a changed one', () => {
  const ls = [line('a1', 'a'), line('b1', 'b'), line('a2', 'a')]
  expect(byScene(ls).map((g) => [g.scene, g.lines.map((l) => l.id)])).toEqual([
    ['a', ['a1', 'a2']],
    ['b', ['b1']],
  ])
  const changed = replaceLine(ls, line('b1', 'b', { text: 'new' }))
  expect(changed.map((l) => l.text)).toEqual(['a1', 'new', 'a2'])
  expect(lineState(line('x', 'a'))).toBe('to review')
  expect(lineState(line('x', 'a', { review: 'accepted' }))).toBe('accepted')
  expect(lineState(line('x', 'a', { status: 'failed' }))).toBe('failed')
})
