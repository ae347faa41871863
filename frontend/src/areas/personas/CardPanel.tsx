import { Problem } from '../../components/Problem'
import { useState } from 'react'
import { FileField, filters } from '../../components/FileField'
import { personas, type AppError, type CardFormat, type PersonaEdit, type PersonaVersion } from '../../bridge'

// matchSentence is Go's card_matches message without the file it starts with.
function matchSentence(message: string): string {
  const at = message.indexOf(': a persona called')
  const s = at >= 0 ? message.slice(at + 2) : message
  return s.charAt(0).toUpperCase() + s.slice(1) + '.'
}

// CardPanel imports a Character Card file as a new persona and exports the selected one.
// Files are named by path; Go reads and writes them.
export function CardPanel(props: { selected: PersonaEdit | null; onImported: (v: PersonaVersion) => void }) {
  const { selected, onImported } = props
  const [importPath, setImportPath] = useState('')
  const [exportPath, setExportPath] = useState('')
  const [format, setFormat] = useState<CardFormat>('ccv3')
  const [png, setPng] = useState(false)
  const [msg, setMsg] = useState('')
  const [warnings, setWarnings] = useState<string[]>([])
  const [error, setError] = useState<AppError | null>(null)
  const [busy, setBusy] = useState(false)
  // match is a card refused because a persona of its name exists: the writer chooses.
  const [match, setMatch] = useState<AppError | null>(null)

  const run = (what: () => Promise<string>) => {
    setBusy(true)
    setMsg('')
    setWarnings([])
    setError(null)
    setMatch(null)
    what()
      .then(setMsg)
      .catch((e: AppError) => (e.code === 'card_matches' ? setMatch(e) : setError(e)))
      .finally(() => setBusy(false))
  }
  const importCard = (onMatch: '' | 'replace' | 'keepBoth') =>
    run(async () => {
      const r = await personas.importCard(importPath.trim(), onMatch)
      setWarnings(r.warnings)
      onImported(r.version)
      const kind = `${r.format.toUpperCase()}${r.png ? ' PNG' : ''}`
      if (r.unchanged) return `${r.version.persona.name} already matches this card: nothing changed.`
      return onMatch === 'replace' ? `Saved the card as version ${r.version.n} of ${r.version.persona.name} (${kind}).` : `Imported ${r.version.persona.name} (${kind}).`
    })
  return (
    <details className="card-panel" open>
      <summary>Character cards</summary>
      <div className="form">
        <FileField
          label="Card file to import"
          visibleLabel="Import a card (V1, V2 or V3; JSON or PNG)"
          filters={filters.cards}
          value={importPath}
          onChange={setImportPath}
          placeholder="~/cards/mira.png"
        />
        <button disabled={busy || !importPath.trim()} onClick={() => importCard('')}>
          Import card
        </button>
        {match && (
          <div className="card-match" role="alertdialog" aria-label="This card is already a persona">
            <p className="small">{matchSentence(match.message)}</p>
            <div className="row wrap">
              <button className="primary" onClick={() => importCard('replace')}>
                Replace (as a new version)
              </button>
              <button onClick={() => importCard('keepBoth')}>Keep both</button>
              <button onClick={() => setMatch(null)}>Cancel</button>
            </div>
          </div>
        )}
        <FileField
          label="Card file to write"
          visibleLabel={
            <>
              Export {selected ? `“${selected.persona.name}”` : 'the selected persona'} <span className="muted">(its saved version)</span>
            </>
          }
          mode="save"
          filters={filters.cards}
          suggestedName={`${selected?.persona.name || 'card'}.${png ? 'png' : 'json'}`}
          value={exportPath}
          onChange={setExportPath}
          placeholder="~/cards/mira.json"
        />
        <div className="row">
          <select aria-label="Card format" value={format} onChange={(e) => setFormat(e.target.value as CardFormat)}>
            <option value="ccv3">Card V3</option>
            <option value="ccv2">Card V2</option>
          </select>
          <label className="check">
            <input type="checkbox" checked={png} onChange={(e) => setPng(e.target.checked)} /> PNG
          </label>
          <button
            disabled={busy || !selected || !exportPath.trim()}
            onClick={() =>
              run(async () => {
                if (!selected) return ''
                const r = await personas.exportCard(selected.personaId, format, png, exportPath.trim())
                return `Wrote ${r.path} (${r.bytes.toLocaleString()} bytes).`
              })
            }
          >
            Export card
          </button>
        </div>
        {msg && <p className="success small">{msg}</p>}
        {warnings.length > 0 && (
          <ul className="small muted">
            {warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        )}
        {error && (
          <Problem error={error} className="small" />
        )}
      </div>
    </details>
  )
}
