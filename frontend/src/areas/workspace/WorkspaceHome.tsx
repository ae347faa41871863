import { Problem } from '../../components/Problem'
import { plainProblem } from '../../components/problem'
import { useEffect, useState } from 'react'
import type { AreaProps } from '../../areas'
import { workspace, type app, type AppError } from '../../bridge'

interface Check {
  label: string
  ok: boolean | null // null: not applicable
  detail: string
}

export function checksOf(r: app.DoctorReport): Check[] {
  const ws = r.workspace
  const out: Check[] = [
    {
      label: 'Workspace',
      ok: ws.open && ws.health === 'ok',
      detail: ws.open ? `${ws.path} — schema ${ws.schemaVersion}, ${ws.health}` : (ws.error?.message ?? ws.health),
    },
    { label: 'Keychain', ok: r.keychain.available, detail: `${r.keychain.backend}: ${r.keychain.detail}` },
    { label: 'Web view', ok: r.webview.display, detail: `${r.webview.library}: ${r.webview.detail}` },
  ]
  if (r.providers.length === 0) {
    out.push({ label: 'Providers', ok: null, detail: 'None yet. Add one in Settings → Providers.' })
  }
  for (const p of r.providers) {
    // An unreachable provider is said as the rest of the window says it (Go's text stays in the log).
    out.push({ label: `Provider ${p.name}`, ok: p.reachable, detail: p.reachable ? `${p.detail} (${p.latencyMs} ms)` : plainProblem({ code: 'error', message: p.detail }).sentence })
  }
  if (!r.aws.configured) out.push({ label: 'AWS', ok: null, detail: 'Not configured (optional).' })
  else if (r.aws.identity) out.push({ label: 'AWS', ok: true, detail: `${r.aws.identity.arn} in ${r.aws.identity.region}` })
  else out.push({ label: 'AWS', ok: false, detail: r.aws.error ?? 'unknown error' })
  return out
}

export function WorkspaceHome({ go }: AreaProps) {
  const [report, setReport] = useState<app.DoctorReport | null>(null)
  const [error, setError] = useState<AppError | null>(null)
  const [busy, setBusy] = useState(false)

  const run = () => {
    setBusy(true)
    workspace
      .doctor()
      .then((r) => {
        setReport(r)
        setError(null)
      })
      .catch((e: AppError) => setError(e))
      .finally(() => setBusy(false))
  }
  useEffect(run, [])

  return (
    <section className="page">
      <header className="page-head">
        <div>
          <h1>Workspace</h1>
          <p className="muted">
            Everything you make is kept in this workspace on your machine.{' '}
            <button type="button" className="link" onClick={() => go('start')}>
              Getting started
            </button>
          </p>
        </div>
        <button onClick={run} disabled={busy}>
          {busy ? 'Checking…' : 'Check again'}
        </button>
      </header>
      <Problem error={error} />
      {report && (
        <>
          <ul className="checks" aria-label="Health checks">
            {checksOf(report).map((c) => (
              <li key={c.label} className={c.ok === null ? 'na' : c.ok ? 'ok' : 'fail'}>
                <span className="check-mark" aria-label={c.ok === null ? 'not set up' : c.ok ? 'ok' : 'problem'}>
                  {c.ok === null ? '–' : c.ok ? '✓' : '✕'}
                </span>
                <span className="check-label">{c.label}</span>
                <span className="check-detail">{c.detail}</span>
              </li>
            ))}
          </ul>
          <p className="muted small">
            Log file: <code>{report.logFile}</code>
          </p>
        </>
      )}
    </section>
  )
}
