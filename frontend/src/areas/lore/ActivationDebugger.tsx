import { Problem } from '../../components/Problem'
import { useEffect, useState } from 'react'
import { lore, type Activation, type AppError, type LoreTurnView, type loreTypes } from '../../bridge'
import { modeLabel } from '../chat/facts'
import { Scores } from './LoreSearch'
import { Dialog } from '../../components/Dialog'

type KeyMatch = Pick<loreTypes.KeyMatch, 'key' | 'text' | 'message' | 'entry'>

function where(k: KeyMatch): string {
  if (k.message < 0) return `in entry ${(k.entry ?? 0) + 1}'s content`
  if (k.message === 0) return "in the player's line"
  return k.message === 1 ? 'in the message before' : `${k.message} messages back`
}

// ActivationDebugger shows, for one reply, the lore that went into its prompt: the lorebook
// entries that fired and on which words, the chunks retrieved with their scores, and what
// each token budget cut.
export function ActivationDebugger({ chatId, messageId, onClose }: { chatId: string; messageId: string; onClose: () => void }) {
  const [view, setView] = useState<LoreTurnView | null>(null)
  const [error, setError] = useState<AppError | null>(null)
  useEffect(() => {
    lore
      .turn(chatId, messageId)
      .then(setView)
      .catch((e: AppError) => setError(e))
  }, [chatId, messageId])
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose()
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [onClose])

  const turn = view?.turn
  const act = turn?.trace.lorebook
  const ret = turn?.trace.retrieval
  const citationOf = new Map((turn?.passages ?? []).map((p) => [p.chunkId, p.citation]))
  // A line of each chunk's own words, so a writer sees what it is without opening it.
  const lineOf = new Map((turn?.passages ?? []).map((p) => [p.chunkId, firstLine(p.text)]))
  return (
    <Dialog label="Activation debugger" className="activation" onClose={onClose}>
        <div className="row between">
          <h2>Lore used for this reply</h2>
          <button onClick={onClose}>Close</button>
        </div>
        <Problem error={error} />
        {!view && !error && <p className="muted">Reading the turn…</p>}
        {view && turn && (
          <>
            <p className="muted small">
              {view.persona}
              {view.personaVersion ? ` v${view.personaVersion}` : ''} · {modeLabel(view.mode || 'base')} mode{view.line && <> · answering “{view.line}”</>}
            </p>
            {turn.notes.map((n) => (
              <p key={n} className="activation-note">
                {n}
              </p>
            ))}
            <p className="small">
              Knowledge boundary:{' '}
              {turn.allLore ? <strong className="warning-text">none: all lore</strong> : <strong>{(turn.collections ?? []).join(', ') || '—'}</strong>}
            </p>

            <section aria-label="Lorebook entries">
              <h3>Lorebook</h3>
              {!act ? (
                <p className="muted small">The persona has no lorebook entries.</p>
              ) : (
                <LorebookActivation act={act} citations={turn.entryCitations ?? []} />
              )}
            </section>

            <section aria-label="Retrieved chunks">
              <h3>Retrieved chunks</h3>
              {!ret ? (
                <p className="muted small">Nothing was retrieved for this reply.</p>
              ) : (
                <>
                  <p className="muted small">
                    {ret.mode} search{ret.embedder ? ` with ${ret.embedder}` : ''} for “{ret.query}” · {ret.candidates.length} found
                    {ret.notice && <span className="warning-text"> · {ret.notice}</span>}
                  </p>
                  <div className="budget" aria-label="Token budget">
                    <progress value={ret.tokensUsed} max={Math.max(ret.tokenBudget, 1)} />
                    <span className="small">
                      {ret.tokensUsed} of {ret.tokenBudget} tokens used
                    </span>
                  </div>
                  <table className="table activation-table" aria-label="Candidates">
                    <thead>
                      <tr>
                        <th>#</th>
                        <th>Chunk</th>
                        <th>Scores</th>
                        <th className="num">Tokens</th>
                        <th>In the prompt</th>
                      </tr>
                    </thead>
                    <tbody>
                      {ret.candidates.map((c, i) => (
                        <tr key={c.chunkId} className={c.used ? '' : 'cut-row'}>
                          <td>{i + 1}</td>
                          <td>
                            <span className="mono">
                              {c.doc} #{c.chunk}
                            </span>
                            {lineOf.get(c.chunkId) && <div className="chunk-line small">{lineOf.get(c.chunkId)}</div>}
                          </td>
                          <td>
                            <Scores r={c} />
                          </td>
                          <td className="num">{c.tokens}</td>
                          <td className={c.used ? 'ok small' : 'fail small'}>{c.used ? `yes [${citationOf.get(c.chunkId) ?? '?'}]` : `cut: ${c.reason ?? ''}`}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </>
              )}
            </section>

            {turn.passages.length > 0 && (
              <section aria-label="Citations">
                <h3>Citations</h3>
                <ol className="activation-citations">
                  {turn.passages.map((p) => (
                    <li key={p.chunkId}>
                      <span className="citation-id">[{p.citation}]</span> <span className="mono small">{p.doc}</span>{' '}
                      <span className="muted small">
                        chunk {p.chunk} ({p.chunkId}) · bytes {p.start}–{p.end}
                        {p.heading ? ` · ${p.heading}` : ''}
                        {p.page ? ` · page ${p.page}` : ''}
                      </span>
                      <div className="chunk-line small">{firstLine(p.text)}</div>
                      <details>
                        <summary className="small">whole text</summary>
                        <div className="chunk-text">{p.text}</div>
                      </details>
                    </li>
                  ))}
                </ol>
              </section>
            )}
          </>
        )}
    </Dialog>
  )
}

// LorebookActivation lists the entries a lorebook fired, on which words and where, and the
// ones its token budget cut.
export function LorebookActivation({ act, citations }: { act: Activation; citations: string[] }) {
  return (
    <>
      <p className="muted small">
        {act.fired.length} fired, {act.cut.length} cut · {act.tokensUsed}
        {act.tokenBudget ? ` of ${act.tokenBudget}` : ''} tokens · scanned {act.scanned} {act.scanned === 1 ? 'message' : 'messages'}
      </p>
      {act.fired.length + act.cut.length > 0 && (
        <table className="table activation-table">
          <thead>
            <tr>
              <th>Entry</th>
              <th>Fired on</th>
              <th className="num">Tokens</th>
              <th>In the prompt</th>
            </tr>
          </thead>
          <tbody>
            {act.fired.map((f, i) => (
              <tr key={`f${f.index}`}>
                <td>
                  <strong>{f.name || f.comment || `Entry ${f.index + 1}`}</strong>
                  <div className="muted small">{f.content}</div>
                </td>
                <td>
                  {f.constant && <span className="badge">constant</span>}
                  {(f.keys ?? []).map((k) => (
                    <div key={k.key} className="small">
                      <mark className="fired-word">{k.text}</mark> <span className="muted">({where(k)})</span>
                    </div>
                  ))}
                  {(f.secondary ?? []).length > 0 && (
                    <div className="muted small">
                      and {f.logic}: {(f.secondary ?? []).map((k) => k.text).join(', ')}
                    </div>
                  )}
                  {f.recursion > 0 && <div className="muted small">recursion pass {f.recursion}</div>}
                </td>
                <td className="num">{f.tokens}</td>
                <td className="ok small">yes{citations[i] ? ` [${citations[i]}]` : ''}</td>
              </tr>
            ))}
            {act.cut.map((f) => (
              <tr key={`c${f.index}`} className="cut-row">
                <td>
                  <strong>{f.name || f.comment || `Entry ${f.index + 1}`}</strong>
                </td>
                <td className="small">{(f.keys ?? []).map((k) => k.text).join(', ')}</td>
                <td className="num">{f.tokens}</td>
                <td className="fail small">cut: {f.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {(act.errors ?? []).map((e) => (
        <p key={e} className="error small">
          {e}
        </p>
      ))}
    </>
  )
}

// firstLine is the start of a chunk's text on one line, cut at a word near 140 characters.
export function firstLine(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim()
  if (t.length <= 140) return t
  const cut = t.lastIndexOf(' ', 140)
  return `${t.slice(0, cut > 80 ? cut : 140)}…`
}
