import { useState } from 'react'

// TagField edits a list of short names (tags, lore collections) as chips: Enter or a comma
// adds what was typed, Backspace on an empty box removes the last.
export function TagField(props: { label: string; values: string[]; onChange: (v: string[]) => void; placeholder?: string }) {
  const { label, values, onChange, placeholder } = props
  const [text, setText] = useState('')
  const add = (raw: string) => {
    const v = raw.trim()
    if (v && !values.includes(v)) onChange([...values, v])
    setText('')
  }
  return (
    <div className="tag-field" role="group" aria-label={label}>
      <span className="field-label">{label}</span>
      <div className="tags-box">
        {values.map((v) => (
          <span className="tag" key={v}>
            {v}
            <button type="button" aria-label={`Remove ${v}`} onClick={() => onChange(values.filter((x) => x !== v))}>
              ×
            </button>
          </span>
        ))}
        <input
          aria-label={`Add to ${label.toLowerCase()}`}
          value={text}
          placeholder={values.length === 0 ? placeholder : ''}
          onChange={(e) => {
            const v = e.target.value
            if (v.endsWith(',')) add(v.slice(0, -1))
            else setText(v)
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault()
              add(text)
            } else if (e.key === 'Backspace' && text === '' && values.length > 0) {
              onChange(values.slice(0, -1))
            }
          }}
          onBlur={() => text && add(text)}
        />
      </div>
    </div>
  )
}
