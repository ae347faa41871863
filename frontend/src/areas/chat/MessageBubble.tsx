import { useState } from 'react'
import type { ChatMessage } from '../../bridge'
import { Citations } from './Citations'
import { replyFacts } from './facts'
import { Markdown } from './Markdown'
import { SwipeControls } from './SwipeControls'
import type { Siblings } from './tree'

// copyText puts text on the clipboard; where the clipboard API is refused (an unfocused
// page, a browser without permission) it falls back to a selected textarea.
export async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text)
    return
  } catch {
    const ta = document.createElement('textarea')
    ta.value = text
    ta.style.position = 'fixed'
    ta.style.opacity = '0'
    document.body.appendChild(ta)
    ta.select()
    document.execCommand('copy')
    ta.remove()
  }
}

export interface BubbleActions {
  onSwipe: (id: string) => void
  onRegenerate: (m: ChatMessage) => void
  // onEdit saves the edit as a branch; for a player's line the reply is asked for too.
  onEdit: (m: ChatMessage, text: string) => void
  onSaveTraining: (m: ChatMessage) => void
  // onLoreUsed opens the lore activation debugger for a reply.
  onLoreUsed?: (m: ChatMessage) => void
}

// MessageBubble is one line of the chat: the player's or the NPC's, rendered as markdown,
// with what made a reply, its alternatives, and what the writer can do with it.
export function MessageBubble(props: {
  message: ChatMessage
  personaName: string
  siblings: Siblings
  actions: BubbleActions
  busy: boolean
}) {
  const { message: m, personaName, siblings, actions, busy } = props
  const [editing, setEditing] = useState(false)
  const [draft, setDraft] = useState(m.text)
  const [copied, setCopied] = useState(false)
  const npc = m.role === 'assistant'
  const reply = npc && !m.greeting
  const who = npc ? personaName : 'Player'

  const copy = () =>
    copyText(m.text).then(() => {
      setCopied(true)
      setTimeout(() => setCopied(false), 1200)
    })

  return (
    <article className={`bubble ${npc ? 'npc' : 'player'}${m.cut ? ' cut' : ''}`} aria-label={`${who} message`} data-id={m.id}>
      <header className="bubble-head">
        <span className="bubble-who">{who}</span>
        {m.greeting && <span className="badge">greeting</span>}
        {m.editedFrom && <span className="badge">edited</span>}
        {m.cut && <span className="badge warn">cut</span>}
        {m.stopped && <span className="badge warn">stopped</span>}
        <span className="spacer" />
        <SwipeControls siblings={siblings} what={npc ? 'answer' : 'branch'} onSelect={actions.onSwipe} disabled={busy} />
      </header>
      {editing ? (
        <div className="bubble-edit">
          <textarea aria-label="Edit message" value={draft} rows={Math.min(12, Math.max(3, draft.split('\n').length + 1))} onChange={(e) => setDraft(e.target.value)} />
          <div className="row">
            <button
              className="primary"
              disabled={busy || !draft.trim() || draft === m.text}
              onClick={() => {
                setEditing(false)
                actions.onEdit(m, draft)
              }}
            >
              {npc ? 'Save edit' : 'Save and send'}
            </button>
            <button onClick={() => setEditing(false)}>Cancel</button>
            <span className="muted small">The original stays as another branch.</span>
          </div>
        </div>
      ) : (
        <Markdown text={m.text} />
      )}
      {m.cut && m.error && <p className="bubble-warning small">{m.error}</p>}
      {m.loreNote && <p className="bubble-note small">{m.loreNote}</p>}
      {m.notice && <p className="bubble-note small">{m.notice}</p>}
      {m.citations && <Citations citations={m.citations} />}
      {reply && m.provider && (
        <p className="facts small" aria-label="Reply facts">
          {replyFacts(m).join(' · ')}
        </p>
      )}
      {!editing && (
        <footer className="bubble-actions">
          <button className="link-button" onClick={copy}>
            {copied ? 'Copied' : 'Copy'}
          </button>
          <button
            className="link-button"
            disabled={busy}
            onClick={() => {
              setDraft(m.text)
              setEditing(true)
            }}
          >
            Edit
          </button>
          {reply && (
            <button className="link-button" disabled={busy} onClick={() => actions.onRegenerate(m)}>
              {m.cut ? 'Retry' : 'Regenerate'}
            </button>
          )}
          {reply && (
            <button className="link-button" disabled={busy} onClick={() => actions.onSaveTraining(m)}>
              Save as training data
            </button>
          )}
          {reply && actions.onLoreUsed && (
            <button className="link-button" onClick={() => actions.onLoreUsed?.(m)}>
              Lore used
            </button>
          )}
        </footer>
      )}
    </article>
  )
}

// StreamingBubble is the reply as it arrives.
export function StreamingBubble(props: { personaName: string; text: string; notices: string[]; citations: ChatMessage['citations'] }) {
  return (
    <article className="bubble npc streaming" aria-label="Reply streaming" aria-busy="true">
      <header className="bubble-head">
        <span className="bubble-who">{props.personaName}</span>
        <span className="typing" aria-hidden>
          ●●●
        </span>
      </header>
      {props.text ? <Markdown text={props.text} /> : <p className="muted small">Waiting for the first token…</p>}
      {props.notices.map((n) => (
        <p key={n} className="bubble-note small">
          {n}
        </p>
      ))}
      {props.citations && <Citations citations={props.citations} />}
    </article>
  )
}
