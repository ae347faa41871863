import { Problem } from '../../components/Problem'
import { FileField, filters } from '../../components/FileField'
import { useEffect, useState } from 'react'
import { lore, personas, type Activation, type AppError, type LoreBook, type persona } from '../../bridge'
import { LorebookActivation } from './ActivationDebugger'
import { LorebookEditor } from './LorebookEditor'

// LorebooksPanel is a persona's lorebook: the editor, and a place to try it.
export function LorebooksPanel() {
  const [list, setList] = useState<persona.PersonaSummary[]>([])
  const [ref, setRef] = useState('')
  const [saved, setSaved] = useState(0)
  // Attaching a World Info file replaces the lorebook: the editor starts again from it. A save
  // keeps the editor (and its note) and refreshes the try-out.
  const [attached, setAttached] = useState(0)
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
      <Problem error={error} />
      {pid && (
        <div className="lorebooks-body">
          <LibraryBooks
            personaRef={pid}
            onAttached={() => {
              setAttached((n) => n + 1)
              setSaved((n) => n + 1)
            }}
          />
          <LorebookEditor key={`${pid}-${attached}`} personaRef={pid} onSaved={() => setSaved((n) => n + 1)} />
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
      <Problem error={error} />
      {act && <LorebookActivation act={act} citations={[]} />}
    </div>
  )
}

// LibraryBooks are the World Info files of the lore library (SillyTavern world files and
// lorebook_v3 files): imported by path, exported exactly as they came, attached to the
// persona chosen above as its lorebook.
export function LibraryBooks({ personaRef: pid, onAttached }: { personaRef: string; onAttached: () => void }) {
  const [books, setBooks] = useState<LoreBook[]>([])
  const [path, setPath] = useState('')
  const [outPath, setOutPath] = useState('')
  const [note, setNote] = useState('')
  const [error, setError] = useState<AppError | null>(null)
  const reload = () =>
    lore
      .books()
      .then((b) => setBooks(b ?? []))
      .catch((e: AppError) => setError(e))
  useEffect(() => {
    reload()
  }, [])
  const act = (p: Promise<unknown>, done: string) => {
    setError(null)
    setNote('')
    p.then(() => {
      setNote(done)
      reload()
    }).catch((e: AppError) => setError(e))
  }
  return (
    <div className="form" aria-label="Library lorebooks">
      <h2>World Info lorebooks</h2>
      <p className="muted small">SillyTavern world files and lorebook_v3 files, kept as they were imported.</p>
      <div className="row">
        <FileField label="World Info file" filters={filters.worldInfo} value={path} onChange={setPath} placeholder="~/worlds/Eldoria.json" />
        <button disabled={!path.trim()} onClick={() => act(lore.importBook(path.trim()), `Imported ${path.trim()}.`)}>
          Import
        </button>
      </div>
      {books.length === 0 ? (
        <p className="muted small">No World Info lorebooks yet.</p>
      ) : (
        <ul className="plain">
          {books.map((b) => (
            <li key={b.id} className="row">
              <span>
                {b.name} <span className="muted small">({b.file}, {b.format}, {b.entries} entries)</span>
              </span>
              <button
                disabled={!pid}
                onClick={() =>
                  act(
                    lore.attachBook(b.id, pid).then(onAttached),
                    `${b.name} is now the persona's lorebook.`,
                  )
                }
              >
                Attach to persona
              </button>
              <button onClick={() => outPath.trim() && act(lore.exportBook(b.id, outPath.trim()), `Exported ${b.file} to ${outPath.trim()}.`)} disabled={!outPath.trim()} title="Writes to the file below">
                Export
              </button>
              <button className="link-button" onClick={() => act(lore.removeBook(b.id), `Removed ${b.file}.`)}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      {books.length > 0 && (
        <FileField label="Lorebook file to write" visibleLabel="Export to (as it was imported)" mode="save" filters={filters.worldInfo} suggestedName={books[0]?.file} value={outPath} onChange={setOutPath} placeholder="~/worlds/Eldoria.json" />
      )}
      {note && <p className="success small">{note}</p>}
      <Problem error={error} />
    </div>
  )
}
