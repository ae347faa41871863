import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import type { AreaProps } from '../../areas'
import { personas, type AppError, type PersonaEdit, type PersonaVersion } from '../../bridge'
import { CardPanel } from './CardPanel'
import { sameDraft, type Draft } from './draft'
import { PersonaEditor } from './PersonaEditor'
import { PersonaList } from './PersonaList'
import { PromptPreview } from './PromptPreview'
import { VersionHistory, when } from './VersionHistory'
import { Problem } from '../../components/Problem'

type Tab = 'edit' | 'history'

// PersonasPage: the list on the left, the selected persona's editor (or its history) in the
// middle, and the live preview of the request it renders into on the right. Unsaved edits
// are kept per persona while the writer looks at others.
export function PersonasPage(_: AreaProps) {
  const [previewOpen, setPreviewOpen] = useState(false)
  const [selectedId, setSelectedId] = useState<string | null>(null)
  const [current, setCurrent] = useState<PersonaEdit | null>(null)
  const [drafts, setDrafts] = useState<Record<string, Draft>>({})
  const [tab, setTab] = useState<Tab>('edit')
  const [refreshKey, setRefreshKey] = useState(0)
  const [msg, setMsg] = useState('')
  const [error, setError] = useState<AppError | null>(null)
  const [confirmDelete, setConfirmDelete] = useState(false)

  // open loads a persona's current version into the editor; only the latest open counts
  // when the writer clicks through the list faster than the answers come.
  const opening = useRef(0)
  const open = useCallback((id: string) => {
    const n = ++opening.current
    setSelectedId(id)
    setConfirmDelete(false)
    return personas
      .open(id)
      .then((e) => {
        if (n !== opening.current) return
        setCurrent(e)
        setSelectedId(e.personaId)
      })
      .catch((e: AppError) => n === opening.current && setError(e))
  }, [])

  const saved: Draft | null = current ? { persona: current.persona, extensions: current.extensions } : null
  const draft = current ? (drafts[current.personaId] ?? saved) : null
  const dirty = !!draft && !!saved && !sameDraft(draft, saved)
  // Drafts of other personas were changed when the writer left them; the open one is
  // unsaved only while it differs from its saved version.
  const unsaved = useMemo(() => new Set(Object.keys(drafts).filter((id) => id !== current?.personaId || dirty)), [drafts, current, dirty])

  const setDraft = (d: Draft) => {
    if (!current) return
    setMsg('')
    setDrafts((all) => ({ ...all, [current.personaId]: d }))
  }
  const dropDraft = (id: string) =>
    setDrafts((all) => {
      const { [id]: _, ...rest } = all
      return rest
    })

  const save = useCallback(() => {
    if (!current || !draft) return
    setError(null)
    personas
      .save(draft.persona, draft.extensions)
      .then(async (v) => {
        await open(v.personaId)
        dropDraft(v.personaId)
        setMsg(v.n === current.n ? 'Nothing changed since the last version.' : `Saved as version ${v.n}.`)
        setRefreshKey((k) => k + 1)
      })
      .catch((e: AppError) => setError(e))
  }, [current, draft, open])

  // Ctrl+S (Cmd+S) saves, as writers expect from every editor.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 's') {
        e.preventDefault()
        if (dirty) save()
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [dirty, save])

  const select = (id: string) => {
    if (id === current?.personaId) return
    setMsg('')
    setError(null)
    void open(id)
  }

  // A new persona (created, imported, copied) opens in the editor.
  const created = (v: PersonaVersion) => {
    setTab('edit')
    setMsg('')
    setError(null)
    setRefreshKey((k) => k + 1)
    void open(v.personaId)
  }

  const remove = () => {
    if (!current) return
    personas
      .remove(current.personaId)
      .then(() => {
        dropDraft(current.personaId)
        setCurrent(null)
        setSelectedId(null)
        setMsg('')
        setRefreshKey((k) => k + 1)
      })
      .catch((e: AppError) => setError(e))
  }

  return (
    <section className={`personas${previewOpen ? ' preview-open' : ''}`}>
      {/* On a narrow window the preview is a drawer this button opens. */}
      <button className="preview-toggle" aria-expanded={previewOpen} onClick={() => setPreviewOpen(!previewOpen)}>
        {previewOpen ? 'Hide preview' : 'Prompt preview'}
      </button>
      <div className="personas-side">
        <PersonaList selectedId={selectedId} onSelect={select} onCreated={created} onFirst={(id) => void open(id)} refreshKey={refreshKey} unsaved={unsaved} />
        <CardPanel selected={current} onImported={created} />
      </div>

      <div className="personas-main">
        {!current || !draft ? (
          <div className="empty personas-hint">{selectedId && !error ? 'Opening…' : 'Choose a persona on the left, create one, or import a Character Card.'}</div>
        ) : (
          <>
            <header className="persona-head">
              <div className="persona-title">
                <h1 title={draft.persona.name}>{draft.persona.name || 'Unnamed'}</h1>
                <p className="muted small">
                  {dirty && <span className="unsaved-label">unsaved changes</span>}
                  Version {current.n} · {current.author} · {when(current.savedAt)}
                  {current.note ? ` · ${current.note}` : ''}
                </p>
              </div>
              <div className="row persona-actions">
                {dirty && (
                  <button onClick={() => dropDraft(current.personaId)} title="Go back to the saved version">
                    Discard
                  </button>
                )}
                <button className="primary" onClick={save} disabled={!dirty} title="Save as a new version (Ctrl+S)">
                  Save
                </button>
                {confirmDelete ? (
                  <>
                    <button className="danger" onClick={remove}>
                      Delete with history
                    </button>
                    <button onClick={() => setConfirmDelete(false)}>Keep</button>
                  </>
                ) : (
                  <button className="danger" onClick={() => setConfirmDelete(true)}>
                    Delete
                  </button>
                )}
              </div>
            </header>
            {msg && (
              <p className="success" role="status">
                {msg}
              </p>
            )}
            <Problem error={error} />
            <div className="tabs" role="tablist">
              <button role="tab" aria-selected={tab === 'edit'} className={tab === 'edit' ? 'active' : ''} onClick={() => setTab('edit')}>
                Edit
              </button>
              <button role="tab" aria-selected={tab === 'history'} className={tab === 'history' ? 'active' : ''} onClick={() => setTab('history')}>
                History
              </button>
            </div>
            {tab === 'edit' ? (
              <PersonaEditor key={current.personaId} draft={draft} onChange={setDraft} error={error} lorebookEntries={current.lorebookEntries} cardFormat={current.cardFormat} />
            ) : (
              <VersionHistory
                current={current}
                onRestored={(v) => {
                  setMsg('')
                  dropDraft(v.personaId)
                  setRefreshKey((k) => k + 1)
                  void open(v.personaId)
                }}
                onCopied={created}
              />
            )}
          </>
        )}
      </div>

      {draft ? <PromptPreview persona={draft.persona} /> : <aside className="prompt-preview" aria-label="Prompt preview" />}
    </section>
  )
}
