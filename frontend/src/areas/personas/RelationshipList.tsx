import type { persona } from '../../bridge'

type Relationship = persona.Relationship

// RelationshipList edits who this persona knows: a name, the relationship in a few words,
// and notes.
export function RelationshipList(props: { items: Relationship[]; onChange: (r: Relationship[]) => void; invalidIndex?: number }) {
  const { items, onChange, invalidIndex } = props
  const set = (i: number, r: Partial<Relationship>) => onChange(items.map((x, j) => (j === i ? { ...x, ...r } : x)))
  return (
    <div className="text-list" role="group" aria-label="Relationships">
      <span className="field-label">Relationships</span>
      {items.length === 0 && <p className="muted small">None yet.</p>}
      {items.map((r, i) => (
        <div className="relationship" key={i}>
          <input aria-label={`Relationship ${i + 1} name`} placeholder="Name" value={r.name} aria-invalid={invalidIndex === i || undefined} onChange={(e) => set(i, { name: e.target.value })} />
          <input aria-label={`Relationship ${i + 1} kind`} placeholder="e.g. older sister, rival" value={r.kind ?? ''} onChange={(e) => set(i, { kind: e.target.value })} />
          <button type="button" className="icon-button" aria-label={`Remove relationship ${i + 1}`} onClick={() => onChange(items.filter((_, j) => j !== i))}>
            ×
          </button>
          <textarea aria-label={`Relationship ${i + 1} notes`} placeholder="Notes" rows={1} value={r.notes ?? ''} onChange={(e) => set(i, { notes: e.target.value })} />
        </div>
      ))}
      <button type="button" className="link-button" onClick={() => onChange([...items, { name: '' }])}>
        + Add relationship
      </button>
    </div>
  )
}
