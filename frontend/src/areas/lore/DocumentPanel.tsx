import { Problem } from '../../components/Problem'
import { useCallback, useEffect, useState } from 'react'
import { lore, type AddReport, type AppError, type LoreChunk, type LoreDocument } from '../../bridge'
import { formatBytes, plural } from '../../format'
import { ChunkList, ChunkPreview } from './ChunkPreview'
import { chunkingLabel, parseTagText, tagText } from './format'

const pageSize = 50

// DocumentPanel is one imported document: where it came from, its metadata (editable), its
// chunks as indexed, and a preview of other chunkings.
export function DocumentPanel({ doc: initial, onChanged, onClose }: { doc: LoreDocument; onChanged: () => void; onClose: () => void }) {
  const [doc, setDoc] = useState(initial)
  const [collection, setCollection] = useState(initial.collection ?? '')
  const [tags, setTags] = useState(tagText(initial.tags))
  const [view, setView] = useState<'chunks' | 'preview'>('chunks')
  const [chunks, setChunks] = useState<LoreChunk[]>([])
  const [from, setFrom] = useState(0)
  const [confirm, setConfirm] = useState(false)
  const [busy, setBusy] = useState(false)
  const [note, setNote] = useState('')
  const [error, setError] = useState<AppError | null>(null)
  const parsed = parseTagText(tags)
  const dirty = collection.trim() !== (doc.collection ?? '') || tagText(parsed.tags) !== tagText(doc.tags)

  const loadChunks = useCallback(
    (id: string, at: number) =>
      lore
        .chunks(id, at, pageSize)
        .then((p) => {
          setChunks(p.chunks)
          setFrom(p.from)
        })
        .catch((e: AppError) => setError(e)),
    [],
  )
  useEffect(() => {
    void loadChunks(doc.id, 0)
  }, [doc.id, loadChunks])

  const save = () => {
    setError(null)
    setNote('')
    lore
      .updateMeta(doc.id, { collection: collection.trim(), tags: parsed.tags })
      .then((d) => {
        setDoc(d)
        setNote('Saved: search sees the change at once.')
        onChanged()
      })
      .catch((e: AppError) => setError(e))
  }

  const reimport = () => {
    setBusy(true)
    setError(null)
    setNote('')
    lore
      .add({ paths: [doc.source], collection: doc.collection ?? '', tags: doc.tags ?? {}, chunking: doc.chunking })
      .then((r: AddReport) => {
        const d = r.updated?.[0] ?? r.added?.[0]
        if (d) {
          setDoc(d)
          setNote(`Re-imported: ${plural(d.chunks, 'chunk')}.`)
        } else if (r.unchanged?.length) setNote('The file has not changed since it was imported.')
        else if (r.failed?.[0]) setNote(r.failed[0].message)
        onChanged()
      })
      .catch((e: AppError) => setError(e))
      .finally(() => setBusy(false))
  }

  const remove = () => {
    if (!confirm) {
      setConfirm(true)
      return
    }
    lore
      .remove(doc.id)
      .then(() => {
        onChanged()
        onClose()
      })
      .catch((e: AppError) => setError(e))
  }

  return (
    <div className="lore-doc" aria-label={`Document ${doc.name}`}>
      <div className="row between">
        <h2>{doc.name}</h2>
        <button className="link-button" onClick={onClose}>
          Close
        </button>
      </div>
      {(doc.warnings ?? []).map((w) => (
        <p key={w} className="warning-text small" role="alert">
          {w}
        </p>
      ))}
      <dl className="lore-facts">
        <dt>Source</dt>
        <dd className="mono">{doc.source}</dd>
        <dt>Text</dt>
        <dd>
          {doc.format} · {formatBytes(doc.size)} · {plural(doc.chunks, 'chunk')}
          {doc.pages ? ` · ${plural(doc.pages, 'page')}` : ''}
        </dd>
        <dt>Chunking</dt>
        <dd>{chunkingLabel(doc.chunking)}</dd>
        <dt>Content hash</dt>
        <dd className="mono" title={doc.hash}>
          {doc.hash.slice(0, 16)}…
        </dd>
        <dt>Updated</dt>
        <dd>{doc.updatedAt}</dd>
      </dl>
      <div className="two">
        <label>
          Collection
          <input aria-label="Document collection" value={collection} onChange={(e) => setCollection(e.target.value)} />
        </label>
        <label>
          Tags
          <input aria-label="Document tags" aria-invalid={parsed.error ? true : undefined} value={tags} onChange={(e) => setTags(e.target.value)} placeholder="key=value, …" />
        </label>
      </div>
      <div className="row">
        <button className="primary" disabled={!dirty || !!parsed.error} onClick={save}>
          Save metadata
        </button>
        <button disabled={busy} onClick={reimport} title="Read the source file again; a changed text replaces this one">
          {busy ? 'Re-importing…' : 'Re-import'}
        </button>
        <span className="spacer" />
        <button className="danger" onClick={remove}>
          {confirm ? 'Remove for good?' : 'Remove'}
        </button>
      </div>
      {note && (
        <p className="success small" role="status">
          {note}
        </p>
      )}
      <Problem error={error} />
      <div className="tabs small-tabs" role="tablist">
        <button role="tab" aria-selected={view === 'chunks'} className={view === 'chunks' ? 'active' : ''} onClick={() => setView('chunks')}>
          Indexed chunks
        </button>
        <button role="tab" aria-selected={view === 'preview'} className={view === 'preview' ? 'active' : ''} onClick={() => setView('preview')}>
          Preview another chunking
        </button>
      </div>
      {view === 'chunks' ? (
        <>
          <ChunkList chunks={chunks} />
          {doc.chunks > pageSize && (
            <div className="row pager">
              <button disabled={from === 0} onClick={() => void loadChunks(doc.id, Math.max(0, from - pageSize))}>
                Previous
              </button>
              <span className="muted small">
                {from + 1}–{Math.min(from + pageSize, doc.chunks)} of {doc.chunks}
              </span>
              <button disabled={from + pageSize >= doc.chunks} onClick={() => void loadChunks(doc.id, from + pageSize)}>
                Next
              </button>
            </div>
          )}
        </>
      ) : (
        <>
          <p className="muted small">How this text would be cut. To cut the whole library another way, close this document and use “Reindex the library”.</p>
          <ChunkPreview key={doc.id} doc={doc.id} initial={{ strategy: 'cloud', size: 1024, overlap: 0, unit: 'chars' }} />
        </>
      )}
    </div>
  )
}
