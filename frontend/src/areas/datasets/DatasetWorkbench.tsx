import { Problem } from '../../components/Problem'
import { useCallback, useEffect, useMemo, useState } from 'react'
import { datasets, type AppError, type BaseModel, type dataset, type DatasetData, type ImportResult, type SplitOptions } from '../../bridge'
import { DatasetSettings } from './DatasetSettings'
import { DuplicatesPanel } from './DuplicatesPanel'
import { ExportPanel } from './ExportPanel'
import { FindReplacePanel } from './FindReplacePanel'
import { ImportPanel } from './ImportPanel'
import { RecordGrid, type JumpRequest } from './RecordGrid'
import { parseTags, problemsByLine } from './records'
import { formatCount, plural } from '../../format'
import { formatLabel, modelName } from './targets'
import type { GridFilter } from './useRecordPages'
import { ValidationPanel, type CheckedReport } from './ValidationPanel'
import { VersionsPanel } from './VersionsPanel'

const tools = [
  { id: 'check', label: 'Check' },
  { id: 'import', label: 'Import' },
  { id: 'replace', label: 'Find & replace' },
  { id: 'duplicates', label: 'Duplicates' },
  { id: 'export', label: 'Export' },
  { id: 'versions', label: 'Versions' },
  { id: 'settings', label: 'Settings' },
] as const

type ToolId = (typeof tools)[number]['id']

interface DatasetWorkbenchProps {
  initial: DatasetData
  models: BaseModel[]
  onBack: () => void
  onDeleted: () => void
}

// DatasetWorkbench is one dataset: the record grid, and beside it the tools that change or
// check the records.
export function DatasetWorkbench({ initial, models, onBack, onDeleted }: DatasetWorkbenchProps) {
  const [ds, setDs] = useState(initial)
  const [tool, setTool] = useState<ToolId>(initial.records === 0 ? 'import' : 'check')
  const [search, setSearch] = useState('')
  const [filter, setFilter] = useState<GridFilter>({ text: '', tag: '' })
  const [tags, setTags] = useState<dataset.TagCount[]>([])
  const [reload, setReload] = useState(0)
  const [jump, setJump] = useState<JumpRequest | null>(null)
  const [checked, setChecked] = useState<CheckedReport | null>(null)
  const [split, setSplit] = useState<SplitOptions | null>(null)
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set())
  const [error, setError] = useState<AppError | null>(null)
  const model = models.find((m) => m.id === ds.baseModel)

  const loadTags = useCallback(() => {
    datasets
      .tags(ds.id)
      .then(setTags)
      .catch((e: AppError) => setError(e))
  }, [ds.id])
  // Every new version may change the tags (an import, a tag cell edited in the grid).
  useEffect(loadTags, [loadTags, ds.head])

  // The search waits for a pause in typing, so the grid does not refetch on every key.
  useEffect(() => {
    const t = setTimeout(() => setFilter((f) => (f.text === search ? f : { ...f, text: search })), 250)
    return () => clearTimeout(t)
  }, [search])

  const marks = useMemo(() => problemsByLine(checked?.report ?? null), [checked])

  const jumpTo = useCallback((line: number, field: string) => {
    // Problems are on version lines: show every record so the line is there.
    setSearch('')
    setFilter({ text: '', tag: '' })
    setJump((j) => ({ line, field, seq: (j?.seq ?? 0) + 1 }))
  }, [])

  // An edit in the grid changes one record: the pages stay, the dataset moves to the new version.
  const onEdited = useCallback((v: dataset.Version) => {
    setDs((d) => ({ ...d, head: v.number, records: v.records, updatedAt: v.createdAt }))
  }, [])

  // A change to many records (import, replace, dedupe, tags) reloads the grid.
  const onBulkChange = useCallback((v: dataset.Version) => {
    setDs((d) => ({ ...d, head: v.number, records: v.records, updatedAt: v.createdAt }))
    setSelected(new Set())
    setReload((r) => r + 1)
  }, [])

  // After the dataset changed elsewhere (another window, the command line) the grid's edits
  // are refused as conflicts: this shows the latest version instead.
  const reloadLatest = useCallback(() => {
    datasets
      .get(ds.id)
      .then((d) => {
        setError(null)
        setDs(d)
        setSelected(new Set())
        setReload((r) => r + 1)
      })
      .catch((e: AppError) => setError(e))
  }, [ds.id])

  const toggle = useCallback((id: string) => {
    setSelected((s) => {
      const n = new Set(s)
      if (n.has(id)) n.delete(id)
      else n.add(id)
      return n
    })
  }, [])

  return (
    <section className="page dataset-page">
      <header className="page-head">
        <div>
          <button className="link-button back" onClick={onBack}>
            ← Datasets
          </button>
          <h1>{ds.name}</h1>
          <p className="muted">
            {modelName(models, ds.baseModel)} · {formatLabel(ds.format)} · {plural(ds.records, 'record')} · version {ds.head}
          </p>
        </div>
      </header>
      <div className="dataset-body">
        <div className="grid-pane">
          <GridToolbar
            search={search}
            onSearch={setSearch}
            tag={filter.tag}
            tags={tags}
            onTag={(tag) => setFilter((f) => ({ ...f, tag }))}
            dataset={ds}
            selected={selected}
            onClear={() => setSelected(new Set())}
            onChanged={onBulkChange}
            onReload={reloadLatest}
          />
          <Problem error={error} />
          <RecordGrid dataset={ds} filter={filter} reload={reload} marks={marks} jump={jump} selected={selected} onToggle={toggle} onChanged={onEdited} onReload={reloadLatest} />
        </div>
        <aside className="side" aria-label="Dataset tools">
          <div className="tabs side-tabs" role="tablist">
            {tools.map((t) => (
              <button key={t.id} role="tab" aria-selected={tool === t.id} className={tool === t.id ? 'active' : ''} onClick={() => setTool(t.id)}>
                {t.label}
              </button>
            ))}
          </div>
          <div className="side-body">
            {tool === 'check' && <ValidationPanel dataset={ds} model={model} split={split} checked={checked} onChecked={setChecked} onJump={jumpTo} />}
            {tool === 'import' && (
              <ImportPanel dataset={ds} onImported={(r: ImportResult) => onBulkChange(r.version)} />
            )}
            {tool === 'replace' && <FindReplacePanel dataset={ds} onApplied={onBulkChange} onJump={jumpTo} />}
            {tool === 'duplicates' && <DuplicatesPanel dataset={ds} onApplied={onBulkChange} onJump={jumpTo} />}
            {tool === 'export' && <ExportPanel dataset={ds} split={split} onSplit={setSplit} />}
            {tool === 'versions' && <VersionsPanel dataset={ds} onJump={jumpTo} />}
            {tool === 'settings' && (
              <DatasetSettings
                dataset={ds}
                models={models}
                onSaved={(d) => {
                  setDs(d)
                  setChecked(null)
                }}
                onDeleted={onDeleted}
              />
            )}
          </div>
        </aside>
      </div>
    </section>
  )
}

interface GridToolbarProps {
  search: string
  onSearch: (s: string) => void
  tag: string
  tags: dataset.TagCount[]
  onTag: (t: string) => void
  dataset: DatasetData
  selected: ReadonlySet<string>
  onClear: () => void
  onChanged: (v: dataset.Version) => void
  onReload: () => void
}

// GridToolbar filters the grid and acts on the records chosen in it.
function GridToolbar({ search, onSearch, tag, tags, onTag, dataset: ds, selected, onClear, onChanged, onReload }: GridToolbarProps) {
  const [tagText, setTagText] = useState('')
  const [error, setError] = useState<AppError | null>(null)
  const act = (p: Promise<dataset.Version>) =>
    p
      .then((v) => {
        setError(null)
        setTagText('')
        onChanged(v)
      })
      .catch((e: AppError) => setError(e))
  const ids = [...selected]
  return (
    <div className="grid-toolbar">
      <div className="row">
        <input type="search" aria-label="Search records" placeholder="Search prompts, replies and tags" value={search} onChange={(e) => onSearch(e.target.value)} />
        <select aria-label="Filter by tag" value={tag} onChange={(e) => onTag(e.target.value)}>
          <option value="">All tags</option>
          {tags.map((t) => (
            <option key={t.tag} value={t.tag}>
              {t.tag} ({formatCount(t.records)})
            </option>
          ))}
        </select>
      </div>
      {selected.size > 0 && (
        <div className="row selection" role="group" aria-label="Chosen records">
          <span>{plural(selected.size, 'record')} chosen</span>
          <input aria-label="Tags to add or remove" value={tagText} onChange={(e) => setTagText(e.target.value)} placeholder="tag" />
          <button disabled={!tagText.trim()} onClick={() => act(datasets.tag(ds.id, ds.head, ids, parseTags(tagText), []))}>
            Add tag
          </button>
          <button disabled={!tagText.trim()} onClick={() => act(datasets.tag(ds.id, ds.head, ids, [], parseTags(tagText)))}>
            Remove tag
          </button>
          <button className="danger" onClick={() => act(datasets.deleteRecords(ds.id, ds.head, ids))}>
            Delete
          </button>
          <button onClick={onClear}>Clear</button>
        </div>
      )}
      {error && (
        <Problem error={error}>
          {error.code === 'conflict' && (
            <button
              className="inline-action"
              onClick={() => {
                setError(null)
                onReload()
              }}
            >
              Reload
            </button>
          )}
        </Problem>
      )}
    </div>
  )
}
