// TextList edits a list of texts (greetings, goals, example exchanges): one box each, with
// add and remove.
export function TextList(props: {
  label: string
  item: string // what one item is called: "greeting", "goal"
  items: string[]
  onChange: (items: string[]) => void
  rows?: number
  mono?: boolean
  invalid?: boolean
}) {
  const { label, item, items, onChange, rows = 2, mono, invalid } = props
  const set = (i: number, v: string) => onChange(items.map((x, j) => (j === i ? v : x)))
  return (
    <div className="text-list" role="group" aria-label={label}>
      <span className="field-label">{label}</span>
      {items.length === 0 && <p className="muted small">None yet.</p>}
      {items.map((text, i) => (
        <div className="text-list-item" key={i}>
          <textarea
            aria-label={`${capital(item)} ${i + 1}`}
            className={mono ? 'mono' : undefined}
            rows={rows}
            value={text}
            aria-invalid={invalid || undefined}
            onChange={(e) => set(i, e.target.value)}
          />
          <button type="button" className="icon-button" aria-label={`Remove ${item} ${i + 1}`} title={`Remove ${item}`} onClick={() => onChange(items.filter((_, j) => j !== i))}>
            ×
          </button>
        </div>
      ))}
      <button type="button" className="link-button" onClick={() => onChange([...items, ''])}>
        + Add {item}
      </button>
    </div>
  )
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1)
}
