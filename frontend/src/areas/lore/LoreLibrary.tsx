import { Problem } from '../../components/Problem'
import { useCallback, useEffect, useState } from 'react'
import { lore, type AppError, type ChunkOptions, type LoreDocument, type LoreProgress, type LoreStatus } from '../../bridge'
import { formatBytes, plural } from '../../format'
import { ChunkingFields } from './ChunkPreview'
import { DocumentPanel } from './DocumentPanel'
import { defaultChunking, tagText } from './format'
import { LoreImportPanel } from './LoreImportPanel'

const pageSize = 100

// LoreLibrary is the documents of the library, a page at a time, with the import panel, or
// the document picked, beside them.
export function LoreLibrary({ status, onChanged }: { status: LoreStatus | null; onChanged: () => void }) {
  const [query, setQuery] = useState('')
  const [collection, setCollection] = useState<string | null>(null)
  const [docs, setDocs] = useState<LoreDocument[]>([])
  const [total, setTotal] = useState(0)
  const [offset, setOffset] = useState(0)
  const [open, setOpen] = useState<LoreDocument | null>(null)
  const [error, setError] = useState<AppError | null>(null)

  const load = useCallback(() => {
    lore
      .list({ query, collections: collection === null ? [] : [collection], offset, limit: pageSize })
      .then((p) => {
        setDocs(p.items)
        setTotal(p.total)
      })
      .catch((e: AppError) => setError(e))
  }, [query, collection, offset])
  useEffect(load, [load])

  const changed = () => {
    load()
    onChanged()
  }
  const collections = (status?.collections ?? []).map((c) => c.name)

  return (
    <div className="lore-library">
      <section className="lore-docs" aria-label="Documents">
        <div className="row">
          <input aria-label="Find a document" placeholder="Find by name" value={query} onChange={(e) => (setOffset(0), setQuery(e.target.value))} />
          <select
            aria-label="Show collection"
            value={collection ?? '*'}
            onChange={(e) => {
              setOffset(0)
              setCollection(e.target.value === '*' ? null : e.target.value)
            }}
          >
            <option value="*">All collections</option>
            {(status?.collections ?? []).map((c) => (
              <option key={c.name} value={c.name}>
                {c.name || '(no collection)'} · {c.docs}
              </option>
            ))}
          </select>
        </div>
        <Problem error={error} />
        {docs.length === 0 ? (
          <p className="empty">{status?.documents ? 'No document matches.' : 'No lore yet: import documents on the right.'}</p>
        ) : (
          <table className="table lore-table" aria-label="Lore documents">
            <thead>
              <tr>
                <th>Name</th>
                <th>Collection</th>
                <th>Tags</th>
                <th className="num">Chunks</th>
                <th className="num">Size</th>
              </tr>
            </thead>
            <tbody>
              {docs.map((d) => (
                <tr key={d.id} className={open?.id === d.id ? 'open' : ''} onClick={() => setOpen(d)}>
                  <td>
                    <button className="link-button" onClick={() => setOpen(d)}>
                      {d.name}
                    </button>
                  </td>
                  <td>{d.collection}</td>
                  <td className="small">{tagText(d.tags)}</td>
                  <td className="num">{d.chunks}</td>
                  <td className="num">{formatBytes(d.size)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {total > pageSize && (
          <div className="row pager">
            <button disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - pageSize))}>
              Previous
            </button>
            <span className="muted small">
              {offset + 1}–{Math.min(offset + pageSize, total)} of {total}
            </span>
            <button disabled={offset + pageSize >= total} onClick={() => setOffset(offset + pageSize)}>
              Next
            </button>
          </div>
        )}
      </section>
      <aside className="lore-side">
        {open ? (
          <DocumentPanel key={open.id} doc={open} onChanged={changed} onClose={() => setOpen(null)} />
        ) : (
          <>
            <LoreImportPanel collections={collections} onImported={changed} />
            <ReindexPanel documents={status?.documents ?? 0} onDone={changed} />
          </>
        )}
      </aside>
    </div>
  )
}

// ReindexPanel rebuilds the keyword index, or cuts every document again with a new chunking.
function ReindexPanel({ documents, onDone }: { documents: number; onDone: () => void }) {
  const [chunking, setChunking] = useState<ChunkOptions>(defaultChunking('paragraphs'))
  const [busy, setBusy] = useState(false)
  const [progress, setProgress] = useState<LoreProgress | null>(null)
  const [note, setNote] = useState('')
  const [error, setError] = useState<AppError | null>(null)
  const run = (rechunk: boolean) => {
    setBusy(true)
    setError(null)
    setNote('')
    lore
      .reindex(rechunk ? chunking : null, setProgress)
      .then((s) => {
        setNote(`Reindexed ${plural(s.documents, 'document')}, ${plural(s.chunks, 'chunk')}.`)
        onDone()
      })
      .catch((e: AppError) => setError(e))
      .finally(() => setBusy(false))
  }
  return (
    <details className="lore-reindex">
      <summary>Reindex the library</summary>
      <div className="form">
        <p className="muted small">Search goes on with the current index meanwhile. Re-chunking cuts every document again from its text as imported; vectors follow in the background.</p>
        <ChunkingFields value={chunking} onChange={setChunking} disabled={busy} />
        <div className="row">
          <button disabled={busy || documents === 0} onClick={() => run(true)}>
            Re-chunk {plural(documents, 'document')}
          </button>
          <button disabled={busy || documents === 0} onClick={() => run(false)}>
            Rebuild keyword index
          </button>
        </div>
        {busy && progress && progress.total > 0 && <progress value={progress.done} max={progress.total} />}
        {note && <p className="success small">{note}</p>}
        <Problem error={error} />
      </div>
    </details>
  )
}
