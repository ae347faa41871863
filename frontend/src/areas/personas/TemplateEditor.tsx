import { Problem } from '../../components/Problem'
import { useCallback, useEffect, useState } from 'react'
import { personas, type AppError, type PersonaData, type TemplateData, type persona } from '../../bridge'

const OWN = '__own'

// TemplateEditor picks the prompt template a persona renders with: a built-in starter (the
// default, or the Ada text and RAG prompts), a template shared across personas, or the
// persona's own template, which is versioned with it.
export function TemplateEditor(props: { draft: PersonaData; onChange: (p: PersonaData) => void; error: AppError | null }) {
  const { draft, onChange, error } = props
  const [templates, setTemplates] = useState<persona.TemplateSummary[]>([])
  const [shared, setShared] = useState<TemplateData | null>(null) // a shared template being edited
  const [funcs, setFuncs] = useState<persona.FuncDoc[]>([])
  const [msg, setMsg] = useState('')
  const [problem, setProblem] = useState<AppError | null>(null)

  const reload = useCallback(() => {
    personas.templates().then(setTemplates).catch(setProblem)
  }, [])
  useEffect(reload, [reload])
  useEffect(() => {
    personas.templateFuncs().then(setFuncs).catch(() => setFuncs([]))
  }, [])

  const selected = draft.template ? OWN : draft.templateId || 'default'
  const summary = templates.find((t) => t.id === selected)

  const choose = (id: string) => {
    setShared(null)
    setMsg('')
    setProblem(null)
    if (id === OWN) {
      // Start the persona's own template from the one it uses now.
      personas
        .template(selected === OWN ? 'default' : selected)
        .then((v) => onChange({ ...draft, templateId: '', template: { ...v.template, id: '', builtin: false, name: `${draft.name || 'Persona'} template` } }))
        .catch(setProblem)
      return
    }
    onChange({ ...draft, templateId: id === 'default' ? '' : id, template: undefined })
  }

  const share = () => {
    if (!draft.template) return
    personas
      .createTemplate({ ...draft.template, id: '' })
      .then((v) => {
        onChange({ ...draft, template: undefined, templateId: v.templateId })
        setMsg(`Shared as “${v.template.name}”. Other personas can use it now.`)
        reload()
      })
      .catch(setProblem)
  }

  const editShared = () => {
    personas
      .template(selected)
      .then((v) => setShared(v.template))
      .catch(setProblem)
  }
  const saveShared = () => {
    if (!shared) return
    personas
      .saveTemplate(shared)
      .then((v) => {
        setShared(null)
        setMsg(`Saved “${v.template.name}” as version ${v.n}. Every persona using it follows.`)
        reload()
        // Re-render the preview with the new version.
        onChange({ ...draft })
      })
      .catch(setProblem)
  }

  const shownError = problem ?? (error?.code === 'invalid_template' ? error : null)
  return (
    <div className="template-editor">
      <label>
        <span className="field-label">Template</span>
        <select aria-label="Template" value={selected} onChange={(e) => choose(e.target.value)}>
          <option value={OWN}>Own template (saved with this persona)</option>
          <optgroup label="Starting templates">
            {templates
              .filter((t) => t.builtin)
              .map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
          </optgroup>
          {templates.some((t) => !t.builtin) && (
            <optgroup label="Shared templates">
              {templates
                .filter((t) => !t.builtin)
                .map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.name} (v{t.version})
                  </option>
                ))}
            </optgroup>
          )}
        </select>
      </label>
      {selected !== OWN && summary && (
        <p className="muted small">
          {summary.description || 'A shared template.'} {summary.builtin ? 'Built in, read-only: choose “Own template” to change a copy.' : `Version ${summary.version}${summary.updatedBy ? ` by ${summary.updatedBy}` : ''}.`}
        </p>
      )}
      {selected !== OWN && summary && !summary.builtin && !shared && (
        <button type="button" onClick={editShared}>
          Edit shared template
        </button>
      )}

      {draft.template && (
        <TemplateFields
          t={draft.template}
          onChange={(template) => onChange({ ...draft, template })}
          errorField={error?.code === 'invalid_template' ? error.field : undefined}
          actions={
            <button type="button" onClick={share} disabled={!draft.template.name.trim()}>
              Share as template
            </button>
          }
        />
      )}
      {shared && (
        <div className="card shared-template" aria-label="Shared template">
          <p className="muted small">Saving makes a new version of this shared template; every persona using it follows.</p>
          <TemplateFields
            t={shared}
            onChange={setShared}
            errorField={problem?.code === 'invalid_template' ? problem.field : undefined}
            actions={
              <>
                <button type="button" className="primary" onClick={saveShared}>
                  Save shared template
                </button>
                <button type="button" onClick={() => setShared(null)}>
                  Cancel
                </button>
              </>
            }
          />
          <TemplateVersions id={shared.id} onRestored={(v) => { setShared(v); reload(); onChange({ ...draft }) }} />
        </div>
      )}
      {msg && <p className="success small">{msg}</p>}
      {shownError && (
        <Problem error={shownError} className="small" />
      )}
      {(draft.template || shared) && (
        <details className="template-help">
          <summary>What a template can use</summary>
          <p className="small muted">
            <code>{'{{char}}'}</code> and <code>{'{{user}}'}</code> are the persona’s and the player’s names. Fields: <code>.Persona.Name</code>, <code>.Persona.Role</code>, <code>.Persona.Description</code>,{' '}
            <code>.Persona.Personality</code>, <code>.Persona.SpeechStyle</code>, <code>.Persona.Scenario</code>, <code>.Persona.ExampleDialogue</code> (each exchange under its separator) or{' '}
            <code>.Persona.Examples</code> (the exchanges alone), <code>.Persona.Goals</code>, <code>.Persona.Relationships</code>,{' '}
            <code>.Persona.KnowledgeBoundaries</code>, <code>.Persona.LoreCollections</code>, <code>.Persona.SafetyNotes</code>, <code>.Message</code>, <code>.History</code>, <code>.Lore</code> (RAG passages:{' '}
            <code>.Text</code>, <code>.Source</code>, <code>.Citation</code>), <code>.RAG</code>, <code>.Family</code>.
          </p>
          <ul className="small func-list">
            {funcs.map((f) => (
              <li key={f.name}>
                <code>{f.usage.split(':')[0]}</code>
                {f.usage.slice(f.usage.indexOf(':'))}
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  )
}

function TemplateFields(props: { t: TemplateData; onChange: (t: TemplateData) => void; errorField?: string; actions: React.ReactNode }) {
  const { t, onChange, errorField, actions } = props
  const params = t.params ?? {}
  const num = (v: string) => (v.trim() === '' ? undefined : Number(v))
  return (
    <div className="form template-fields">
      <label>
        <span className="field-label">Template name</span>
        <input value={t.name} onChange={(e) => onChange({ ...t, name: e.target.value })} />
      </label>
      <label>
        <span className="field-label">
          System <span className="muted">(the system prompt)</span>
        </span>
        <textarea aria-label="Template system" className="mono" rows={10} value={t.system} aria-invalid={errorField === 'template.system' || undefined} onChange={(e) => onChange({ ...t, system: e.target.value })} />
      </label>
      <label>
        <span className="field-label">
          Turn <span className="muted">(the player’s message as sent; empty is just the message)</span>
        </span>
        <textarea aria-label="Template turn" className="mono" rows={3} value={t.turn ?? ''} aria-invalid={errorField === 'template.turn' || undefined} onChange={(e) => onChange({ ...t, turn: e.target.value })} />
      </label>
      <div className="two">
        <label>
          <span className="field-label">Max reply tokens</span>
          <input type="number" min={0} value={params.maxTokens ?? ''} placeholder="512" onChange={(e) => onChange({ ...t, params: { ...params, maxTokens: num(e.target.value) } })} />
        </label>
        <label>
          <span className="field-label">Temperature</span>
          <input type="number" min={0} max={2} step={0.1} value={params.temperature ?? ''} placeholder="model default" onChange={(e) => onChange({ ...t, params: { ...params, temperature: num(e.target.value) } })} />
        </label>
      </div>
      <div className="row">{actions}</div>
    </div>
  )
}

function TemplateVersions(props: { id: string; onRestored: (t: TemplateData) => void }) {
  const [versions, setVersions] = useState<persona.VersionInfo[]>([])
  const [error, setError] = useState<AppError | null>(null)
  const load = useCallback(() => {
    personas.templateHistory(props.id).then(setVersions).catch(setError)
  }, [props.id])
  useEffect(load, [load])
  return (
    <div>
      <span className="field-label">Versions</span>
      <ul className="version-mini">
        {versions.map((v, i) => (
          <li key={v.n}>
            v{v.n} · {v.author} · {new Date(v.savedAt).toLocaleString()} {v.note && <span className="muted">({v.note})</span>}
            {i > 0 && (
              <button
                type="button"
                className="link-button"
                onClick={() =>
                  personas
                    .restoreTemplate(props.id, v.n)
                    .then((r) => {
                      props.onRestored(r.template)
                      load()
                    })
                    .catch(setError)
                }
              >
                Restore
              </button>
            )}
          </li>
        ))}
      </ul>
      <Problem error={error} className="small" />
    </div>
  )
}
