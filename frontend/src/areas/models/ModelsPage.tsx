import { useCallback, useEffect, useState } from 'react'
import {
  chats,
  models,
  type StreamPart,
  type AppError,
  type DecisionAction,
  type ModelDeploymentState,
  type ModelList,
  type ModelVersion,
} from '../../bridge'
import { LineChart, type Series } from '../../components/LineChart'
import { Problem } from '../../components/Problem'
import { Dialog } from '../../components/Dialog'
import { DoFirst } from '../../components/DoFirst'
import type { AreaProps } from '../../areas'

// How often the deployment pipeline is asked for again while a stage runs.
const pipelineRefreshMs = 3_000
// The registry keeps at most this many characters of a note (ApprovalDescription).
const noteLimit = 1024

// ModelsPage: the versions tuning runs registered in the current deployment, each with its
// evidence (evaluation metrics and their trend, the customization job and its loss curves,
// the provisioned throughput, test-suite pass rates), approved or rejected after a
// confirmation that says what happens next, and the deployment pipeline an approval starts.
export function ModelsPage({ go }: AreaProps) {
  const [list, setList] = useState<ModelList | null>(null)
  const [error, setError] = useState<AppError | null>(null)
  const [open, setOpen] = useState<ModelVersion | null>(null)
  const [deciding, setDeciding] = useState<{ version: number; action: DecisionAction } | null>(null)
  const [followPipeline, setFollowPipeline] = useState(false)

  const load = useCallback(() => {
    setError(null)
    models.list().then(setList).catch(setError)
  }, [])
  useEffect(load, [load])

  const openVersion = (v: number) => {
    setError(null)
    models.show(v).then(setOpen).catch(setError)
  }

  const versions = list?.versions ?? []
  return (
    <div className="page models-page">
      <div className="page-head">
        <h1>Models</h1>
        <button type="button" onClick={load}>
          Refresh
        </button>
      </div>
      {error?.code === 'no_deployment' ? (
        <DoFirst
          action="Connect your team's AWS deployment"
          onGo={() => go('cloud')}
          why="model versions come from the model registry of the deployment's tuning pipeline."
        />
      ) : (
        <Problem error={error} />
      )}
      {list && (
        <p className="muted">
          Versions of {list.group} ({list.deployment}), newest first.
        </p>
      )}
      {list && versions.length === 0 && <p className="muted">No versions yet: a finished tuning run registers one.</p>}
      {versions.length > 0 && <TrendChart versions={versions} />}
      <div className="version-cards">
        {versions.map((v) => (
          <VersionCard key={v.arn} v={v} onOpen={() => openVersion(v.version)} />
        ))}
      </div>
      {open && (
        <VersionDetail
          v={open}
          onClose={() => setOpen(null)}
          onDecide={(action) => setDeciding({ version: open.version, action })}
        />
      )}
      {deciding && (
        <DecisionDialog
          version={deciding.version}
          action={deciding.action}
          onCancel={() => setDeciding(null)}
          onDone={(approved) => {
            setDeciding(null)
            if (approved) setFollowPipeline(true)
            load()
            openVersion(deciding.version)
          }}
        />
      )}
      {(followPipeline || versions.some((v) => v.status === 'Approved')) && <PipelinePanel />}
    </div>
  )
}

// TrendChart: Loss and Perplexity of each version with a report, oldest to newest; one chart
// each, as their scales differ.
function TrendChart(props: { versions: ModelVersion[] }) {
  const withMetrics = [...props.versions].reverse().filter((v) => v.evaluation)
  const series = (name: 'Loss' | 'Perplexity'): Series[] => [
    {
      name,
      points: withMetrics.map((v) => ({
        x: v.version,
        y: name === 'Loss' ? v.evaluation!.loss : v.evaluation!.perplexity,
        label: `v${v.version}`,
      })),
    },
  ]
  return (
    <section className="card row trend" aria-label="Metrics across versions">
      <LineChart title="Loss across versions" series={series('Loss')} xLabel="version" />
      <LineChart title="Perplexity across versions" series={series('Perplexity')} xLabel="version" />
    </section>
  )
}

function statusClass(status: string): string {
  if (status === 'Approved') return 'ok'
  if (status === 'Rejected') return 'fail'
  return 'pending'
}

function VersionCard(props: { v: ModelVersion; onOpen: () => void }) {
  const { v } = props
  const inService = v.throughputs.some((t) => t.status === 'InService')
  return (
    <article className="card version-card" aria-label={`Version ${v.version}`}>
      <header className="row">
        <h2>Version {v.version}</h2>
        <span className={`status ${statusClass(v.status)}`}>{v.status}</span>
      </header>
      <p className="muted">
        {v.metadata.modelName || 'no custom model named'} · {v.created}
      </p>
      {v.evaluation ? (
        <p>
          Loss {v.evaluation.loss} · Perplexity {v.evaluation.perplexity}
        </p>
      ) : (
        <p className="warn">No evaluation metrics</p>
      )}
      <p>
        Throughput:{' '}
        {v.throughputs.length === 0
          ? 'none'
          : v.throughputs.map((t) => `${t.name} ${t.status} (${t.modelUnits} units)`).join(', ')}
        {!inService && v.status !== 'Approved' && <span className="warn"> — not deployable yet</span>}
      </p>
      {v.readiness && <Readiness v={v} />}
      {v.status !== 'PendingManualApproval' && (
        <p className="muted">
          {v.status} by {v.decidedBy || 'unknown'}
          {v.note ? `: ${v.note}` : ''}
        </p>
      )}
      {(v.gaps ?? []).length > 0 && (
        <ul className="gaps">
          {(v.gaps ?? []).map((g) => (
            <li key={g}>{g}</li>
          ))}
        </ul>
      )}
      <button type="button" onClick={props.onOpen}>
        Open version {v.version}
      </button>
    </article>
  )
}

function Readiness(props: { v: ModelVersion }) {
  const r = props.v.readiness
  const suites = r?.suites ?? []
  return (
    <div className="readiness">
      {r && !r.ready && <p className="warn">Not ready: {r.reason}</p>}
      <ul aria-label="Test suites">
        {suites.map((s) => (
          <li key={s.suite} className={s.ready ? '' : 'warn'}>
            {s.suite}: {s.passed}/{s.total} passed ({Math.round(s.rate * 100)}%
            {s.threshold ? `, needs ${Math.round(s.threshold * 100)}%` : ''})
          </li>
        ))}
      </ul>
    </div>
  )
}

function VersionDetail(props: { v: ModelVersion; onClose: () => void; onDecide: (a: DecisionAction) => void }) {
  const { v } = props
  const job = v.job
  const curves: Series[] = job
    ? [
        { name: 'Training loss', points: job.training.map((p) => ({ x: p.step, y: p.loss })) },
        { name: 'Validation loss', points: job.validation.map((p) => ({ x: p.step, y: p.loss })) },
      ]
    : []
  return (
    <section className="card version-detail" aria-label={`Version ${v.version} evidence`}>
      <header className="row">
        <h2>
          Version {v.version} · <span className={`status ${statusClass(v.status)}`}>{v.status}</span>
        </h2>
        <button type="button" onClick={props.onClose}>
          Close
        </button>
      </header>
      <dl className="facts">
        <dt>Custom model</dt>
        <dd>{v.metadata.modelArn || '—'}</dd>
        <dt>Base model</dt>
        <dd>{v.metadata.baseModelArn || '—'}</dd>
        <dt>Evaluation</dt>
        <dd>{v.evaluation ? `Loss ${v.evaluation.loss}, Perplexity ${v.evaluation.perplexity}` : '—'}</dd>
        <dt>Customization job</dt>
        <dd>
          {job ? `${job.name}: ${job.status}` : '—'}
          {job?.failureMessage && <span className="warn"> ({job.failureMessage})</span>}
        </dd>
        {job && (
          <>
            <dt>Hyperparameters</dt>
            <dd>
              {Object.entries(job.hyperParameters)
                .sort(([a], [b]) => a.localeCompare(b))
                .map(([k, val]) => `${k}=${val}`)
                .join(' ')}
            </dd>
          </>
        )}
        <dt>Throughput</dt>
        <dd>{v.throughputs.map((t) => `${t.name} ${t.status} (${t.modelUnits} units)`).join(', ') || 'none'}</dd>
        {v.status !== 'PendingManualApproval' && (
          <>
            <dt>Decided by</dt>
            <dd>
              {v.decidedBy || 'unknown'}
              {v.note ? `: ${v.note}` : ''}
            </dd>
          </>
        )}
      </dl>
      {job && <LineChart title="Loss curves" series={curves} xLabel="step" width={420} />}
      <TalkPanel version={v.version} />
      {(v.gaps ?? []).length > 0 && (
        <ul className="gaps" aria-label="Missing evidence">
          {(v.gaps ?? []).map((g) => (
            <li key={g}>{g}</li>
          ))}
        </ul>
      )}
      <div className="row">
        <button type="button" disabled={v.status === 'Approved'} onClick={() => props.onDecide('approve')}>
          Approve…
        </button>
        <button type="button" disabled={v.status === 'Rejected'} onClick={() => props.onDecide('reject')}>
          Reject…
        </button>
      </div>
    </section>
  )
}

function DecisionDialog(props: { version: number; action: DecisionAction; onCancel: () => void; onDone: (approved: boolean) => void }) {
  const [note, setNote] = useState('')
  const [force, setForce] = useState(false)
  const [consequence, setConsequence] = useState('')
  const [error, setError] = useState<AppError | null>(null)
  const [sending, setSending] = useState(false)
  const approve = props.action === 'approve'
  useEffect(() => {
    models.consequence(props.version, props.action).then(setConsequence).catch(setError)
  }, [props.version, props.action])
  const tooLong = [...note].length > noteLimit
  const send = () => {
    setSending(true)
    setError(null)
    const p = approve ? models.approve(props.version, note, force) : models.reject(props.version, note)
    p.then(() => props.onDone(approve))
      .catch(setError)
      .finally(() => setSending(false))
  }
  const verb = approve ? 'Approve' : 'Reject'
  return (
    <Dialog label={`${verb} version ${props.version}`}>
      <h2>
        {verb} version {props.version}
      </h2>
      <p className="consequence">{consequence}</p>
      <label>
        Note (why; kept in the registry)
        <textarea value={note} rows={4} onChange={(e) => setNote(e.target.value)} />
      </label>
      <p className={tooLong ? 'warn' : 'muted'}>
        {[...note].length} / {noteLimit} characters{tooLong && ': shorten it, the registry takes no more'}
      </p>
      {approve && (
        <label className="check">
          <input type="checkbox" checked={force} onChange={(e) => setForce(e.target.checked)} /> Approve even without an InService
          provisioned throughput (the deployment then fails)
        </label>
      )}
      <Problem error={error} />
      <div className="row">
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
        <button type="button" disabled={sending || note.trim() === '' || tooLong} onClick={send}>
          {verb}
        </button>
      </div>
    </Dialog>
  )
}

function PipelinePanel() {
  const [st, setSt] = useState<ModelDeploymentState | null>(null)
  const [error, setError] = useState<AppError | null>(null)
  const refresh = useCallback(() => {
    models.deployment().then(setSt).catch(setError)
  }, [])
  useEffect(refresh, [refresh])
  useEffect(() => {
    if (!st?.running) return
    const t = setTimeout(refresh, pipelineRefreshMs)
    return () => clearTimeout(t)
  }, [st, refresh])
  return (
    <section className="card" aria-label="Deployment pipeline">
      <h2>Deployment</h2>
      <Problem error={error} />
      {st && (
        <>
          <p>
            CustomModelName: <code>{st.customModelName || '—'}</code>
          </p>
          <ol className="stages">
            {st.stages.map((s) => (
              <li key={s.name}>
                {s.name}: {s.status || 'not run'}
              </li>
            ))}
          </ol>
          {st.running && <p className="muted">Refreshing while a stage runs…</p>}
          {(st.notes ?? []).map((n) => (
            <p key={n} className="muted">
              {n}
            </p>
          ))}
        </>
      )}
    </section>
  )
}

// TalkPanel: one line to the version's custom model as a persona, alone or beside production.
function TalkPanel(props: { version: number }) {
  const [persona, setPersona] = useState('')
  const [line, setLine] = useState('')
  const [columns, setColumns] = useState<{ label: string; text: string }[]>([])
  const [error, setError] = useState<AppError | null>(null)
  const [busy, setBusy] = useState(false)
  const talk = async (compare: boolean) => {
    setBusy(true)
    setError(null)
    try {
      const cc = await models.candidate(props.version)
      const labels = [`version ${props.version}`, cc.productionLabel]
      const texts = compare ? ['', ''] : ['']
      setColumns(texts.map((t, i) => ({ label: labels[i] ?? '', text: t })))
      const onParts = (parts: StreamPart[]) => {
        for (const p of parts) if (p.text) texts[p.column] = (texts[p.column] ?? '') + p.text
        setColumns(texts.map((t, i) => ({ label: labels[i] ?? '', text: t })))
      }
      if (compare) {
        await (await chats.compare(persona, line, [cc.candidate, cc.production], onParts)).done
      } else {
        const view = await chats.create(persona, cc.candidate)
        await (await chats.send(view.chat.id, line, cc.candidate, onParts)).done
      }
    } catch (e) {
      setError(e as AppError)
    } finally {
      setBusy(false)
    }
  }
  return (
    <details className="talk">
      <summary>Talk to version {props.version}</summary>
      <div className="form">
        <label>
          Persona
          <input value={persona} onChange={(e) => setPersona(e.target.value)} placeholder="name or id" />
        </label>
        <label>
          Player's line
          <input value={line} onChange={(e) => setLine(e.target.value)} />
        </label>
        <div className="row">
          <button type="button" disabled={busy || !persona.trim() || !line.trim()} onClick={() => void talk(false)}>
            Send
          </button>
          <button type="button" disabled={busy || !persona.trim() || !line.trim()} onClick={() => void talk(true)}>
            Compare with production
          </button>
        </div>
        <Problem error={error} />
        <div className="row talk-columns">
          {columns.map((c) => (
            <blockquote key={c.label} aria-label={c.label}>
              <strong>{c.label}</strong>
              <p>{c.text}</p>
            </blockquote>
          ))}
        </div>
      </div>
    </details>
  )
}
