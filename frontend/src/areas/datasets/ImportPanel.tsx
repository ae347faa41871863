import { Problem } from '../../components/Problem'
import { useState } from 'react'
import { datasets, type AppError, type DatasetData, type DatasetProblem, type DatasetProgress, type DatasetReport, type ImportResult, invalidField } from '../../bridge'
import { DatasetProgressBar } from './ProgressBar'
import { FileField, filters } from '../../components/FileField'
import { parseTags } from './records'
import { formatCount, plural } from '../../format'

interface ImportPanelProps {
  dataset: DatasetData
  onImported: (r: ImportResult) => void
}

const emptyColumns = { system: '', prompt: '', completion: '', tags: '' }

// ImportPanel appends the records of a JSON Lines or CSV file on this machine. Go reads the
// file: only its path crosses to the studio.
export function ImportPanel({ dataset: ds, onImported }: ImportPanelProps) {
  const [path, setPath] = useState('')
  const [kind, setKind] = useState('')
  const [tags, setTags] = useState('')
  const [cols, setCols] = useState(emptyColumns)
  const [busy, setBusy] = useState<'' | 'import' | 'check'>('')
  const [progress, setProgress] = useState<DatasetProgress | null>(null)
  const [result, setResult] = useState<ImportResult | null>(null)
  const [fileReport, setFileReport] = useState<DatasetReport | null>(null)
  const [error, setError] = useState<AppError | null>(null)
  const csv = kind === 'csv' || (kind === '' && path.trim().toLowerCase().endsWith('.csv'))

  const start = (what: 'import' | 'check') => {
    setBusy(what)
    setError(null)
    setProgress(null)
    setResult(null)
    setFileReport(null)
    const file = path.trim()
    const run =
      what === 'import'
        ? datasets
            .importFile({ datasetId: ds.id, baseVersion: 0, path: file, kind, format: '', columns: cols, tags: parseTags(tags) }, setProgress)
            .then((r) => {
              setResult(r)
              onImported(r)
            })
        : datasets.validateFile({ path: file, format: '', baseModel: ds.baseModel, batchSize: 0, purpose: '' }, setProgress).then(setFileReport)
    run.catch((e: AppError) => setError(e)).finally(() => setBusy(''))
  }

  return (
    <div className="side-section form" aria-label="Import records">
      <p className="muted small">Adds every record of a file as one new version. Lines that are not records are skipped and listed here.</p>
      <FileField
        label="File to import"
        visibleLabel="File"
        filters={filters.records}
        invalid={invalidField(error, 'path')}
        value={path}
        onChange={setPath}
        placeholder="~/lines.jsonl or ~/lines.csv"
      />
      <label>
        Kind
        <select value={kind} onChange={(e) => setKind(e.target.value)}>
          <option value="">By the file's extension</option>
          <option value="jsonl">JSON Lines (any Bedrock format)</option>
          <option value="csv">CSV (one exchange a row)</option>
        </select>
      </label>
      {csv && (
        <fieldset className="columns">
          <legend className="small muted">CSV columns (blank: guessed from the header)</legend>
          {(['system', 'prompt', 'completion', 'tags'] as const).map((c) => (
            <label key={c}>
              {c === 'completion' ? 'Reply' : c[0]?.toUpperCase() + c.slice(1)}
              <input value={cols[c]} onChange={(e) => setCols({ ...cols, [c]: e.target.value })} placeholder="header name" />
            </label>
          ))}
        </fieldset>
      )}
      <label>
        Tag every record
        <input value={tags} onChange={(e) => setTags(e.target.value)} placeholder="barks, act-1" />
      </label>
      <div className="row">
        <button className="primary" disabled={busy !== '' || !path.trim()} onClick={() => start('import')}>
          {busy === 'import' ? 'Importing…' : 'Import'}
        </button>
        <button disabled={busy !== '' || !path.trim() || csv} onClick={() => start('check')} title="Check the file against the base model without importing it">
          {busy === 'check' ? 'Checking…' : 'Check file first'}
        </button>
      </div>
      {busy && progress && <DatasetProgressBar progress={progress} />}
      <Problem error={error} />
      {result && (
        <div role="status">
          <p className="success">
            Imported {plural(result.imported, 'record')} as version {result.version.number} ({plural(result.version.records, 'record')} in all).
          </p>
          {result.skipped > 0 && <FileProblems title={`Skipped ${plural(result.skipped, 'line')} of the file`} problems={result.errors} />}
          {result.warningCount > 0 && <FileProblems title={`Notes (${formatCount(result.warningCount)})`} problems={result.warnings} />}
        </div>
      )}
      {fileReport && (
        <div role="status">
          <p className={fileReport.valid ? 'success' : 'verdict reject'}>
            {fileReport.valid ? 'The file is valid' : `The file has ${plural(fileReport.errorCount, 'error')}`}: {plural(fileReport.records, 'record')},{' '}
            {plural(fileReport.warningCount, 'warning')}.
          </p>
          <FileProblems title="Errors" problems={fileReport.errors} />
          <FileProblems title="Warnings" problems={fileReport.warnings} />
        </div>
      )}
    </div>
  )
}

// FileProblems lists problems by the line of the file (not of the dataset: there is nothing to jump to).
function FileProblems({ title, problems }: { title: string; problems: DatasetProblem[] }) {
  if (problems.length === 0) return null
  return (
    <>
      <h3>{title}</h3>
      <ul className="problems file" aria-label={title}>
        {problems.slice(0, 100).map((p, i) => (
          <li key={i}>
            <span className="problem-link whole">
              <span className="mono">{p.line > 0 ? `File line ${p.line}` : 'Whole file'}</span>
              {p.field && <span className="mono field"> · {p.field}</span>}
              <span className="problem-message">{p.message}</span>
            </span>
          </li>
        ))}
      </ul>
    </>
  )
}
