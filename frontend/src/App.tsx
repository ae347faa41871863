import { Suspense, useCallback, useEffect, useState } from 'react'
import { areas, findArea, prefetchAreas, type Area } from './areas'
import { personas, providers, settings, workspace, type app, type AppError } from './bridge'
import { landing } from './areas/start/presets'
import { applyTheme } from './components/theme'
import { StatusBar } from './components/StatusBar'
import { WorkspaceProblem } from './components/WorkspaceProblem'

export function App() {
  // The area is known once the workspace is: an empty one opens on the first-run checklist.
  const [areaId, setAreaId] = useState('')
  const [areaArg, setAreaArg] = useState<string | undefined>(undefined)
  const go = useCallback((id: string, arg?: string) => {
    setAreaArg(arg)
    setAreaId(id)
  }, [])
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
    if (areaId) window.location.hash = `/${areaId}`
  }, [areaId])
  useEffect(() => {
    if (areaId || !status?.open) return
    const first = areas[0]?.id ?? 'personas'
    Promise.all([providers.list(), personas.list('', 0, 1)])
      .then(([pr, pe]) => setAreaId(landing(window.location.hash, pr.length > 0, pe.total > 0, first)))
      .catch(() => setAreaId(landing(window.location.hash, true, true, first)))
  }, [areaId, status?.open])

  if (loadError) return <WorkspaceProblem title="NPC Studio could not start" error={loadError} />
  if (!status || (status.open && !areaId)) return <div className="boot">Opening workspace…</div>
  if (!status.open && status.error) {
    return <WorkspaceProblem title="The workspace could not be opened" error={status.error} status={status} onRetry={reopen} />
  }

  const area = findArea(areaId)
  const Page = area.component
  return (
    <div className="shell">
      <nav className="nav" aria-label="Areas">
        <div className="brand">
          <span className="brand-mark">◆</span> <span className="nav-label">NPC Studio</span>
        </div>
        <AreaLinks areas={areas.filter((a) => !a.bottom && !a.hidden)} current={area.id} onPick={(id) => go(id)} />
        <AreaLinks className="nav-bottom" areas={areas.filter((a) => a.bottom && (!a.hidden || a.id === area.id))} current={area.id} onPick={(id) => go(id)} />
      </nav>
      <main className="main">
        <Suspense fallback={<div className="boot">Loading…</div>}>
          <Page refresh={refresh} go={go} {...(areaArg !== undefined ? { arg: areaArg } : {})} />
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
          <button title={a.label} className={a.id === props.current ? 'active' : ''} onClick={() => props.onPick(a.id)} aria-current={a.id === props.current ? 'page' : undefined}>
            <span className="icon" aria-hidden>
              {a.icon}
            </span>
            <span className="nav-label">{a.label}</span>
          </button>
        </li>
      ))}
    </ul>
  )
}
