import { Problem } from '../../components/Problem'
import { useCallback, useEffect, useState } from 'react'
import { lore, type AppError, type ChunkOptions, type ChunkPreview as Preview, type ChunkStrategy, type LoreChunk } from '../../bridge'
import { formatBytes, plural } from '../../format'
import { chunkingLabel, defaultChunking, overlapText, strategies } from './format'

// ChunkingFields picks a chunking strategy and its size and overlap.
export function ChunkingFields({ value, onChange, disabled }: { value: ChunkOptions; onChange: (o: ChunkOptions) => void; disabled?: boolean }) {
  const s = strategies.find((x) => x.id === value.strategy)
  return (
    <fieldset className="chunking-fields" disabled={disabled}>
      <label>
        Chunking
        <select aria-label="Chunking strategy" value={value.strategy} onChange={(e) => onChange(defaultChunking(e.target.value as ChunkStrategy))}>
          {strategies.map((x) => (
            <option key={x.id} value={x.id}>
              {x.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        Size
        <input
          aria-label="Chunk size"
          type="number"
          min={1}
          value={value.size ?? 0}
          disabled={value.strategy === 'cloud'}
          onChange={(e) => onChange({ ...value, size: Number(e.target.value) })}
        />
      </label>
      <label>
        Overlap
        <input
          aria-label="Chunk overlap"
          type="number"
          min={0}
          value={value.overlap ?? 0}
          disabled={value.strategy !== 'fixed'}
          onChange={(e) => onChange({ ...value, overlap: Number(e.target.value) })}
        />
      </label>
      <label>
        Unit
        <select aria-label="Size unit" value={value.unit ?? 'chars'} disabled={value.strategy === 'cloud'} onChange={(e) => onChange({ ...value, unit: e.target.value })}>
          <option value="chars">characters</option>
          <option value="tokens">tokens (≈ 4 characters)</option>
        </select>
      </label>
      {s && <p className="muted small chunking-detail">{s.detail}</p>}
    </fieldset>
  )
}

// ChunkPreview shows how a file on this machine, or an imported document, is cut: every
// chunk with its byte range, heading and tokens, the overlap it repeats marked. Go reads and
// cuts the text; only the first chunks cross to the window.
export function ChunkPreview(props: { path?: string; doc?: string; initial?: ChunkOptions; onChunking?: (o: ChunkOptions) => void }) {
  const { path, doc, onChunking } = props
  const [chunking, setChunking] = useState<ChunkOptions>(props.initial ?? defaultChunking('paragraphs'))
  const [preview, setPreview] = useState<Preview | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<AppError | null>(null)

  const run = useCallback(
    (o: ChunkOptions) => {
      if (!path && !doc) return
      setBusy(true)
      setError(null)
      lore
        .preview({ path, doc, chunking: o, limit: 200 })
        .then(setPreview)
        .catch((e: AppError) => {
          setPreview(null)
          setError(e)
        })
        .finally(() => setBusy(false))
    },
    [path, doc],
  )
  // A document previews at once; a path waits for the button (it may still be being typed).
  useEffect(() => {
    if (doc) run(chunking)
  }, [doc]) // chunking changes preview through change()

  const change = (o: ChunkOptions) => {
    setChunking(o)
    onChunking?.(o)
    if (preview || doc) run(o)
  }

  return (
    <section className="chunk-preview" aria-label="Chunk preview">
      <ChunkingFields value={chunking} onChange={change} />
      <div className="row">
        <button onClick={() => run(chunking)} disabled={busy || (!path && !doc)}>
          {busy ? 'Cutting…' : 'Preview chunks'}
        </button>
        {preview && (
          <span className="muted small" role="status">
            {plural(preview.total, 'chunk')} of {formatBytes(preview.bytes)} · {chunkingLabel(preview.chunking)}
            {preview.total > preview.chunks.length && ` · showing the first ${preview.chunks.length}`}
          </span>
        )}
      </div>
      <Problem error={error} />
      {preview && <ChunkList chunks={preview.chunks} />}
    </section>
  )
}

// ChunkList shows chunks one after the other with their boundaries.
export function ChunkList({ chunks }: { chunks: LoreChunk[] }) {
  return (
    <ol className="chunk-list" aria-label="Chunks">
      {chunks.map((c, i) => {
        const overlap = overlapText(chunks[i - 1], c)
        return (
          <li key={c.ord} className="chunk" aria-label={`Chunk ${c.ord}`}>
            <header className="chunk-head">
              <span className="chunk-ord">#{c.ord}</span>
              <span className="mono">
                bytes {c.start}–{c.end}
              </span>
              <span>{c.tokens} tokens</span>
              {c.page ? <span>page {c.page}</span> : null}
              {c.heading && <span className="chunk-heading">{c.heading}</span>}
            </header>
            <div className="chunk-text">
              {overlap && (
                <mark className="overlap" title="Repeats the end of the chunk before">
                  {overlap}
                </mark>
              )}
              {c.text.slice(overlap.length)}
            </div>
          </li>
        )
      })}
    </ol>
  )
}
