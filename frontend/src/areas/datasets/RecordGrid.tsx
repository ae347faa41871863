import { Problem } from '../../components/Problem'
import { memo, useCallback, useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react'
import { datasets, type AppError, type dataset, type DatasetData, type RecordData, type RecordView } from '../../bridge'
import { canEditInCell, cellText, columnOfField, columns, withCell, type Column, type Severity } from './records'
import { formatCount } from '../../format'
import { RecordEditor } from './RecordEditor'
import { scrollToRow, visibleRows } from './rows'
import { useRecordPages, type GridFilter } from './useRecordPages'

// The grid is virtualised by hand (rows.ts, pages.ts, about 100 lines with their tests) rather
// than with a library: rows have one fixed height, so the visible range is a division, and the
// part a library would not do for us — paging records from Go, jumping to a line, patching an
// edited row — is most of the work either way.
export const ROW_HEIGHT = 36
const OVERSCAN = 8

export interface JumpRequest {
  line: number
  // field is the problem's field, whose cell gets the focus.
  field: string
  seq: number
}

export type LineMarks = Map<number, { severity: Severity; problems: { field: string; message: string }[] }>

interface RecordGridProps {
  dataset: DatasetData
  filter: GridFilter
  reload: number
  marks: LineMarks
  jump: JumpRequest | null
  selected: ReadonlySet<string>
  onToggle: (id: string) => void
  // onChanged reports the version an edit made.
  onChanged: (v: dataset.Version) => void
  // onReload fetches the latest version again, after the dataset changed under the grid.
  onReload: () => void
}

interface CellRef {
  index: number
  col: Column
}

export function RecordGrid({ dataset: ds, filter, reload, marks, jump, selected, onToggle, onChanged, onReload }: RecordGridProps) {
  const pages = useRecordPages(ds.id, filter, reload)
  const body = useRef<HTMLDivElement>(null)
  const [scrollTop, setScrollTop] = useState(0)
  const [viewport, setViewport] = useState(600)
  const [highlight, setHighlight] = useState(0)
  const [focusCell, setFocusCell] = useState<{ line: number; col: Column | null } | null>(null)
  const [edit, setEdit] = useState<CellRef | null>(null)
  const [drawer, setDrawer] = useState<RecordView | null>(null)
  const [saving, setSaving] = useState(false)
  const [error, setError] = useState<AppError | null>(null)
  const total = pages.total ?? 0

  useLayoutEffect(() => {
    const el = body.current
    if (!el) return
    const ro = new ResizeObserver(() => setViewport(el.clientHeight))
    ro.observe(el)
    setViewport(el.clientHeight)
    return () => ro.disconnect()
  }, [])

  // A new dataset, filter or reload starts at the top.
  useEffect(() => {
    if (body.current) body.current.scrollTop = 0
    setScrollTop(0)
    setEdit(null)
  }, [ds.id, filter.tag, filter.text, reload])

  // A record open in the drawer when the grid reloads (after a conflict, an import) is of an
  // older version, and so is an error about saving it.
  useEffect(() => {
    setDrawer(null)
    setError(null)
  }, [ds.id, reload])

  const range = visibleRows(scrollTop, viewport, ROW_HEIGHT, total, OVERSCAN)
  const { show, locate, rowAt, replace, version } = pages
  // Before the first page the total is unknown: ask for the first screen.
  const first = range.first
  const end = total === 0 ? Math.ceil(viewport / ROW_HEIGHT) + OVERSCAN : range.end
  useEffect(() => show({ first, end }), [show, first, end])

  // A jump runs once per request (its seq), with the pages of the filter it was made under.
  useEffect(() => {
    if (!jump) return
    let live = true
    locate(jump.line)
      .then((at) => {
        const el = body.current
        if (!live || !at || !el) return
        el.scrollTop = scrollToRow(at.index, el.scrollTop, el.clientHeight, ROW_HEIGHT, at.total)
        setScrollTop(el.scrollTop)
        setHighlight(jump.line)
        const view = rowAt(at.index)
        setFocusCell({ line: jump.line, col: view ? columnOfField(jump.field, view) : null })
      })
      .catch((e: AppError) => live && setError(e))
    return () => {
      live = false
    }
  }, [jump?.seq])

  // Once the jumped-to row is drawn, put the focus on the cell with the problem.
  useEffect(() => {
    if (!focusCell || !body.current) return
    const row = body.current.querySelector<HTMLElement>(`[data-line="${focusCell.line}"]`)
    if (!row) return
    const cell = focusCell.col ? row.querySelector<HTMLElement>(`[data-col="${focusCell.col}"]`) : null
    ;(cell ?? row).focus({ preventScroll: true })
    setFocusCell(null)
  })

  const activate = useCallback(
    (index: number, col: Column) => {
      const view = rowAt(index)
      if (!view) return
      setError(null)
      if (canEditInCell(view, col)) setEdit({ index, col })
      else setDrawer(view)
    },
    [rowAt],
  )
  const cancel = useCallback(() => setEdit(null), [])
  const openRecord = useCallback(
    (index: number) => {
      const view = rowAt(index)
      if (view) setDrawer(view)
    },
    [rowAt],
  )

  const save = useCallback(
    async (view: RecordView, record: RecordData, tags: string[]) => {
      setSaving(true)
      setError(null)
      try {
        const v = await datasets.updateRecord(ds.id, version, view.id, record, tags)
        const fresh = await datasets.record(ds.id, v.number, view.id)
        replace(fresh, v.number)
        onChanged(v)
        return true
      } catch (e) {
        setError(e as AppError)
        return false
      } finally {
        setSaving(false)
      }
    },
    [ds.id, version, replace, onChanged],
  )

  const saveCell = useCallback(
    async (index: number, col: Column, text: string) => {
      const view = rowAt(index)
      if (!view || text === cellText(view, col)) {
        setEdit(null)
        return true
      }
      const { record, tags } = withCell(view, col, text)
      const ok = await save(view, record, tags)
      if (ok) setEdit(null)
      return ok
    },
    [rowAt, save],
  )

  // Rows are keyed by their slot in a fixed pool, not by record: a row scrolled out hands its
  // DOM nodes to the row scrolled in, so scrolling updates text instead of building rows.
  const pool = Math.ceil(viewport / ROW_HEIGHT) + 2 * OVERSCAN + 2
  const rows = []
  for (let i = range.first; i < range.end; i++) {
    const view = rowAt(i)
    rows.push(
      <RecordRow
        key={i % pool}
        index={i}
        view={view}
        mark={view ? marks.get(view.line) : undefined}
        selected={view ? selected.has(view.id) : false}
        highlight={view !== undefined && view.line === highlight}
        editing={edit?.index === i ? edit.col : null}
        busy={saving && edit?.index === i}
        onActivate={activate}
        onOpen={openRecord}
        onSave={saveCell}
        onCancel={cancel}
        onToggle={onToggle}
      />,
    )
  }
  const shownFirst = total === 0 ? 0 : Math.min(total, Math.floor(scrollTop / ROW_HEIGHT) + 1)
  const shownLast = Math.min(total, Math.floor((scrollTop + viewport) / ROW_HEIGHT))
  const filtered = filter.text !== '' || filter.tag !== ''

  return (
    <div className="record-grid">
      <div className="grid-row grid-head" role="row" aria-rowindex={1}>
        <span role="columnheader" aria-label="Selected" />
        <span role="columnheader">Line</span>
        {columns.map((c) => (
          <span key={c.id} role="columnheader">
            {c.label}
          </span>
        ))}
        <span role="columnheader" className="num">
          Tokens
        </span>
      </div>
      <div
        className="grid-body"
        ref={body}
        role="grid"
        aria-label="Records"
        aria-rowcount={total + 1}
        onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      >
        <div className="grid-spacer" style={{ height: total * ROW_HEIGHT }} role="rowgroup">
          {rows}
        </div>
        {pages.total === 0 && (
          <p className="empty grid-empty">{filtered ? 'No records match.' : 'No records yet. Import a JSON Lines or CSV file to start.'}</p>
        )}
      </div>
      <div className="grid-foot muted small" role="status">
        {pages.total === null ? (
          'Loading records…'
        ) : (
          <>
            Lines {formatCount(shownFirst)}–{formatCount(shownLast)} of {formatCount(total)}
            {filtered ? ' matching' : ''} · version {pages.version}
            {saving && ' · saving…'}
          </>
        )}
        {(error ?? pages.error) && (
          <>
            <Problem error={(error ?? pages.error) as AppError} className="inline" />
            {/* Pressing it must not leave an open cell editor, which would save on the stale version again. */}
            <button onMouseDown={(e) => e.preventDefault()} onClick={onReload} title="Show the latest version of the records">
              Reload
            </button>
          </>
        )}
      </div>
      {drawer && (
        <RecordEditor
          view={drawer}
          busy={saving}
          onClose={() => setDrawer(null)}
          onSave={async (record, tags) => {
            if (await save(drawer, record, tags)) setDrawer(null)
          }}
        />
      )}
    </div>
  )
}

interface RecordRowProps {
  index: number
  view: RecordView | undefined
  mark: { severity: Severity; problems: { field: string; message: string }[] } | undefined
  selected: boolean
  highlight: boolean
  editing: Column | null
  busy: boolean
  onActivate: (index: number, col: Column) => void
  onOpen: (index: number) => void
  onSave: (index: number, col: Column, text: string) => Promise<boolean>
  onCancel: () => void
  onToggle: (id: string) => void
}

const RecordRow = memo(function RecordRow({ index, view, mark, selected, highlight, editing, busy, onActivate, onOpen, onSave, onCancel, onToggle }: RecordRowProps) {
  const style = { transform: `translateY(${index * ROW_HEIGHT}px)` }
  if (!view) {
    return (
      <div className="grid-row placeholder" role="row" aria-rowindex={index + 2} style={style}>
        <span />
        <span className="mono muted">…</span>
      </div>
    )
  }
  const cls = ['grid-row', mark ? `mark-${mark.severity}` : '', highlight ? 'highlight' : '', selected ? 'selected' : '', editing ? 'editing' : '']
  const onKey = (col: Column) => (e: KeyboardEvent) => {
    if (e.key === 'Enter' || e.key === 'F2') {
      e.preventDefault()
      onActivate(index, col)
    }
  }
  return (
    <div
      className={cls.filter(Boolean).join(' ')}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      aria-current={highlight ? 'true' : undefined}
      data-line={view.line}
      tabIndex={-1}
      style={style}
    >
      <span role="gridcell">
        <input type="checkbox" aria-label={`Select line ${view.line}`} checked={selected} onChange={() => onToggle(view.id)} />
      </span>
      <span role="gridcell" className="mono line-cell" title={mark?.problems.map((p) => (p.field ? `${p.field}: ${p.message}` : p.message)).join('\n')}>
        {mark && <span className={`mark-dot is-${mark.severity}`} aria-label={mark.severity === 'error' ? 'has errors' : 'has warnings'} />}
        <button className="link-button" onClick={() => onOpen(index)} aria-label={`Open line ${view.line}`}>
          {view.line}
        </button>
      </span>
      {columns.map((c) => (
        <span
          key={c.id}
          role="gridcell"
          className={`cell cell-${c.id}`}
          data-col={c.id}
          tabIndex={0}
          aria-label={`${c.label}, line ${view.line}`}
          onDoubleClick={() => onActivate(index, c.id)}
          onKeyDown={onKey(c.id)}
        >
          {editing === c.id ? (
            <CellEditor initial={cellText(view, c.id)} busy={busy} label={`Edit ${c.label.toLowerCase()} of line ${view.line}`} onSave={(text) => onSave(index, c.id, text)} onCancel={onCancel} />
          ) : (
            <span className="cell-text">{cellText(view, c.id)}</span>
          )}
        </span>
      ))}
      <span role="gridcell" className="num mono">
        {view.tokens}
      </span>
    </div>
  )
})

interface CellEditorProps {
  initial: string
  label: string
  busy: boolean
  // onSave resolves false when the edit was not saved; the editor then stays open.
  onSave: (text: string) => Promise<boolean>
  onCancel: () => void
}

// CellEditor edits one cell over the rows below it: Enter saves, Shift+Enter breaks the line,
// Escape cancels, leaving the cell saves.
function CellEditor({ initial, label, busy, onSave, onCancel }: CellEditorProps) {
  const [text, setText] = useState(initial)
  const done = useRef(false)
  // Closed from outside (a reload after a conflict), the editor does not save as it goes:
  // this runs before its textarea leaves the page and blurs.
  useLayoutEffect(
    () => () => {
      done.current = true
    },
    [],
  )
  const finish = (save: boolean) => {
    if (done.current) return
    done.current = true
    if (!save) return onCancel()
    onSave(text).then((ok) => {
      done.current = ok
    })
  }
  return (
    <textarea
      className="cell-editor"
      aria-label={label}
      autoFocus
      value={text}
      readOnly={busy}
      onFocus={(e) => e.currentTarget.setSelectionRange(e.currentTarget.value.length, e.currentTarget.value.length)}
      onChange={(e) => setText(e.target.value)}
      onKeyDown={(e) => {
        e.stopPropagation()
        if (e.key === 'Enter' && !e.shiftKey) {
          e.preventDefault()
          finish(true)
        } else if (e.key === 'Escape') {
          e.preventDefault()
          finish(false)
        }
      }}
      onBlur={() => finish(true)}
      onDoubleClick={(e) => e.stopPropagation()}
    />
  )
}
