import { Problem } from '../../components/Problem'
import { useCallback, useEffect, useRef, useState } from 'react'
import { batches, type AppError, type BatchProgress, type BatchRunOp, type BatchStatus } from '../../bridge'
import { NewRunPanel } from './NewRunPanel'
import { RunView } from './RunView'
import { PickList } from '../../components/PickList'

// Running is the run being written in this window: its operation and latest progress.
export interface Running {
  op: BatchRunOp
  progress: BatchProgress | null
}

// BatchPage is the Batch area: runs on the left (start one from a scene spec), the open
// run's lines by scene on the right, to review, regenerate and export.
export function BatchPage() {
  const [runs, setRuns] = useState<BatchStatus[] | null>(null)
  const [open, setOpen] = useState<string | null>(null)
  const [running, setRunning] = useState<Running | null>(null)
  const [error, setError] = useState<AppError | null>(null)
  const [tick, setTick] = useState(0)
  const lastTick = useRef(0)

  const load = useCallback(() => {
    batches
      .list()
      .then(setRuns)
      .catch((e: AppError) => setError(e))
  }, [])
  useEffect(load, [load])

  // start follows a run from its first event to its end.
  const start = useCallback(
    (begin: (onProgress: (p: BatchProgress) => void) => Promise<BatchRunOp>) =>
      begin((p) => {
        setRunning((r) => (r && r.op.runId === p.runId ? { ...r, progress: p } : r))
        // The lines on show follow the run, at most once a second.
        const now = Date.now()
        if (now - lastTick.current > 1000) {
          lastTick.current = now
          setTick((t) => t + 1)
        }
      }).then((op) => {
        setRunning({ op, progress: null })
        setOpen(op.runId)
        setError(null)
        load()
        op.done
          .catch((e: AppError) => setError(e))
          .finally(() => {
            setRunning(null)
            setTick((t) => t + 1)
            load()
          })
        return op
      }),
    [load],
  )

  return (
    <div className="batch-area">
      <aside className="batch-side" aria-label="Batch runs">
        <NewRunPanel busy={running !== null} onStart={(req) => start((onProgress) => batches.run(req, onProgress))} />
        <h3>Runs</h3>
        {!runs && <p className="muted small">Loading runs…</p>}
        {runs && runs.length === 0 && <p className="muted small">No runs yet: start one from a scene spec.</p>}
        <PickList
          items={(runs ?? []).map((r) => ({
            id: r.runId,
            name: r.specFile.split('/').pop(),
            detail: `${r.done}/${r.total} lines · ${r.accepted} accepted${r.failed > 0 ? ` · ${r.failed} failed` : ''} · ${r.status}`,
          }))}
          selected={open}
          onPick={setOpen}
        />
      </aside>
      <section className="batch-main">
        <Problem error={error} />
        {open ? (
          <RunView
            key={open}
            runId={open}
            tick={tick}
            running={running && running.op.runId === open ? running : null}
            onResume={() => start((onProgress) => batches.run({ runId: open }, onProgress))}
            onChanged={load}
          />
        ) : (
          <p className="empty">Start a run from a scene spec (see docs/batch.md), or open one on the left.</p>
        )}
      </section>
    </div>
  )
}
