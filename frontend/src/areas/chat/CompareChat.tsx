import { useLayoutEffect, useRef, useState } from 'react'
import { chats, type AppError, type ChatConfig, type ChatOp, type ChatSetup, type CompareRun, type persona, type provider } from '../../bridge'
import { Citations } from './Citations'
import { ConfigPicker } from './ConfigPicker'
import { configLabel, replyFacts } from './facts'
import { Markdown } from './Markdown'
import type { ColumnStream } from './stream'
import { useStreams } from './useStreams'
import { VerdictPanel } from './VerdictPanel'
import { Problem } from '../../components/Problem'

// CompareChat sends one player line to two to four configurations at once and streams the
// answers side by side; the writer then marks the better one and says why.
export function CompareChat(props: {
  personas: persona.PersonaSummary[]
  providers: provider.Provider[]
  setup: ChatSetup | null
  defaultConfig: ChatConfig
  onVerdict: () => void
}) {
  const { personas, providers, setup, defaultConfig, onVerdict } = props
  const min = setup?.minCompare ?? 2
  const max = setup?.maxCompare ?? 4
  const [personaId, setPersonaId] = useState(personas[0]?.id ?? '')
  const [line, setLine] = useState('')
  const [configs, setConfigs] = useState<ChatConfig[]>(() => [
    { ...defaultConfig, mode: 'base' },
    { ...defaultConfig, mode: 'rag' },
  ])
  const [op, setOp] = useState<ChatOp<CompareRun> | null>(null)
  const [running, setRunning] = useState(false)
  const [run, setRun] = useState<CompareRun | null>(null)
  // After a run the setup folds to one line, so the answers and the verdict are in view.
  const [setupOpen, setSetupOpen] = useState(true)
  const [winner, setWinner] = useState<number | null>(null)
  const [error, setError] = useState<AppError | null>(null)
  const { columns, reset, onParts, drain } = useStreams()
  const pid = personaId || personas[0]?.id || ''

  const start = async () => {
    setError(null)
    setRun(null)
    setWinner(null)
    reset(configs.length)
    setRunning(true)
    try {
      const o = await chats.compare(pid, line, configs, onParts)
      setOp(o)
      const r = await o.done
      drain()
      setRun(r)
      setSetupOpen(false)
    } catch (e) {
      setError(e as AppError)
    } finally {
      drain()
      setOp(null)
      setRunning(false)
    }
  }

  const shownConfigs = run ? run.columns.map((c) => c.config) : configs
  return (
    <section className="compare" aria-label="Compare">
      {!setupOpen && (
        <div className="compare-summary card row between" aria-label="Compare setup">
          <span className="small">
            “{line.trim()}” · {personas.find((p) => p.id === pid)?.name ?? ''} · {configs.length} columns
          </span>
          <button onClick={() => setSetupOpen(true)}>Change setup</button>
        </div>
      )}
      {setupOpen && (
      <div className="compare-setup card">
        <div className="compare-line">
          <label>
            <span className="small muted">Persona</span>
            <select aria-label="Persona" value={pid} onChange={(e) => setPersonaId(e.target.value)} disabled={running}>
              {personas.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          </label>
          <label className="grow">
            <span className="small muted">Player line</span>
            <textarea aria-label="Player line to compare" rows={2} value={line} onChange={(e) => setLine(e.target.value)} disabled={running} />
          </label>
        </div>
        <div className="compare-configs" style={{ gridTemplateColumns: `repeat(${configs.length}, minmax(0, 1fr))` }}>
          {configs.map((c, i) => (
            <div key={i} className="compare-config">
              <div className="row between">
                <strong className="small">Column {i + 1}</strong>
                {configs.length > min && (
                  <button className="icon-button" aria-label={`Remove column ${i + 1}`} disabled={running} onClick={() => setConfigs(configs.filter((_, j) => j !== i))}>
                    ×
                  </button>
                )}
              </div>
              <ConfigPicker
                label={`Column ${i + 1}`}
                value={c}
                onChange={(v) => setConfigs(configs.map((x, j) => (j === i ? v : x)))}
                providers={providers}
                setup={setup}
                disabled={running}
              />
            </div>
          ))}
        </div>
        <div className="row">
          <button disabled={running || configs.length >= max} onClick={() => setConfigs([...configs, { ...defaultConfig, mode: 'base' }])}>
            Add column
          </button>
          <span className="spacer" />
          {running ? (
            <button className="danger" disabled={!op} onClick={() => op && void chats.stop(op.id)}>
              Stop all
            </button>
          ) : (
            <button className="primary" disabled={!pid || !line.trim() || configs.some((c) => !c.provider)} onClick={() => void start()}>
              Compare
            </button>
          )}
        </div>
      </div>
      )}
      <Problem error={error} />
      {(running || run) && (
        <div className="compare-columns" style={{ gridTemplateColumns: `repeat(${shownConfigs.length}, minmax(0, 1fr))` }}>
          {shownConfigs.map((c, i) => (
            <CompareColumn
              key={i}
              index={i}
              label={configLabel(c)}
              stream={columns[i]}
              run={run}
              winner={winner}
              onWinner={setWinner}
              personaName={personas.find((p) => p.id === pid)?.name ?? ''}
            />
          ))}
        </div>
      )}
      {run && (
        <VerdictPanel
          run={run}
          winner={winner ?? run.verdict?.winner ?? null}
          onSaved={(r) => {
            setRun(r)
            setWinner(r.verdict?.winner ?? null)
            onVerdict()
          }}
        />
      )}
    </section>
  )
}

function CompareColumn(props: {
  index: number
  label: string
  stream: ColumnStream | undefined
  run: CompareRun | null
  winner: number | null
  onWinner: (i: number) => void
  personaName: string
}) {
  const { index, label, stream, run, winner, onWinner } = props
  const col = run?.columns[index]
  const answer = col?.answer
  const chosen = (winner ?? run?.verdict?.winner) === index
  const text = answer?.text ?? stream?.text ?? ''
  // While it streams, the answer keeps its newest line in sight unless the writer scrolls up.
  const box = useRef<HTMLDivElement>(null)
  const pinned = useRef(true)
  useLayoutEffect(() => {
    const el = box.current
    if (el && !run && pinned.current) el.scrollTop = el.scrollHeight
  }, [text, run])
  return (
    <article className={`compare-column card${chosen ? ' chosen' : ''}`} aria-label={`Column ${index + 1}`}>
      <header className="row between">
        <span className="small">
          <strong>{index + 1}.</strong> {label}
        </span>
        {run && answer && (
          <label className="check small">
            <input type="radio" name={`winner-${run.id}`} checked={chosen} onChange={() => onWinner(index)} aria-label={`Column ${index + 1} is better`} />
            Better
          </label>
        )}
      </header>
      <div
        className="compare-answer"
        aria-busy={!run}
        ref={box}
        onScroll={(e) => {
          const el = e.currentTarget
          pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40
        }}
      >
        {text ? <Markdown text={text} /> : !run && <p className="muted small">Waiting for the first token…</p>}
        {!run && stream?.notices.map((n) => <p key={n} className="bubble-note small">{n}</p>)}
        {answer?.loreNote && <p className="bubble-note small">{answer.loreNote}</p>}
        {answer?.notice && <p className="bubble-note small">{answer.notice}</p>}
        {answer?.cut && <p className="bubble-warning small">cut: {answer.error}</p>}
        {answer?.stopped && <p className="bubble-warning small">stopped</p>}
        {col?.error && <Problem error={{ code: col.errorCode ?? 'error', message: col.error }} className="small" />}
      </div>
      <Citations citations={answer?.citations ?? stream?.citations ?? []} />
      {answer && <p className="facts small">{replyFacts(answer).join(' · ')}</p>}
    </article>
  )
}
