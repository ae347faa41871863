import { Problem } from '../../components/Problem'
import { useCallback, useEffect, useState } from 'react'
import { batches, type AppError, type BatchLine, type BatchLinesQuery, type BatchStatus } from '../../bridge'
import type { Running } from './BatchPage'
import { BatchExportPanel } from './BatchExportPanel'
import { LineRow } from './LineRow'
import { ProgressBar } from '../../components/ProgressBar'
import { byScene, progressFacts, replaceLine } from './progress'

// pageSize is how many lines a page shows (the most Go sends at once).
const pageSize = 500

interface RunViewProps {
  runId: string
  // tick changes when the lines may have changed (the run wrote some).
  tick: number
  running: Running | null
  onResume: () => Promise<unknown>
  onChanged: () => void
}

// RunView is one run: its progress, its lines as a table per scene with filters, review
// and regenerate on each line, and the export.
export function RunView({ runId, tick, running, onResume, onChanged }: RunViewProps) {
  const [status, setStatus] = useState<BatchStatus | null>(null)
  const [lines, setLines] = useState<BatchLine[]>([])
  const [total, setTotal] = useState(0)
  const [scenes, setScenes] = useState<string[]>([])
  const [personas, setPersonas] = useState<string[]>([])
  const [query, setQueryState] = useState<BatchLinesQuery>({})
  const [offset, setOffset] = useState(0)
  const [error, setError] = useState<AppError | null>(null)

  const load = useCallback(() => {
    batches
      .status(runId)
      .then(setStatus)
      .catch((e: AppError) => setError(e))
    batches
      .lines(runId, { ...query, offset, limit: pageSize })
      .then((page) => {
        setLines(page.lines)
        setTotal(page.total)
        setScenes(page.scenes ?? [])
        setPersonas(page.personas ?? [])
      })
      .catch((e: AppError) => setError(e))
  }, [runId, query, offset])
  useEffect(load, [load, tick])

  // A new filter starts from the first page.
  const setQuery = (q: BatchLinesQuery) => {
    setQueryState(q)
    setOffset(0)
  }
  const changed = (l: BatchLine) => {
    setLines((ls) => replaceLine(ls, l))
    batches
      .status(runId)
      .then(setStatus)
      .catch((e: AppError) => setError(e))
    onChanged()
  }
  const p = running?.progress
  const left = status ? status.pending + status.failed : 0
  return (
    <div className="batch-run">
      <div className="page-head">
        <div>
          <h2>{status?.specFile.split('/').pop() ?? runId}</h2>
          <p className="muted small">
            Run {runId} · {status?.status}
            {status && ` · ${status.done} of ${status.total} written · ${status.accepted} accepted · ${status.rejected} rejected · ${status.flagged} flagged`}
          </p>
        </div>
        <div className="row">
          {running && (
            <button onClick={() => void batches.stop(running.op.opId)} aria-label="Stop run">
              Stop
            </button>
          )}
          {!running && left > 0 && (
            <button className="primary" onClick={() => void onResume().catch((e: AppError) => setError(e))}>
              Resume ({left} to write)
            </button>
          )}
        </div>
      </div>
      {running && (
        <ProgressBar done={p ? p.done + p.failed : 0} total={p?.total ?? running.op.lines} label="Run progress">
          <span className="muted small">{p ? progressFacts(p) : `starting ${running.op.lines} lines…`}</span>
        </ProgressBar>
      )}
      <Problem error={error} />
      <div className="row batch-filters" aria-label="Filters">
        <select aria-label="Scene filter" value={query.scene ?? ''} onChange={(e) => setQuery({ ...query, scene: e.target.value })}>
          <option value="">every scene</option>
          {scenes.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
        <select aria-label="Persona filter" value={query.persona ?? ''} onChange={(e) => setQuery({ ...query, persona: e.target.value })}>
          <option value="">every persona</option>
          {personas.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
        <select aria-label="Status filter" value={query.status ?? ''} onChange={(e) => setQuery({ ...query, status: e.target.value })}>
          <option value="">any status</option>
          <option value="done">written</option>
          <option value="pending">to write</option>
          <option value="failed">failed</option>
        </select>
        <select aria-label="Review filter" value={query.review ?? ''} onChange={(e) => setQuery({ ...query, review: e.target.value })}>
          <option value="">any review</option>
          <option value="none">to review</option>
          <option value="accepted">accepted</option>
          <option value="rejected">rejected</option>
        </select>
        <label className="check">
          <input type="checkbox" checked={query.flagged ?? false} onChange={(e) => setQuery({ ...query, flagged: e.target.checked })} /> flagged only
        </label>
        <span className="muted small">
          {total > pageSize ? `lines ${offset + 1}–${Math.min(offset + pageSize, total)} of ${total}` : `${total} lines`}
        </span>
        {offset > 0 && <button onClick={() => setOffset(Math.max(0, offset - pageSize))}>Previous {pageSize}</button>}
        {offset + pageSize < total && <button onClick={() => setOffset(offset + pageSize)}>Next {pageSize}</button>}
      </div>
      {byScene(lines).map((g) => (
        <table key={g.scene} className="table batch-table" aria-label={`Scene ${g.scene}`}>
          <caption>{g.scene}</caption>
          <thead>
            <tr>
              <th>Persona</th>
              <th>Beat</th>
              <th>Line</th>
              <th>State</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {g.lines.map((l) => (
              <LineRow key={l.id} runId={runId} line={l} busy={running !== null} onChanged={changed} />
            ))}
          </tbody>
        </table>
      ))}
      <BatchExportPanel runId={runId} />
    </div>
  )
}
