// How a record shows in the grid's cells, and how a cell edit changes it. A record is a system
// prompt and turns; the grid shows the exchange (the player's prompt, the NPC's reply) and opens
// the record editor for anything longer.
import type { DatasetPairReport, DatasetProblem, RecordData, RecordView } from '../../bridge'

export type Column = 'system' | 'prompt' | 'reply' | 'tags'

export const columns: { id: Column; label: string }[] = [
  { id: 'system', label: 'System prompt' },
  { id: 'prompt', label: 'Prompt' },
  { id: 'reply', label: 'Reply' },
  { id: 'tags', label: 'Tags' },
]

// isExchange reports whether the record is one user turn and the assistant's reply, which the
// grid edits in place.
export function isExchange(r: RecordData): boolean {
  return r.messages.length === 2 && r.messages[0]?.role === 'user' && r.messages[1]?.role === 'assistant'
}

export function cellText(v: RecordView, col: Column): string {
  const r = v.record
  const n = r.messages.length
  switch (col) {
    case 'system':
      return r.system
    case 'tags':
      return v.tags.join(', ')
    case 'prompt':
      if (isExchange(r)) return r.messages[0]?.content ?? ''
      if (n === 0) return ''
      // The turn the reply answers, with how many came before.
      return `${n} turns · ${lastOf(r, 'user')}`
    case 'reply':
      return r.messages[n - 1]?.role === 'assistant' ? (r.messages[n - 1]?.content ?? '') : ''
  }
}

function lastOf(r: RecordData, role: string): string {
  for (let i = r.messages.length - 1; i >= 0; i--) {
    const m = r.messages[i]
    if (m?.role === role) return m.content
  }
  return ''
}

// canEditInCell reports whether a cell can be edited in place; otherwise the record editor opens.
export function canEditInCell(v: RecordView, col: Column): boolean {
  const r = v.record
  switch (col) {
    case 'system':
    case 'tags':
      return true
    case 'prompt':
      return isExchange(r)
    case 'reply':
      return r.messages.length > 0 && r.messages[r.messages.length - 1]?.role === 'assistant'
  }
}

export function parseTags(text: string): string[] {
  const out: string[] = []
  for (const t of text.split(/[,;]/)) {
    const tag = t.trim()
    if (tag && !out.includes(tag)) out.push(tag)
  }
  return out
}

// withCell returns the record and tags after a cell edit.
export function withCell(v: RecordView, col: Column, text: string): { record: RecordData; tags: string[] } {
  const record: RecordData = { ...v.record, messages: v.record.messages.map((m) => ({ ...m })) }
  let tags = [...v.tags]
  const n = record.messages.length
  switch (col) {
    case 'system':
      record.system = text
      break
    case 'tags':
      tags = parseTags(text)
      break
    case 'prompt': {
      const first = record.messages[0]
      if (first) first.content = text
      break
    }
    case 'reply': {
      const last = record.messages[n - 1]
      if (last) last.content = text
      break
    }
  }
  return { record, tags }
}

export type Severity = 'error' | 'warning'

// problemsByLine indexes a report's problems by the version line they are on (0, the whole
// dataset, is left out); an error outranks a warning on the same line.
export function problemsByLine(report: DatasetPairReport | null): Map<number, { severity: Severity; problems: DatasetProblem[] }> {
  const out = new Map<number, { severity: Severity; problems: DatasetProblem[] }>()
  if (!report) return out
  const add = (p: DatasetProblem, severity: Severity) => {
    if (p.line <= 0) return
    const e = out.get(p.line)
    if (!e) out.set(p.line, { severity, problems: [p] })
    else {
      e.problems.push(p)
      if (severity === 'error') e.severity = 'error'
    }
  }
  for (const r of [report.training, report.validation]) {
    if (!r) continue
    r.errors.forEach((p) => add(p, 'error'))
    r.warnings.forEach((p) => add(p, 'warning'))
  }
  return out
}

// clip cuts a long text to what a side panel shows.
export function clip(s: string, most = 160): string {
  return s.length > most ? `${s.slice(0, most - 3)}…` : s
}

// columnOfField is the grid column that shows a problem's field ("messages[1].content",
// "completion"), or null when only the record editor shows it.
export function columnOfField(field: string, v: RecordView): Column | null {
  if (field === '') return null
  if (field === 'system' || field.startsWith('system[') || field.startsWith('system.')) return 'system'
  if (field === 'prompt' || field === 'input') return 'prompt'
  if (field === 'completion' || field === 'output') return 'reply'
  const m = /^messages\[(\d+)\]/.exec(field)
  if (!m) return null
  const i = Number(m[1])
  const n = v.record.messages.length
  if (i === n - 1 && canEditInCell(v, 'reply')) return 'reply'
  if (i === 0 && isExchange(v.record)) return 'prompt'
  return null
}
