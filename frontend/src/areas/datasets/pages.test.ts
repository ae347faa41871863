import { describe, expect, it } from 'vitest'
import { PageCache, pageOf } from './pages'

const rows = (offset: number, n: number) => Array.from({ length: n }, (_, i) => ({ line: offset + i + 1 }))

describe('PageCache', () => {
  it('finds rows in their pages', () => {
    const c = new PageCache<{ line: number }>(200)
    c.put(200, rows(200, 200), 10_000, 3)
    expect(c.get(250)).toEqual({ line: 251 })
    expect(c.get(199)).toBeUndefined()
    expect(c.total).toBe(10_000)
    expect(c.version).toBe(3)
    expect(pageOf(399, 200)).toBe(1)
  })

  it('asks for the missing pages nearest the middle first, once', () => {
    const c = new PageCache<{ line: number }>(200)
    c.put(0, rows(0, 200), 10_000, 1)
    expect(c.missing(150, 700)).toEqual([2, 1, 3])
    c.fetching(2, true)
    expect(c.missing(150, 700)).toEqual([1, 3])
    expect(c.inFlight).toBe(1)
    c.put(400, rows(400, 200), 10_000, 1)
    expect(c.inFlight).toBe(0)
    expect(c.missing(150, 700)).toEqual([1, 3])
  })

  it('asks for nothing past the last record', () => {
    const c = new PageCache<{ line: number }>(200)
    c.put(0, rows(0, 200), 250, 1)
    expect(c.missing(0, 400)).toEqual([1])
    c.put(200, rows(200, 50), 250, 1)
    expect(c.missing(0, 400)).toEqual([])
  })

  it('keeps at most maxPages, dropping the least recently used', () => {
    const c = new PageCache<{ line: number }>(10, 3)
    c.put(0, rows(0, 10), 100, 1)
    c.put(10, rows(10, 10), 100, 1)
    c.put(20, rows(20, 10), 100, 1)
    c.touch(0, 5) // page 0 is in view again
    c.put(30, rows(30, 10), 100, 1)
    expect(c.has(0)).toBe(true)
    expect(c.has(1)).toBe(false)
    expect(c.has(3)).toBe(true)
  })

  it('patches an edited row and forgets everything on reset', () => {
    const c = new PageCache<{ line: number; text?: string }>(10)
    c.put(0, rows(0, 10), 10, 1)
    expect(c.update((r) => r.line === 4, (r) => ({ ...r, text: 'fixed' }))).toBe(true)
    expect(c.get(3)).toEqual({ line: 4, text: 'fixed' })
    expect(c.update((r) => r.line === 40, (r) => r)).toBe(false)
    c.reset('other')
    expect(c.get(3)).toBeUndefined()
    expect(c.total).toBeNull()
    expect(c.key).toBe('other')
  })
})
