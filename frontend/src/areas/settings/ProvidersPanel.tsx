import { Problem } from '../../components/Problem'
import { useEffect, useState } from 'react'
import { providers, type AppError, type provider, invalidField } from '../../bridge'
import { keyLabel, sameAddress } from './providerKeys'

type Kind = 'openai' | 'bedrock' | 'npcapi'

const kindLabels: Record<Kind, string> = {
  openai: 'OpenAI-compatible (OpenAI, Ollama, LM Studio, vLLM)',
  bedrock: 'Amazon Bedrock',
  npcapi: 'Deployed NPC API (text / RAG)',
}

interface Draft {
  name: string
  kind: Kind
  baseUrl: string
  model: string
  apiKey: string
  apiKeyEnv: string
  region: string
  profile: string
  modelId: string
  textUrl: string
  ragUrl: string
  // confirmEnv is the writer's yes to "this provider reads $apiKeyEnv and sends it to its URL".
  confirmEnv: boolean
}

const empty: Draft = {
  name: '',
  kind: 'openai',
  baseUrl: 'http://127.0.0.1:11434/v1',
  model: '',
  apiKey: '',
  apiKeyEnv: '',
  region: 'us-east-1',
  profile: '',
  modelId: '',
  textUrl: '',
  ragUrl: '',
  confirmEnv: false,
}

function toDraft(p: provider.Provider): Draft {
  return {
    ...empty,
    name: p.name,
    kind: p.kind as Kind,
    baseUrl: p.baseUrl ?? '',
    model: p.model ?? '',
    apiKeyEnv: p.apiKeyEnv ?? '',
    region: p.region ?? '',
    profile: p.profile ?? '',
    modelId: p.modelId ?? '',
    textUrl: p.textUrl ?? '',
    ragUrl: p.ragUrl ?? '',
  }
}

function toProvider(d: Draft): provider.Provider {
  const base = { v: 1, name: d.name.trim(), kind: d.kind, hasStoredKey: false, created: '', updated: '' }
  switch (d.kind) {
    case 'openai':
      return { ...base, baseUrl: d.baseUrl.trim(), model: d.model.trim(), apiKeyEnv: d.apiKeyEnv.trim() } as provider.Provider
    case 'bedrock':
      return { ...base, region: d.region.trim(), profile: d.profile.trim(), modelId: d.modelId.trim() } as provider.Provider
    case 'npcapi':
      return { ...base, textUrl: d.textUrl.trim(), ragUrl: d.ragUrl.trim() } as provider.Provider
  }
}

function target(p: provider.Provider): string {
  if (p.kind === 'openai') return `${p.baseUrl ?? ''} · ${p.model ?? ''}`
  if (p.kind === 'bedrock') return `${p.region ?? ''} · ${p.modelId ?? ''}`
  return [p.textUrl, p.ragUrl].filter(Boolean).join(' · ')
}

export function ProvidersPanel() {
  const [list, setList] = useState<provider.Provider[]>([])
  const [draft, setDraft] = useState<Draft>(empty)
  const [adding, setAdding] = useState(false)
  // editing is the provider being changed, or null when a new one is being added.
  const [editing, setEditing] = useState<provider.Provider | null>(null)
  const [error, setError] = useState<AppError | null>(null)
  const [tests, setTests] = useState<Record<string, provider.TestResult | 'testing'>>({})

  const load = () => {
    providers.list().then(setList).catch(setError)
  }
  useEffect(load, [])

  // A change to the variable or the address it goes to takes the confirmation back.
  const set = <K extends keyof Draft>(k: K) => (e: { target: { value: string } }) =>
    setDraft({ ...draft, [k]: e.target.value as Draft[K], confirmEnv: k === 'apiKeyEnv' || k === 'baseUrl' ? false : draft.confirmEnv })

  const envName = draft.kind === 'openai' ? draft.apiKeyEnv.trim() : ''
  const hadKey = !!editing && (editing.hasStoredKey || !!editing.apiKeyEnv)
  const urlMoved = !!editing && draft.kind === 'openai' && !sameAddress(editing.baseUrl ?? '', draft.baseUrl)
  const needsKeyAgain = hadKey && urlMoved && draft.apiKey === '' && (envName === '' || !draft.confirmEnv)

  const close = () => {
    setDraft(empty)
    setAdding(false)
    setEditing(null)
    setError(null)
  }
  const save = () => {
    setError(null)
    const p = toProvider(draft)
    const key = draft.kind === 'openai' ? draft.apiKey : ''
    const confirmed = envName !== '' && draft.confirmEnv ? envName : ''
    const saving = editing ? providers.update(p, key, confirmed) : providers.add(p, key, confirmed)
    saving
      .then(() => {
        close()
        load()
      })
      .catch((e: AppError) => setError(e))
  }
  const edit = (p: provider.Provider) => {
    setError(null)
    setEditing(p)
    setDraft(toDraft(p))
    setAdding(true)
  }
  const test = (name: string) => {
    setTests((t) => ({ ...t, [name]: 'testing' }))
    providers
      .test(name)
      .then((r) => setTests((t) => ({ ...t, [name]: r })))
      .catch((e: AppError) => setError(e))
  }
  const remove = (name: string) => {
    providers
      .remove(name)
      .then(load)
      .catch((e: AppError) => setError(e))
  }
  const fieldError = (f: string) => invalidField(error, f)

  return (
    <div className="panel">
      <div className="row between">
        <p className="muted">Models you chat with. Keys are kept in your OS keychain, never in the workspace.</p>
        {!adding && (
          <button className="primary" onClick={() => setAdding(true)}>
            Add provider
          </button>
        )}
      </div>
      {list.length === 0 && !adding && <p className="empty">No providers yet. Add a local Ollama or LM Studio server, Bedrock, or your team's deployed NPC API.</p>}
      {list.length > 0 && (
        <table className="table" aria-label="Providers">
          <thead>
            <tr>
              <th>Name</th>
              <th>Kind</th>
              <th>Target</th>
              <th>Key</th>
              <th>Check</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {list.map((p) => {
              const t = tests[p.name]
              return (
                <tr key={p.name}>
                  <td>{p.name}</td>
                  <td>{p.kind}</td>
                  <td className="mono">{target(p)}</td>
                  <td title={p.keyFor ? `the key is sent only to ${p.keyFor}` : undefined}>{keyLabel(p)}</td>
                  <td className="test-result">
                    {t === 'testing' && 'checking…'}
                    {t && t !== 'testing' && <span className={t.reachable ? 'ok' : 'fail'}>{t.reachable ? '✓ ' : '✕ '}{t.detail}</span>}
                  </td>
                  <td className="actions">
                    <button onClick={() => test(p.name)}>Test</button>
                    <button onClick={() => edit(p)} disabled={adding}>
                      Edit
                    </button>
                    <button className="danger" onClick={() => remove(p.name)}>
                      Remove
                    </button>
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      )}
      {adding && (
        <div className="form card" aria-label={editing ? `Edit provider ${editing.name}` : 'New provider'}>
          <label>
            Name
            <input value={draft.name} onChange={set('name')} placeholder="ollama" aria-invalid={fieldError('name')} readOnly={!!editing} />
          </label>
          <label>
            Kind
            <select value={draft.kind} onChange={set('kind')}>
              {(Object.keys(kindLabels) as Kind[]).map((k) => (
                <option key={k} value={k}>
                  {kindLabels[k]}
                </option>
              ))}
            </select>
          </label>
          {draft.kind === 'openai' && (
            <>
              <label>
                Base URL
                <input value={draft.baseUrl} onChange={set('baseUrl')} aria-invalid={fieldError('baseUrl')} />
              </label>
              <label>
                Model
                <input value={draft.model} onChange={set('model')} placeholder="llama3.1:8b" aria-invalid={fieldError('model')} />
              </label>
              <label>
                API key{' '}
                <span className="muted">
                  {editing?.hasStoredKey ? '(leave empty to keep the saved key; it is sent only to its URL)' : '(optional; kept in the OS keychain)'}
                </span>
                <input type="password" value={draft.apiKey} onChange={set('apiKey')} aria-invalid={fieldError('apiKey') ?? (needsKeyAgain ? true : undefined)} />
              </label>
              {needsKeyAgain && (
                <p className="error" role="note">
                  The base URL changed: enter the key again (or confirm its variable below). The saved key is not sent to a new address.
                </p>
              )}
              <label>
                Or key from environment variable
                <input value={draft.apiKeyEnv} onChange={set('apiKeyEnv')} placeholder="OPENAI_API_KEY" aria-invalid={fieldError('apiKeyEnv')} />
              </label>
              {envName !== '' && (
                <label className="row">
                  <input
                    type="checkbox"
                    checked={draft.confirmEnv}
                    onChange={(e) => setDraft({ ...draft, confirmEnv: e.target.checked })}
                    aria-invalid={fieldError('apiKeyEnv')}
                  />
                  <span>
                    Let {draft.name.trim() || 'this provider'} read <code>${envName}</code> and send it to <code>{draft.baseUrl.trim()}</code>
                  </span>
                </label>
              )}
            </>
          )}
          {draft.kind === 'bedrock' && (
            <>
              <label>
                Region
                <input value={draft.region} onChange={set('region')} aria-invalid={fieldError('region')} />
              </label>
              <label>
                AWS profile <span className="muted">(optional)</span>
                <input value={draft.profile} onChange={set('profile')} />
              </label>
              <label>
                Model id, inference profile or provisioned-throughput ARN
                <input value={draft.modelId} onChange={set('modelId')} placeholder="amazon.nova-lite-v1:0" aria-invalid={fieldError('modelId')} />
              </label>
            </>
          )}
          {draft.kind === 'npcapi' && (
            <>
              <label>
                Text endpoint URL
                <input value={draft.textUrl} onChange={set('textUrl')} aria-invalid={fieldError('textUrl')} />
              </label>
              <label>
                RAG endpoint URL
                <input value={draft.ragUrl} onChange={set('ragUrl')} aria-invalid={fieldError('ragUrl')} />
              </label>
            </>
          )}
          <div className="row">
            <button className="primary" onClick={save} disabled={(envName !== '' && !draft.confirmEnv) || needsKeyAgain}>
              Save provider
            </button>
            <button onClick={close}>Cancel</button>
          </div>
        </div>
      )}
      <Problem error={error} />
    </div>
  )
}
