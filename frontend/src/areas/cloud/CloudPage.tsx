import { useCallback, useEffect, useState } from 'react'
import {
  cloud,
  datasets,
  operations,
  type AppError,
  type BaseModel,
  type CloudPlan,
  type CloudRuns,
  type CloudStatus,
  type CloudUpload,
  type DatasetData,
  type PushProgress,
  type app,
  invalidField,
} from '../../bridge'
import { formatBytes } from '../../format'
import { ProgressBar } from '../../components/ProgressBar'
import { Problem } from '../../components/Problem'
import { FileField, filters } from '../../components/FileField'

// How often the runs are asked for again while one is running.
const runsRefreshMs = 10_000

// CloudPage: the team's deployments and who you are there, a push dialog that shows the exact
// target, what it starts and the size before anything is sent, the runs pushes started, and
// the upload history.
export function CloudPage() {
  const [list, setList] = useState<app.DeploymentList | null>(null)
  const [status, setStatus] = useState<CloudStatus | null>(null)
  const [error, setError] = useState<AppError | null>(null)
  const [busy, setBusy] = useState(false)

  const load = useCallback(() => {
    cloud
      .list()
      .then((l) => {
        setList(l)
        if (l.current) {
          setBusy(true)
          cloud
            .status()
            .then(setStatus)
            .catch(setError)
            .finally(() => setBusy(false))
        } else setStatus(null)
      })
      .catch(setError)
  }, [])
  useEffect(load, [load])

  return (
    <div className="page cloud-page">
      <h1>Cloud</h1>
      <Problem error={error} />
      <Deployments list={list} onChange={load} onError={setError} />
      {busy && <p className="muted">Signing in and looking at the deployment…</p>}
      {status && <StatusCard status={status} />}
      {status && <PushPanel status={status} />}
      {status && <RunsPanel />}
      <UploadsPanel />
    </div>
  )
}

function Deployments(props: { list: app.DeploymentList | null; onChange: () => void; onError: (e: AppError) => void }) {
  const [draft, setDraft] = useState({ workload: 'Ada', stage: 'QA', region: 'us-east-1', profile: '', name: '' })
  const [connecting, setConnecting] = useState(false)
  const [fieldError, setFieldError] = useState<AppError | null>(null)
  const set = (k: keyof typeof draft) => (e: { target: { value: string } }) => setDraft({ ...draft, [k]: e.target.value })
  const connect = () => {
    setConnecting(true)
    setFieldError(null)
    cloud
      .connect(draft)
      .then(props.onChange)
      .catch((e: AppError) => setFieldError(e))
      .finally(() => setConnecting(false))
  }
  const deployments = props.list?.deployments ?? []
  return (
    <section className="panel" aria-label="Deployments">
      <h2>Deployments</h2>
      {deployments.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th />
              <th>Name</th>
              <th>Workload</th>
              <th>Stage</th>
              <th>Region</th>
              <th>Profile</th>
              <th>Account</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {deployments.map((d) => (
              <tr key={d.name}>
                <td>{d.name === props.list?.current ? '●' : ''}</td>
                <td>{d.name}</td>
                <td>{d.workload}</td>
                <td>{d.stage}</td>
                <td>{d.region}</td>
                <td>{d.profile || '—'}</td>
                <td className="mono">{d.account || '—'}</td>
                <td className="actions">
                  {d.name !== props.list?.current && <button onClick={() => cloud.use(d.name).then(props.onChange).catch(props.onError)}>Use</button>}
                  <button className="danger" onClick={() => cloud.remove(d.name).then(props.onChange).catch(props.onError)}>
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="form card" aria-label="Connect a deployment">
        <p className="muted">Credentials come from your AWS profiles, SSO or environment; nothing is stored here.</p>
        <div className="row">
          <label>
            Workload
            <input value={draft.workload} onChange={set('workload')} aria-invalid={invalidField(fieldError, 'workload')} />
          </label>
          <label>
            Stage
            <select aria-label="Stage" className="stage-select" value={draft.stage} onChange={set('stage')}>
              <option>QA</option>
              <option>PROD</option>
            </select>
          </label>
          <label>
            Region
            <input value={draft.region} onChange={set('region')} aria-invalid={invalidField(fieldError, 'region')} />
          </label>
          <label>
            AWS profile
            <input value={draft.profile} onChange={set('profile')} placeholder="default chain" />
          </label>
        </div>
        <Problem error={fieldError} />
        <div>
          <button className="primary" onClick={connect} disabled={connecting}>
            {connecting ? 'Connecting…' : 'Connect'}
          </button>
        </div>
      </div>
    </section>
  )
}

function StatusCard({ status }: { status: CloudStatus }) {
  const d = status.deployment
  return (
    <section className="panel card" aria-label="Deployment status">
      <h2>
        {d.name} <span className="muted small">{status.identity.arn}</span>
      </h2>
      <p className="muted">
        Account {status.identity.account} · {d.region}
        {status.s3Endpoint ? ` · S3 at ${status.s3Endpoint}` : ''} · model {status.customModelName || '—'}
      </p>
      <ul className="findings">
        {status.findings.map((f) => (
          <li key={f.what + f.where} className={f.found ? 'ok' : 'fail'}>
            {f.found ? '✓' : '✕'} {f.what}: {f.found ? <span className="mono">{f.value}</span> : <span>missing ({f.where})</span>}
            {f.detail && <span className="muted"> — {f.detail}</span>}
          </li>
        ))}
      </ul>
    </section>
  )
}

function PushPanel({ status }: { status: CloudStatus }) {
  const [kind, setKind] = useState<'lore' | 'dataset' | 'file'>('lore')
  const [file, setFile] = useState('')
  const [baseModel, setBaseModel] = useState('')
  const [models, setModels] = useState<BaseModel[]>([])
  const [collection, setCollection] = useState('')
  const [datasetId, setDatasetId] = useState('')
  const [all, setAll] = useState<DatasetData[]>([])
  const [plan, setPlan] = useState<CloudPlan | null>(null)
  const [force, setForce] = useState(false)
  const [progress, setProgress] = useState<PushProgress | null>(null)
  const [opId, setOpId] = useState('')
  const [done, setDone] = useState<CloudUpload | null>(null)
  const [error, setError] = useState<AppError | null>(null)
  useEffect(() => {
    datasets.list().then(setAll).catch(setError)
    datasets
      .targets()
      .then((t) => setModels(t.baseModels))
      .catch(setError)
  }, [])
  const review = () => {
    setError(null)
    setDone(null)
    const p = kind === 'lore' ? cloud.planLore({ collection }) : kind === 'file' ? cloud.planDataset({ file, baseModel }) : cloud.planDataset({ datasetId })
    p.then(setPlan).catch(setError)
  }
  const discard = () => {
    if (plan) void cloud.discard(plan.upload.id)
    setPlan(null)
  }
  const push = () => {
    if (!plan) return
    setProgress({ uploadId: plan.upload.id, done: 0, total: plan.upload.size })
    cloud
      .push(plan.upload.id, force, setProgress, setOpId)
      .then((u) => {
        setDone(u)
        setPlan(null)
      })
      .catch(setError)
      .finally(() => {
        setProgress(null)
        setOpId('')
      })
  }
  return (
    <section className="panel" aria-label="Push">
      <h2>Push to {status.deployment.name}</h2>
      <div className="row">
        <select value={kind} onChange={(e) => setKind(e.target.value as 'lore' | 'dataset' | 'file')} aria-label="What to push">
          <option value="lore">Lore collection</option>
          <option value="dataset">Dataset</option>
          <option value="file">Dataset file (JSON Lines)</option>
        </select>
        {kind === 'file' ? (
          <>
            <FileField label="Dataset file to push" filters={filters.jsonl} value={file} onChange={setFile} placeholder="~/datasets/mira.jsonl" />
            <select value={baseModel} onChange={(e) => setBaseModel(e.target.value)} aria-label="Base model">
              <option value="">base model the tuning starts from</option>
              {models.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name}
                </option>
              ))}
            </select>
          </>
        ) : kind === 'lore' ? (
          <input value={collection} onChange={(e) => setCollection(e.target.value)} placeholder="collection" aria-label="Collection" />
        ) : (
          <select value={datasetId} onChange={(e) => setDatasetId(e.target.value)} aria-label="Dataset">
            <option value="">choose a dataset</option>
            {all.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
        )}
        <button onClick={review} disabled={!!plan || !!progress || (kind === 'file' && (!file.trim() || !baseModel))}>
          Review push
        </button>
      </div>
      <Problem error={error} />
      {plan && (
        <div className="card push-plan" role="dialog" aria-label="Confirm push">
          <p>
            <strong>{plan.upload.what}</strong>
          </p>
          <p>
            to <span className="mono">{`s3://${plan.upload.bucket}/${plan.upload.key}`}</span> · {formatBytes(plan.upload.size)}
          </p>
          <p>starts: {plan.upload.trigger}</p>
          {plan.replaces && <p className="warn">{plan.replaces}</p>}
          {plan.earlier && (
            <label className="check">
              <input type="checkbox" checked={force} onChange={(e) => setForce(e.target.checked)} /> Already pushed on {plan.earlier.finished}: push
              again anyway
            </label>
          )}
          <div className="row">
            <button className="primary" onClick={push} disabled={!!progress || (!!plan.earlier && !force)}>
              Push
            </button>
            <button onClick={discard} disabled={!!progress}>
              Don't push
            </button>
            {progress && <BytesProgress done={progress.done} total={progress.total} />}
            {opId && <button onClick={() => void operations.cancel(opId)}>Stop</button>}
          </div>
        </div>
      )}
      {done && (
        <p className="ok" role="status">
          Pushed to s3://{done.bucket}/{done.key} (version {done.versionId || '—'}). Started: {done.trigger}
        </p>
      )}
    </section>
  )
}

function RunsPanel() {
  const [runs, setRuns] = useState<CloudRuns | null>(null)
  const [error, setError] = useState<AppError | null>(null)
  const load = useCallback(() => {
    cloud
      .runs()
      .then((r) => {
        setRuns(r)
        setError(null)
      })
      .catch(setError)
  }, [])
  useEffect(load, [load])
  const running = runs?.runs.some((r) => r.running) ?? false
  useEffect(() => {
    if (!running) return
    const t = window.setInterval(load, runsRefreshMs)
    return () => window.clearInterval(t)
  }, [running, load])
  return (
    <section className="panel" aria-label="Runs">
      <div className="row between">
        <h2>Runs</h2>
        <button onClick={load}>Refresh</button>
      </div>
      <Problem error={error} />
      {runs && runs.runs.length === 0 && <p className="empty">No runs yet: a push starts one.</p>}
      {runs && runs.runs.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th>Kind</th>
              <th>Run</th>
              <th>Status</th>
              <th>Started</th>
              <th>Push</th>
            </tr>
          </thead>
          <tbody>
            {runs.runs.map((r) => (
              <tr key={r.arn}>
                <td>{r.kind}</td>
                <td className="mono">
                  {r.name}
                  {r.steps && r.steps.length > 0 && (
                    <ol className="steps small">
                      {r.steps.map((s) => (
                        <li key={s.name} className={s.status === 'Failed' ? 'fail' : s.status === 'Succeeded' ? 'ok' : ''}>
                          {s.name}: {s.status}
                          {s.failureReason && <span> — {s.failureReason}</span>}
                        </li>
                      ))}
                    </ol>
                  )}
                  {r.job && (
                    <div className={`small ${r.job.status === 'Failed' ? 'fail' : ''}`}>
                      Bedrock job {r.job.name}: {r.job.status}
                    </div>
                  )}
                </td>
                <td className={r.status === 'Failed' ? 'fail' : r.running ? '' : 'ok'}>
                  {r.status}
                  {r.failureReason && <div className="small">{r.failureReason}</div>}
                  {r.hint && <div className="muted small">{r.hint}</div>}
                </td>
                <td>{r.started}</td>
                <td className="mono">{r.uploadId || '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {runs?.notes?.map((n) => (
        <p key={n} className="muted">
          {n}
        </p>
      ))}
    </section>
  )
}

function UploadsPanel() {
  const [ups, setUps] = useState<CloudUpload[]>([])
  const [error, setError] = useState<AppError | null>(null)
  const [resuming, setResuming] = useState<PushProgress | null>(null)
  const load = useCallback(() => {
    cloud.uploads().then(setUps).catch(setError)
  }, [])
  useEffect(load, [load])
  const unfinished = ups.some((u) => u.status === 'uploading')
  const resume = () => {
    setResuming({ uploadId: '', done: 0, total: 1 })
    cloud
      .resume(setResuming)
      .then(load)
      .catch(setError)
      .finally(() => setResuming(null))
  }
  return (
    <section className="panel" aria-label="Upload history">
      <div className="row between">
        <h2>Upload history</h2>
        <button onClick={load}>Refresh</button>
      </div>
      <Problem error={error} />
      {unfinished && (
        <p className="row">
          Some pushes did not finish.
          <button onClick={resume} disabled={!!resuming}>
            Finish them
          </button>
          {resuming && <BytesProgress done={resuming.done} total={resuming.total} />}
        </p>
      )}
      {ups.length === 0 && <p className="empty">No pushes yet.</p>}
      {ups.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th>When</th>
              <th>What</th>
              <th>Where</th>
              <th>Size</th>
              <th>Version</th>
              <th>By</th>
              <th>Status</th>
            </tr>
          </thead>
          <tbody>
            {ups.map((u) => (
              <tr key={u.id}>
                <td>{u.finished || u.started}</td>
                <td>{u.what}</td>
                <td className="mono">{`s3://${u.bucket}/${u.key}`}</td>
                <td>{formatBytes(u.size)}</td>
                <td className="mono">{u.versionId || '—'}</td>
                <td className="mono small">{u.by}</td>
                <td>
                  {u.status}
                  {u.status === 'uploading' && (
                    <button className="danger" onClick={() => cloud.abandon(u.id).then(load).catch(setError)} disabled={!!resuming}>
                      Abandon
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}

// BytesProgress is how much of a push has gone up.
function BytesProgress({ done, total }: { done: number; total: number }) {
  return (
    <ProgressBar done={done} total={total}>
      <span className="muted small">
        {formatBytes(done)} of {formatBytes(total)}
      </span>
    </ProgressBar>
  )
}
