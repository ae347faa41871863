import { describe, expect, it } from 'vitest'
import { scrollToRow, visibleRows } from './rows'

describe('visibleRows', () => {
  it('renders the rows in view and the overscan, within the records', () => {
    expect(visibleRows(0, 340, 34, 10_000, 5)).toEqual({ first: 0, end: 15 })
    expect(visibleRows(34 * 100 + 10, 340, 34, 10_000, 5)).toEqual({ first: 95, end: 116 })
    expect(visibleRows(34 * 9_995, 340, 34, 10_000, 5)).toEqual({ first: 9_990, end: 10_000 })
  })
  it('copes with no rows and a scroll past the end', () => {
    expect(visibleRows(0, 340, 34, 0, 5)).toEqual({ first: 0, end: 0 })
    expect(visibleRows(1e9, 340, 34, 3, 5)).toEqual({ first: 0, end: 3 })
  })
})

describe('scrollToRow', () => {
  it('leaves a row already in view where it is', () => {
    expect(scrollToRow(12, 340, 340, 34, 10_000)).toBe(340)
  })
  it('brings a row a third of the way down the view', () => {
    expect(scrollToRow(5_000, 0, 600, 34, 10_000)).toBe(5_000 * 34 - 200)
  })
  it('stops at the top and at the bottom', () => {
    expect(scrollToRow(1, 10_000, 600, 34, 10_000)).toBe(0)
    expect(scrollToRow(9_999, 0, 600, 34, 10_000)).toBe(10_000 * 34 - 600)
  })
})
