import { describe, expect, it } from 'vitest'
import { emptyColumns, FrameQueue, mergeParts } from './stream'
import { formatUsd, replyFacts } from './facts'

describe('mergeParts', () => {
  it('appends each column’s text in order and keeps untouched columns as they were', () => {
    const start = emptyColumns(3)
    const a = mergeParts(start, [
      { column: 0, text: 'Well' },
      { column: 2, text: 'Aye' },
    ])
    const b = mergeParts(a, [
      { column: 0, text: ' met' },
      { column: 0, text: ',' },
      { column: 2, text: '.' },
    ])
    expect(b.map((c) => c.text)).toEqual(['Well met,', '', 'Aye.'])
    expect(b[1]).toBe(start[1])
    expect(b[0]?.batches).toBe(3)
    expect(a[0]?.text).toBe('Well') // the earlier state is not changed
  })
  it('gathers citations and notices once each, and drops parts of unknown columns', () => {
    const cite = { id: '1', doc: 'harbour.md', chunk: 2, score: 0.9, text: 'The harbour freezes.' }
    const out = mergeParts(emptyColumns(1), [
      { column: 0, notices: ['no lore'], citations: [cite] },
      { column: 0, notices: ['no lore'] },
      { column: 5, text: 'lost' },
    ])
    expect(out).toHaveLength(1)
    expect(out[0]?.citations).toEqual([cite])
    expect(out[0]?.notices).toEqual(['no lore'])
  })
  it('returns the same columns for no parts', () => {
    const cols = emptyColumns(2)
    expect(mergeParts(cols, [])).toBe(cols)
  })
})

describe('FrameQueue', () => {
  it('hands on everything that arrived between two frames in one flush', () => {
    const frames: (() => void)[] = []
    const flushed: string[][] = []
    const q = new FrameQueue(
      (parts) => flushed.push(parts.map((p) => p.text ?? '')),
      (cb) => frames.push(cb),
      () => undefined,
    )
    q.push([{ column: 0, text: 'a' }])
    q.push([{ column: 0, text: 'b' }, { column: 1, text: 'c' }])
    expect(frames).toHaveLength(1) // one frame asked for, however many batches
    frames[0]?.()
    expect(flushed).toEqual([['a', 'b', 'c']])
    q.push([{ column: 0, text: 'd' }])
    q.drain() // the stream ended: no waiting for the frame
    expect(flushed).toEqual([['a', 'b', 'c'], ['d']])
    q.cancel()
  })
})

describe('replyFacts', () => {
  it('says what made a reply and how it came', () => {
    const facts = replyFacts({
      v: 1, id: 'm2', parentId: 'm1', role: 'assistant', text: 'Aye.', created: '',
      provider: 'local', model: 'llama3.1:8b', mode: 'rag', templateId: 'default', templateVersion: 1,
      firstTokenMs: 120, usage: { inputTokens: 310, outputTokens: 5, estimated: true }, costUsd: 0.000105,
    })
    expect(facts).toEqual(['local', 'llama3.1:8b', 'RAG', 'template default v1', '120 ms to first token', '≈310 → ≈5 tokens', '≈ $0.00011'])
    expect(formatUsd(1.2)).toBe('1.20')
    expect(formatUsd(0.031)).toBe('0.031')
  })
})
