import type { ReactNode } from 'react'

export interface ProgressBarProps {
  done: number
  total: number
  // label names the bar as a status region (what tests and screen readers find it by).
  label?: string
  className?: string
  // children say in words how far it has got, and may hold a control (Stop).
  children?: ReactNode
}

// ProgressBar shows how far a long operation has got: the bar, then its words.
export function ProgressBar({ done, total, label, className, children }: ProgressBarProps) {
  return (
    <span className={className ? `progress ${className}` : 'progress'} role={label ? 'status' : undefined} aria-label={label}>
      <progress value={done} max={Math.max(total, 1)} />
      {children}
    </span>
  )
}
