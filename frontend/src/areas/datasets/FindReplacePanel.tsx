import { Problem } from '../../components/Problem'
import { useState } from 'react'
import { datasets, type AppError, type dataset, type DatasetData, type RecordView, invalidField } from '../../bridge'
import { clip } from './records'
import { plural } from '../../format'

interface FindReplacePanelProps {
  dataset: DatasetData
  onApplied: (v: dataset.Version) => void
  onJump: (line: number, field: string) => void
}

const fieldNames = [
  { id: 'system', label: 'System prompts' },
  { id: 'user', label: 'Prompts (player)' },
  { id: 'assistant', label: 'Replies (NPC)' },
] as const

// FindReplacePanel finds text in every record and replaces it as one new version, after a
// preview of what would change.
export function FindReplacePanel({ dataset: ds, onApplied, onJump }: FindReplacePanelProps) {
  const [find, setFind] = useState('')
  const [replace, setReplace] = useState('')
  const [regex, setRegex] = useState(false)
  const [matchCase, setMatchCase] = useState(false)
  const [fields, setFields] = useState<string[]>(['system', 'user', 'assistant'])
  const [preview, setPreview] = useState<dataset.FindReplaceResult | null>(null)
  const [done, setDone] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<AppError | null>(null)

  const run = (apply: boolean) => {
    setBusy(true)
    setError(null)
    setDone('')
    datasets
      .findReplace({ datasetId: ds.id, baseVersion: apply && preview ? preview.version.number : 0, find, replace, regex, matchCase, fields, apply })
      .then((r) => {
        if (apply) {
          setPreview(null)
          setDone(`Replaced ${plural(r.matches, 'match', 'matches')} in ${plural(r.records, 'record')}: version ${r.version.number}.`)
          onApplied(r.version)
        } else setPreview(r)
      })
      .catch((e: AppError) => setError(e))
      .finally(() => setBusy(false))
  }
  const toggle = (f: string) => {
    setPreview(null)
    setFields(fields.includes(f) ? fields.filter((x) => x !== f) : [...fields, f])
  }

  return (
    <div className="side-section form" aria-label="Find and replace">
      <label>
        Find
        <input value={find} aria-invalid={invalidField(error, 'find')} onChange={(e) => (setFind(e.target.value), setPreview(null))} />
      </label>
      <label>
        Replace with
        <input value={replace} onChange={(e) => (setReplace(e.target.value), setPreview(null))} />
      </label>
      <div className="checks-row">
        <label className="check">
          <input type="checkbox" checked={matchCase} onChange={(e) => (setMatchCase(e.target.checked), setPreview(null))} /> Match case
        </label>
        <label className="check">
          <input type="checkbox" checked={regex} onChange={(e) => (setRegex(e.target.checked), setPreview(null))} /> Regular expression
        </label>
      </div>
      <div className="checks-row" role="group" aria-label="Search in">
        {fieldNames.map((f) => (
          <label key={f.id} className="check">
            <input type="checkbox" checked={fields.includes(f.id)} onChange={() => toggle(f.id)} /> {f.label}
          </label>
        ))}
      </div>
      <div className="row">
        <button disabled={busy || !find || fields.length === 0} onClick={() => run(false)}>
          Preview
        </button>
        <button className="primary" disabled={busy || !preview || preview.matches === 0} onClick={() => run(true)}>
          Replace all
        </button>
      </div>
      <Problem error={error} />
      {done && <p className="success">{done}</p>}
      {preview && (
        <div role="status">
          <p>{preview.matches === 0 ? 'No matches.' : `${plural(preview.matches, 'match', 'matches')} in ${plural(preview.records, 'record')}.`}</p>
          <ul className="samples">
            {preview.samples.map((c) => (
              <li key={c.id}>
                <button className="problem-link" onClick={() => onJump(c.toLine, '')}>
                  <span className="mono">Line {c.toLine}</span>
                </button>
                {c.before && c.after && <Change before={c.before} after={c.after} />}
              </li>
            ))}
          </ul>
          {preview.records > preview.samples.length && <p className="muted small">The first {preview.samples.length} records are shown.</p>}
        </div>
      )}
    </div>
  )
}

// Change shows the first text of a record that the replacement changes.
function Change({ before, after }: { before: RecordView; after: RecordView }) {
  const texts = (v: RecordView) => [v.record.system, ...v.record.messages.map((m) => m.content)]
  const b = texts(before)
  const a = texts(after)
  const i = a.findIndex((t, k) => t !== b[k])
  if (i < 0) return null
  return (
    <div className="change small">
      <del>{clip(b[i] ?? '')}</del>
      <ins>{clip(a[i] ?? '')}</ins>
    </div>
  )
}
