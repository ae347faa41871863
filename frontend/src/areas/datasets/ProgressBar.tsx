import type { DatasetProgress } from '../../bridge'
import { formatBytes, formatCount } from '../../format'

// ProgressBar shows how far a long dataset operation has got.
export function ProgressBar({ progress }: { progress: DatasetProgress }) {
  const done = progress.unit === 'bytes' ? formatBytes(progress.done) : `${formatCount(progress.done)} records`
  const total = progress.unit === 'bytes' ? formatBytes(progress.total) : formatCount(progress.total)
  return (
    <span className="progress">
      <progress value={progress.done} max={Math.max(progress.total, 1)} />
      <span className="muted small">
        {done} of {total}
      </span>
    </span>
  )
}
