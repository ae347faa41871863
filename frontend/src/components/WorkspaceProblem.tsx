import type { app, AppError } from '../bridge'

const advice: Record<string, string> = {
  locked: 'Close the other NPC Studio window or command that has this workspace open, then retry.',
  newer_schema: 'This workspace was saved by a newer NPC Studio. Update NPC Studio to open it; the file was not changed.',
  corrupt: 'The workspace file is damaged and was left as it is. Restore the last good copy below, or import a workspace archive.',
}

export function WorkspaceProblem(props: { title: string; error: AppError; status?: app.WorkspaceStatus; onRetry?: () => void }) {
  const { title, error, status, onRetry } = props
  return (
    <div className="problem" role="alert">
      <h1>{title}</h1>
      <p className="problem-message">{error.message}</p>
      {advice[error.code] && <p>{advice[error.code]}</p>}
      {status?.lastGoodCopy && (
        <p>
          Last good copy: <code>{status.lastGoodCopy}</code>
        </p>
      )}
      {status && (
        <p className="muted">
          Data folder: <code>{status.dataDir}</code>
        </p>
      )}
      {onRetry && (
        <button className="primary" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  )
}
