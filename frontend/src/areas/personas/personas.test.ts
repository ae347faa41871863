import { describe, expect, it } from 'vitest'
import { fieldLabel, pieces, wordCounts } from './diffView'
import { joinDialogue, splitDialogue } from './dialogue'
import { samePersona } from './draft'
import type { PersonaData } from '../../bridge'

describe('diff view', () => {
  it('names fields in the writer’s words', () => {
    expect(fieldLabel('speechStyle')).toBe('Speech style')
    expect(fieldLabel('knowledge.boundaries')).toBe('Knows and must not know')
    expect(fieldLabel('relationships[1].notes')).toBe('Relationship 2: notes')
    expect(fieldLabel('template.params.maxTokens')).toBe('Own template: params.maxTokens')
    expect(fieldLabel('lorebook.entries[0].content')).toBe('Lorebook: entries[0].content')
    expect(fieldLabel('somethingNew')).toBe('somethingNew')
  })

  it('keeps changes whole and elides equal text far from them', () => {
    const long = 'word '.repeat(100)
    const got = pieces(
      [
        { op: 'equal', text: long },
        { op: 'delete', text: 'gruff' },
        { op: 'insert', text: 'warm' },
        { op: 'equal', text: long },
      ],
      30,
    )
    expect(got.map((p) => p.op)).toEqual(['elided', 'equal', 'delete', 'insert', 'equal', 'elided'])
    expect(got[2]).toEqual({ op: 'delete', text: 'gruff' })
    expect(got[1]!.text.length).toBeLessThanOrEqual(30)
    expect(got[4]!.text.length).toBeLessThanOrEqual(30)
  })

  it('shows short equal text as it is', () => {
    const segs = [
      { op: 'equal', text: 'Gruff, ' },
      { op: 'insert', text: 'very ' },
      { op: 'equal', text: 'loyal.' },
    ]
    expect(pieces(segs)).toEqual(segs)
    expect(wordCounts(segs)).toEqual({ inserted: 1, deleted: 0 })
  })

  it('keeps the middle of a long equal run between two changes around both', () => {
    const got = pieces([{ op: 'insert', text: 'A' }, { op: 'equal', text: 'x '.repeat(200) }, { op: 'delete', text: 'B' }], 10)
    expect(got.map((p) => p.op)).toEqual(['insert', 'equal', 'elided', 'equal', 'delete'])
  })
})

describe('example dialogue', () => {
  it('splits on <START> lines and joins back', () => {
    const text = '<START>\n{{user}}: Hi.\n{{char}}: Hello.\n<START>\n{{user}}: Bye.'
    const ex = splitDialogue(text)
    expect(ex).toEqual(['{{user}}: Hi.\n{{char}}: Hello.', '{{user}}: Bye.'])
    expect(joinDialogue(ex)).toBe(text)
  })
  it('keeps text before the first <START> and empty exchanges', () => {
    expect(splitDialogue('Hi.\n<start>\nBye.')).toEqual(['Hi.', 'Bye.'])
    expect(splitDialogue('\n<START>\nBye.')).toEqual(['Bye.'])
    expect(splitDialogue('  ')).toEqual([])
    expect(joinDialogue(['A', ''])).toBe('<START>\nA\n<START>\n')
  })
  it('keeps a new line the writer is typing at the end of an exchange', () => {
    const typed = joinDialogue(['{{user}}: Hi.\n'])
    expect(splitDialogue(typed)).toEqual(['{{user}}: Hi.\n'])
    const cards = '<START>\nA\n\n<START>\nB'
    expect(joinDialogue(splitDialogue(cards))).toBe(cards)
  })
})

describe('drafts', () => {
  const saved = { id: 'm', name: 'Mira', knowledge: {}, goals: ['a'] } as unknown as PersonaData
  it('equal when only empty fields differ', () => {
    expect(samePersona(saved, { ...saved, role: '', tags: [], knowledge: { boundaries: '' } })).toBe(true)
  })
  it('different when a field changes', () => {
    expect(samePersona(saved, { ...saved, goals: ['a', 'b'] })).toBe(false)
    expect(samePersona(saved, { ...saved, name: 'Mira ' })).toBe(false)
  })
})

describe('extensions text', () => {
  it('is checked, never rewritten', async () => {
    const { extensionsProblem, sameDraft } = await import('./draft')
    expect(extensionsProblem('')).toBe('')
    expect(extensionsProblem('{"big": 12345678901234567890}')).toBe('')
    expect(extensionsProblem('[1]')).toBe('must be a JSON object')
    expect(extensionsProblem('{"a": }')).not.toBe('')
    const p = { id: 'm', name: 'Mira', knowledge: {} } as unknown as PersonaData
    expect(sameDraft({ persona: p, extensions: '{"a": 1}\n' }, { persona: p, extensions: '{"a": 1}' })).toBe(true)
    expect(sameDraft({ persona: p, extensions: '{"a": 1.0}' }, { persona: p, extensions: '{"a": 1}' })).toBe(false)
  })
})

describe('preview as text', () => {
  it('shows the single prompt of text families, else system and turns', async () => {
    const { asText } = await import('./previewText')
    const base = { family: 'llama3', mode: 'base', templateId: 'default', system: 'S', messages: [], body: '{}', tokens: 1 }
    expect(asText({ ...base, prompt: '<|begin_of_text|>…' } as never)).toEqual([{ label: 'Prompt', text: '<|begin_of_text|>…' }])
    const chat = { ...base, messages: [{ role: 'user', text: 'Hi' }, { role: 'assistant', text: 'Hello' }] }
    expect(asText(chat as never).map((b) => b.label)).toEqual(['System', 'Player (user)', 'NPC (assistant)'])
  })
})
