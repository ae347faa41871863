import { Problem } from '../../components/Problem'
import { useCallback, useEffect, useState } from 'react'
import { personas, type app, type AppError, type PersonaEdit, type PersonaVersion, type persona } from '../../bridge'
import { VersionDiff } from './VersionDiff'

export function when(savedAt: string): string {
  const d = new Date(savedAt)
  return Number.isNaN(d.getTime()) ? savedAt : d.toLocaleString()
}

// VersionHistory lists a persona's versions with their author and time. The writer picks two
// to compare, restores an old one, or saves one as a new persona.
export function VersionHistory(props: {
  current: PersonaEdit
  onRestored: (v: PersonaVersion) => void
  onCopied: (v: PersonaVersion) => void
}) {
  const { current, onRestored, onCopied } = props
  const id = current.personaId
  const [versions, setVersions] = useState<persona.VersionInfo[]>([])
  const [from, setFrom] = useState(0)
  const [to, setTo] = useState(0)
  const [diff, setDiff] = useState<app.PersonaDiff | null>(null)
  const [copyOf, setCopyOf] = useState<persona.VersionInfo | null>(null)
  const [copyName, setCopyName] = useState('')
  const [msg, setMsg] = useState('')
  const [error, setError] = useState<AppError | null>(null)

  useEffect(() => {
    personas
      .history(id)
      .then((h) => {
        setVersions(h)
        setTo(h[0]?.n ?? 0)
        setFrom(h[1]?.n ?? h[0]?.n ?? 0)
      })
      .catch(setError)
  }, [id, current.n])

  const compare = useCallback(() => {
    if (!from || !to) return
    personas
      .diff(id, from, to)
      .then((d) => {
        setDiff(d)
        setError(null)
      })
      .catch(setError)
  }, [id, from, to])

  const restore = (n: number) => {
    personas
      .restore(id, n)
      .then((v) => {
        setMsg(v.n === current.n ? `Version ${n} is already the current one.` : `Restored version ${n} as version ${v.n}.`)
        setDiff(null)
        onRestored(v)
      })
      .catch(setError)
  }

  const copy = () => {
    if (!copyOf) return
    personas
      .saveAsNew(id, copyOf.n, copyName)
      .then((v) => {
        setCopyOf(null)
        setMsg(`Saved version ${copyOf.n} as the new persona “${v.persona.name}”.`)
        onCopied(v)
      })
      .catch(setError)
  }

  return (
    <div className="version-history">
      <table className="table" aria-label="Versions">
        <thead>
          <tr>
            <th title="compare from">From</th>
            <th title="compare to">To</th>
            <th>Version</th>
            <th>Saved</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {versions.map((v) => (
            <tr key={v.n} aria-label={`Version ${v.n}`} className={v.n === current.n ? 'current' : undefined}>
              <td>
                <input type="radio" name="diff-from" aria-label={`Compare from version ${v.n}`} checked={from === v.n} onChange={() => setFrom(v.n)} />
              </td>
              <td>
                <input type="radio" name="diff-to" aria-label={`Compare to version ${v.n}`} checked={to === v.n} onChange={() => setTo(v.n)} />
              </td>
              <td>
                v{v.n}
                {v.n === current.n && <span className="badge">current</span>}
                {v.note && <div className="muted small">{v.note}</div>}
              </td>
              <td>
                {when(v.savedAt)}
                <div className="muted small">by {v.author}</div>
              </td>
              <td className="actions">
                <div className="version-actions">
                {v.n !== current.n && <button onClick={() => restore(v.n)}>Restore</button>}
                <button
                  onClick={() => {
                    setCopyOf(v)
                    setCopyName(`${v.name} (copy)`)
                  }}
                >
                  Save as new persona
                </button>
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {copyOf && (
        <div className="row card" aria-label="Save as new persona">
          <span>Version {copyOf.n} as a new persona named</span>
          <input aria-label="New persona name" value={copyName} onChange={(e) => setCopyName(e.target.value)} />
          <button className="primary" onClick={copy} disabled={!copyName.trim()}>
            Create
          </button>
          <button onClick={() => setCopyOf(null)}>Cancel</button>
        </div>
      )}
      <div className="row">
        <button className="primary" onClick={compare} disabled={!from || !to || versions.length < 1}>
          Compare v{from} with v{to}
        </button>
        {versions.length < 2 && <span className="muted small">Save a change to have two versions to compare.</span>}
      </div>
      {msg && <p className="success">{msg}</p>}
      <Problem error={error} />
      {diff && <VersionDiff diff={diff} />}
    </div>
  )
}
