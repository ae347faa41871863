import type { PersonaData } from '../../bridge'

// Draft is what the editor edits: the persona, and its extensions as JSON text.
export interface Draft {
  persona: PersonaData
  extensions: string
}

// canonical drops what Go's JSON leaves out (empty strings, lists and objects, false, 0) and
// sorts keys, so that a draft equals its saved version when the save would change nothing.
export function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical)
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {}
    for (const k of Object.keys(v).sort()) {
      const c = canonical((v as Record<string, unknown>)[k])
      if (c === '' || c === undefined || c === null || c === false || c === 0) continue
      if (Array.isArray(c) && c.length === 0) continue
      if (c && typeof c === 'object' && !Array.isArray(c) && Object.keys(c).length === 0) continue
      out[k] = c
    }
    return out
  }
  return v
}

export function samePersona(a: PersonaData, b: PersonaData): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b))
}

export function sameDraft(a: Draft, b: Draft): boolean {
  return a.extensions.trim() === b.extensions.trim() && samePersona(a.persona, b.persona)
}

// extensionsProblem says why extensions text is not a JSON object, or '' when it is (or is
// empty). It only checks: the text itself is what is saved, so numbers stay as typed.
export function extensionsProblem(text: string): string {
  if (!text.trim()) return ''
  try {
    const v: unknown = JSON.parse(text)
    return v && typeof v === 'object' && !Array.isArray(v) ? '' : 'must be a JSON object'
  } catch (e) {
    return e instanceof Error ? e.message : String(e)
  }
}
