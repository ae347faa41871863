import { Problem } from '../../components/Problem'
import { useCallback, useEffect, useState } from 'react'
import type { AreaProps } from '../../areas'
import { lore, type AppError, type LoreStatus } from '../../bridge'
import { plural } from '../../format'
import { EmbedderSettings } from './EmbedderSettings'
import { embedLabel } from './format'
import { LorebooksPanel } from './LorebooksPanel'
import { LoreLibrary } from './LoreLibrary'
import { LoreSearch } from './LoreSearch'
import { RagSettings } from './RagSettings'
import { TeamIndexPanel } from './TeamIndexPanel'

const tabs = [
  { id: 'library', label: 'Library' },
  { id: 'search', label: 'Search' },
  { id: 'embedder', label: 'Embedder' },
  { id: 'team', label: 'Team index' },
  { id: 'lorebooks', label: 'Lorebooks' },
] as const
type TabId = (typeof tabs)[number]['id']

// LorePage is the lore library: documents and their chunks, search, the embedder, the team
// index on OpenSearch, and lorebooks.
export function LorePage(_: AreaProps) {
  const [tab, setTab] = useState<TabId>('library')
  const [status, setStatus] = useState<LoreStatus | null>(null)
  const [error, setError] = useState<AppError | null>(null)
  const reload = useCallback(() => {
    lore
      .status()
      .then((s) => {
        setStatus(s)
        setError(null)
      })
      .catch((e: AppError) => setError(e))
  }, [])
  useEffect(reload, [reload])
  // The summary follows background embedding until it ends, so it never keeps a stale
  // "embedding" (an empty library is ready moments after it opens).
  const embedding = status?.embedding.state === 'embedding'
  useEffect(() => {
    if (!embedding) return
    let live = true
    const show = (p: LoreStatus['embedding']) => live && setStatus((s) => (s ? { ...s, embedding: p } : s))
    lore
      .watchEmbedding(show)
      .then(show)
      .catch((e: AppError) => live && setError(e))
    return () => {
      live = false
    }
  }, [embedding])

  return (
    <div className="page lore-page">
      <div className="page-head">
        <div>
          <h1>Lore</h1>
          {status && (
            <p className="muted small" aria-label="Library summary">
              {plural(status.documents, 'document')} · {plural(status.chunks, 'chunk')} · {plural(status.collections.length, 'collection')} · {embedLabel(status.embedding)}
              {status.team && ` · team index ${status.team.index}`}
            </p>
          )}
        </div>
      </div>
      <div className="tabs" role="tablist">
        {tabs.map((t) => (
          <button key={t.id} role="tab" aria-selected={tab === t.id} className={tab === t.id ? 'active' : ''} onClick={() => setTab(t.id)}>
            {t.label}
          </button>
        ))}
      </div>
      <Problem error={error} />
      <div className="lore-body">
        {tab === 'library' && <LoreLibrary status={status} onChanged={reload} />}
        {tab === 'search' && <LoreSearch status={status} />}
        {tab === 'embedder' && (
          <>
            <EmbedderSettings key={status ? 'ready' : 'loading'} status={status} onChanged={reload} />
            <RagSettings />
          </>
        )}
        {tab === 'team' && <TeamIndexPanel status={status} onChanged={reload} />}
        {tab === 'lorebooks' && <LorebooksPanel />}
      </div>
    </div>
  )
}
