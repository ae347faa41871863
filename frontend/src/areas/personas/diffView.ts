// Helpers to show a persona diff (app.PersonaDiff) the way a writer reads it.

export interface Segment {
  op: string // equal | insert | delete
  text: string
}

// A piece is a segment as shown: equal text far from a change is elided.
export interface Piece {
  op: 'equal' | 'insert' | 'delete' | 'elided'
  text: string
}

const labels: Record<string, string> = {
  name: 'Name',
  nickname: 'Nickname',
  role: 'Role',
  description: 'Description and backstory',
  personality: 'Personality',
  speechStyle: 'Speech style',
  scenario: 'Scenario',
  firstGreeting: 'First greeting',
  alternateGreetings: 'Alternate greetings',
  groupGreetings: 'Group greetings',
  exampleDialogue: 'Example dialogue',
  goals: 'Goals',
  relationships: 'Relationship',
  knowledge: 'Knowledge',
  'knowledge.boundaries': 'Knows and must not know',
  'knowledge.loreCollections': 'Lore collections',
  safetyNotes: 'Safety notes',
  tags: 'Tags',
  systemPrompt: 'System prompt (card)',
  postHistoryInstructions: 'Post-history instructions (card)',
  creatorNotes: 'Creator notes',
  creator: 'Creator',
  characterVersion: 'Character version',
  extensions: 'Extensions',
  lorebook: 'Lorebook',
  templateId: 'Template',
  template: 'Own template',
  'template.system': 'Own template: system',
  'template.turn': 'Own template: turn',
  'template.name': 'Own template: name',
  avatarId: 'Image',
}

// fieldLabel names a diff path in the writer's words: "relationships[1].notes" is
// "Relationship 2: notes", "template.params.maxTokens" is "Own template: params.maxTokens".
export function fieldLabel(path: string): string {
  const exact = labels[path]
  if (exact) return exact
  const m = /^([A-Za-z]+)\[(\d+)\](?:\.(.+))?$/.exec(path)
  if (m) {
    const [, list = '', index = '0', rest] = m
    const base = (labels[list] ?? list).replace(/s$/, '')
    return `${base} ${Number(index) + 1}${rest ? `: ${rest}` : ''}`
  }
  const dot = path.indexOf('.')
  if (dot > 0) {
    const head = path.slice(0, dot)
    const base = labels[head]
    if (base) return `${base}: ${path.slice(dot + 1)}`
  }
  return path
}

// pieces turns segments into what the diff shows: changes whole, and equal text with at most
// `context` characters either side of a change (cut at a space when one is near).
export function pieces(segments: Segment[], context = 120): Piece[] {
  const out: Piece[] = []
  segments.forEach((s, i) => {
    if (s.op === 'insert' || s.op === 'delete') {
      out.push({ op: s.op, text: s.text })
      return
    }
    const first = i === 0
    const last = i === segments.length - 1
    const t = s.text
    const keep = (first ? 0 : context) + (last ? 0 : context)
    if (t.length <= keep + 20) {
      out.push({ op: 'equal', text: t })
      return
    }
    if (!first) out.push({ op: 'equal', text: cutEnd(t.slice(0, context)) })
    out.push({ op: 'elided', text: '…' })
    if (!last) out.push({ op: 'equal', text: cutStart(t.slice(t.length - context)) })
  })
  return out
}

function cutEnd(s: string): string {
  const i = s.lastIndexOf(' ')
  return i > s.length / 2 ? s.slice(0, i + 1) : s
}

function cutStart(s: string): string {
  const i = s.indexOf(' ')
  return i >= 0 && i < s.length / 2 ? s.slice(i) : s
}

// wordCounts counts the words inserted and deleted, for a field's summary.
export function wordCounts(segments: Segment[]): { inserted: number; deleted: number } {
  let inserted = 0
  let deleted = 0
  for (const s of segments) {
    const n = s.text.split(/\s+/).filter(Boolean).length
    if (s.op === 'insert') inserted += n
    if (s.op === 'delete') deleted += n
  }
  return { inserted, deleted }
}
