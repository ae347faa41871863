import type { Citation } from '../../bridge'

// Citations lists the lore passages a RAG reply's prompt carried, by the ids the model cites.
export function Citations({ citations }: { citations: Citation[] }) {
  if (citations.length === 0) return null
  return (
    <details className="citations">
      <summary>
        {citations.length} lore {citations.length === 1 ? 'passage' : 'passages'} cited
      </summary>
      <ol aria-label="Citations">
        {citations.map((c) => (
          <li key={c.id}>
            <span className="citation-id">[{c.id}]</span> <span className="mono small">{c.doc} #{c.chunk}</span>{' '}
            <span className="muted small">score {c.score.toFixed(2)}</span>
            <div className="citation-text">{c.text}</div>
          </li>
        ))}
      </ol>
    </details>
  )
}
