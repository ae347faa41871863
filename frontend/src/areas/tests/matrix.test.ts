import { expect, test } from 'vitest'
import type { EvalCaseResult, EvalRun } from '../../bridge'
import { matrix, percent } from './matrix'

function res(config: number, c: number, status: string, description = ''): EvalCaseResult {
  return { v: 1, runId: 'r', config, configLabel: `c${config}`, case: c, description, persona: 'Mira', message: `m${c}`, answer: 'a', pass: status === 'pass', status, outcomes: [] }
}

test('failing cases come first, each cell in its configuration', () => {
  const run = { cases: 3, configs: [{}, {}] } as unknown as EvalRun
  const rows = matrix(run, [res(0, 0, 'pass', 'greets'), res(1, 0, 'pass', 'greets'), res(0, 1, 'pass'), res(1, 1, 'pass'), res(0, 2, 'pass', 'brother'), res(1, 2, 'fail', 'brother')])
  expect(rows.map((r) => r.index)).toEqual([2, 0, 1])
  expect(rows[0]!.failing).toBe(true)
  expect(rows[0]!.label).toBe('brother')
  expect(rows[0]!.cells.map((c) => c?.status)).toEqual(['pass', 'fail'])
  expect(rows[1]!.label).toBe('greets')
})

test('a stopped run leaves cells empty', () => {
  const run = { cases: 2, configs: [{}] } as unknown as EvalRun
  const rows = matrix(run, [res(0, 1, 'error')])
  expect(rows.map((r) => r.index)).toEqual([1, 0])
  expect(rows[1]!.cells).toEqual([null])
  expect(percent(0.666)).toBe('67%')
})
