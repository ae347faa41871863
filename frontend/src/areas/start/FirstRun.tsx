import { useCallback, useEffect, useState } from 'react'
import type { AreaProps } from '../../areas'
import { chats, personas, providers, type AppError, type persona, type provider } from '../../bridge'
import { FileField, filters } from '../../components/FileField'
import { Problem } from '../../components/Problem'
import { presets, steps, suggestURL, type Preset, type StepState } from './presets'

// FirstRun is the checklist an empty workspace opens on: connect a model, make a persona,
// say hello.
export function FirstRun({ go, refresh }: AreaProps) {
  const [models, setModels] = useState<provider.Provider[] | null>(null)
  const [people, setPeople] = useState<persona.PersonaSummary[] | null>(null)
  const [error, setError] = useState<AppError | null>(null)

  const reload = useCallback(() => {
    providers.list().then(setModels).catch(setError)
    personas
      .list('', 0, 5)
      .then((p) => setPeople(p.items))
      .catch(setError)
  }, [])
  useEffect(reload, [reload])

  if (!models || !people) return error ? <Problem error={error} /> : <div className="boot">Loading…</div>
  const state = steps(models.length > 0, people.length > 0, false)
  const provider0 = models[0]
  const persona0 = people[0]

  const hello = () => {
    if (!provider0 || !persona0) return
    setError(null)
    chats
      .create(persona0.id, { provider: provider0.name, model: '', mode: 'base' })
      .then((v) => go('chat', v.chat.id))
      .catch((e: AppError) => setError(e))
  }

  return (
    <section className="page first-run">
      <header className="page-head">
        <div>
          <h1>Get started</h1>
          <p className="muted">Three steps to your first conversation with an NPC.</p>
        </div>
      </header>
      <ol className="steps">
        <Step n={1} title="Connect a model" state={state.model}>
          {provider0 ? (
            <p>
              Connected to <strong>{provider0.name}</strong> ({provider0.model || provider0.modelId}).{' '}
              <button type="button" className="link" onClick={() => go('settings')}>
                Change in Settings
              </button>
            </p>
          ) : (
            <ConnectModel
              onConnected={() => {
                reload()
                refresh()
              }}
            />
          )}
        </Step>
        <Step n={2} title="Create or import a persona" state={state.persona}>
          {persona0 ? (
            <p>
              <strong>{persona0.name}</strong> is ready.{' '}
              <button type="button" className="link" onClick={() => go('personas')}>
                Open Personas
              </button>
            </p>
          ) : (
            <MakePersona onMade={reload} />
          )}
        </Step>
        <Step n={3} title="Say hello in chat" state={state.hello}>
          {!provider0 ? (
            <p className="muted">
              <button type="button" className="link" onClick={() => document.getElementById('step-1')?.scrollIntoView()}>
                Connect a model
              </button>{' '}
              first.
            </p>
          ) : !persona0 ? (
            <p className="muted">
              <button type="button" className="link" onClick={() => document.getElementById('step-2')?.scrollIntoView()}>
                Create a persona
              </button>{' '}
              first.
            </p>
          ) : (
            <button className="primary" onClick={hello}>
              Say hello to {persona0.name}
            </button>
          )}
        </Step>
      </ol>
      {error && <Problem error={error} />}
    </section>
  )
}

function Step(props: { n: number; title: string; state: StepState; children: React.ReactNode }) {
  return (
    <li id={`step-${props.n}`} className={`step ${props.state}`} aria-label={props.title}>
      <span className="step-mark" aria-label={props.state === 'done' ? 'done' : 'to do'}>
        {props.state === 'done' ? '✓' : props.n}
      </span>
      <div className="step-body">
        <h2>{props.title}</h2>
        {props.children}
      </div>
    </li>
  )
}

function ConnectModel({ onConnected }: { onConnected: () => void }) {
  const [preset, setPreset] = useState<Preset | null>(null)
  const [name, setName] = useState('')
  const [baseUrl, setBaseUrl] = useState('')
  const [apiKey, setApiKey] = useState('')
  const [model, setModel] = useState('')
  const [region, setRegion] = useState('us-east-1')
  const [found, setFound] = useState<string[] | null>(null)
  const [busy, setBusy] = useState('')
  const [error, setError] = useState<AppError | null>(null)

  const choose = (p: Preset) => {
    setPreset(p)
    setName(p.name)
    setBaseUrl(p.baseUrl)
    setModel('')
    setFound(null)
    setError(null)
  }
  const find = () => {
    setBusy('find')
    setError(null)
    providers
      .models({ baseUrl, apiKey })
      .then((m) => {
        setFound(m)
        if (m.length > 0 && !m.includes(model)) setModel(m[0] ?? '')
      })
      .catch((e: AppError) => setError(e))
      .finally(() => setBusy(''))
  }
  const connect = () => {
    if (!preset) return
    setBusy('connect')
    setError(null)
    const p =
      preset.kind === 'bedrock'
        ? ({ name, kind: 'bedrock', region, modelId: model } as provider.Provider)
        : ({ name, kind: 'openai', baseUrl, model } as provider.Provider)
    providers
      .add(p, apiKey)
      .then(() => onConnected())
      .catch((e: AppError) => setError(e))
      .finally(() => setBusy(''))
  }
  const suggestion = preset?.kind === 'openai' ? suggestURL(baseUrl) : ''
  return (
    <div className="form">
      <div className="row wrap" role="group" aria-label="Model server">
        {presets.map((p) => (
          <button key={p.id} className={preset?.id === p.id ? 'primary' : ''} aria-pressed={preset?.id === p.id} onClick={() => choose(p)}>
            {p.label}
          </button>
        ))}
      </div>
      {preset && (
        <>
          <p className="muted small">{preset.hint}</p>
          <label>
            Name
            <input aria-label="Provider name" value={name} onChange={(e) => setName(e.target.value)} />
          </label>
          {preset.kind === 'openai' ? (
            <>
              <label>
                Address
                <input aria-label="Server address" value={baseUrl} onChange={(e) => setBaseUrl(e.target.value)} />
              </label>
              {suggestion && (
                <p className="hint small">
                  Did you mean{' '}
                  <button type="button" className="link" onClick={() => setBaseUrl(suggestion)}>
                    {suggestion}
                  </button>
                  ?
                </p>
              )}
              {preset.needsKey && (
                <label>
                  API key
                  <input aria-label="API key" type="password" value={apiKey} onChange={(e) => setApiKey(e.target.value)} autoComplete="off" />
                </label>
              )}
              <div className="row">
                {found && found.length > 0 ? (
                  <select aria-label="Model" value={model} onChange={(e) => setModel(e.target.value)}>
                    {found.map((m) => (
                      <option key={m} value={m}>
                        {m}
                      </option>
                    ))}
                  </select>
                ) : (
                  <input aria-label="Model" value={model} onChange={(e) => setModel(e.target.value)} placeholder="Find the models, or type one" />
                )}
                <button onClick={find} disabled={busy !== '' || !baseUrl.trim()}>
                  {busy === 'find' ? 'Asking…' : 'Find models'}
                </button>
              </div>
              {found && found.length === 0 && <p className="muted small">The server has no models yet: pull or load one, then find again.</p>}
            </>
          ) : (
            <>
              <label>
                Region
                <input aria-label="Region" value={region} onChange={(e) => setRegion(e.target.value)} />
              </label>
              <label>
                Model id
                <input aria-label="Model" value={model} onChange={(e) => setModel(e.target.value)} placeholder="anthropic.claude-3-haiku-20240307-v1:0" />
              </label>
            </>
          )}
          <div className="row">
            <button className="primary" onClick={connect} disabled={busy !== '' || !name.trim() || !model.trim()}>
              {busy === 'connect' ? 'Connecting…' : 'Connect'}
            </button>
          </div>
        </>
      )}
      {error && <Problem error={error} />}
    </div>
  )
}

function MakePersona({ onMade }: { onMade: () => void }) {
  const [name, setName] = useState('')
  const [card, setCard] = useState('')
  const [error, setError] = useState<AppError | null>(null)
  const create = () => {
    setError(null)
    personas
      .create(name.trim())
      .then(() => onMade())
      .catch((e: AppError) => setError(e))
  }
  const importCard = (path: string) => {
    setError(null)
    personas
      .importCard(path.trim())
      .then(() => onMade())
      .catch((e: AppError) => setError(e))
  }
  return (
    <div className="form">
      <div className="row">
        <input aria-label="New persona's name" value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. Mira, the harbour blacksmith" />
        <button className="primary" disabled={!name.trim()} onClick={create}>
          Create
        </button>
      </div>
      <FileField
        label="Card to import"
        visibleLabel="Or import a character card (PNG or JSON)"
        filters={filters.cards}
        value={card}
        onChange={setCard}
        onPicked={importCard}
        placeholder="~/cards/mira.png"
      />
      {card && (
        <div className="row">
          <button onClick={() => importCard(card)}>Import card</button>
        </div>
      )}
      {error && <Problem error={error} />}
    </div>
  )
}
