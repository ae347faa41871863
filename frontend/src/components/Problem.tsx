import type { AppError } from '../bridge/errors'
import { plainProblem } from './problem'

// Problem shows an error as one plain sentence, with what Go said behind "Details".
export function Problem(props: { error: AppError; className?: string }) {
  const p = plainProblem(props.error)
  return (
    <div className={`error ${props.className ?? ''}`} role="alert">
      <span>{p.sentence}</span>
      {p.details && (
        <details className="problem-details">
          <summary>Details</summary>
          <code>{p.details}</code>
        </details>
      )}
    </div>
  )
}
