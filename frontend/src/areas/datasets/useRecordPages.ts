import { useCallback, useMemo, useReducer, useRef, useState } from 'react'
import { datasets, type AppError, type RecordView } from '../../bridge'
import { PageCache } from './pages'
import type { RowRange } from './rows'

// PAGE_SIZE records are fetched at a time: a screen of rows is about 20, so one page covers
// several screens of scrolling, and a page of 200 is about 60 KB of JSON.
export const PAGE_SIZE = 200

// At most this many page requests are in flight: fast scrolling asks only for what is in view
// when a request returns, not for every page scrolled past.
const MAX_IN_FLIGHT = 2

export interface GridFilter {
  text: string
  tag: string
}

export interface RecordPages {
  // total is the number of records matching the filter; null until the first page arrives.
  total: number | null
  // version is the dataset version the rows show.
  version: number
  error: AppError | null
  rowAt: (index: number) => RecordView | undefined
  // show asks for the rows of a range (the visible rows and the overscan).
  show: (range: RowRange) => void
  // locate fetches the page holding a line and returns the row index of the line (or of the
  // first record after it that matches the filter) and the rows' total, or null if there is none.
  locate: (line: number) => Promise<{ index: number; total: number } | null>
  // replace puts an edited record in place after an edit made version.
  replace: (view: RecordView, version: number) => void
}

// useRecordPages pages a dataset's records from Go into a PageCache as the grid scrolls.
// reload changes to drop every page (after an import, a replace, a dedupe).
export function useRecordPages(datasetId: string, filter: GridFilter, reload: number): RecordPages {
  const key = `${datasetId}\u0000${filter.tag}\u0000${filter.text}\u0000${reload}`
  // A new cache for each key: answers to requests of an old key land in the old cache, unseen.
  const cache = useMemo(() => {
    const c = new PageCache<RecordView>(PAGE_SIZE)
    c.reset(key)
    return c
  }, [key])
  const [, rerender] = useReducer((n: number) => n + 1, 0)
  const [error, setError] = useState<AppError | null>(null)
  const wanted = useRef<RowRange>({ first: 0, end: 0 })

  const pump = useCallback(() => {
    while (cache.inFlight < MAX_IN_FLIGHT) {
      const page = cache.missing(wanted.current.first, wanted.current.end)[0]
      if (page === undefined) return
      cache.fetching(page, true)
      datasets
        .page({ datasetId, offset: page * PAGE_SIZE, limit: PAGE_SIZE, tag: filter.tag, text: filter.text })
        .then((p) => {
          if (cache.version !== 0 && p.version !== cache.version) {
            // The dataset changed under the grid (another window, the command line): start over.
            cache.reset(cache.key)
          }
          cache.put(p.offset, p.records, p.total, p.version)
          setError(null)
          rerender()
          pump()
        })
        .catch((e: AppError) => {
          cache.fetching(page, false)
          setError(e)
        })
    }
  }, [cache, datasetId, filter.tag, filter.text])

  const show = useCallback(
    (range: RowRange) => {
      wanted.current = range
      cache.touch(range.first, range.end)
      pump()
    },
    [cache, pump],
  )

  const locate = useCallback(
    async (line: number) => {
      const p = await datasets.page({ datasetId, line, limit: PAGE_SIZE, tag: filter.tag, text: filter.text })
      cache.put(p.offset, p.records, p.total, p.version)
      rerender()
      const k = p.records.findIndex((r) => r.line >= line)
      return k < 0 ? null : { index: p.offset + k, total: p.total }
    },
    [cache, datasetId, filter.tag, filter.text],
  )

  const replace = useCallback(
    (view: RecordView, version: number) => {
      cache.update((r) => r.id === view.id, () => view)
      cache.version = version
      rerender()
    },
    [cache],
  )

  const rowAt = useCallback((i: number) => cache.get(i), [cache])

  return { total: cache.total, version: cache.version, error, rowAt, show, locate, replace }
}
