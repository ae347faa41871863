import { Problem } from '../../components/Problem'
import { useState } from 'react'
import { batches, type AppError, type BatchLine, type BatchReviewAction } from '../../bridge'
import { lineState } from './progress'

// LineRow is one line of a scene's table: who says it, its text, its flags and note, and
// what the writer can do with it.
export function LineRow({ runId, line, busy, onChanged }: { runId: string; line: BatchLine; busy: boolean; onChanged: (l: BatchLine) => void }) {
  const [editing, setEditing] = useState<'edit' | 'note' | null>(null)
  const [draft, setDraft] = useState('')
  const [working, setWorking] = useState(false)
  const [error, setError] = useState<AppError | null>(null)

  const act = (p: Promise<BatchLine>) => {
    setWorking(true)
    setError(null)
    p.then((l) => {
      onChanged(l)
      setEditing(null)
    })
      .catch((e: AppError) => setError(e))
      .finally(() => setWorking(false))
  }
  const review = (action: BatchReviewAction, text = '') => act(batches.review(runId, line.id, action, text))
  const written = line.status === 'done'
  return (
    <tr aria-label={line.id} className={`batch-line ${line.review ?? ''}`}>
      <td>{line.persona}</td>
      <td>
        {line.beat}
        <span className="muted small"> #{line.variant}</span>
      </td>
      <td className="batch-text">
        {editing ? (
          <div className="form">
            <textarea aria-label={editing === 'edit' ? 'Line text' : 'Note for the voice director'} value={draft} onChange={(e) => setDraft(e.target.value)} rows={2} />
            <div className="row">
              <button className="primary" disabled={working} onClick={() => review(editing, draft)}>
                Save
              </button>
              <button onClick={() => setEditing(null)}>Cancel</button>
            </div>
          </div>
        ) : (
          <span className="line-text">{line.text || <span className="muted">{line.status === 'failed' ? 'failed' : 'not written yet'}</span>}</span>
        )}
        {line.flags?.map((f) => (
          <span key={f.kind + f.detail} className="badge warning-text" title={f.detail}>
            {f.kind === 'too_long' ? 'too long' : 'lore missing'}: {f.detail}
          </span>
        ))}
        {line.note && <div className="muted small">Note: {line.note}</div>}
        {line.error && <Problem error={{ code: line.errorCode ?? 'error', message: line.error }} className="small" />}
        <div className="muted small line-id">{line.id}</div>
        <Problem error={error} className="small" />
      </td>
      <td className="line-state">{lineState(line)}</td>
      <td className="row batch-actions">
        <button disabled={!written || working} onClick={() => review('accept')}>
          Accept
        </button>
        <button disabled={!written || working} onClick={() => review('reject')}>
          Reject
        </button>
        <button
          disabled={working}
          onClick={() => {
            setDraft(line.text)
            setEditing('edit')
          }}
        >
          Edit
        </button>
        <button
          disabled={working}
          onClick={() => {
            setDraft(line.note ?? '')
            setEditing('note')
          }}
        >
          Note
        </button>
        <button disabled={busy || working} onClick={() => act(batches.regenerate(runId, line.id))}>
          {working ? 'Working…' : 'Regenerate'}
        </button>
      </td>
    </tr>
  )
}
