import { useState } from 'react'
import { chats, type AppError, type CompareRun } from '../../bridge'
import { configLabel } from './facts'
import { Problem } from '../../components/Problem'

// VerdictPanel records which column answered better and why. The winner is picked in the
// column headers (winner/onWinner); the note and the save are here.
export function VerdictPanel(props: { run: CompareRun; winner: number | null; onSaved: (run: CompareRun) => void }) {
  const { run, winner, onSaved } = props
  const [note, setNote] = useState(run.verdict?.note ?? '')
  const [error, setError] = useState<AppError | null>(null)
  const [busy, setBusy] = useState(false)
  const saved = run.verdict
  const save = () => {
    if (winner === null) return
    setBusy(true)
    setError(null)
    chats
      .saveVerdict(run.id, winner, note)
      .then(onSaved)
      .catch((e: AppError) => setError(e))
      .finally(() => setBusy(false))
  }
  const pick = winner === null ? null : run.columns[winner]
  return (
    <section className="verdict-panel card" aria-label="Verdict">
      <h2>Verdict</h2>
      <p className="small muted">
        {pick ? `Column ${(winner ?? 0) + 1} (${configLabel(pick.config)}) is better.` : 'Mark the better answer in its column.'}
      </p>
      <label className="verdict-note">
        <span className="small">Why is it better?</span>
        <textarea aria-label="Why is it better?" rows={3} value={note} onChange={(e) => setNote(e.target.value)} placeholder="Stays in voice, knows the harbour, shorter…" />
      </label>
      <div className="row">
        <button className="primary" disabled={winner === null || busy} onClick={save}>
          {saved ? 'Update verdict' : 'Save verdict'}
        </button>
        {saved && (
          <span className="success small" role="status">
            Saved: column {saved.winner + 1} is better — {saved.author}, {new Date(saved.at).toLocaleString()}
          </span>
        )}
      </div>
      <Problem error={error} />
    </section>
  )
}
