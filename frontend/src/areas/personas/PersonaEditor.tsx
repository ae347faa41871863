import { useState, type ReactNode } from 'react'
import type { AppError, PersonaData } from '../../bridge'
import { joinDialogue, splitDialogue } from './dialogue'
import { extensionsProblem, type Draft } from './draft'
import { RelationshipList } from './RelationshipList'
import { TagField } from './TagField'
import { TemplateEditor } from './TemplateEditor'
import { TextList } from './TextList'

type TextKey = {
  [K in keyof PersonaData]-?: PersonaData[K] extends string | undefined ? K : never
}[keyof PersonaData]

// PersonaEditor edits every field of a persona, grouped as a writer thinks of them. It edits
// a draft; saving is the page's.
export function PersonaEditor(props: {
  draft: Draft
  onChange: (d: Draft) => void
  error: AppError | null
  lorebookEntries: number
  cardFormat?: string
}) {
  const { onChange, error, lorebookEntries, cardFormat } = props
  const draft = props.draft.persona
  const setPersona = (persona: PersonaData) => onChange({ ...props.draft, persona })
  const set = (patch: Partial<PersonaData>) => setPersona({ ...draft, ...patch })
  const bad = (field: string) => error?.field === field || undefined

  const text = (key: TextKey, label: string, opts: { rows?: number; hint?: string; placeholder?: string } = {}) => (
    <label>
      <span className="field-label">
        {label} {opts.hint && <span className="muted">{opts.hint}</span>}
      </span>
      {opts.rows ? (
        <textarea aria-label={label} rows={opts.rows} value={(draft[key] as string | undefined) ?? ''} placeholder={opts.placeholder} aria-invalid={bad(key)} onChange={(e) => set({ [key]: e.target.value })} />
      ) : (
        <input aria-label={label} value={(draft[key] as string | undefined) ?? ''} placeholder={opts.placeholder} aria-invalid={bad(key)} onChange={(e) => set({ [key]: e.target.value })} />
      )}
    </label>
  )

  const relIndex = /^relationships\[(\d+)\]/.exec(error?.field ?? '')?.[1]
  return (
    <div className="persona-editor" aria-label="Persona editor">
      <Group title="Who">
        <div className="two">
          {text('name', 'Name')}
          {text('nickname', 'Nickname', { hint: '({{char}} when set)' })}
        </div>
        {text('role', 'Role', { placeholder: 'e.g. the harbour blacksmith of Saltmere' })}
        <TagField label="Tags" values={draft.tags ?? []} onChange={(tags) => set({ tags })} placeholder="smith, harbour…" />
      </Group>

      <Group title="Story and voice">
        {text('description', 'Description and backstory', { rows: 5 })}
        {text('personality', 'Personality', { rows: 3 })}
        {text('speechStyle', 'Speech style', { rows: 2, placeholder: 'Short sentences, sea metaphors…' })}
        {text('scenario', 'Scenario', { rows: 2 })}
      </Group>

      <Group title="Greetings">
        {text('firstGreeting', 'First greeting', { rows: 2 })}
        <TextList label="Alternate greetings" item="greeting" items={draft.alternateGreetings ?? []} onChange={(alternateGreetings) => set({ alternateGreetings })} />
        {(draft.groupGreetings?.length ?? 0) > 0 && (
          <TextList label="Group-only greetings" item="group greeting" items={draft.groupGreetings ?? []} onChange={(groupGreetings) => set({ groupGreetings })} />
        )}
      </Group>

      <Group title="Example dialogue">
        <TextList
          label="Example exchanges"
          item="exchange"
          rows={3}
          mono
          invalid={bad('exampleDialogue')}
          items={splitDialogue(draft.exampleDialogue ?? '')}
          onChange={(ex) => set({ exampleDialogue: ex.length ? joinDialogue(ex) : '' })}
        />
      </Group>

      <Group title="Goals and relationships">
        <TextList label="Goals" item="goal" rows={1} items={draft.goals ?? []} onChange={(goals) => set({ goals })} />
        <RelationshipList items={draft.relationships ?? []} onChange={(relationships) => set({ relationships })} invalidIndex={relIndex === undefined ? undefined : Number(relIndex)} />
      </Group>

      <Group title="Knowledge boundaries">
        <label>
          <span className="field-label">What {draft.name || 'this NPC'} knows and must not know</span>
          <textarea aria-label="Knows and must not know" rows={3} value={draft.knowledge?.boundaries ?? ''} aria-invalid={bad('knowledge.boundaries')} onChange={(e) => set({ knowledge: { ...draft.knowledge, boundaries: e.target.value } })} />
        </label>
        <TagField
          label="Lore collections"
          values={draft.knowledge?.loreCollections ?? []}
          onChange={(loreCollections) => set({ knowledge: { ...draft.knowledge, loreCollections } })}
          placeholder="collections RAG may draw on"
        />
      </Group>

      <Group title="Safety">{text('safetyNotes', 'Safety notes', { rows: 2, hint: '(what this NPC never does or says)' })}</Group>

      <Group title="Prompt template">
        <TemplateEditor draft={draft} onChange={setPersona} error={error} />
      </Group>

      <Group title="Card fields" closed={!draft.systemPrompt && !draft.postHistoryInstructions && !draft.creatorNotes}>
        {text('systemPrompt', 'System prompt', { rows: 3, hint: '({{original}} is the template’s)' })}
        {text('postHistoryInstructions', 'Post-history instructions', { rows: 2 })}
        {text('creatorNotes', 'Creator notes', { rows: 2, hint: '(never sent to a model)' })}
        <div className="two">
          {text('creator', 'Creator')}
          {text('characterVersion', 'Character version')}
        </div>
      </Group>

      <Group title="Extensions and card" closed={!props.draft.extensions}>
        <ExtensionsField text={props.draft.extensions} onChange={(extensions) => onChange({ ...props.draft, extensions })} invalid={bad('extensions')} />
        <p className="muted small">
          {cardFormat ? `Imported from a ${cardFormat.toUpperCase()} card; its other keys are kept for export. ` : ''}
          {lorebookEntries > 0 ? `Lorebook: ${lorebookEntries} ${lorebookEntries === 1 ? 'entry' : 'entries'}, kept with the persona and used as sample lore in RAG previews.` : ''}
        </p>
      </Group>
    </div>
  )
}

function Group(props: { title: string; children: ReactNode; closed?: boolean }) {
  // Open or closed as the writer left it; only the first render follows `closed`.
  const [open, setOpen] = useState(!props.closed)
  return (
    <details className="field-group" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>{props.title}</summary>
      <div className="form">{props.children}</div>
    </details>
  )
}

// ExtensionsField edits free-form extensions as JSON text. The text is what is saved (Go
// checks it), so numbers and keys stay exactly as written.
function ExtensionsField(props: { text: string; onChange: (text: string) => void; invalid?: boolean }) {
  const problem = extensionsProblem(props.text)
  return (
    <label>
      <span className="field-label">
        Extensions <span className="muted">(a JSON object, kept exactly as given)</span>
      </span>
      <textarea aria-label="Extensions" className="mono" rows={6} value={props.text} placeholder="{}" aria-invalid={props.invalid || !!problem || undefined} onChange={(e) => props.onChange(e.target.value)} />
      {problem && <span className="error small">Extensions: {problem}</span>}
    </label>
  )
}
