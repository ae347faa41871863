import { Problem } from '../../components/Problem'
import { useEffect, useState } from 'react'
import { tests, type AppError, type EvalCaseResult, type EvalRunView } from '../../bridge'
import { kindLabel } from './CaseEditor'
import { matrix, percent } from './matrix'

// ResultDetail is one answer opened: the conversation, every check's outcome and why, and
// the judge's reasoning.
function ResultDetail({ r, onClose }: { r: EvalCaseResult; onClose: () => void }) {
  return (
    <div className="card eval-detail" role="dialog" aria-label="Result">
      <div className="page-head">
        <h3>
          {r.description || `Case ${r.case + 1}`} · {r.configLabel} · <span className={`eval-status ${r.status}`}>{r.status}</span>
        </h3>
        <button onClick={onClose}>Close</button>
      </div>
      {(r.turns ?? []).map((t, i) => (
        <div key={i} className="eval-turn muted">
          <p>
            <b>Player:</b> {t.message}
          </p>
          <p>
            <b>{r.persona}:</b> {t.answer}
          </p>
        </div>
      ))}
      <p>
        <b>Player:</b> {r.message}
      </p>
      {r.error ? (
        <p className="error">{r.error}</p>
      ) : (
        <p className="eval-answer" aria-label="Answer">
          <b>{r.persona}:</b> {r.answer}
        </p>
      )}
      <table className="table" aria-label="Checks">
        <thead>
          <tr>
            <th>Check</th>
            <th>Outcome</th>
            <th>Why</th>
          </tr>
        </thead>
        <tbody>
          {r.outcomes.map((o, i) => (
            <tr key={i}>
              <td>
                {kindLabel(o.type)}
                {o.value ? <span className="muted small"> {o.value}</span> : null}
              </td>
              <td className={`eval-status ${o.outcome}`}>
                {o.outcome}
                {o.score !== undefined && o.score !== null ? ` (${o.score.toFixed(2)})` : ''}
              </td>
              <td>
                {o.reason}
                {o.judge && (
                  <details>
                    <summary>Judge's reply</summary>
                    <pre>{o.judge}</pre>
                  </details>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

// ResultsView is a run: each configuration's pass rate, then the matrix of cases ×
// configurations with failing cases first; a cell opens that answer.
export function ResultsView({ runId, tick }: { runId: string; tick: number }) {
  const [view, setView] = useState<EvalRunView | null>(null)
  const [open, setOpen] = useState<EvalCaseResult | null>(null)
  const [error, setError] = useState<AppError | null>(null)
  useEffect(() => {
    tests
      .results(runId)
      .then(setView)
      .catch((e: AppError) => setError(e))
  }, [runId, tick])
  if (error) return <Problem error={error} />
  if (!view) return <p className="muted small">Loading results…</p>
  const run = view.run
  const rows = matrix(run, view.results)
  return (
    <div className="eval-results" aria-label="Results">
      <p className="muted small">
        Run {run.id} · {run.suiteName} v{run.suiteVersion} · {run.status}
        {run.threshold ? ` · needs ${percent(run.threshold)}` : ''}
        {run.judge ? ` · judge ${run.judge.provider}` : ''}
        {run.embedder ? ` · embedder ${run.embedder}` : ' · no embedder configured'}
      </p>
      <table className="table eval-matrix" aria-label="Results matrix">
        <thead>
          <tr>
            <th>Case</th>
            {run.configs.map((c, i) => (
              <th key={i}>
                {c.label}
                <div className={`eval-rate ${run.threshold && c.passRate < run.threshold ? 'under' : ''}`} aria-label={`Pass rate ${c.label}`}>
                  {percent(c.passRate)} ({c.passed}/{c.total})
                </div>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.index} className={row.failing ? 'failing' : ''}>
              <td>{row.label}</td>
              {row.cells.map((cell, i) => (
                <td key={i}>
                  {cell ? (
                    <button className={`eval-status ${cell.status}`} aria-label={`${row.label} on ${cell.configLabel}: ${cell.status}`} onClick={() => setOpen(cell)}>
                      {cell.status}
                    </button>
                  ) : (
                    <span className="muted small">not asked</span>
                  )}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {open && <ResultDetail r={open} onClose={() => setOpen(null)} />}
    </div>
  )
}
