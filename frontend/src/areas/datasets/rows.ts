// Row math of the virtualised record grid. Every row has the same height, so which rows are in
// view is arithmetic on the scroll position; the grid renders only those plus an overscan.

export interface RowRange {
  // first is the first row to render; end is one past the last.
  first: number
  end: number
}

export function visibleRows(scrollTop: number, viewport: number, rowHeight: number, total: number, overscan: number): RowRange {
  if (total <= 0 || rowHeight <= 0) return { first: 0, end: 0 }
  const top = Math.max(0, Math.floor(scrollTop / rowHeight))
  const bottom = Math.ceil((scrollTop + Math.max(viewport, 0)) / rowHeight)
  return { first: Math.max(0, Math.min(top, total - 1) - overscan), end: Math.min(total, bottom + overscan) }
}

// scrollToRow returns the scroll position that shows row index, or the current one when the
// row is already fully in view. A row brought into view is placed a third of the way down, so
// the rows before it give context.
export function scrollToRow(index: number, current: number, viewport: number, rowHeight: number, total: number): number {
  const top = index * rowHeight
  if (top >= current && top + rowHeight <= current + viewport) return current
  const max = Math.max(0, total * rowHeight - viewport)
  return Math.min(max, Math.max(0, Math.round(top - viewport / 3)))
}
