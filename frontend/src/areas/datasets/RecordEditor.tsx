import { useEffect, useState } from 'react'
import type { RecordData, RecordView } from '../../bridge'
import { parseTags } from './records'

interface RecordEditorProps {
  view: RecordView
  busy: boolean
  onSave: (record: RecordData, tags: string[]) => void
  onClose: () => void
}

// RecordEditor is the drawer for what a grid cell cannot hold: a conversation of several
// turns, the roles of the turns, the tags.
export function RecordEditor({ view, busy, onSave, onClose }: RecordEditorProps) {
  const [system, setSystem] = useState(view.record.system)
  const [turns, setTurns] = useState(() => view.record.messages.map((m) => ({ ...m })))
  const [tags, setTags] = useState(view.tags.join(', '))

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose()
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [onClose])

  const setTurn = (i: number, change: Partial<{ role: string; content: string }>) =>
    setTurns((ts) => ts.map((t, k) => (k === i ? { ...t, ...change } : t)))
  const addTurn = () => {
    const last = turns[turns.length - 1]
    setTurns([...turns, { role: last?.role === 'user' ? 'assistant' : 'user', content: '' }])
  }

  return (
    <aside className="drawer" role="dialog" aria-label={`Record on line ${view.line}`}>
      <header className="row between">
        <h2>Line {view.line}</h2>
        <button onClick={onClose} aria-label="Close the record">
          ✕
        </button>
      </header>
      <p className="muted small">
        {view.source || 'Made in the studio'} · {view.tokens} tokens
      </p>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault()
          onSave({ ...view.record, system, messages: turns }, parseTags(tags))
        }}
      >
        <label>
          System prompt
          <textarea rows={3} value={system} onChange={(e) => setSystem(e.target.value)} />
        </label>
        <ol className="turns">
          {turns.map((t, i) => (
            <li key={i} className={`turn turn-${t.role}`}>
              <div className="row between">
                <select aria-label={`Role of turn ${i + 1}`} value={t.role} onChange={(e) => setTurn(i, { role: e.target.value })}>
                  <option value="user">Player (user)</option>
                  <option value="assistant">NPC (assistant)</option>
                </select>
                <button type="button" className="danger" onClick={() => setTurns(turns.filter((_, k) => k !== i))} aria-label={`Remove turn ${i + 1}`}>
                  Remove
                </button>
              </div>
              <textarea aria-label={`Turn ${i + 1}`} rows={3} value={t.content} onChange={(e) => setTurn(i, { content: e.target.value })} />
            </li>
          ))}
        </ol>
        <button type="button" onClick={addTurn}>
          Add turn
        </button>
        <label>
          Tags
          <input value={tags} onChange={(e) => setTags(e.target.value)} placeholder="greeting, lore" />
        </label>
        <div className="row">
          <button className="primary" type="submit" disabled={busy}>
            {busy ? 'Saving…' : 'Save record'}
          </button>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </aside>
  )
}
