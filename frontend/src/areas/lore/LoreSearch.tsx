import { Problem } from '../../components/Problem'
import { useState } from 'react'
import { lore, type AppError, type LoreMode, type LoreResult, type LoreResults, type LoreStatus } from '../../bridge'

// LoreSearch searches the library by keyword, vector or both, filtered by collections and
// tags, and shows each result with the scores of the rankers that found it.
export function LoreSearch({ status }: { status: LoreStatus | null }) {
  const [text, setText] = useState('')
  const [mode, setMode] = useState<LoreMode | ''>('')
  const [k, setK] = useState(5)
  const [collections, setCollections] = useState<string[]>([])
  const [tags, setTags] = useState<string[]>([])
  const [res, setRes] = useState<LoreResults | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<AppError | null>(null)
  const vectors = status?.embedding.state === 'ready' || !!status?.embedding.searching

  const search = () => {
    setBusy(true)
    setError(null)
    const tagMap: Record<string, string> = {}
    for (const t of tags) {
      const i = t.indexOf('=')
      tagMap[t.slice(0, i)] = t.slice(i + 1)
    }
    lore
      .search({ text, k, mode, collections, tags: tagMap })
      .then(setRes)
      .catch((e: AppError) => {
        setRes(null)
        setError(e)
      })
      .finally(() => setBusy(false))
  }
  const toggle = (list: string[], v: string, set: (l: string[]) => void) => set(list.includes(v) ? list.filter((x) => x !== v) : [...list, v])

  return (
    <div className="lore-search">
      <form
        className="lore-search-form"
        aria-label="Search lore"
        onSubmit={(e) => {
          e.preventDefault()
          if (text.trim()) search()
        }}
      >
        <div className="row">
          <input aria-label="Search the lore" value={text} onChange={(e) => setText(e.target.value)} placeholder="Who controls the obsidian trade?" />
          <select aria-label="Search mode" value={mode} onChange={(e) => setMode(e.target.value as LoreMode | '')}>
            <option value="">Best available ({vectors ? 'words and meaning' : 'exact words'})</option>
            <option value="keyword" title="BM25: ranks by how often the words appear, rarer words counting more">
              Exact words
            </option>
            <option value="vector" disabled={!vectors} title="Vector search: finds passages close in meaning (needs an embedder)">
              Similar meaning
            </option>
            <option value="hybrid" title="Both rankings merged (reciprocal rank fusion)">
              Words and meaning
            </option>
          </select>
          <label className="inline">
            k
            <input aria-label="Results" type="number" min={1} max={100} value={k} onChange={(e) => setK(Number(e.target.value))} />
          </label>
          <button className="primary" type="submit" disabled={busy || !text.trim()}>
            {busy ? 'Searching…' : 'Search'}
          </button>
        </div>
        <div className="lore-filters">
          <fieldset>
            <legend className="small muted">Collections (any of)</legend>
            {(status?.collections ?? []).map((c) => (
              <label key={c.name} className="check">
                <input type="checkbox" checked={collections.includes(c.name)} onChange={() => toggle(collections, c.name, setCollections)} />
                {c.name || '(none)'} <span className="muted small">{c.docs}</span>
              </label>
            ))}
          </fieldset>
          {(status?.tags.length ?? 0) > 0 && (
            <fieldset>
              <legend className="small muted">Tags (all of)</legend>
              {status?.tags.map((t) => {
                const v = `${t.key}=${t.value}`
                return (
                  <label key={v} className="check">
                    <input type="checkbox" checked={tags.includes(v)} onChange={() => toggle(tags, v, setTags)} />
                    {v} <span className="muted small">{t.docs}</span>
                  </label>
                )
              })}
            </fieldset>
          )}
        </div>
      </form>
      <Problem error={error} />
      {res && (
        <>
          <p className="muted small" role="status">
            {res.results.length} {res.results.length === 1 ? 'result' : 'results'} · {res.mode} search{res.embedder ? ` with ${res.embedder}` : ''}
            {res.notice && <span className="warning-text"> · {res.notice}</span>}
          </p>
          <ResultList results={res.results} />
        </>
      )}
    </div>
  )
}

// ResultList shows search results with their per-ranker scores and the exact chunk.
export function ResultList({ results }: { results: LoreResult[] }) {
  if (results.length === 0) return <p className="empty">Nothing found.</p>
  return (
    <ol className="lore-results" aria-label="Search results">
      {results.map((r, i) => (
        <li key={r.chunkId || `${r.doc}#${r.chunk}`} className="lore-result" aria-label={`Result ${i + 1}`}>
          <header className="row">
            <span className="citation-id">{i + 1}</span>
            <span className="mono">
              {r.doc} #{r.chunk}
            </span>
            {r.collection && <span className="badge">{r.collection}</span>}
            {r.heading && <span className="muted small">{r.heading}</span>}
            <span className="spacer" />
            <Scores r={r} />
          </header>
          <div className="chunk-text">{r.text}</div>
        </li>
      ))}
    </ol>
  )
}

export function Scores({ r }: { r: { score: number; relevance?: number; keyword?: { rank: number; score: number }; vector?: { rank: number; score: number } } }) {
  return (
    <span className="scores small" aria-label="Scores">
      <span className="score" title="The score the results are ranked by">
        {r.score.toFixed(4)}
      </span>
      {r.keyword && (
        <span className="ranker" title="Exact-words (BM25) score and place">
          keyword #{r.keyword.rank} · {r.keyword.score.toFixed(3)}
        </span>
      )}
      {r.vector && (
        <span className="ranker" title="Cosine similarity and place">
          vector #{r.vector.rank} · {r.vector.score.toFixed(3)}
        </span>
      )}
      {!r.vector && r.relevance !== undefined && (
        <span className="ranker" title="Cosine similarity to the query (the vector ranker did not place it): what the relevance floor checks">
          relevance {r.relevance.toFixed(3)}
        </span>
      )}
    </span>
  )
}
