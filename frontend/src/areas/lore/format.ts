import type { ChunkOptions, ChunkStrategy, EmbedProgress, LoreChunk } from '../../bridge'

export const strategies: { id: ChunkStrategy; label: string; detail: string }[] = [
  { id: 'paragraphs', label: 'Headings and paragraphs', detail: 'keeps headings with their section and paragraphs whole, up to the size; short sections share a chunk with the next ones' },
  { id: 'fixed', label: 'Fixed size with overlap', detail: 'windows of a fixed size; the overlap repeats at the start of the next one' },
  { id: 'cloud', label: "The cloud's rule", detail: "1,024 characters, no overlap: exactly what the team's hydration job indexes" },
]

// defaultChunking is a strategy with its default size and overlap (as lore.ChunkOptions.Normalize).
export function defaultChunking(strategy: ChunkStrategy): ChunkOptions {
  switch (strategy) {
    case 'fixed':
      return { strategy, size: 1000, overlap: 100, unit: 'chars' }
    case 'cloud':
      return { strategy, size: 1024, overlap: 0, unit: 'chars' }
    default:
      return { strategy, size: 1200, overlap: 0, unit: 'chars' }
  }
}

export function chunkingLabel(o: ChunkOptions): string {
  switch (o.strategy) {
    case 'cloud':
      return "cloud rule (1,024 characters, no overlap)"
    case 'fixed':
      return `fixed ${o.size} ${o.unit ?? 'chars'}, overlap ${o.overlap ?? 0}`
    default:
      return `paragraphs up to ${o.size} ${o.unit ?? 'chars'}`
  }
}

// parseTagText reads "key=value, key2=value2" into tags; a piece without '=' is an error.
export function parseTagText(text: string): { tags: Record<string, string>; error: string } {
  const tags: Record<string, string> = {}
  for (const piece of text.split(',')) {
    const p = piece.trim()
    if (!p) continue
    const i = p.indexOf('=')
    if (i <= 0) return { tags, error: `"${p}" is not key=value` }
    tags[p.slice(0, i).trim()] = p.slice(i + 1).trim()
  }
  return { tags, error: '' }
}

export function tagText(tags: Record<string, string> | undefined | null): string {
  return Object.entries(tags ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`)
    .join(', ')
}

const utf8 = new TextEncoder()
const fromUtf8 = new TextDecoder()

// overlapText is the start of chunk that repeats the end of the chunk before it: offsets are
// bytes of the document's UTF-8 text, so the cut is made on bytes.
export function overlapText(prev: LoreChunk | undefined, chunk: LoreChunk): string {
  if (!prev || chunk.start >= prev.end) return ''
  const bytes = utf8.encode(chunk.text)
  const text = fromUtf8.decode(bytes.slice(0, Math.min(bytes.length, prev.end - chunk.start)))
  return chunk.text.startsWith(text) ? text : ''
}

export function embedLabel(p: EmbedProgress): string {
  switch (p.state) {
    case 'ready':
      return `vectors ready (${p.embedder})`
    case 'embedding':
      return `embedding ${p.done} of ${p.total} chunks`
    case 'paused':
      return `embedding paused at ${p.done} of ${p.total} chunks`
    case 'failed':
      return `embedding failed: ${p.error ?? ''}`
    default:
      return 'keyword search only'
  }
}

// parseFloor reads the relevance floor a writer typed: a number from 0 (off) to under 1.
export function parseFloor(text: string): { value: number; error: string } {
  const t = text.trim().replace(',', '.')
  const value = Number(t)
  if (t === '' || !Number.isFinite(value)) return { value: 0, error: 'type a number from 0 to 0.99' }
  if (value < 0 || value >= 1) return { value, error: 'the floor is from 0 (off) to under 1' }
  return { value, error: '' }
}
