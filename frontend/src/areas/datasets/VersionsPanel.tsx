import { Problem } from '../../components/Problem'
import { useEffect, useState } from 'react'
import { datasets, type AppError, type DatasetData, type DatasetDiff, type DatasetVersion, type RecordChange } from '../../bridge'
import { when } from '../personas/VersionHistory'
import { clip } from './records'
import { plural } from '../../format'
import { diffSummary, fieldChanges } from './versions'

interface VersionsPanelProps {
  dataset: DatasetData
  onJump: (line: number, field: string) => void
}

// VersionsPanel lists a dataset's versions (every change to the records makes one); the writer
// picks two and sees the records added, removed and changed between them.
export function VersionsPanel({ dataset: ds, onJump }: VersionsPanelProps) {
  const [versions, setVersions] = useState<DatasetVersion[]>([])
  const [from, setFrom] = useState(0)
  const [to, setTo] = useState(0)
  const [diff, setDiff] = useState<DatasetDiff | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<AppError | null>(null)

  // A new version (an edit in the grid, an import) is listed at once and picked as To.
  useEffect(() => {
    datasets
      .versions(ds.id)
      .then((list) => {
        setVersions(list)
        setTo(list[0]?.number ?? 0)
        setFrom(list[1]?.number ?? list[0]?.number ?? 0)
      })
      .catch((e: AppError) => setError(e))
  }, [ds.id, ds.head])

  // more appends the next page of the diff shown; otherwise the picked versions are compared.
  const compare = (more: boolean) => {
    const shown = more ? diff : null
    setBusy(true)
    setError(null)
    datasets
      .diff(ds.id, shown?.from ?? from, shown?.to ?? to, shown?.changes.length ?? 0)
      .then((d) => setDiff(shown ? { ...d, changes: [...shown.changes, ...d.changes] } : d))
      .catch((e: AppError) => setError(e))
      .finally(() => setBusy(false))
  }

  const total = diff ? diff.added + diff.removed + diff.changed : 0
  return (
    <div className="side-section version-history dataset-versions" aria-label="Version history">
      <p className="muted small">Every change to the records saves a new version. Pick two to see what changed between them.</p>
      <table className="table" aria-label="Versions">
        <thead>
          <tr>
            <th title="compare from">From</th>
            <th title="compare to">To</th>
            <th>Version</th>
            <th>Saved</th>
          </tr>
        </thead>
        <tbody>
          {versions.map((v) => (
            <tr key={v.number} aria-label={`Version ${v.number}`} className={v.number === ds.head ? 'current' : undefined}>
              <td>
                <input type="radio" name="dataset-diff-from" aria-label={`Compare from version ${v.number}`} checked={from === v.number} onChange={() => setFrom(v.number)} />
              </td>
              <td>
                <input type="radio" name="dataset-diff-to" aria-label={`Compare to version ${v.number}`} checked={to === v.number} onChange={() => setTo(v.number)} />
              </td>
              <td>
                v{v.number}
                {v.number === ds.head && <span className="badge">current</span>}
                {v.message && <div className="muted small">{v.message}</div>}
              </td>
              <td>
                {when(v.createdAt)}
                <div className="muted small">{plural(v.records, 'record')}</div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="row">
        <button className="primary" onClick={() => compare(false)} disabled={busy || !from || !to}>
          Compare v{from} with v{to}
        </button>
        {versions.length < 2 && <span className="muted small">Change a record to have two versions to compare.</span>}
      </div>
      <Problem error={error} />
      {diff && (
        <section className="version-diff" aria-label={`Changes from version ${diff.from} to version ${diff.to}`}>
          <h3>
            Version {diff.from} → version {diff.to}
          </h3>
          <p role="status" className="diff-counts">
            {diffSummary(diff)}
          </p>
          {diff.changes.map((c) => (
            <ChangedRecord key={`${c.kind}:${c.id}`} change={c} from={diff.from} toIsCurrent={diff.to === ds.head} onJump={onJump} />
          ))}
          {diff.changes.length < total && (
            <button disabled={busy} onClick={() => compare(true)}>
              Show more ({plural(total - diff.changes.length, 'record')} left)
            </button>
          )}
        </section>
      )}
    </div>
  )
}

interface ChangedRecordProps {
  change: RecordChange
  from: number
  toIsCurrent: boolean
  onJump: (line: number, field: string) => void
}

// ChangedRecord is one record of a diff with its fields before and after. It jumps the grid to
// the record when the grid shows the version compared to.
function ChangedRecord({ change: c, from, toIsCurrent, onJump }: ChangedRecordProps) {
  const fields = fieldChanges(c.before, c.after)
  const line = c.toLine > 0 ? `Line ${c.toLine}` : `Line ${c.fromLine} of v${from}`
  const moved = c.kind === 'changed' && c.fromLine !== c.toLine ? ` (was line ${c.fromLine})` : ''
  const canJump = toIsCurrent && c.toLine > 0
  return (
    <article className={`diff-field record-change is-${c.kind}`} aria-label={`${line}, ${c.kind}`}>
      <header className="row between">
        <button
          className="link-button mono"
          disabled={!canJump}
          title={canJump ? 'Show it in the grid' : c.toLine > 0 ? 'Compare to the current version to find it in the grid' : 'Not in the version compared to'}
          onClick={() => onJump(c.toLine, fields[0]?.field ?? '')}
        >
          {line}
          {moved}
        </button>
        <span className={`change-kind ${c.kind}`}>{c.kind}</span>
      </header>
      {fields.map((f) => (
        <div key={f.field} className="change small" aria-label={f.label}>
          <span className="muted">{f.label}</span>
          {c.kind !== 'added' && <del className={f.before ? undefined : 'none'}>{f.before ? clip(f.before, 280) : '(empty)'}</del>}
          {c.kind !== 'removed' && <ins className={f.after ? undefined : 'none'}>{f.after ? clip(f.after, 280) : '(empty)'}</ins>}
        </div>
      ))}
      {c.kind === 'changed' && fields.length === 0 && <p className="muted small">Only the record's format changed.</p>}
    </article>
  )
}
