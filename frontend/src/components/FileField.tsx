import { useEffect, useRef, useState, type ReactNode } from 'react'
import { inBrowserPage, onFileDrop, pick, upload, type FileFilter, type PickMode } from '../bridge/files'
import { toAppError, type AppError } from '../bridge/errors'
import { Problem } from './Problem'
import { acceptOf, acceptsDrop, matchesFilters, withPaths } from './fileField'

export type { FileFilter, PickMode }

// Filters the areas share.
export const filters = {
  cards: [{ name: 'Character cards (PNG, JSON, CHARX)', pattern: '*.png;*.json;*.charx' }],
  lore: [{ name: 'Lore (text, Markdown, PDF, Word, World Info)', pattern: '*.txt;*.md;*.markdown;*.pdf;*.docx;*.json' }],
  records: [{ name: 'Records (JSON Lines, CSV)', pattern: '*.jsonl;*.csv' }],
  jsonl: [{ name: 'JSON Lines', pattern: '*.jsonl' }],
  specs: [{ name: 'Scene specs (YAML, CSV)', pattern: '*.yaml;*.yml;*.csv' }],
  archives: [{ name: 'Workspace archives', pattern: '*.npcws' }],
  personas: [{ name: 'Persona (JSON)', pattern: '*.json' }],
  suites: [{ name: 'Test suites (promptfoo YAML)', pattern: '*.yaml;*.yml' }],
  worldInfo: [{ name: 'World Info (JSON)', pattern: '*.json' }],
} satisfies Record<string, FileFilter[]>

export interface FileFieldProps {
  // label names the field for the writer and for screen readers.
  label: string
  value: string
  onChange: (value: string) => void
  mode?: PickMode
  filters?: FileFilter[]
  placeholder?: string
  // suggestedName is the file name a save dialog proposes.
  suggestedName?: string
  invalid?: boolean
  disabled?: boolean
  // visibleLabel, when set, is shown above the field instead of label.
  visibleLabel?: ReactNode
  // onPicked runs after a Browse or a drop set the value (e.g. to start an import at once).
  onPicked?: (value: string) => void
}

// FileField is a path the writer types, picks with Browse… (the native dialog in the window,
// a file upload in the browser page) or drops onto it. Go checks the path (see app/paths.go),
// so the same bad path gets the same message everywhere.
export function FileField(props: FileFieldProps) {
  const mode = props.mode ?? 'open'
  const browser = inBrowserPage()
  const box = useRef<HTMLDivElement>(null)
  const input = useRef<HTMLInputElement>(null)
  const [busy, setBusy] = useState(false)
  const [over, setOver] = useState(false)
  const [problem, setProblem] = useState<AppError | null>(null)
  const latest = useRef(props)
  latest.current = props

  const take = (paths: string[]) => {
    if (paths.length === 0) return
    const p = latest.current
    const next = withPaths(p.value, paths, mode)
    setProblem(null)
    p.onChange(next)
    p.onPicked?.(next)
  }

  // Drops in the window come with their paths (Wails' file drop).
  useEffect(() => {
    const el = box.current
    if (!el || browser || props.disabled) return
    return onFileDrop(el, (paths) => take(paths))
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [browser, props.disabled])

  const uploadAll = async (files: File[]) => {
    const kept = files.filter((f) => matchesFilters(f.name, props.filters))
    if (kept.length === 0) {
      setProblem({ code: 'invalid', message: `That is not a file this field takes (${acceptOf(props.filters) ?? 'any file'}).` })
      return
    }
    setBusy(true)
    setProblem(null)
    try {
      const paths: string[] = []
      for (const f of mode === 'openMany' ? kept : kept.slice(0, 1)) paths.push(await upload(f))
      take(paths)
    } catch (e) {
      setProblem(toAppError(e))
    } finally {
      setBusy(false)
    }
  }

  const browse = async () => {
    setProblem(null)
    if (browser) {
      input.current?.click()
      return
    }
    try {
      setBusy(true)
      const opts: Parameters<typeof pick>[1] = { title: props.label, current: props.value.split('\n')[0] ?? '' }
      if (props.filters) opts.filters = props.filters
      if (props.suggestedName) opts.suggestedName = props.suggestedName
      take(await pick(mode, opts))
    } catch (e) {
      setProblem(toAppError(e))
    } finally {
      setBusy(false)
    }
  }

  const canBrowse = !browser || mode === 'open' || mode === 'openMany'
  const dropOK = acceptsDrop(mode, browser)
  const many = mode === 'openMany'
  const field = many ? (
    <textarea
      aria-label={props.label}
      aria-invalid={props.invalid ? true : undefined}
      rows={3}
      value={props.value}
      disabled={props.disabled}
      onChange={(e) => {
        setProblem(null)
        props.onChange(e.target.value)
      }}
      placeholder={props.placeholder}
    />
  ) : (
    <input
      aria-label={props.label}
      aria-invalid={props.invalid ? true : undefined}
      value={props.value}
      disabled={props.disabled}
      onChange={(e) => {
        setProblem(null)
        props.onChange(e.target.value)
      }}
      placeholder={props.placeholder}
    />
  )
  return (
    <div
      ref={box}
      className={`file-field${over ? ' drop-over' : ''}`}
      data-file-drop={dropOK ? mode : undefined}
      style={dropOK && !browser ? ({ '--wails-drop-target': 'drop' } as React.CSSProperties) : undefined}
      onDragOver={(e) => {
        if (!dropOK || !browser || props.disabled) return
        e.preventDefault()
        setOver(true)
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        if (!browser || !dropOK) return
        e.preventDefault()
        setOver(false)
        if (!props.disabled) void uploadAll(Array.from(e.dataTransfer.files))
      }}
    >
      {props.visibleLabel && <span className="field-label">{props.visibleLabel}</span>}
      <div className="file-field-row">
        {field}
        {canBrowse && (
          <button type="button" className="browse" disabled={busy || props.disabled} onClick={() => void browse()} title={`Pick the ${props.label.toLowerCase()}`}>
            {busy ? 'Reading…' : 'Browse…'}
          </button>
        )}
      </div>
      {browser && canBrowse && (
        <input
          ref={input}
          type="file"
          hidden
          data-testid={`upload ${props.label}`}
          accept={acceptOf(props.filters)}
          multiple={many}
          onChange={(e) => {
            const files = Array.from(e.target.files ?? [])
            e.target.value = ''
            void uploadAll(files)
          }}
        />
      )}
      {browser && !canBrowse && <span className="muted small">Type the full path{mode === 'folder' ? ' of the folder' : ' of the file to write'} (the browser cannot pick one here).</span>}
      <Problem error={problem} className="small" />
    </div>
  )
}
