import { Problem } from '../../components/Problem'
import { useEffect, useState } from 'react'
import { chats, type AppError, type CompareRun } from '../../bridge'
import { configLabel } from './facts'

// plain drops markdown marks for a one-line excerpt.
export function plain(md: string): string {
  return md.replace(/[*_`#>~]+/g, '').replace(/\s+/g, ' ').trim()
}

// VerdictList shows the compare runs the writers judged, newest first: the line, which
// configuration answered better, and why.
export function VerdictList({ refreshKey }: { refreshKey: number }) {
  const [runs, setRuns] = useState<CompareRun[] | null>(null)
  const [total, setTotal] = useState(0)
  const [open, setOpen] = useState<string | null>(null)
  const [error, setError] = useState<AppError | null>(null)

  useEffect(() => {
    chats
      .verdicts()
      .then((p) => {
        setRuns(p.items)
        setTotal(p.total)
      })
      .catch((e: AppError) => setError(e))
  }, [refreshKey])

  if (error) return <Problem error={error} />
  if (!runs) return <p className="muted">Loading verdicts…</p>
  if (runs.length === 0) return <p className="empty">No verdicts yet. Compare answers and mark the better one.</p>
  return (
    <div className="verdict-list">
      <p className="muted small">
        {total} {total === 1 ? 'verdict' : 'verdicts'}
      </p>
      <table className="table" aria-label="Verdicts">
        <thead>
          <tr>
            <th>When</th>
            <th>Persona</th>
            <th>Player line</th>
            <th>Better answer</th>
            <th>Why</th>
            <th>By</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((r) => {
            const v = r.verdict
            if (!v) return null
            const win = r.columns[v.winner]
            return (
              <tr key={r.id} className={open === r.id ? 'open' : ''} onClick={() => setOpen(open === r.id ? null : r.id)}>
                <td className="small">{new Date(v.at).toLocaleString()}</td>
                <td>{r.personaName}</td>
                <td>{r.message}</td>
                <td>
                  <div>{win ? configLabel(win.config) : `column ${v.winner + 1}`}</div>
                  {open === r.id ? (
                    <ol className="verdict-answers small">
                      {r.columns.map((c, i) => (
                        <li key={i} className={i === v.winner ? 'chosen' : ''}>
                          <strong>{configLabel(c.config)}</strong>: {c.answer?.text ?? c.error ?? 'no answer'}
                        </li>
                      ))}
                    </ol>
                  ) : (
                    <div className="muted small verdict-excerpt">{plain(win?.answer?.text ?? '')}</div>
                  )}
                </td>
                <td>{v.note}</td>
                <td className="small">{v.author}</td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </div>
  )
}
