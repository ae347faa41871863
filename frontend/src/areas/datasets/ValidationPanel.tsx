import { Problem } from '../../components/Problem'
import { useState } from 'react'
import {
  datasets,
  type AppError,
  type BaseModel,
  type DatasetData,
  type DatasetPairReport,
  type DatasetProblem,
  type DatasetProgress,
  type DatasetReport,
  type SplitOptions,
} from '../../bridge'
import { formatBytes, formatCount, plural } from '../../format'
import { formatLabel, limitsSummary } from './targets'
import { DatasetProgressBar } from './ProgressBar'
import { Term } from '../../components/Term'

export interface CheckedReport {
  report: DatasetPairReport
  // version is the dataset version the report is of.
  version: number
  split: boolean
}

interface ValidationPanelProps {
  dataset: DatasetData
  model: BaseModel | undefined
  split: SplitOptions | null
  checked: CheckedReport | null
  onChecked: (c: CheckedReport) => void
  onJump: (line: number, field: string) => void
}

// ValidationPanel shows what Bedrock would reject before a tuning job starts: every problem
// with its line and field (a click jumps the grid there), with the dataset's statistics.
export function ValidationPanel({ dataset: ds, model, split, checked, onChecked, onJump }: ValidationPanelProps) {
  const [progress, setProgress] = useState<DatasetProgress | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<AppError | null>(null)

  const check = () => {
    setBusy(true)
    setError(null)
    setProgress(null)
    const version = ds.head
    datasets
      .validate(ds.id, split, setProgress)
      .then((report) => onChecked({ report, version, split: split !== null }))
      .catch((e: AppError) => setError(e))
      .finally(() => setBusy(false))
  }
  const r = checked?.report
  const stale = checked !== null && checked.version !== ds.head
  return (
    <div className="side-section" aria-label="Check for Bedrock">
      <p className="muted small">
        {model ? limitsSummary(model) : 'No base model chosen: only the record format is checked. Choose one under Settings.'} Records are checked as
        they will be exported ({formatLabel(ds.format)}){split ? ', split into training and validation as under Export' : ''}.
      </p>
      <div className="row">
        <button className="primary" onClick={check} disabled={busy || ds.records === 0}>
          {busy ? 'Checking…' : checked ? 'Check again' : 'Check for Bedrock'}
        </button>
        {busy && progress && <DatasetProgressBar progress={progress} />}
      </div>
      <Problem error={error} />
      {r && (
        <>
          <p className={r.valid ? 'verdict success' : 'verdict reject'} role="status">
            {r.valid ? `Bedrock would accept this dataset.` : `Bedrock would reject this dataset: ${plural(errorCount(r), 'error')}.`}{' '}
            {warningCount(r) > 0 && <span className="muted">{plural(warningCount(r), 'warning')} worth a look.</span>}
          </p>
          {stale && <p className="muted small">The dataset has changed since this check (version {checked.version}, now {ds.head}). Check again.</p>}
          <ReportSection title={r.validation ? 'Training set' : undefined} report={r.training} onJump={onJump} />
          {r.validation && <ReportSection title="Validation set" report={r.validation} onJump={onJump} />}
        </>
      )}
    </div>
  )
}

const errorCount = (r: DatasetPairReport) => r.training.errorCount + (r.validation?.errorCount ?? 0)
const warningCount = (r: DatasetPairReport) => r.training.warningCount + (r.validation?.warningCount ?? 0)


function ReportSection({ title, report, onJump }: { title: string | undefined; report: DatasetReport; onJump: (line: number, field: string) => void }) {
  const s = report.stats
  return (
    <section className="report">
      {title && <h3>{title}</h3>}
      <dl className="stats">
        <dt>Records</dt>
        <dd>{formatCount(report.records)}</dd>
        <dt>Tokens a record</dt>
        <dd>
          {s.records > 0
            ? (
              <>
                min {formatCount(s.tokens.min)} · median {formatCount(s.tokens.p50)} ·{' '}
                <Term tip="p95: 95 records in 100 are this long or shorter">most under {formatCount(s.tokens.p95)}</Term> · max {formatCount(s.tokens.max)}
              </>
            )
            : '–'}
        </dd>
        <dt>Mean, total</dt>
        <dd>{s.records > 0 ? `${s.tokens.mean.toFixed(1)} · ${formatCount(s.tokens.total)} tokens` : '–'}</dd>
        <dt>File</dt>
        <dd>{formatBytes(s.bytes)} of JSON Lines</dd>
      </dl>
      {s.longest.length > 0 && (
        <div className="longest">
          <span className="muted small">Longest: </span>
          {s.longest.map((l) => (
            <button key={l.line} className="chip" onClick={() => onJump(l.line, '')} aria-label={`Line ${l.line}, ${l.tokens} tokens`}>
              {l.line} <span className="muted">({formatCount(l.tokens)})</span>
            </button>
          ))}
        </div>
      )}
      <ProblemList label="Errors" kind="error" problems={report.errors} count={report.errorCount} onJump={onJump} />
      <ProblemList label="Warnings" kind="warning" problems={report.warnings} count={report.warningCount} onJump={onJump} />
    </section>
  )
}

const SHOWN = 100

function ProblemList({ label, kind, problems, count, onJump }: { label: string; kind: 'error' | 'warning'; problems: DatasetProblem[]; count: number; onJump: (line: number, field: string) => void }) {
  const [all, setAll] = useState(false)
  if (count === 0) return null
  const shown = all ? problems : problems.slice(0, SHOWN)
  return (
    <>
      <h3>
        {label} <span className="muted">({formatCount(count)})</span>
      </h3>
      <ul className={`problems is-${kind}`} aria-label={label}>
        {shown.map((p, i) => (
          <li key={i}>
            {p.line > 0 ? (
              <button className="problem-link" onClick={() => onJump(p.line, p.field)}>
                <span className="mono">Line {p.line}</span>
                {p.field && <span className="mono field"> · {p.field}</span>}
                <span className="problem-message">{p.message}</span>
              </button>
            ) : (
              <span className="problem-link whole">
                <span className="mono">Whole dataset</span>
                <span className="problem-message">{p.message}</span>
              </span>
            )}
          </li>
        ))}
      </ul>
      {problems.length > shown.length && (
        <button className="link-button" onClick={() => setAll(true)}>
          Show all {formatCount(problems.length)}
        </button>
      )}
      {count > problems.length && <p className="muted small">Only the first {formatCount(problems.length)} are listed: fix these and check again.</p>}
    </>
  )
}
