import { Problem } from '../../components/Problem'
import { useEffect, useRef, useState } from 'react'
import { personas, type app, type AppError, type PersonaData, type PersonaFamily, type PersonaMode } from '../../bridge'
import { useDebounced } from './debounce'
import { asText } from './previewText'

// PREVIEW_DELAY is how long typing must pause before the preview renders again; a render
// takes well under a millisecond in Go, so this only spares the bridge.
export const PREVIEW_DELAY = 150

const fallbackFamilies: app.FamilyOption[] = [
  { id: 'bedrock-converse', label: 'Bedrock Converse' },
  { id: 'claude-messages', label: 'Claude messages' },
  { id: 'titan-text', label: 'Titan Text' },
  { id: 'llama3', label: 'Llama 3' },
  { id: 'openai-chat', label: 'OpenAI chat' },
]

// PromptPreview shows the exact request the chosen model family gets for the persona as it
// is in the editor, with a token estimate, and follows the writer's typing.
export function PromptPreview(props: { persona: PersonaData }) {
  const [families, setFamilies] = useState<app.FamilyOption[]>(fallbackFamilies)
  const [family, setFamily] = useState<PersonaFamily>('bedrock-converse')
  const [mode, setMode] = useState<PersonaMode>('base')
  const [message, setMessage] = useState('')
  const [result, setResult] = useState<app.RenderedPrompt | null>(null)
  const [error, setError] = useState<AppError | null>(null)
  const [copied, setCopied] = useState(false)
  // The preview opens on the readable prompt; the JSON body is one click away, and the
  // choice is kept while the writer moves between personas.
  const [view, setViewState] = useState<'body' | 'text'>(() => (sessionStorage.getItem('npcstudio.previewView') === 'body' ? 'body' : 'text'))
  const setView = (v: 'body' | 'text') => {
    sessionStorage.setItem('npcstudio.previewView', v)
    setViewState(v)
  }
  const seq = useRef(0)

  useEffect(() => {
    personas.families().then(setFamilies).catch(() => undefined)
  }, [])

  const draft = useDebounced(props.persona, PREVIEW_DELAY)
  const typed = useDebounced(message, PREVIEW_DELAY)
  const pending = draft !== props.persona || typed !== message

  useEffect(() => {
    const n = ++seq.current
    personas
      .preview(draft, family, mode, typed)
      .then((r) => {
        if (n !== seq.current) return // a newer render is on its way
        setResult(r)
        setError(null)
      })
      .catch((e: AppError) => {
        if (n !== seq.current) return
        setError(e)
      })
  }, [draft, family, mode, typed])

  const copy = () => {
    if (!result) return
    // What is copied is what is shown.
    const shown = view === 'body' ? result.body : asText(result).map((b) => `${b.label}\n${b.text}`).join('\n\n')
    navigator.clipboard?.writeText(shown).then(
      () => {
        setCopied(true)
        setTimeout(() => setCopied(false), 1500)
      },
      () => undefined,
    )
  }

  return (
    <aside className="prompt-preview" aria-label="Prompt preview">
      <div className="row between">
        <h2>Preview</h2>
        <span className="tokens" aria-label="Token estimate" title="About four characters a token; real counts vary by model">
          {result ? `≈ ${result.tokens.toLocaleString()} tokens` : '…'}
        </span>
      </div>
      <div className="preview-controls">
        <label>
          <span className="field-label">Model family</span>
          <select aria-label="Model family" value={family} onChange={(e) => setFamily(e.target.value as PersonaFamily)}>
            {families.map((f) => (
              <option key={f.id} value={f.id}>
                {f.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span className="field-label">Mode</span>
          <select aria-label="Mode" value={mode} onChange={(e) => setMode(e.target.value as PersonaMode)}>
            <option value="base">Base</option>
            <option value="rag">RAG, sample lore</option>
          </select>
        </label>
      </div>
      <label>
        <span className="field-label">Player message</span>
        <input aria-label="Player message" value={message} placeholder="Hello there. Who are you, and what goes on around here?" onChange={(e) => setMessage(e.target.value)} />
      </label>
      {error && (
        <Problem error={error} className="small" />
      )}
      <div className="row between preview-body-head">
        <div className="tabs small-tabs" role="tablist" aria-label="Preview view">
          <button role="tab" aria-selected={view === 'text'} className={view === 'text' ? 'active' : ''} onClick={() => setView('text')}>
            As text
          </button>
          <button role="tab" aria-selected={view === 'body'} className={view === 'body' ? 'active' : ''} onClick={() => setView('body')}>
            Request body
          </button>
        </div>
        <button type="button" className="link-button" onClick={copy} disabled={!result}>
          {copied ? 'Copied' : view === 'body' ? 'Copy body' : 'Copy text'}
        </button>
      </div>
      <p className="muted small preview-note">
        {result ? `Template ${result.templateId}` : ''}
        {pending ? ' · updating…' : ''}
      </p>
      {view === 'body' ? (
        <pre className={`mono preview-body${error ? ' stale' : ''}`} aria-label="Request body" aria-busy={pending}>
          {result?.body ?? ''}
        </pre>
      ) : (
        <div className={`preview-body preview-text${error ? ' stale' : ''}`} aria-label="Prompt as text">
          {result && asText(result).map((b, i) => (
            <section key={i}>
              <h3>{b.label}</h3>
              <p>{b.text}</p>
            </section>
          ))}
        </div>
      )}
    </aside>
  )
}

