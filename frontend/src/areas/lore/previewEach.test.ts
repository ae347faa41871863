import { describe, expect, it } from 'vitest'
import type { ChunkPreview } from '../../bridge'
import { fileName, previewEach, type FilePreview } from './previewEach'

const cutOf = (bytes: number) => ({ bytes, total: 1, chunks: [], chunking: { strategy: 'paragraphs' } }) as unknown as ChunkPreview

describe('previewEach', () => {
  it('cuts every file in order, keeps going past one that fails, and reports each as it lands', async () => {
    const seen: string[][] = []
    const cut = (p: string) => (p.endsWith('bad.pdf') ? Promise.reject({ code: 'no_text_layer', message: `${p} has no text layer` }) : Promise.resolve(cutOf(p.length)))
    const out = await previewEach(['/w/a.md', '/w/bad.pdf', '/w/c.txt'], cut, (l: FilePreview[]) => seen.push(l.map((f) => f.path)))
    expect(out.map((f) => f.path)).toEqual(['/w/a.md', '/w/bad.pdf', '/w/c.txt'])
    expect(out[0]?.preview?.bytes).toBe(7)
    expect(out[1]?.error).toEqual({ code: 'no_text_layer', message: '/w/bad.pdf has no text layer' })
    expect(out[2]?.preview?.bytes).toBe(8)
    expect(seen).toEqual([['/w/a.md'], ['/w/a.md', '/w/bad.pdf'], ['/w/a.md', '/w/bad.pdf', '/w/c.txt']])
  })
  it('stops when the run is stale', async () => {
    let calls = 0
    const cut = () => {
      calls++
      return Promise.resolve(cutOf(1))
    }
    const out = await previewEach(['/a', '/b', '/c'], cut, () => {}, () => calls >= 1)
    expect(calls).toBe(1)
    expect(out).toHaveLength(1)
  })
  it('names files by their last part', () => {
    expect(fileName('/home/a/bible/ember-court.md')).toBe('ember-court.md')
    expect(fileName('/home/a/bible/')).toBe('bible')
    expect(fileName('C:\\lore\\x.txt')).toBe('x.txt')
  })
})
