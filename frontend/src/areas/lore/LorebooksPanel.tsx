import { useEffect, useState } from 'react'
import { describe, lore, personas, type Activation, type AppError, type persona } from '../../bridge'
import { LorebookActivation } from './ActivationDebugger'
import { LorebookEditor } from './LorebookEditor'

// LorebooksPanel is a persona's lorebook: the editor, and a place to try it.
export function LorebooksPanel() {
  const [list, setList] = useState<persona.PersonaSummary[]>([])
  const [ref, setRef] = useState('')
  const [saved, setSaved] = useState(0)
  const [error, setError] = useState<AppError | null>(null)
  useEffect(() => {
    personas
      .list('', 0, 500)
      .then((p) => setList(p.items))
      .catch((e: AppError) => setError(e))
  }, [])
  const pid = ref || list[0]?.id || ''
  return (
    <div className="lorebooks">
      <div className="row">
        <label className="inline">
          Persona
          <select aria-label="Persona" value={pid} onChange={(e) => setRef(e.target.value)}>
            {list.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        {list.length === 0 && <span className="muted small">Create a persona first.</span>}
      </div>
      {error && <p className="error">{describe(error)}</p>}
      {pid && (
        <div className="lorebooks-body">
          <LorebookEditor key={pid} personaRef={pid} onSaved={() => setSaved((n) => n + 1)} />
          <LorebookTry key={`${pid}-${saved}`} personaRef={pid} />
        </div>
      )}
    </div>
  )
}

// LorebookTry runs a persona's lorebook (a card's character_book, or one written for it) on
// lines the writer types, without a chat: which entries fire, on which words, and what the
// token budget cuts.
export function LorebookTry({ personaRef: pid }: { personaRef: string }) {
  const [lines, setLines] = useState('')
  const [act, setAct] = useState<Activation | null>(null)
  const [error, setError] = useState<AppError | null>(null)
  const run = () => {
    setError(null)
    lore
      .tryLorebook(
        pid,
        lines
          .split('\n')
          .map((l) => l.trim())
          .filter(Boolean),
      )
      .then(setAct)
      .catch((e: AppError) => {
        setAct(null)
        setError(e)
      })
  }
  return (
    <div className="lore-lorebook form" aria-label="Try a lorebook">
      <h2>Try a lorebook</h2>
      <p className="muted small">
        In RAG chats the entries that fire go into the prompt beside the retrieved chunks; every reply's “Lore used” shows what fired. Type a few lines of a conversation, oldest first,
        to see what would fire.
      </p>
      <label>
        Conversation (one message a line, the newest last)
        <textarea aria-label="Conversation" rows={4} value={lines} onChange={(e) => setLines(e.target.value)} placeholder="Have you heard of the Ember Court?" />
      </label>
      <div className="row">
        <button className="primary" disabled={!pid || !lines.trim()} onClick={run}>
          Try
        </button>
      </div>
      {error && <p className="error">{describe(error)}</p>}
      {act && <LorebookActivation act={act} citations={[]} />}
    </div>
  )
}
