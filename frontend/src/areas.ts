import { lazy, type ComponentType } from 'react'
import { PersonasPage } from './areas/personas/PersonasPage'

// The landing area is in the first bundle; the others load on first visit (and are fetched
// in the background once the first page has painted, see prefetchAreas), which keeps the
// window's first paint and idle memory small.
const loaders = {
  chat: () => import('./areas/chat/ChatPage').then((m) => ({ default: m.ChatPage })),
  lore: () => import('./areas/lore/LorePage').then((m) => ({ default: m.LorePage })),
  batch: () => import('./areas/batch/BatchPage').then((m) => ({ default: m.BatchPage })),
  tests: () => import('./areas/tests/TestsPage').then((m) => ({ default: m.TestsPage })),
  datasets: () => import('./areas/datasets/DatasetsPage').then((m) => ({ default: m.DatasetsPage })),
  cloud: () => import('./areas/cloud/CloudPage').then((m) => ({ default: m.CloudPage })),
  models: () => import('./areas/models/ModelsPage').then((m) => ({ default: m.ModelsPage })),
  workspace: () => import('./areas/workspace/WorkspaceHome').then((m) => ({ default: m.WorkspaceHome })),
  settings: () => import('./areas/settings/SettingsPage').then((m) => ({ default: m.SettingsPage })),
  start: () => import('./areas/start/FirstRun').then((m) => ({ default: m.FirstRun })),
}

// An area appears in the navigation when its feature exists.
export interface Area {
  id: string
  label: string
  icon: string
  component: ComponentType<AreaProps>
  // bottom areas sit at the foot of the navigation (settings)
  bottom?: boolean
  // hidden areas are reached by a link, not from the navigation (the first-run checklist)
  hidden?: boolean
}

export interface AreaProps {
  // refresh asks the shell to reload the status bar (after a change it shows)
  refresh: () => void
  // go opens another area; arg is for it to act on (Chat opens the chat whose id it is).
  go: (areaId: string, arg?: string) => void
  // arg is what the area was opened with by go, if anything.
  arg?: string
}

export const areas: Area[] = [
  { id: 'personas', label: 'Personas', icon: '☺', component: PersonasPage },
  { id: 'chat', label: 'Chat', icon: '❝', component: lazy(loaders.chat) },
  { id: 'lore', label: 'Lore', icon: '§', component: lazy(loaders.lore) },
  { id: 'batch', label: 'Batch', icon: '≣', component: lazy(loaders.batch) },
  { id: 'tests', label: 'Tests', icon: '✓', component: lazy(loaders.tests) },
  { id: 'datasets', label: 'Datasets', icon: '▤', component: lazy(loaders.datasets) },
  { id: 'cloud', label: 'Cloud', icon: '☁', component: lazy(loaders.cloud) },
  { id: 'models', label: 'Models', icon: '◎', component: lazy(loaders.models) },
  { id: 'workspace', label: 'Workspace', icon: '◈', component: lazy(loaders.workspace) },
  { id: 'settings', label: 'Settings', icon: '⚙', component: lazy(loaders.settings), bottom: true },
  { id: 'start', label: 'Get started', icon: '✦', component: lazy(loaders.start), bottom: true, hidden: true },
]

// prefetchAreas fetches the other areas' code while the writer reads the first page.
export function prefetchAreas(): void {
  for (const load of Object.values(loaders)) void load()
}

export function findArea(id: string): Area {
  const a = areas.find((x) => x.id === id) ?? areas[0]
  if (!a) throw new Error('no areas')
  return a
}
