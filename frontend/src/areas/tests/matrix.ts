import type { EvalCaseResult, EvalRun } from '../../bridge'

// MatrixRow is one case of a run: its result on each configuration (null: not asked, as in
// a stopped run).
export interface MatrixRow {
  index: number
  label: string
  cells: (EvalCaseResult | null)[]
  failing: boolean
}

const rank = (r: EvalCaseResult | null) => (r === null ? 1 : r.status === 'error' ? 0 : r.status === 'fail' ? 0 : 2)

// matrix lays a run's results out as cases × configurations, the cases that fail anywhere
// first (then by case order).
export function matrix(run: EvalRun, results: EvalCaseResult[]): MatrixRow[] {
  const rows: MatrixRow[] = []
  for (let i = 0; i < run.cases; i++) rows.push({ index: i, label: `Case ${i + 1}`, cells: run.configs.map(() => null), failing: false })
  for (const r of results) {
    const row = rows[r.case]
    if (!row || r.config < 0 || r.config >= row.cells.length) continue
    // Every configuration's result carries the same case; the first found names the row.
    if (row.cells.every((c) => c === null)) row.label = r.description || r.message
    row.cells[r.config] = r
  }
  for (const row of rows) row.failing = row.cells.some((c) => c !== null && !c.pass)
  return rows.sort((a, b) => Math.min(...a.cells.map(rank)) - Math.min(...b.cells.map(rank)) || a.index - b.index)
}

export function percent(rate: number): string {
  return `${Math.round(rate * 100)}%`
}
