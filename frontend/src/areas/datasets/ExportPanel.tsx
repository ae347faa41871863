import { Problem } from '../../components/Problem'
import { useState } from 'react'
import { datasets, type AppError, type dataset, type DatasetData, type DatasetProgress, type ExportResult, type SplitOptions, invalidField } from '../../bridge'
import { DatasetProgressBar } from './ProgressBar'
import { formatBytes, plural } from '../../format'
import { formatLabel, formatLabels } from './targets'
import { FileField, filters } from '../../components/FileField'

interface ExportPanelProps {
  dataset: DatasetData
  split: SplitOptions | null
  onSplit: (s: SplitOptions | null) => void
}

// ExportPanel writes the dataset as JSON Lines in the target format, whole or as a seeded
// training and validation pair.
export function ExportPanel({ dataset: ds, split, onSplit }: ExportPanelProps) {
  const [format, setFormat] = useState('')
  const [path, setPath] = useState('')
  const [valPath, setValPath] = useState('')
  const [lossy, setLossy] = useState(false)
  const [preview, setPreview] = useState<dataset.SplitResult | null>(null)
  const [progress, setProgress] = useState<DatasetProgress | null>(null)
  const [result, setResult] = useState<ExportResult | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<AppError | null>(null)

  const changeSplit = (s: SplitOptions | null) => {
    setPreview(null)
    onSplit(s)
  }
  const percent = split ? Math.round(split.validationFraction * 1000) / 10 : 10

  const previewSplit = () => {
    if (!split) return
    setError(null)
    datasets
      .split(ds.id, split)
      .then(setPreview)
      .catch((e: AppError) => setError(e))
  }
  const run = () => {
    setBusy(true)
    setError(null)
    setResult(null)
    setProgress(null)
    datasets
      .exportTo(
        { datasetId: ds.id, version: 0, format, path: path.trim(), validationPath: split ? valPath.trim() : '', split: split ?? undefined, allowLossy: lossy },
        setProgress,
      )
      .then(setResult)
      .catch((e: AppError) => setError(e))
      .finally(() => setBusy(false))
  }
  const invalid = (f: string) => invalidField(error, f)

  return (
    <div className="side-section form" aria-label="Export">
      <label className="check">
        <input
          type="checkbox"
          checked={split !== null}
          onChange={(e) => changeSplit(e.target.checked ? { seed: 1, validationFraction: 0.1, validationRecords: 0 } : null)}
        />{' '}
        Hold out a validation set
      </label>
      {split && (
        <div className="row">
          <label>
            Validation %
            <input
              type="number"
              min={1}
              max={50}
              step={1}
              value={percent}
              aria-invalid={invalid('validationFraction') ?? invalid('split')}
              onChange={(e) => changeSplit({ ...split, validationFraction: Number(e.target.value) / 100, validationRecords: 0 })}
            />
          </label>
          <label>
            Seed
            <input type="number" value={split.seed} onChange={(e) => changeSplit({ ...split, seed: Math.trunc(Number(e.target.value)) })} />
          </label>
          <button onClick={previewSplit}>Preview</button>
        </div>
      )}
      {split && <p className="muted small">The same seed gives the same split on every machine; the check uses it too.</p>}
      {preview && (
        <div role="status">
          <p>
            {plural(preview.training, 'training record')}, {plural(preview.validation, 'validation record')}.
          </p>
          {preview.warnings.map((w) => (
            <p key={w} className="warning-text small">
              {w}
            </p>
          ))}
        </div>
      )}
      <label>
        Format
        <select value={format} onChange={(e) => setFormat(e.target.value)}>
          <option value="">{formatLabel(ds.format)} (the dataset's)</option>
          {Object.entries(formatLabels)
            .filter(([f]) => f !== ds.format)
            .map(([f, label]) => (
              <option key={f} value={f}>
                {label}
              </option>
            ))}
        </select>
      </label>
      <FileField
        label="File to write"
        visibleLabel={split ? 'Training file' : 'File'}
        mode="save"
        filters={filters.jsonl}
        suggestedName="train.jsonl"
        invalid={!!invalid('path')}
        value={path}
        onChange={setPath}
        placeholder="~/tuning/train.jsonl"
      />
      {split && (
        <FileField
          label="Validation file to write"
          visibleLabel="Validation file"
          mode="save"
          filters={filters.jsonl}
          suggestedName="validation.jsonl"
          invalid={!!invalid('validationPath')}
          value={valPath}
          onChange={setValPath}
          placeholder="~/tuning/validation.jsonl"
        />
      )}
      <label className="check">
        <input type="checkbox" checked={lossy} onChange={(e) => setLossy(e.target.checked)} /> Write records that lose content in the conversion (a system
        prompt, earlier turns)
      </label>
      <div className="row">
        <button className="primary" disabled={busy || !path.trim() || ds.records === 0} onClick={run}>
          {busy ? 'Exporting…' : 'Export'}
        </button>
        {busy && progress && <DatasetProgressBar progress={progress} />}
      </div>
      <Problem error={error} />
      {result && (
        <div role="status">
          <p className="success">
            Wrote {plural(result.training.records, `${formatLabel(result.format)} record`)} to <code>{result.training.path}</code> ({formatBytes(result.training.bytes)}).
          </p>
          {result.validation && (
            <p className="success">
              Wrote {plural(result.validation.records, 'validation record')} to <code>{result.validation.path}</code> ({formatBytes(result.validation.bytes)}).
            </p>
          )}
          {result.lossy > 0 && <p className="warning-text small">{plural(result.lossy, 'record')} lost content in the conversion.</p>}
        </div>
      )}
    </div>
  )
}
