import { Problem } from '../../components/Problem'
import { useState } from 'react'
import { lore, type AddReport, type AppError, type ChunkOptions, type LoreAddProgress } from '../../bridge'
import { ProgressBar } from '../../components/ProgressBar'
import { plural } from '../../format'
import { ChunkPreview } from './ChunkPreview'
import { FileField, filters } from '../../components/FileField'
import { defaultChunking, parseTagText } from './format'

// LoreImportPanel imports files and folders on this machine with a collection, tags and a
// chunking the writer previews first. Go reads the files: only their paths cross.
export function LoreImportPanel({ collections, onImported }: { collections: string[]; onImported: () => void }) {
  const [paths, setPaths] = useState('')
  const [collection, setCollection] = useState('')
  const [tags, setTags] = useState('')
  const [chunking, setChunking] = useState<ChunkOptions>(defaultChunking('paragraphs'))
  const [busy, setBusy] = useState(false)
  const [progress, setProgress] = useState<LoreAddProgress | null>(null)
  const [report, setReport] = useState<AddReport | null>(null)
  const [error, setError] = useState<AppError | null>(null)
  const list = paths
    .split('\n')
    .map((p) => p.trim())
    .filter(Boolean)
  const parsed = parseTagText(tags)

  const start = () => {
    setBusy(true)
    setError(null)
    setReport(null)
    setProgress(null)
    lore
      .add({ paths: list, collection: collection.trim(), tags: parsed.tags, chunking }, setProgress)
      .then((r) => {
        setReport(r)
        onImported()
      })
      .catch((e: AppError) => setError(e))
      .finally(() => setBusy(false))
  }

  return (
    <div className="lore-import form" aria-label="Import lore">
      <h2>Import documents</h2>
      <p className="muted small">.txt, .md, .pdf and .docx files, World Info .json files (as lorebooks), or folders of them. A file already imported is updated when its text changed.</p>
      <FileField
        label="Files or folders to import"
        visibleLabel="Files or folders (one a line; drop files here)"
        mode="openMany"
        filters={filters.lore}
        value={paths}
        onChange={setPaths}
        placeholder="~/bible/ or ~/bible/ember-court.md"
      />
      <div className="two">
        <label>
          Collection
          <input aria-label="Collection" list="lore-collections" value={collection} onChange={(e) => setCollection(e.target.value)} placeholder="ashfall" />
          <datalist id="lore-collections">
            {collections.map((c) => (
              <option key={c} value={c} />
            ))}
          </datalist>
        </label>
        <label>
          Tags
          <input aria-label="Tags" aria-invalid={parsed.error ? true : undefined} value={tags} onChange={(e) => setTags(e.target.value)} placeholder="source=bible, act=1" />
        </label>
      </div>
      {parsed.error && <p className="error small">Tags: {parsed.error}</p>}
      <ChunkPreview paths={list} initial={chunking} onChunking={setChunking} />
      <div className="row">
        <button className="primary" disabled={busy || list.length === 0 || !!parsed.error} onClick={start}>
          {busy ? 'Importing…' : 'Import'}
        </button>
        {busy && progress && (
          <ProgressBar done={progress.fileIndex} total={progress.files} label="Import progress">
            <span className="muted small">
              {progress.stage} {progress.file} ({progress.fileIndex} of {progress.files})
            </span>
          </ProgressBar>
        )}
      </div>
      <Problem error={error} />
      {report && <ImportReport report={report} />}
    </div>
  )
}

function ImportReport({ report }: { report: AddReport }) {
  const added = report.added ?? []
  const updated = report.updated ?? []
  const unchanged = report.unchanged ?? []
  const failed = report.failed ?? []
  const books = report.books ?? []
  const warnings = report.warnings ?? []
  return (
    <div role="status" aria-label="Import result">
      <p className={failed.length ? 'warning-text' : 'success'}>
        {plural(added.length, 'document')} added, {updated.length} updated, {unchanged.length} unchanged
        {failed.length > 0 && `, ${failed.length} not imported`}.
        {(report.skipped?.length ?? 0) > 0 && ` ${plural(report.skipped?.length ?? 0, 'file')} skipped (not lore, or hidden).`}
      </p>
      {books.length > 0 && (
        <p className="muted small">
          {plural(books.length, 'World Info file')} imported as lorebooks ({books.map((b) => b.file).join(', ')}): attach them to a persona under Lorebooks.
        </p>
      )}
      {warnings.length > 0 && (
        <ul className="lore-problems" aria-label="Import warnings">
          {warnings.map((w) => (
            <li key={w}>
              <span className="badge warn">garbled</span> {w}
            </li>
          ))}
        </ul>
      )}
      {failed.length > 0 && (
        <ul className="lore-problems">
          {failed.map((f) => (
            <li key={f.path + f.message}>
              <Problem error={{ code: f.code, message: f.message }} className="small" />
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}
