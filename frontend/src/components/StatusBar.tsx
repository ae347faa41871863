import { formatBytes } from '../format'
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
