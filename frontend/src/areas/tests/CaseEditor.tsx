import { useState } from 'react'
import type { EvalAssertion, EvalCase } from '../../bridge'

// What each assertion kind asks the writer for.
const kinds: { type: string; label: string; needs: 'text' | 'phrases' | 'words' | 'none' | 'similar' | 'rubric' }[] = [
  { type: 'icontains', label: 'contains (any case)', needs: 'text' },
  { type: 'contains', label: 'contains (exact case)', needs: 'text' },
  { type: 'not-icontains', label: 'does not contain (any case)', needs: 'text' },
  { type: 'not-contains', label: 'does not contain (exact case)', needs: 'text' },
  { type: 'regex', label: 'matches a pattern', needs: 'text' },
  { type: 'words', label: 'length in words', needs: 'words' },
  { type: 'in-character', label: 'stays in character', needs: 'none' },
  { type: 'mentions-lore', label: 'mentions lore facts', needs: 'phrases' },
  { type: 'avoids-lore', label: 'avoids lore facts', needs: 'phrases' },
  { type: 'similar', label: 'similar to a reference answer', needs: 'similar' },
  { type: 'llm-rubric', label: 'judged against a rubric', needs: 'rubric' },
]

export function kindLabel(type: string): string {
  return kinds.find((k) => k.type === type)?.label ?? type
}

function AssertionRow({ a, n, onChange, onRemove }: { a: EvalAssertion; n: number; onChange: (a: EvalAssertion) => void; onRemove: () => void }) {
  const needs = kinds.find((k) => k.type === a.type)?.needs ?? 'text'
  return (
    <div className="row eval-assertion" aria-label={`Check ${n}`}>
      <select aria-label={`Check ${n} kind`} value={a.type} onChange={(e) => onChange({ type: e.target.value })}>
        {kinds.map((k) => (
          <option key={k.type} value={k.type}>
            {k.label}
          </option>
        ))}
      </select>
      {(needs === 'text' || needs === 'similar' || needs === 'rubric') && (
        <input
          aria-label={`Check ${n} value`}
          value={a.value ?? ''}
          placeholder={needs === 'rubric' ? 'What a good answer does' : needs === 'similar' ? 'Reference answer' : 'Text'}
          onChange={(e) => onChange({ ...a, value: e.target.value })}
        />
      )}
      {needs === 'phrases' && (
        <input
          aria-label={`Check ${n} facts`}
          value={(a.values ?? []).join('; ')}
          placeholder="Facts, separated by ;"
          onChange={(e) => onChange({ ...a, values: e.target.value.split(';').map((s) => s.trim()).filter(Boolean) })}
        />
      )}
      {needs === 'words' && (
        <>
          <input aria-label={`Check ${n} at least`} type="number" min={0} value={a.min ?? 0} onChange={(e) => onChange({ ...a, min: Math.max(0, Math.trunc(Number(e.target.value))) })} />
          <input aria-label={`Check ${n} at most`} type="number" min={0} value={a.max ?? 0} onChange={(e) => onChange({ ...a, max: Math.max(0, Math.trunc(Number(e.target.value))) })} />
        </>
      )}
      {(needs === 'similar' || needs === 'rubric') && (
        <input
          aria-label={`Check ${n} threshold`}
          type="number"
          min={0}
          max={1}
          step={0.05}
          value={a.threshold ?? ''}
          placeholder={needs === 'similar' ? '0.8' : 'any score'}
          onChange={(e) => onChange({ ...a, threshold: e.target.value === '' ? undefined : Number(e.target.value) })}
        />
      )}
      <button aria-label={`Remove check ${n}`} onClick={onRemove}>
        ✕
      </button>
    </div>
  )
}

// CaseEditor writes one case: the player's line (and earlier lines for a conversation), and
// the checks its answer must pass, chosen from a list.
export function CaseEditor({ initial, onSave, onCancel }: { initial?: EvalCase; onSave: (c: EvalCase) => Promise<unknown>; onCancel: () => void }) {
  const [c, setC] = useState<EvalCase>(initial ?? { message: '', assert: [{ type: 'icontains', value: '' }] })
  const [saving, setSaving] = useState(false)
  const set = (i: number, a: EvalAssertion | null) => {
    const assert = [...c.assert]
    if (a) assert[i] = a
    else assert.splice(i, 1)
    setC({ ...c, assert })
  }
  return (
    <div className="form eval-case-editor" aria-label="Case editor">
      <label>
        Description
        <input aria-label="Case description" value={c.description ?? ''} onChange={(e) => setC({ ...c, description: e.target.value })} />
      </label>
      <label>
        Earlier player lines (one per line; each is answered first)
        <textarea aria-label="Earlier lines" rows={2} value={(c.turns ?? []).join('\n')} onChange={(e) => setC({ ...c, turns: e.target.value.split('\n').filter((s) => s.trim()) })} />
      </label>
      <label>
        The player says
        <input aria-label="Player's line" value={c.message} onChange={(e) => setC({ ...c, message: e.target.value })} />
      </label>
      <div className="eval-assertions">
        <span className="muted small">The answer must:</span>
        {c.assert.map((a, i) => (
          <AssertionRow key={i} n={i + 1} a={a} onChange={(x) => set(i, x)} onRemove={() => set(i, null)} />
        ))}
        <button onClick={() => setC({ ...c, assert: [...c.assert, { type: 'in-character' }] })}>Add check</button>
      </div>
      <div className="row">
        <button
          className="primary"
          disabled={saving || !c.message.trim() || c.assert.length === 0}
          onClick={() => {
            setSaving(true)
            void onSave(c).finally(() => setSaving(false))
          }}
        >
          Save case
        </button>
        <button onClick={onCancel}>Cancel</button>
      </div>
    </div>
  )
}
