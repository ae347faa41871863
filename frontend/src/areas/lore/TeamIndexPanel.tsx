import { Problem } from '../../components/Problem'
import { useCallback, useEffect, useState } from 'react'
import { lore, type AppError, type LoreDocument, type LoreProgress, type LoreResults, type LoreStatus, type LoreTeam, type LoreTeamStatus, type PushResult, invalidField } from '../../bridge'
import { plural } from '../../format'
import { ResultList } from './LoreSearch'
import { Term } from '../../components/Term'

const emptyTeam: LoreTeam = { v: 1, url: '', index: 'rag_embeddings', auth: 'basic', hasPassword: false }

// TeamIndexPanel is the team's lore index on OpenSearch: connect (basic auth or SigV4),
// create or use the index, push documents the way the cloud indexes them, see what is
// there, search it, and check whether an uploaded file was hydrated.
export function TeamIndexPanel({ status, onChanged }: { status: LoreStatus | null; onChanged: () => void }) {
  const [team, setTeam] = useState<LoreTeamStatus | null>(null)
  const [editing, setEditing] = useState(false)
  const [error, setError] = useState<AppError | null>(null)
  const connected = !!status?.team

  const refresh = useCallback(() => {
    setError(null)
    lore
      .teamStatus()
      .then(setTeam)
      .catch((e: AppError) => setError(e))
  }, [])
  useEffect(() => {
    if (connected) refresh()
  }, [connected, refresh])

  if (!connected || editing) {
    return (
      <ConnectForm
        initial={status?.team ?? emptyTeam}
        onConnected={(s) => {
          setTeam(s)
          setEditing(false)
          onChanged()
        }}
        onCancel={connected ? () => setEditing(false) : undefined}
      />
    )
  }
  const ix = team?.index
  return (
    <div className="lore-team">
      <div className="row between">
        <div>
          <h2>Team index</h2>
          <p className="muted small mono">
            {status?.team?.url} · {status?.team?.index} · {status?.team?.auth} auth
          </p>
        </div>
        <div className="row">
          <button onClick={refresh}>Refresh</button>
          <button onClick={() => setEditing(true)}>Change connection</button>
          <button
            className="danger"
            onClick={() =>
              lore
                .teamDisconnect()
                .then(onChanged)
                .catch((e: AppError) => setError(e))
            }
          >
            Disconnect
          </button>
        </div>
      </div>
      <Problem error={error} />
      {team && ix && (
        <section className="card" aria-label="What the team index holds">
          {ix.exists ? (
            <p>
              <strong>{ix.index}</strong>: {plural(ix.chunks, 'chunk')}, {ix.dimension} dimensions{ix.engine ? `, ${ix.engine}` : ''}.
            </p>
          ) : (
            <div className="row">
              <p>
                Index <strong>{ix.index}</strong> does not exist yet.
              </p>
              <button
                onClick={() =>
                  lore
                    .teamEnsureIndex()
                    .then(setTeam)
                    .catch((e: AppError) => setError(e))
                }
              >
                Create it
              </button>
            </div>
          )}
          {team.embedder && (
            <p className="muted small">
              Embedder {team.embedder} ({team.dimension} dimensions).
            </p>
          )}
          {team.problem && <p className="warning-text small">{team.problem}</p>}
          {ix.files.length > 0 && (
            <table className="table" aria-label="Files in the team index">
              <thead>
                <tr>
                  <th>File</th>
                  <th className="num">Chunks</th>
                </tr>
              </thead>
              <tbody>
                {ix.files.map((f) => (
                  <tr key={f.name}>
                    <td className="mono">{f.name}</td>
                    <td className="num">{f.chunks}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {ix.filesPartial && <p className="muted small">Files counted in the first 10,000 chunks only.</p>}
        </section>
      )}
      <PushPanel onPushed={refresh} />
      <div className="two lore-team-bottom">
        <TeamSearch />
        <HydratedCheck />
      </div>
    </div>
  )
}

function ConnectForm({ initial, onConnected, onCancel }: { initial: LoreTeam; onConnected: (s: LoreTeamStatus) => void; onCancel?: () => void }) {
  const [t, setT] = useState<LoreTeam>(initial)
  const [password, setPassword] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<AppError | null>(null)
  const connect = () => {
    setBusy(true)
    setError(null)
    lore
      .teamConnect(t, password)
      .then(onConnected)
      .catch((e: AppError) => setError(e))
      .finally(() => setBusy(false))
  }
  return (
    <div className="lore-team form" aria-label="Connect to the team index">
      <h2>Connect to the team index</h2>
      <p className="muted small">The OpenSearch domain the cloud's hydration job fills (index rag_embeddings). A password is kept in the OS keychain, never in the workspace.</p>
      <label>
        OpenSearch URL
        <input aria-label="OpenSearch URL" aria-invalid={invalidField(error, 'url')} value={t.url} onChange={(e) => setT({ ...t, url: e.target.value })} placeholder="https://search-ada-….us-east-1.es.amazonaws.com" />
      </label>
      <div className="two">
        <label>
          Index
          <input aria-label="Index" value={t.index} onChange={(e) => setT({ ...t, index: e.target.value })} />
        </label>
        <label>
          Sign in with
          <select aria-label="Authentication" value={t.auth} onChange={(e) => setT({ ...t, auth: e.target.value })}>
            <option value="basic">User and password (the guidance's domain)</option>
            <option value="sigv4">AWS SigV4 (managed OpenSearch with IAM)</option>
            <option value="none">Nothing (a local node)</option>
          </select>
        </label>
      </div>
      {t.auth === 'basic' && (
        <div className="two">
          <label>
            User
            <input aria-label="User" value={t.username ?? ''} onChange={(e) => setT({ ...t, username: e.target.value })} />
          </label>
          <label>
            Password
            <input aria-label="Password" type="password" value={password} onChange={(e) => setPassword(e.target.value)} placeholder={t.hasPassword ? 'kept in the keychain' : ''} />
          </label>
        </div>
      )}
      {t.auth === 'sigv4' && (
        <div className="two">
          <label>
            Region
            <input aria-label="Region" value={t.region ?? ''} onChange={(e) => setT({ ...t, region: e.target.value })} placeholder="us-east-1" />
          </label>
          <label>
            AWS profile
            <input aria-label="AWS profile" value={t.profile ?? ''} onChange={(e) => setT({ ...t, profile: e.target.value })} placeholder="the standard chain" />
          </label>
          <label>
            Service
            <select aria-label="Service" value={t.service ?? ''} onChange={(e) => setT({ ...t, service: e.target.value })}>
              <option value="">es (managed domain)</option>
              <option value="aoss">aoss (Serverless)</option>
            </select>
          </label>
        </div>
      )}
      <label>
        <span>
          <Term tip="k-NN (nearest neighbours): how OpenSearch finds the passages closest in meaning">Similarity search engine</Term> of an index this studio creates
        </span>
        <select aria-label="k-NN engine" value={t.engine ?? ''} onChange={(e) => setT({ ...t, engine: e.target.value })}>
          <option value="">lucene (works on every node)</option>
          <option value="cloud">The cloud's mapping (the domain's default engine)</option>
          <option value="faiss">faiss</option>
          <option value="nmslib">nmslib</option>
        </select>
      </label>
      <div className="row">
        <button className="primary" disabled={busy || !t.url.trim()} onClick={connect}>
          {busy ? 'Connecting…' : 'Connect'}
        </button>
        {onCancel && <button onClick={onCancel}>Cancel</button>}
      </div>
      <Problem error={error} />
    </div>
  )
}

function PushPanel({ onPushed }: { onPushed: () => void }) {
  const [docs, setDocs] = useState<LoreDocument[]>([])
  const [picked, setPicked] = useState<string[]>([])
  const [busy, setBusy] = useState(false)
  const [progress, setProgress] = useState<LoreProgress | null>(null)
  const [result, setResult] = useState<PushResult | null>(null)
  const [error, setError] = useState<AppError | null>(null)
  useEffect(() => {
    lore
      .list({ limit: 1000 })
      .then((p) => setDocs(p.items))
      .catch((e: AppError) => setError(e))
  }, [])
  const push = (all: boolean) => {
    setBusy(true)
    setError(null)
    setResult(null)
    setProgress(null)
    lore
      .teamPush(all ? [] : picked, all, setProgress)
      .then((r) => {
        setResult(r)
        onPushed()
      })
      .catch((e: AppError) => setError(e))
      .finally(() => setBusy(false))
  }
  return (
    <section className="lore-push" aria-label="Push to the team index">
      <h3>Push</h3>
      <p className="push-warning" role="note">
        The guidance's hydration job deletes and re-creates this index on every upload to the lore bucket: after the next upload only that file stays searchable, and what is pushed here is
        gone. Upload one combined lore file per push.
      </p>
      <p className="muted small">A push indexes documents as the cloud does: chunks of 1,024 characters, embedded with the workspace's embedder, under their file name.</p>
      <div className="push-docs">
        {docs.map((d) => (
          <label key={d.id} className="check">
            <input type="checkbox" checked={picked.includes(d.id)} onChange={() => setPicked(picked.includes(d.id) ? picked.filter((x) => x !== d.id) : [...picked, d.id])} />
            {d.name}
          </label>
        ))}
      </div>
      <div className="row">
        <button className="primary" disabled={busy || picked.length === 0} onClick={() => push(false)}>
          Push {plural(picked.length, 'document')}
        </button>
        <button disabled={busy || docs.length === 0} onClick={() => push(true)}>
          Push all {docs.length}
        </button>
        {busy && <span className="muted small">{progress ? `${plural(progress.done, 'chunk')} indexed…` : 'Embedding…'}</span>}
      </div>
      {result && (
        <p className="success small" role="status">
          Pushed {plural(result.files.length, 'file')} ({plural(result.chunks, 'chunk')}) to {result.index}.
        </p>
      )}
      <Problem error={error} />
    </section>
  )
}

function TeamSearch() {
  const [text, setText] = useState('')
  const [hybrid, setHybrid] = useState(false)
  const [res, setRes] = useState<LoreResults | null>(null)
  const [error, setError] = useState<AppError | null>(null)
  return (
    <section aria-label="Search the team index">
      <h3>Search the team index</h3>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault()
          setError(null)
          lore
            .teamSearch(text, 3, hybrid)
            .then(setRes)
            .catch((err: AppError) => setError(err))
        }}
      >
        <input aria-label="Team search" value={text} onChange={(e) => setText(e.target.value)} placeholder="as a player would ask" />
        <label className="check">
          <input type="checkbox" checked={hybrid} onChange={(e) => setHybrid(e.target.checked)} /> hybrid
        </label>
        <button type="submit" disabled={!text.trim()}>
          Search
        </button>
      </form>
      <p className="muted small">Without hybrid, this is the cloud RAG endpoint's own query: the 3 nearest chunks.</p>
      <Problem error={error} />
      {res && <ResultList results={res.results} />}
    </section>
  )
}

function HydratedCheck() {
  const [file, setFile] = useState('')
  const [out, setOut] = useState<{ file: string; hydrated: boolean; chunks: number } | null>(null)
  const [error, setError] = useState<AppError | null>(null)
  return (
    <section aria-label="Hydrated">
      <h3>
        <Term tip="Hydration: the cloud job that chunks an uploaded lore file and fills the team index with it">Is a file in the team index yet?</Term>
      </h3>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault()
          setError(null)
          lore
            .teamHydrated(file)
            .then(setOut)
            .catch((err: AppError) => setError(err))
        }}
      >
        <input aria-label="Pushed file name" value={file} onChange={(e) => setFile(e.target.value)} placeholder="lore_12.txt" />
        <button type="submit" disabled={!file.trim()}>
          Check
        </button>
      </form>
      {out && (
        <p className={out.hydrated ? 'success small' : 'warning-text small'} role="status">
          {out.hydrated ? `${out.file} is hydrated: ${plural(out.chunks, 'chunk')} in the index.` : `${out.file} is not in the index (yet: the job takes a few minutes after an upload).`}
        </p>
      )}
      <Problem error={error} />
    </section>
  )
}
