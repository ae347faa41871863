import type { DatasetProgress } from '../../bridge'
import { ProgressBar } from '../../components/ProgressBar'
import { formatBytes, formatCount } from '../../format'

// DatasetProgressBar shows how far a long dataset operation has got, in bytes or records.
export function DatasetProgressBar({ progress }: { progress: DatasetProgress }) {
  const done = progress.unit === 'bytes' ? formatBytes(progress.done) : `${formatCount(progress.done)} records`
  const total = progress.unit === 'bytes' ? formatBytes(progress.total) : formatCount(progress.total)
  return (
    <ProgressBar done={progress.done} total={progress.total}>
      <span className="muted small">
        {done} of {total}
      </span>
    </ProgressBar>
  )
}
