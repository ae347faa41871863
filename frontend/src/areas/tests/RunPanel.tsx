import { useEffect, useState } from 'react'
import { providers, type AppError, type EvalConfig, type provider } from '../../bridge'
import { Problem } from '../../components/Problem'

export interface RunRequest {
  configs: EvalConfig[]
  judge?: EvalConfig
}

// RunPanel picks the configurations a suite is run against (provider × model × mode, side
// by side) and the judge for rubric checks.
export function RunPanel({ busy, onRun }: { busy: boolean; onRun: (req: RunRequest) => Promise<unknown> }) {
  const [list, setList] = useState<provider.Provider[]>([])
  const [configs, setConfigs] = useState<EvalConfig[]>([])
  const [judge, setJudge] = useState('')
  const [error, setError] = useState<AppError | null>(null)

  useEffect(() => {
    providers
      .list()
      .then((ps) => {
        setList(ps ?? [])
        const first = ps?.[0]
        if (first) setConfigs([{ provider: first.name, mode: 'base' }])
      })
      .catch((e: AppError) => setError(e))
  }, [])

  const set = (i: number, c: EvalConfig | null) => {
    const next = [...configs]
    if (c) next[i] = c
    else next.splice(i, 1)
    setConfigs(next)
  }
  return (
    <div className="form eval-run-panel" aria-label="Run against">
      <h3>Run against</h3>
      {configs.map((c, i) => (
        <div key={i} className="row" aria-label={`Configuration ${i + 1}`}>
          <select aria-label={`Configuration ${i + 1} provider`} value={c.provider} onChange={(e) => set(i, { ...c, provider: e.target.value })}>
            {list.map((p) => (
              <option key={p.name} value={p.name}>
                {p.name}
              </option>
            ))}
          </select>
          <input aria-label={`Configuration ${i + 1} model`} placeholder="provider's model" value={c.model ?? ''} onChange={(e) => set(i, { ...c, model: e.target.value })} />
          <select aria-label={`Configuration ${i + 1} mode`} value={c.mode} onChange={(e) => set(i, { ...c, mode: e.target.value })}>
            <option value="base">base</option>
            <option value="finetuned">fine-tuned</option>
            <option value="rag">RAG</option>
          </select>
          {configs.length > 1 && (
            <button aria-label={`Remove configuration ${i + 1}`} onClick={() => set(i, null)}>
              ✕
            </button>
          )}
        </div>
      ))}
      <button disabled={list.length === 0} onClick={() => setConfigs([...configs, { provider: list[0]?.name ?? '', mode: 'base' }])}>
        Add configuration
      </button>
      <label>
        Judge for rubric checks
        <select aria-label="Judge" value={judge} onChange={(e) => setJudge(e.target.value)}>
          <option value="">none</option>
          {list.map((p) => (
            <option key={p.name} value={p.name}>
              {p.name}
            </option>
          ))}
        </select>
      </label>
      <button
        className="primary"
        disabled={busy || configs.length === 0}
        onClick={() => {
          setError(null)
          onRun({ configs, judge: judge ? { provider: judge, mode: 'base' } : undefined }).catch((e: AppError) => setError(e))
        }}
      >
        Run tests
      </button>
      {list.length === 0 && <p className="muted small">Add a provider in Settings first.</p>}
      <Problem error={error} />
    </div>
  )
}
