import type { ReactNode } from 'react'
import type { AppError } from '../bridge/errors'
import { plainProblem } from './problem'

// Problem is how every area shows an error: one plain sentence (with a fix when one is known),
// what Go said behind a collapsed "Details", and the area's own actions (Retry, Reload) as
// children. Nothing when there is no error.
export function Problem(props: { error: AppError | null | undefined; className?: string; children?: ReactNode }) {
  if (!props.error) return null
  const p = plainProblem(props.error)
  return (
    <div className={props.className ? `error ${props.className}` : 'error'} role="alert">
      <span className="problem-sentence">{p.sentence}</span>
      {props.children}
      {p.details && (
        <details className="problem-details">
          <summary>Details</summary>
          <code>{p.details}</code>
        </details>
      )}
    </div>
  )
}
