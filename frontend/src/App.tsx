import { Suspense, useCallback, useEffect, useState } from 'react'
import { areas, findArea, prefetchAreas } from './areas'
import { workspace, type app, type AppError } from './bridge'
import { StatusBar } from './components/StatusBar'
import { WorkspaceProblem } from './components/WorkspaceProblem'

function initialArea(): string {
  const h = window.location.hash.replace(/^#\/?/, '')
  return h || areas[0]?.id || 'workspace'
}

export function App() {
  const [areaId, setAreaId] = useState(initialArea)
  const [status, setStatus] = useState<app.WorkspaceStatus | null>(null)
  const [loadError, setLoadError] = useState<AppError | null>(null)

  const refresh = useCallback(() => {
    workspace
      .status()
      .then((s) => {
        setStatus(s)
        setLoadError(null)
      })
      .catch((e: AppError) => setLoadError(e))
  }, [])

  const reopen = useCallback(() => {
    workspace
      .reopen()
      .then(setStatus)
      .catch((e: AppError) => setLoadError(e))
  }, [])

  useEffect(refresh, [refresh])
  // Once the first page has painted, fetch the other areas' code in the background.
  useEffect(() => {
    if (!status?.open) return
    const idle = window.requestIdleCallback ?? ((cb: () => void) => window.setTimeout(cb, 200))
    idle(() => prefetchAreas())
  }, [status?.open])
  useEffect(() => {
    window.location.hash = `/${areaId}`
  }, [areaId])

  if (loadError) return <WorkspaceProblem title="NPC Studio could not start" error={loadError} />
  if (!status) return <div className="boot">Opening workspace…</div>
  if (!status.open && status.error) {
    return <WorkspaceProblem title="The workspace could not be opened" error={status.error} status={status} onRetry={reopen} />
  }

  const area = findArea(areaId)
  const Page = area.component
  return (
    <div className="shell">
      <nav className="nav" aria-label="Areas">
        <div className="brand">
          <span className="brand-mark">◆</span> NPC Studio
        </div>
        <ul>
          {areas
            .filter((a) => !a.bottom)
            .map((a) => (
              <li key={a.id}>
                <button className={a.id === area.id ? 'active' : ''} onClick={() => setAreaId(a.id)} aria-current={a.id === area.id ? 'page' : undefined}>
                  <span className="icon" aria-hidden>
                    {a.icon}
                  </span>
                  {a.label}
                </button>
              </li>
            ))}
        </ul>
        <ul className="nav-bottom">
          {areas
            .filter((a) => a.bottom)
            .map((a) => (
              <li key={a.id}>
                <button className={a.id === area.id ? 'active' : ''} onClick={() => setAreaId(a.id)} aria-current={a.id === area.id ? 'page' : undefined}>
                  <span className="icon" aria-hidden>
                    {a.icon}
                  </span>
                  {a.label}
                </button>
              </li>
            ))}
        </ul>
      </nav>
      <main className="main">
        <Suspense fallback={<div className="boot">Loading…</div>}>
          <Page refresh={refresh} />
        </Suspense>
      </main>
      <StatusBar status={status} />
    </div>
  )
}
