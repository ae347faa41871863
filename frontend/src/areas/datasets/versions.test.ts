import { describe, expect, it } from 'vitest'
import type { DatasetDiff, RecordView } from '../../bridge'
import { diffSummary, fieldChanges } from './versions'

const before: RecordView = {
  id: 'r11',
  line: 11,
  source: 'ada.jsonl line 12',
  tokens: 9,
  tags: [],
  record: { format: 'claude-messages', system: 'You are Ada.', messages: [{ role: 'user', content: 'And the stew?' }, { role: 'assistant', content: '' }] },
}
const after: RecordView = {
  ...before,
  tags: ['fixed'],
  record: { ...before.record, messages: [{ role: 'user', content: 'And the stew?' }, { role: 'assistant', content: 'Rabbit stew tonight.' }] },
}

describe('fieldChanges', () => {
  it('lists the changed fields of an exchange as the grid names them', () => {
    expect(fieldChanges(before, after)).toEqual([
      { field: 'messages[1].content', label: 'Reply', before: '', after: 'Rabbit stew tonight.' },
      { field: 'tags', label: 'Tags', before: '', after: 'fixed' },
    ])
  })

  it('names the turns of a conversation, and a turn whose role changed', () => {
    const long: RecordView = {
      ...before,
      record: {
        format: 'claude-messages',
        system: '',
        messages: [
          { role: 'user', content: 'Hi' },
          { role: 'assistant', content: 'Hello.' },
          { role: 'user', content: 'A room?' },
          { role: 'assistant', content: 'Two silver.' },
        ],
      },
    }
    const edited: RecordView = {
      ...long,
      record: { ...long.record, messages: [{ role: 'user', content: 'Hi' }, { role: 'user', content: 'Hello.' }, { role: 'user', content: 'A room?' }] },
    }
    expect(fieldChanges(long, edited)).toEqual([
      { field: 'messages[1].role', label: 'Turn 2 role', before: 'NPC', after: 'player' },
      { field: 'messages[3].content', label: 'Turn 4 (NPC)', before: 'Two silver.', after: '' },
    ])
  })

  it('lists the fields with text of an added or removed record', () => {
    expect(fieldChanges(undefined, after).map((f) => [f.label, f.before, f.after])).toEqual([
      ['System prompt', '', 'You are Ada.'],
      ['Prompt', '', 'And the stew?'],
      ['Reply', '', 'Rabbit stew tonight.'],
      ['Tags', '', 'fixed'],
    ])
    expect(fieldChanges(before, undefined).map((f) => f.label)).toEqual(['System prompt', 'Prompt'])
  })

  it('finds nothing when only the format differs', () => {
    expect(fieldChanges(before, { ...before, record: { ...before.record, format: 'bedrock-conversation' } })).toEqual([])
  })
})

describe('diffSummary', () => {
  const d: DatasetDiff = { from: 1, to: 2, added: 0, removed: 0, changed: 0, changes: [] }
  it('counts the records', () => {
    expect(diffSummary(d)).toBe('No records differ.')
    expect(diffSummary({ ...d, changed: 1 })).toBe('1 record changed, 0 added, 0 removed.')
    expect(diffSummary({ ...d, changed: 1200, added: 3, removed: 1 })).toBe('1,200 records changed, 3 added, 1 removed.')
  })
})
