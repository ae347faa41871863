import { Problem } from '../../components/Problem'
import { useState } from 'react'
import { datasets, type AppError, type dataset, type DatasetData } from '../../bridge'
import { plural } from '../../format'

interface DuplicatesPanelProps {
  dataset: DatasetData
  onApplied: (v: dataset.Version) => void
  onJump: (line: number, field: string) => void
}

// DuplicatesPanel finds records that repeat each other, exactly or nearly, and removes all but
// the first of each group.
export function DuplicatesPanel({ dataset: ds, onApplied, onJump }: DuplicatesPanelProps) {
  const [near, setNear] = useState(true)
  const [threshold, setThreshold] = useState(0.8)
  const [found, setFound] = useState<dataset.DedupeResult | null>(null)
  const [done, setDone] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<AppError | null>(null)

  const run = (apply: boolean) => {
    setBusy(true)
    setError(null)
    setDone('')
    datasets
      .dedupe({ datasetId: ds.id, baseVersion: apply && found ? found.version.number : 0, near, threshold, apply })
      .then((r) => {
        if (apply) {
          setFound(null)
          setDone(`Removed ${plural(r.duplicates, 'duplicate')}: version ${r.version.number}, ${plural(r.version.records, 'record')}.`)
          onApplied(r.version)
        } else setFound(r)
      })
      .catch((e: AppError) => setError(e))
      .finally(() => setBusy(false))
  }

  return (
    <div className="side-section form" aria-label="Duplicates">
      <p className="muted small">
        Exact duplicates have the same system prompt and turns. Near duplicates share most of their wording (compared three words at a time), such as a
        line copied with one word changed.
      </p>
      <label className="check">
        <input type="checkbox" checked={near} onChange={(e) => (setNear(e.target.checked), setFound(null))} /> Near duplicates too
      </label>
      {near && (
        <label>
          Alike from {Math.round(threshold * 100)}%
          <input type="range" min={0.5} max={1} step={0.05} value={threshold} onChange={(e) => (setThreshold(Number(e.target.value)), setFound(null))} />
        </label>
      )}
      <div className="row">
        <button disabled={busy || ds.records === 0} onClick={() => run(false)}>
          {busy && !found ? 'Looking…' : 'Find duplicates'}
        </button>
        <button className="primary" disabled={busy || !found || found.duplicates === 0} onClick={() => run(true)}>
          Remove {found ? plural(found.duplicates, 'duplicate') : 'duplicates'}
        </button>
      </div>
      <Problem error={error} />
      {done && <p className="success">{done}</p>}
      {found && (
        <div role="status">
          <p>
            {found.groups.length === 0
              ? 'No duplicates.'
              : `${plural(found.groups.length, 'group')}: removing keeps the first record of each and drops ${plural(found.duplicates, 'record')}.`}
          </p>
          <ul className="groups">
            {found.groups.slice(0, 200).map((g, i) => (
              <li key={i}>
                <span className={`dup-kind ${g.kind}`}>{g.kind === 'exact' ? 'exact' : `${Math.round(g.similarity * 100)}% alike`}</span>
                {g.records.map((r, k) => (
                  <button key={r.id} className={k === 0 ? 'chip keep' : 'chip'} onClick={() => onJump(r.line, '')} title={k === 0 ? 'Kept' : 'Removed'}>
                    {r.line}
                  </button>
                ))}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  )
}
