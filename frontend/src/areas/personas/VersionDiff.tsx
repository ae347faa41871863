import type { app } from '../../bridge'
import { fieldLabel, pieces, wordCounts } from './diffView'

// VersionDiff shows each field that changed between two versions, with deleted words struck
// through and inserted words highlighted.
export function VersionDiff(props: { diff: app.PersonaDiff }) {
  const { diff } = props
  return (
    <section className="version-diff" aria-label={`Changes from version ${diff.from.n} to version ${diff.to.n}`}>
      <h2>
        Version {diff.from.n} → version {diff.to.n}
      </h2>
      {diff.fields.length === 0 && <p className="empty">No differences.</p>}
      {diff.fields.map((f) => {
        const c = wordCounts(f.segments)
        return (
          <article className="diff-field" key={f.field} aria-label={fieldLabel(f.field)}>
            <header className="row between">
              <strong>{fieldLabel(f.field)}</strong>
              <span className="muted small">
                {f.change}
                {c.inserted > 0 && <span className="diff-count ins"> +{c.inserted}</span>}
                {c.deleted > 0 && <span className="diff-count del"> −{c.deleted}</span>}
              </span>
            </header>
            <p className="diff-text">
              {pieces(f.segments).map((p, i) => {
                switch (p.op) {
                  case 'insert':
                    return <ins key={i}>{p.text}</ins>
                  case 'delete':
                    return <del key={i}>{p.text}</del>
                  case 'elided':
                    return (
                      <span key={i} className="elided" title="unchanged text">
                        {' '}
                        …{' '}
                      </span>
                    )
                  default:
                    return <span key={i}>{p.text}</span>
                }
              })}
            </p>
          </article>
        )
      })}
    </section>
  )
}
