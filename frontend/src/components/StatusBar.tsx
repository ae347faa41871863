import type { app } from '../bridge'

export function StatusBar({ status }: { status: app.WorkspaceStatus }) {
  const info = status.info
  return (
    <footer className="statusbar" role="status">
      <span title={info?.path}>
        <span className="dot ok" aria-hidden /> Workspace {status.dataDir}
      </span>
      {info && <span>schema {info.schemaVersion}</span>}
      {info && <span>{formatBytes(info.sizeBytes)}</span>}
      <span className="spacer" />
      <span>NPC Studio {status.version}</span>
    </footer>
  )
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`
  return `${(n / 1024 / 1024).toFixed(1)} MB`
}
