import { Problem } from '../../components/Problem'
import { useEffect, useRef, useState } from 'react'
import { personas, type AppError, type PersonaVersion, type persona } from '../../bridge'
import { useDebounced } from './debounce'

export const PAGE_SIZE = 50

// The first page is asked for as soon as the studio's script runs, alongside the shell's
// start-up calls, and is usually there when the list first renders: the landing list then
// paints in the shell's first frame instead of a round trip later. It is used once.
let firstPage: Promise<persona.PersonaPage | null> | null = null
let firstPageReady: persona.PersonaPage | null = null
if (landingOnPersonas()) {
  firstPage = personas.list('', 0, PAGE_SIZE).then(
    (p) => (firstPageReady = p),
    () => null,
  )
}

function takeFirstPage(): { ready: persona.PersonaPage | null; pending: Promise<persona.PersonaPage | null> | null } {
  const out = { ready: firstPageReady, pending: firstPageReady ? null : firstPage }
  firstPage = firstPageReady = null
  return out
}

function landingOnPersonas(): boolean {
  if (typeof window === 'undefined' || !('go' in window)) return false
  const h = window.location.hash.replace(/^#\/?/, '')
  return h === '' || h === 'personas'
}

// PersonaList is the searchable, paged list of the workspace's personas.
export function PersonaList(props: {
  selectedId: string | null
  onSelect: (id: string) => void
  onCreated: (v: PersonaVersion) => void
  // onFirst is told the first persona when nothing is selected, so the editor is not empty.
  onFirst: (id: string) => void
  refreshKey: number
  unsaved: ReadonlySet<string>
}) {
  const { selectedId, onSelect, onCreated, onFirst, refreshKey, unsaved } = props
  const [query, setQuery] = useState('')
  const [offset, setOffset] = useState(0)
  const [early] = useState(takeFirstPage)
  const [page, setPage] = useState<persona.PersonaPage | null>(early.ready)
  const [error, setError] = useState<AppError | null>(null)
  const [naming, setNaming] = useState(false)
  const [name, setName] = useState('')
  const q = useDebounced(query, 150)
  const selected = useRef(selectedId)
  selected.current = selectedId

  useEffect(() => setOffset(0), [q])
  const firstLoad = useRef(true)
  useEffect(() => {
    const first = firstLoad.current && !q && offset === 0
    firstLoad.current = false
    if (first && early.ready) return // already on screen
    let live = true
    ;((first && early.pending) || Promise.resolve(null))
      .then((p) => p ?? personas.list(q, offset, PAGE_SIZE))
      .then((p) => {
        if (!live) return
        setPage(p)
        setError(null)
      })
      .catch((e: AppError) => live && setError(e))
    return () => {
      live = false
    }
  }, [q, offset, refreshKey, early])

  // Open the first persona when none is open, so the editor is not empty; after the list
  // is on screen, so that the editor's first render never holds the list's first paint.
  const first = page?.items[0]?.id
  useEffect(() => {
    if (!first || selected.current) return
    let timer: ReturnType<typeof setTimeout> | undefined
    const frame = requestAnimationFrame(() => {
      timer = setTimeout(() => {
        if (!selected.current) onFirst(first)
      })
    })
    return () => {
      cancelAnimationFrame(frame)
      clearTimeout(timer)
    }
  }, [first, onFirst])

  const create = () => {
    personas
      .create(name)
      .then((v) => {
        setNaming(false)
        setName('')
        setQuery('')
        onCreated(v)
      })
      .catch(setError)
  }

  // A new page starts at its top.
  const rows = useRef<HTMLUListElement>(null)
  const shownOffset = page?.offset ?? 0
  useEffect(() => {
    rows.current?.closest('.personas-side')?.scrollTo({ top: 0 })
  }, [shownOffset])

  const items = page?.items ?? []
  const last = Math.min(offset + items.length, page?.total ?? 0)
  return (
    <div className="persona-list">
      <div className="row between">
        <h1>Personas</h1>
        <button className="primary" onClick={() => setNaming(true)}>
          New
        </button>
      </div>
      {naming && (
        <form
          className="row"
          aria-label="New persona"
          onSubmit={(e) => {
            e.preventDefault()
            create()
          }}
        >
          <input autoFocus aria-label="New persona name" placeholder="Name" value={name} onChange={(e) => setName(e.target.value)} />
          <button className="primary" type="submit" disabled={!name.trim()}>
            Create
          </button>
          <button type="button" onClick={() => setNaming(false)}>
            Cancel
          </button>
        </form>
      )}
      <input type="search" aria-label="Search personas" placeholder="Search name, role, tag…" value={query} onChange={(e) => setQuery(e.target.value)} />
      <Problem error={error} className="small" />
      {page && page.total === 0 && <p className="empty small">{q ? `No persona matches “${q}”.` : 'No personas yet. Create one, or import a Character Card below.'}</p>}
      <ul className="persona-rows" aria-label="Personas" ref={rows}>
        {items.map((p, i) => (
          <li key={p.id}>
            <button className={`persona-row${p.id === selectedId ? ' active' : ''}`} aria-current={p.id === selectedId ? 'true' : undefined} onClick={() => onSelect(p.id)}>
              {/* elementtiming lets the browser report when the first row is painted: the
                  list's time to first paint, measured in e2e/personas.e2e.ts */}
              <span className="persona-name" {...(i === 0 ? { elementtiming: 'persona-list-first-row' } : {})}>
                {p.name}
                {unsaved.has(p.id) && (
                  <span className="unsaved" title="unsaved changes" aria-label="unsaved changes">
                    {' '}
                    •
                  </span>
                )}
              </span>
              {(p.role || (p.tags?.length ?? 0) > 0) && <span className="persona-role">{p.role || p.tags?.join(', ')}</span>}
            </button>
          </li>
        ))}
      </ul>
      {page && page.total > PAGE_SIZE && (
        <div className="row between pager">
          <button disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE_SIZE))} aria-label="Previous page">
            ‹
          </button>
          <span className="muted small">
            {offset + 1}–{last} of {page.total.toLocaleString()}
          </span>
          <button disabled={last >= page.total} onClick={() => setOffset(offset + PAGE_SIZE)} aria-label="Next page">
            ›
          </button>
        </div>
      )}
    </div>
  )
}
