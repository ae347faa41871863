// PageCache keeps the pages of records the grid has fetched from Go, so scrolling back is
// instant and a 10,000-record dataset is never held whole: at most maxPages pages are kept,
// the least recently used going first.

export function pageOf(row: number, pageSize: number): number {
  return Math.floor(row / pageSize)
}

export class PageCache<T> {
  // key names what the pages are of (dataset, filter); version is the dataset version they show.
  key = ''
  version = 0
  total: number | null = null
  private pages = new Map<number, T[]>()
  private pending = new Set<number>()

  constructor(
    readonly pageSize: number,
    readonly maxPages = 30,
  ) {}

  // reset forgets every page, for another dataset, filter or version.
  reset(key: string): void {
    this.key = key
    this.version = 0
    this.total = null
    this.pages.clear()
    this.pending.clear()
  }

  get(row: number): T | undefined {
    const page = this.pages.get(pageOf(row, this.pageSize))
    return page?.[row % this.pageSize]
  }

  has(page: number): boolean {
    return this.pages.has(page)
  }

  // put stores a page that starts at row offset (a page boundary).
  put(offset: number, rows: T[], total: number, version: number): void {
    const p = pageOf(offset, this.pageSize)
    this.pending.delete(p)
    this.pages.delete(p)
    this.pages.set(p, rows)
    this.total = total
    this.version = version
    while (this.pages.size > this.maxPages) {
      const oldest = this.pages.keys().next().value
      if (oldest === undefined) break
      this.pages.delete(oldest)
    }
  }

  // touch marks the pages of rows first..end-1 as recently used.
  touch(first: number, end: number): void {
    for (let p = pageOf(first, this.pageSize); p <= pageOf(Math.max(first, end - 1), this.pageSize); p++) {
      const rows = this.pages.get(p)
      if (rows) {
        this.pages.delete(p)
        this.pages.set(p, rows)
      }
    }
  }

  // missing lists the pages rows first..end-1 need that are neither kept nor being fetched,
  // nearest to the middle of the range first.
  missing(first: number, end: number): number[] {
    if (end <= first) return []
    const out: number[] = []
    const lastRow = this.total === null ? end - 1 : Math.min(end, this.total) - 1
    for (let p = pageOf(first, this.pageSize); p <= pageOf(Math.max(first, lastRow), this.pageSize); p++) {
      if (!this.pages.has(p) && !this.pending.has(p)) out.push(p)
    }
    const mid = pageOf((first + end) / 2, this.pageSize)
    return out.sort((a, b) => Math.abs(a - mid) - Math.abs(b - mid))
  }

  fetching(page: number, on: boolean): void {
    if (on) this.pending.add(page)
    else this.pending.delete(page)
  }

  get inFlight(): number {
    return this.pending.size
  }

  // update changes one kept row in place (an edit whose new version leaves the others as they are).
  update(match: (row: T) => boolean, change: (row: T) => T): boolean {
    for (const rows of this.pages.values()) {
      const i = rows.findIndex(match)
      const row = rows[i]
      if (row !== undefined) {
        rows[i] = change(row)
        return true
      }
    }
    return false
  }
}
