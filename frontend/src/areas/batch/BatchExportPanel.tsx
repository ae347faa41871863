import { Problem } from '../../components/Problem'
import { useState } from 'react'
import { batches, type AppError, type BatchExportResult, type BatchFormat } from '../../bridge'
import { FileField, filters } from '../../components/FileField'

const formats: { id: BatchFormat; label: string }[] = [
  { id: 'yarn', label: 'Yarn Spinner script (.yarn)' },
  { id: 'csv', label: 'Yarn Spinner strings table (CSV)' },
  { id: 'vo', label: 'Voice-over script (CSV)' },
  { id: 'jsonl', label: 'JSON Lines' },
]

// BatchExportPanel writes the run to a folder: only accepted lines once any line was
// reviewed, unless the writer asks for every line.
export function BatchExportPanel({ runId }: { runId: string }) {
  const [dir, setDir] = useState('')
  const [picked, setPicked] = useState<BatchFormat[]>(formats.map((f) => f.id))
  const [all, setAll] = useState(false)
  const [result, setResult] = useState<BatchExportResult | null>(null)
  const [error, setError] = useState<AppError | null>(null)
  const run = () => {
    setError(null)
    setResult(null)
    batches
      .exportTo(runId, dir.trim(), picked, all)
      .then(setResult)
      .catch((e: AppError) => setError(e))
  }
  return (
    <div className="card form panel" aria-label="Export">
      <h3>Export</h3>
      <FileField label="Export folder" visibleLabel="Folder" mode="folder" value={dir} onChange={setDir} placeholder="~/scripts/act1" />
      {formats.map((f) => (
        <label key={f.id} className="check">
          <input type="checkbox" checked={picked.includes(f.id)} onChange={(e) => setPicked(e.target.checked ? [...picked, f.id] : picked.filter((x) => x !== f.id))} /> {f.label}
        </label>
      ))}
      <label className="check">
        <input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} /> Every written line, not only the accepted ones
      </label>
      <button className="primary" disabled={!dir.trim() || picked.length === 0} onClick={run}>
        Export
      </button>
      <Problem error={error} />
      {result && (
        <div role="status" className="success">
          Exported {result.lines} {result.reviewed ? 'accepted ' : ''}lines:
          <ul>
            {result.files.map((f) => (
              <li key={f}>
                <code>{f}</code>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  )
}
