import { Problem } from '../../components/Problem'
import { useCallback, useEffect, useRef, useState } from 'react'
import { lore, type ChunkOptions, type ChunkPreview as Preview, type ChunkStrategy, type LoreChunk } from '../../bridge'
import { formatBytes, plural } from '../../format'
import { chunkingLabel, defaultChunking, overlapText, strategies } from './format'
import { fileName, previewEach, type FilePreview } from './previewEach'

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

// ChunkPreview shows how the files on this machine picked for import, or an imported
// document, are cut: every chunk with its byte range, heading and tokens, the overlap it
// repeats marked. Go reads and cuts the text; only the first chunks cross to the window.
// With several files, each is previewed under its name, one after the other.
export function ChunkPreview(props: { paths?: string[]; doc?: string; initial?: ChunkOptions; onChunking?: (o: ChunkOptions) => void }) {
  const { doc, onChunking } = props
  const paths = props.paths ?? []
  const [chunking, setChunking] = useState<ChunkOptions>(props.initial ?? defaultChunking('paragraphs'))
  const [previews, setPreviews] = useState<FilePreview[] | null>(null)
  const [busy, setBusy] = useState(false)
  const runs = useRef(0)
  const key = paths.join('\n')

  const run = useCallback(
    (o: ChunkOptions) => {
      if (paths.length === 0 && !doc) return
      const id = ++runs.current
      setBusy(true)
      setPreviews([])
      const many = paths.length > 1
      const cut = (path: string) => lore.preview(doc ? { doc, chunking: o, limit: 200 } : { path, chunking: o, limit: many ? 50 : 200 })
      previewEach(doc ? [doc] : paths, cut, setPreviews, () => runs.current !== id).finally(() => {
        if (runs.current === id) setBusy(false)
      })
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [key, doc],
  )
  // Other files picked: what was shown was for the old ones. Declared first, so that a
  // document's own preview below is not made stale by it.
  useEffect(() => {
    runs.current++
    setBusy(false)
    if (!doc) setPreviews(null)
  }, [key, doc])
  // A document previews at once; paths wait for the button (they may still be being typed).
  useEffect(() => {
    if (doc) run(chunking)
  }, [doc]) // chunking changes preview through change()

  const change = (o: ChunkOptions) => {
    setChunking(o)
    onChunking?.(o)
    if (previews || doc) run(o)
  }

  const single = doc !== undefined || paths.length <= 1
  const first = previews?.[0]
  return (
    <section className="chunk-preview" aria-label="Chunk preview">
      <ChunkingFields value={chunking} onChange={change} />
      <div className="row">
        <button onClick={() => run(chunking)} disabled={busy || (paths.length === 0 && !doc)}>
          {busy ? 'Cutting…' : paths.length > 1 ? `Preview chunks of ${paths.length} files` : 'Preview chunks'}
        </button>
        {single && first?.preview && <PreviewFacts preview={first.preview} />}
        {!single && busy && previews && (
          <span className="muted small">
            {previews.length} of {paths.length} files cut…
          </span>
        )}
      </div>
      {single ? (
        <>
          <Problem error={first?.error} />
          {first?.preview && <ChunkList chunks={first.preview.chunks} />}
        </>
      ) : (
        previews?.map((f, i) => (
          <details key={f.path} className="file-preview" open={i === 0 || !!f.error} aria-label={`Chunks of ${fileName(f.path)}`}>
            <summary>
              <span className="file-preview-name" title={f.path}>
                {fileName(f.path)}
              </span>{' '}
              {f.preview ? <PreviewFacts preview={f.preview} /> : <span className="muted small">could not be cut</span>}
            </summary>
            <Problem error={f.error} />
            {f.preview && <ChunkList chunks={f.preview.chunks} />}
          </details>
        ))
      )}
    </section>
  )
}

function PreviewFacts({ preview }: { preview: Preview }) {
  return (
    <span className="muted small" role="status">
      {plural(preview.total, 'chunk')} of {formatBytes(preview.bytes)} · {chunkingLabel(preview.chunking)}
      {preview.total > preview.chunks.length && ` · showing the first ${preview.chunks.length}`}
    </span>
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
