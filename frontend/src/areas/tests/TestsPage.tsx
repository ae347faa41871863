import { useCallback, useEffect, useState } from 'react'
import {
  personas,
  tests,
  type AppError,
  type EvalCase,
  type EvalProgress,
  type EvalRun,
  type EvalRunOp,
  type EvalSuiteSummary,
  type EvalSuiteVersion,
} from '../../bridge'
import { ProgressBar } from '../../components/ProgressBar'
import { PickList } from '../../components/PickList'
import { CaseEditor, kindLabel } from './CaseEditor'
import { ResultsView } from './ResultsView'
import { RunPanel, type RunRequest } from './RunPanel'
import { percent } from './matrix'
import { Problem } from '../../components/Problem'
import { FileField, filters } from '../../components/FileField'

// NewSuite makes a suite for one persona (or shared), or imports a promptfoo file.
function NewSuite({ onMade }: { onMade: (v: EvalSuiteVersion) => void }) {
  const [name, setName] = useState('')
  const [persona, setPersona] = useState('')
  const [names, setNames] = useState<string[]>([])
  const [path, setPath] = useState('')
  const [error, setError] = useState<AppError | null>(null)
  useEffect(() => {
    personas
      .list('', 0, 200)
      .then((p) => setNames((p.items ?? []).map((x) => x.name)))
      .catch((e: AppError) => setError(e))
  }, [])
  return (
    <div className="form side-section" aria-label="New suite">
      <input aria-label="Suite name" placeholder="Suite name" value={name} onChange={(e) => setName(e.target.value)} />
      <select aria-label="Suite persona" value={persona} onChange={(e) => setPersona(e.target.value)}>
        <option value="">Each case names its persona</option>
        {names.map((n) => (
          <option key={n}>{n}</option>
        ))}
      </select>
      <button
        className="primary"
        disabled={!name.trim()}
        onClick={() => {
          setError(null)
          // A suite is saved with its first case; until then it lives in the editor.
          onMade({ v: 1, n: 0, savedAt: '', suite: { id: '', name: name.trim(), persona, cases: [] } })
          setName('')
        }}
      >
        New suite
      </button>
      <FileField label="Suite file" filters={filters.suites} value={path} onChange={setPath} placeholder="~/tests/promptfoo.yaml" />
      <button
        disabled={!path.trim()}
        onClick={() => {
          setError(null)
          tests
            .importFrom(path.trim())
            .then(onMade)
            .catch((e: AppError) => setError(e))
        }}
      >
        Import
      </button>
      <Problem error={error} />
    </div>
  )
}

// SuiteExport writes the open suite as a promptfoo YAML file, for promptfoo or a teammate.
function SuiteExport({ suite }: { suite: string }) {
  const [path, setPath] = useState('')
  const [note, setNote] = useState('')
  const [error, setError] = useState<AppError | null>(null)
  return (
    <details className="suite-export">
      <summary>Export as a promptfoo file</summary>
      <div className="row">
        <FileField label="Suite file to write" mode="save" filters={filters.suites} suggestedName={`${suite}.yaml`} value={path} onChange={setPath} placeholder="~/tests/suite.yaml" />
        <button
          disabled={!path.trim()}
          onClick={() => {
            setError(null)
            setNote('')
            tests
              .exportTo(suite, path.trim())
              .then((written) => setNote(`Wrote ${written}.`))
              .catch((e: AppError) => setError(e))
          }}
        >
          Export
        </button>
      </div>
      {note && <p className="success small">{note}</p>}
      <Problem error={error} />
    </details>
  )
}

// TestsPage is the Tests area: suites on the left; the open suite's cases, a run against
// chosen configurations with progress, the run history with pass rates, and a run's
// results matrix.
export function TestsPage() {
  const [suites, setSuites] = useState<EvalSuiteSummary[] | null>(null)
  const [open, setOpen] = useState<EvalSuiteVersion | null>(null)
  const [editing, setEditing] = useState<number | null>(null)
  const [runs, setRuns] = useState<EvalRun[]>([])
  const [shown, setShown] = useState<string | null>(null)
  const [running, setRunning] = useState<{ op: EvalRunOp; progress: EvalProgress | null } | null>(null)
  const [tick, setTick] = useState(0)
  const [error, setError] = useState<AppError | null>(null)

  const load = useCallback(() => {
    tests
      .list()
      .then(setSuites)
      .catch((e: AppError) => setError(e))
  }, [])
  useEffect(load, [load])
  const suiteId = open?.suite.id ?? ''
  useEffect(() => {
    if (!suiteId) {
      setRuns([])
      return
    }
    tests
      .runs(suiteId)
      .then(setRuns)
      .catch((e: AppError) => setError(e))
  }, [suiteId, tick])

  const select = (id: string) => {
    setEditing(null)
    setShown(null)
    tests
      .get(id)
      .then(setOpen)
      .catch((e: AppError) => setError(e))
  }
  const saveCase = async (c: EvalCase) => {
    if (!open || editing === null) return
    const cases = [...open.suite.cases]
    cases[editing] = c
    try {
      const v = await tests.save({ ...open.suite, cases })
      setOpen(v)
      setEditing(null)
      setError(null)
      load()
    } catch (e) {
      setError(e as AppError)
    }
  }
  const run = async (req: RunRequest) => {
    const op = await tests.run({ suite: suiteId, ...req }, (p) => setRunning((r) => (r && r.op.runId === p.runId ? { ...r, progress: p } : r)))
    setRunning({ op, progress: null })
    setShown(null)
    op.done
      .then(() => setShown(op.runId))
      .catch((e: AppError) => setError(e))
      .finally(() => {
        setRunning(null)
        setTick((t) => t + 1)
      })
  }

  const s = open?.suite
  const p = running?.progress
  return (
    <div className="batch-area tests-area">
      <aside className="batch-side" aria-label="Test suites">
        <NewSuite
          onMade={(v) => {
            setOpen(v)
            setShown(null)
            setEditing(v.n === 0 ? 0 : null)
            load()
          }}
        />
        <h3>Suites</h3>
        {!suites && <p className="muted small">Loading suites…</p>}
        {suites && suites.length === 0 && <p className="muted small">No suites yet: make one, or import a promptfoo file.</p>}
        <PickList
          items={(suites ?? []).map((x) => ({ id: x.id, name: x.name, detail: `${x.cases} cases · ${x.persona || 'shared'} · v${x.version}` }))}
          selected={suiteId}
          onPick={select}
        />
      </aside>
      <section className="batch-main">
        <Problem error={error} />
        {!s ? (
          <p className="empty">Make a suite of questions for an NPC, or open one on the left.</p>
        ) : (
          <>
            <div className="page-head">
              <div>
                <h2>{s.name}</h2>
                <p className="muted small">
                  {s.persona || 'shared suite'} · {s.cases.length} cases{open.n > 0 ? ` · version ${open.n}` : ' · not saved yet'}
                  {s.threshold ? ` · needs ${percent(s.threshold)}` : ''}
                </p>
              </div>
              <button disabled={editing !== null} onClick={() => setEditing(s.cases.length)}>
                Add case
              </button>
            </div>
            {editing !== null && <CaseEditor key={editing} initial={s.cases[editing]} onSave={saveCase} onCancel={() => setEditing(null)} />}
            <table className="table" aria-label="Cases">
              <thead>
                <tr>
                  <th>#</th>
                  <th>The player says</th>
                  <th>Checks</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {s.cases.map((c, i) => (
                  <tr key={i}>
                    <td>{i + 1}</td>
                    <td>
                      {c.description && <div className="muted small">{c.description}</div>}
                      {(c.turns ?? []).length > 0 && <div className="muted small">after {(c.turns ?? []).length} earlier lines</div>}
                      {c.message}
                    </td>
                    <td className="small">{c.assert.map((a) => kindLabel(a.type)).join(', ')}</td>
                    <td className="actions">
                      <button disabled={editing !== null} onClick={() => setEditing(i)}>
                        Edit
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {open.n > 0 && <SuiteExport suite={s.name} />}
            {open.n > 0 && <RunPanel busy={running !== null} onRun={run} />}
            {running && (
              <ProgressBar done={p?.done ?? 0} total={p?.total ?? running.op.cases * running.op.configs} label="Test run progress" className="row">
                <span className="muted small">
                  {p ? `${p.done} of ${p.total} asked · ${p.passed} passed · ${p.failed} failed · ${p.errors} errors` : `starting ${running.op.cases * running.op.configs} answers…`}
                </span>
                <button onClick={() => void tests.stop(running.op.opId)}>Stop</button>
              </ProgressBar>
            )}
            {runs.length > 0 && (
              <>
                <h3>Runs</h3>
                <table className="table" aria-label="Run history">
                  <thead>
                    <tr>
                      <th>When</th>
                      <th>Version</th>
                      <th>Pass rates</th>
                      <th />
                    </tr>
                  </thead>
                  <tbody>
                    {runs.map((r) => (
                      <tr key={r.id} className={r.id === shown ? 'active' : ''}>
                        <td className="small">{r.createdAt.replace('T', ' ').slice(0, 19)}</td>
                        <td>
                          v{r.suiteVersion} · {r.status}
                        </td>
                        <td className="small">{r.configs.map((c) => `${c.label} ${percent(c.passRate)}`).join(' · ')}</td>
                        <td className="actions">
                          <button aria-label={`Open run ${r.id}`} onClick={() => setShown(r.id)}>
                            Open
                          </button>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </>
            )}
            {shown && <ResultsView key={shown} runId={shown} tick={tick} />}
          </>
        )}
      </section>
    </div>
  )
}
