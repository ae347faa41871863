import { describe, expect, it } from 'vitest'
import { activePath, siblingsOf, withActive } from './tree'

// greeting g; the player's line u1 with answers a1, a2 (swipes); an edited line u2 (a branch)
// with its answer b1; a1 continued by u3.
const msgs = [
  { id: 'g', parentId: '' },
  { id: 'u1', parentId: 'g' },
  { id: 'a1', parentId: 'u1' },
  { id: 'a2', parentId: 'u1' },
  { id: 'u2', parentId: 'g' },
  { id: 'b1', parentId: 'u2' },
  { id: 'u3', parentId: 'a1' },
]

describe('activePath', () => {
  it('takes the newest child where nothing is marked', () => {
    expect(activePath(msgs, {})).toEqual(['g', 'u2', 'b1'])
  })
  it('follows the marked children', () => {
    expect(activePath(msgs, { g: 'u1', u1: 'a1' })).toEqual(['g', 'u1', 'a1', 'u3'])
    expect(activePath(msgs, { g: 'u1', u1: 'a2' })).toEqual(['g', 'u1', 'a2'])
  })
  it('falls back to the newest child when a mark names a missing message', () => {
    expect(activePath(msgs, { g: 'gone' })).toEqual(['g', 'u2', 'b1'])
  })
  it('is empty for an empty chat and never loops', () => {
    expect(activePath([], {})).toEqual([])
    expect(activePath([{ id: 'x', parentId: 'x' }], {})).toEqual([])
  })
})

describe('siblings', () => {
  it('counts the alternatives and steps between them', () => {
    expect(siblingsOf(msgs, 'a1')).toEqual({ index: 0, count: 2, prev: null, next: 'a2' })
    expect(siblingsOf(msgs, 'a2')).toEqual({ index: 1, count: 2, prev: 'a1', next: null })
    expect(siblingsOf(msgs, 'u2')).toEqual({ index: 1, count: 2, prev: 'u1', next: null })
    expect(siblingsOf(msgs, 'b1').count).toBe(1)
  })
  it('a swipe changes the path from that point on', () => {
    const active = withActive(msgs, { g: 'u1', u1: 'a2' }, 'a1')
    expect(active).toEqual({ g: 'u1', u1: 'a1' })
    expect(activePath(msgs, active)).toEqual(['g', 'u1', 'a1', 'u3'])
  })
})
