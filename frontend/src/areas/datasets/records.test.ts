import { describe, expect, it } from 'vitest'
import type { DatasetPairReport, RecordView } from '../../bridge'
import { canEditInCell, cellText, columnOfField, parseTags, problemsByLine, withCell } from './records'
import { formatBytes } from '../../format'

const exchange: RecordView = {
  id: 'r1',
  line: 1,
  source: 'ada.jsonl line 1',
  tokens: 10,
  tags: ['greeting'],
  record: { format: 'claude-messages', system: 'You are Ada.', messages: [{ role: 'user', content: 'Hello?' }, { role: 'assistant', content: 'Well met.' }] },
}

const conversation: RecordView = {
  ...exchange,
  id: 'r2',
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

describe('cells', () => {
  it('shows an exchange as prompt and reply, editable in place', () => {
    expect(cellText(exchange, 'prompt')).toBe('Hello?')
    expect(cellText(exchange, 'reply')).toBe('Well met.')
    expect(cellText(exchange, 'tags')).toBe('greeting')
    expect(canEditInCell(exchange, 'prompt')).toBe(true)
  })
  it('summarises a longer conversation and sends its prompt to the editor', () => {
    expect(cellText(conversation, 'prompt')).toBe('4 turns · A room?')
    expect(cellText(conversation, 'reply')).toBe('Two silver.')
    expect(canEditInCell(conversation, 'prompt')).toBe(false)
    expect(canEditInCell(conversation, 'reply')).toBe(true)
  })
  it('edits a copy, never the cached record', () => {
    const { record, tags } = withCell(conversation, 'reply', 'Three silver.')
    expect(record.messages[3]?.content).toBe('Three silver.')
    expect(conversation.record.messages[3]?.content).toBe('Two silver.')
    expect(tags).toEqual(['greeting'])
    expect(withCell(exchange, 'tags', 'a, b;a ,, c').tags).toEqual(['a', 'b', 'c'])
    expect(withCell(exchange, 'prompt', 'Hi!').record.messages[0]?.content).toBe('Hi!')
    expect(withCell(exchange, 'system', '').record.system).toBe('')
  })
  it('parses tags separated by commas or semicolons', () => {
    expect(parseTags(' lore ; price,lore ')).toEqual(['lore', 'price'])
  })
})

describe('problemsByLine', () => {
  it('indexes problems of both sets by line, errors first', () => {
    const empty = { records: 0, tokens: { min: 0, max: 0, mean: 0, p50: 0, p95: 0, total: 0 }, longest: [], bytes: 0 }
    const report: DatasetPairReport = {
      valid: false,
      training: {
        valid: false, format: 'claude-messages', records: 3, errorCount: 2, warningCount: 1, truncated: false, stats: empty,
        errors: [{ line: 0, field: '', message: 'too few records' }, { line: 2, field: 'messages[1].content', message: 'is empty' }],
        warnings: [{ line: 2, field: '', message: 'duplicate of line 1' }],
      },
      validation: {
        valid: true, format: 'claude-messages', records: 1, errorCount: 0, warningCount: 1, truncated: false, stats: empty,
        errors: [], warnings: [{ line: 3, field: '', message: 'short reply' }],
      },
    }
    const m = problemsByLine(report)
    expect([...m.keys()]).toEqual([2, 3])
    expect(m.get(2)?.severity).toBe('error')
    expect(m.get(2)?.problems).toHaveLength(2)
    expect(m.get(3)?.severity).toBe('warning')
    expect(problemsByLine(null).size).toBe(0)
  })
})

describe('columnOfField', () => {
  it('finds the cell a problem is in', () => {
    expect(columnOfField('messages[1].content', exchange)).toBe('reply')
    expect(columnOfField('messages[0].role', exchange)).toBe('prompt')
    expect(columnOfField('messages[1].content', conversation)).toBeNull()
    expect(columnOfField('messages[3].content', conversation)).toBe('reply')
    expect(columnOfField('system[0].text', exchange)).toBe('system')
    expect(columnOfField('completion', exchange)).toBe('reply')
    expect(columnOfField('', exchange)).toBeNull()
  })
})

it('writes sizes as writers read them', () => {
  expect(formatBytes(512)).toBe('512 bytes')
  expect(formatBytes(1536)).toBe('1.5 KB')
  expect(formatBytes(100 * 2 ** 20)).toBe('100 MB')
})
