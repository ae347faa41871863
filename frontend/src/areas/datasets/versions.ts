// How a record that changed between two versions shows in the Versions panel: the fields that
// differ, named as the grid names them, each with its text before and after.
import type { DatasetDiff, RecordData, RecordView } from '../../bridge'
import { isExchange } from './records'
import { formatCount, plural } from '../../format'

export interface FieldChange {
  // field is the path the validator uses (system, messages[1].content, tags), so a jump can
  // put the focus on the cell that shows it.
  field: string
  label: string
  before: string
  after: string
}

const noRecord: RecordData = { format: '', system: '', messages: [] }

function roleName(role: string): string {
  return role === 'user' ? 'player' : role === 'assistant' ? 'NPC' : role
}

// fieldChanges lists the fields that differ from before to after. An added record has no
// before and a removed one no after: their fields that have text are listed against nothing.
export function fieldChanges(before: RecordView | undefined, after: RecordView | undefined): FieldChange[] {
  const b = before?.record ?? noRecord
  const a = after?.record ?? noRecord
  // A prompt and its reply show as the grid's Prompt and Reply columns when both sides are one.
  const exchange = (!before || isExchange(b)) && (!after || isExchange(a))
  const turnLabel = (i: number, role: string) => (exchange ? (i === 0 ? 'Prompt' : 'Reply') : `Turn ${i + 1} (${roleName(role)})`)
  const out: FieldChange[] = []
  const add = (field: string, label: string, x: string, y: string) => {
    if (x !== y) out.push({ field, label, before: x, after: y })
  }
  add('system', 'System prompt', b.system, a.system)
  for (let i = 0; i < Math.max(b.messages.length, a.messages.length); i++) {
    const x = b.messages[i]
    const y = a.messages[i]
    if (x && y && x.role !== y.role) add(`messages[${i}].role`, `Turn ${i + 1} role`, roleName(x.role), roleName(y.role))
    add(`messages[${i}].content`, turnLabel(i, (y ?? x)?.role ?? ''), x?.content ?? '', y?.content ?? '')
  }
  add('tags', 'Tags', (before?.tags ?? []).join(', '), (after?.tags ?? []).join(', '))
  return out
}

// diffSummary counts a diff's records in a sentence.
export function diffSummary(d: DatasetDiff): string {
  if (d.added + d.removed + d.changed === 0) return 'No records differ.'
  return `${plural(d.changed, 'record')} changed, ${formatCount(d.added)} added, ${formatCount(d.removed)} removed.`
}
