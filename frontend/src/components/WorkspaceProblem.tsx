import type { app, AppError } from '../bridge'
import { Problem } from './Problem'

const advice: Record<string, string> = {
  locked: 'Another NPC Studio has this workspace open. Close the other NPC Studio window (or wait for its command to finish), then press Retry.',
  newer_schema: 'This workspace was saved by a newer NPC Studio. Update NPC Studio to open it; the file was not changed.',
  corrupt: 'The workspace file is damaged and was left as it is. Restore the last good copy below, or import a workspace archive.',
}

export function WorkspaceProblem(props: { title: string; error: AppError; status?: app.WorkspaceStatus; onRetry?: () => void }) {
  const { title, error, status, onRetry } = props
  return (
    <div className="problem" role="alert">
      <h1>{title}</h1>
      {advice[error.code] ? (
        <>
          {/* Said once, plainly; what Go reported is a click away. */}
          <p className="problem-message">{advice[error.code]}</p>
          <details className="problem-details">
            <summary>Details</summary>
            <code>{error.message}</code>
          </details>
        </>
      ) : (
        <Problem error={error} className="problem-message" />
      )}
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
