import { Problem } from '../../components/Problem'
import { useState } from 'react'
import { workspace, type AppError } from '../../bridge'
import { FileField, filters } from '../../components/FileField'

export function ArchivePanel({ refresh }: { refresh: () => void }) {
  const [exportPath, setExportPath] = useState('')
  const [importPath, setImportPath] = useState('')
  const [msg, setMsg] = useState('')
  const [error, setError] = useState<AppError | null>(null)
  const [busy, setBusy] = useState(false)

  const run = (what: () => Promise<string>) => {
    setBusy(true)
    setMsg('')
    setError(null)
    what()
      .then(setMsg)
      .catch((e: AppError) => setError(e))
      .finally(() => setBusy(false))
  }
  return (
    <div className="panel form">
      <h2>Export</h2>
      <p className="muted">One archive with everything in the workspace, a manifest and checksums. Keys stay in your keychain.</p>
      <div className="row">
        <FileField label="Archive to write" mode="save" filters={filters.archives} suggestedName="studio.npcws" value={exportPath} onChange={setExportPath} placeholder="~/Documents/studio.npcws" />
        <button disabled={busy || !exportPath} onClick={() => run(async () => {
          const m = await workspace.exportTo(exportPath)
          return `Exported ${m.files.length} files to ${exportPath}.`
        })}>
          Export
        </button>
      </div>
      <h2>Import</h2>
      <p className="muted">Replaces this workspace with the archive's. The archive is checked first; the current workspace is backed up.</p>
      <div className="row">
        <FileField label="Archive to read" filters={filters.archives} value={importPath} onChange={setImportPath} placeholder="~/Documents/studio.npcws" />
        <button disabled={busy || !importPath} onClick={() => run(async () => {
          const m = await workspace.importFrom(importPath)
          refresh()
          return `Imported workspace ${m.workspaceId} (schema ${m.schemaVersion}).`
        })}>
          Import
        </button>
      </div>
      {msg && <p className="success">{msg}</p>}
      <Problem error={error} />
    </div>
  )
}
