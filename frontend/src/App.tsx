import { Suspense, useCallback, useEffect, useState } from 'react'
import { areas, findArea, prefetchAreas, type Area } from './areas'
import { settings, workspace, type app, type AppError } from './bridge'
import { applyTheme } from './components/theme'
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
  // The page painted with the theme Go wrote into it; a theme changed elsewhere since (the
  // command line) follows here.
  useEffect(() => {
    settings
      .get()
      .then((s) => applyTheme(s.theme))
      .catch(() => {})
  }, [])
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
        <AreaLinks areas={areas.filter((a) => !a.bottom)} current={area.id} onPick={setAreaId} />
        <AreaLinks className="nav-bottom" areas={areas.filter((a) => a.bottom)} current={area.id} onPick={setAreaId} />
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

function AreaLinks(props: { areas: Area[]; current: string; onPick: (id: string) => void; className?: string }) {
  return (
    <ul className={props.className}>
      {props.areas.map((a) => (
        <li key={a.id}>
          <button className={a.id === props.current ? 'active' : ''} onClick={() => props.onPick(a.id)} aria-current={a.id === props.current ? 'page' : undefined}>
            <span className="icon" aria-hidden>
              {a.icon}
            </span>
            {a.label}
          </button>
        </li>
      ))}
    </ul>
  )
}
