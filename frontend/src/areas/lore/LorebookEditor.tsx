import { Problem } from '../../components/Problem'
import { useEffect, useState } from 'react'
import { lore, type AppError, type LorebookData, type LorebookEntry, type LorebookView } from '../../bridge'

const splitKeys = (text: string) =>
  text
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean)

const newEntry = (order: number): LorebookEntry => ({ keys: [], content: '', enabled: true, insertionOrder: order })

// LorebookEditor edits a persona's lorebook: entries with the words that trigger them, made
// by the writer or imported with a character card. Saving keeps it as the persona's next
// version. Keys and unknown card fields are kept as they are.
export function LorebookEditor({ personaRef, onSaved }: { personaRef: string; onSaved: () => void }) {
  const [view, setView] = useState<LorebookView | null>(null)
  const [book, setBook] = useState<LorebookData | null>(null)
  const [keyText, setKeyText] = useState<string[]>([])
  const [note, setNote] = useState('')
  const [error, setError] = useState<AppError | null>(null)
  const load = (v: LorebookView) => {
    setView(v)
    setBook(v.lorebook)
    setKeyText(v.lorebook.entries.map((e) => (e.keys ?? []).join(', ')))
  }
  useEffect(() => {
    if (!personaRef) return
    setNote('')
    setError(null)
    lore
      .lorebook(personaRef)
      .then(load)
      .catch((e: AppError) => setError(e))
  }, [personaRef])

  if (!book || !view) return <Problem error={error} />
  const entries = book.entries
  const setEntry = (i: number, e: Partial<LorebookEntry>) => setBook({ ...book, entries: entries.map((x, j) => (j === i ? { ...x, ...e } : x)) })
  const save = () => {
    setError(null)
    setNote('')
    const withKeys = { ...book, entries: entries.map((e, i) => ({ ...e, keys: splitKeys(keyText[i] ?? '') })) }
    lore
      .saveLorebook(personaRef, withKeys)
      .then((v) => {
        load(v)
        setNote(`Saved as ${v.persona} version ${v.version}.`)
        onSaved()
      })
      .catch((e: AppError) => setError(e))
  }

  return (
    <section className="lorebook-editor" aria-label="Lorebook">
      <div className="row between">
        <h2>{view.persona}'s lorebook</h2>
        <span className="muted small">from version {view.version}</span>
      </div>
      <div className="lorebook-book">
        <label>
          Name
          <input aria-label="Lorebook name" value={book.name ?? ''} onChange={(e) => setBook({ ...book, name: e.target.value })} />
        </label>
        <label>
          Scan depth
          <input aria-label="Scan depth" type="number" min={0} value={book.scanDepth ?? 0} onChange={(e) => setBook({ ...book, scanDepth: Number(e.target.value) })} title="How many recent messages are scanned (0: 2)" />
        </label>
        <label>
          Token budget
          <input aria-label="Token budget" type="number" min={0} value={book.tokenBudget ?? 0} onChange={(e) => setBook({ ...book, tokenBudget: Number(e.target.value) })} title="0: no bound" />
        </label>
        <label className="check">
          <input type="checkbox" checked={!!book.recursiveScanning} onChange={(e) => setBook({ ...book, recursiveScanning: e.target.checked })} /> recursive scanning
        </label>
      </div>
      <ol className="lorebook-entries">
        {entries.map((e, i) => (
          <li key={i} className="lorebook-entry" aria-label={`Entry ${i + 1}`}>
            <div className="lorebook-entry-head">
              <input aria-label="Entry name" value={e.name ?? ''} placeholder={`Entry ${i + 1}`} onChange={(ev) => setEntry(i, { name: ev.target.value })} />
              <label className="check">
                <input type="checkbox" checked={e.enabled} onChange={(ev) => setEntry(i, { enabled: ev.target.checked })} /> enabled
              </label>
              <label className="check" title="Always inserted, whatever the messages say">
                <input type="checkbox" checked={!!e.constant} onChange={(ev) => setEntry(i, { constant: ev.target.checked })} /> constant
              </label>
              <button
                className="icon-button"
                aria-label={`Remove entry ${i + 1}`}
                onClick={() => {
                  setBook({ ...book, entries: entries.filter((_, j) => j !== i) })
                  setKeyText(keyText.filter((_, j) => j !== i))
                }}
              >
                ×
              </button>
            </div>
            <label className="small">
              Keys (comma separated)
              <input aria-label="Keys" value={keyText[i] ?? ''} placeholder="the words that trigger it, e.g. Ember Court, obsidian" onChange={(ev) => setKeyText(keyText.map((k, j) => (j === i ? ev.target.value : k)))} />
            </label>
            <label className="small">
              Content
              <textarea aria-label="Content" rows={2} value={e.content} placeholder="What goes into the prompt when it fires" onChange={(ev) => setEntry(i, { content: ev.target.value })} />
            </label>
            <div className="lorebook-entry-foot small">
              <label>
                Priority
                <input type="number" value={e.priority ?? 0} onChange={(ev) => setEntry(i, { priority: Number(ev.target.value) })} title="Cut last when over the budget" />
              </label>
              <label>
                Order
                <input type="number" value={e.insertionOrder} onChange={(ev) => setEntry(i, { insertionOrder: Number(ev.target.value) })} title="Higher goes later in the prompt" />
              </label>
              <label>
                Position
                <select value={e.position ?? ''} onChange={(ev) => setEntry(i, { position: ev.target.value })}>
                  <option value="">—</option>
                  <option value="before_char">before the character</option>
                  <option value="after_char">after the character</option>
                </select>
              </label>
            </div>
          </li>
        ))}
      </ol>
      <div className="row">
        <button
          onClick={() => {
            setBook({ ...book, entries: [...entries, newEntry(entries.length + 1)] })
            setKeyText([...keyText, ''])
          }}
        >
          Add entry
        </button>
        <button className="primary" onClick={save}>
          Save lorebook
        </button>
        {note && (
          <span className="success small" role="status">
            {note}
          </span>
        )}
      </div>
      <Problem error={error} />
    </section>
  )
}
