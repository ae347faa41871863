import type { Citation, StreamPart } from '../../bridge'

// ColumnStream is what one column (a chat has one) has streamed so far.
export interface ColumnStream {
  text: string
  citations: Citation[]
  notices: string[]
  // batches counts the batches (parts) that arrived
  batches: number
}

export function emptyColumns(n: number): ColumnStream[] {
  return Array.from({ length: n }, () => ({ text: '', citations: [], notices: [], batches: 0 }))
}

// mergeParts folds batched parts (Go sends one every ~40 ms, and several may wait for the
// next frame) into the columns, in order. Columns that got nothing keep their identity, so
// React skips re-rendering them. Parts for columns out of range are dropped.
export function mergeParts(columns: readonly ColumnStream[], parts: readonly StreamPart[]): ColumnStream[] {
  if (parts.length === 0) return columns as ColumnStream[]
  const out = columns.slice()
  for (const p of parts) {
    const cur = out[p.column]
    if (!cur) continue
    const notices = p.notices?.filter((n) => !cur.notices.includes(n)) ?? []
    out[p.column] = {
      text: p.text ? cur.text + p.text : cur.text,
      citations: p.citations?.length ? [...cur.citations, ...p.citations] : cur.citations,
      notices: notices.length ? [...cur.notices, ...notices] : cur.notices,
      batches: cur.batches + 1,
    }
  }
  return out
}

// FrameQueue gathers parts as they arrive and hands them on once a frame: however many
// events come between two frames, React renders once.
export class FrameQueue {
  private pending: StreamPart[] = []
  private handle: number | null = null

  constructor(
    private readonly flush: (parts: StreamPart[]) => void,
    private readonly schedule: (cb: () => void) => number = (cb) => requestAnimationFrame(cb),
    private readonly unschedule: (h: number) => void = (h) => cancelAnimationFrame(h),
  ) {}

  push(parts: readonly StreamPart[]): void {
    this.pending.push(...parts)
    if (this.handle === null) this.handle = this.schedule(() => this.drain())
  }

  // drain hands on what is waiting now (at the end of a stream, before its result shows).
  drain(): void {
    if (this.handle !== null) {
      this.unschedule(this.handle)
      this.handle = null
    }
    if (this.pending.length === 0) return
    const parts = this.pending
    this.pending = []
    this.flush(parts)
  }

  cancel(): void {
    if (this.handle !== null) this.unschedule(this.handle)
    this.handle = null
    this.pending = []
  }
}
