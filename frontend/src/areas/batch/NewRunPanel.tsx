import { useEffect, useState } from 'react'
import { providers, type AppError, type BatchRunOp, type provider } from '../../bridge'
import { FileField, filters } from '../../components/FileField'
import { Problem } from '../../components/Problem'

interface NewRunRequest {
  specPath: string
  provider: string
  concurrency: number
  resume: boolean
}

// NewRunPanel starts a run of a scene spec file (YAML or CSV). The spec is checked in Go
// first: a refusal names its line and field here, and nothing runs.
export function NewRunPanel({ busy, onStart }: { busy: boolean; onStart: (req: NewRunRequest) => Promise<BatchRunOp> }) {
  const [specPath, setSpecPath] = useState('')
  const [provider, setProvider] = useState('')
  const [concurrency, setConcurrency] = useState(4)
  const [resume, setResume] = useState(true)
  const [list, setList] = useState<provider.Provider[]>([])
  const [error, setError] = useState<AppError | null>(null)
  const [starting, setStarting] = useState(false)

  useEffect(() => {
    providers
      .list()
      .then((ps) => setList(ps ?? []))
      .catch((e: AppError) => setError(e))
  }, [])

  const start = () => {
    setStarting(true)
    setError(null)
    onStart({ specPath: specPath.trim(), provider, concurrency, resume })
      .catch((e: AppError) => setError(e))
      .finally(() => setStarting(false))
  }
  return (
    <div className="form side-section" aria-label="New run">
      <FileField
        label="Scene spec file"
        visibleLabel="Scene spec"
        filters={filters.specs}
        invalid={!!error}
        value={specPath}
        onChange={setSpecPath}
        placeholder="~/scenes/act1.yaml"
      />
      <label>
        Provider (for beats that name none)
        <select aria-label="Provider" value={provider} onChange={(e) => setProvider(e.target.value)}>
          <option value="">the spec's</option>
          {list.map((p) => (
            <option key={p.name} value={p.name}>
              {p.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Lines at once
        <input aria-label="Lines at once" type="number" min={1} max={64} value={concurrency} onChange={(e) => setConcurrency(Math.max(1, Math.trunc(Number(e.target.value))))} />
      </label>
      <label className="check">
        <input type="checkbox" checked={resume} onChange={(e) => setResume(e.target.checked)} /> Finish an unfinished run of this spec
      </label>
      <button className="primary" disabled={busy || starting || !specPath.trim()} onClick={start}>
        {starting ? 'Checking…' : 'Start run'}
      </button>
      <Problem error={error} />
    </div>
  )
}
