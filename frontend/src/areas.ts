import type { ComponentType } from 'react'
import { PersonasPage } from './areas/personas/PersonasPage'
import { ChatPage } from './areas/chat/ChatPage'
import { DatasetsPage } from './areas/datasets/DatasetsPage'
import { LorePage } from './areas/lore/LorePage'
import { WorkspaceHome } from './areas/workspace/WorkspaceHome'
import { SettingsPage } from './areas/settings/SettingsPage'

// An area appears in the navigation when its feature exists.
export interface Area {
  id: string
  label: string
  icon: string
  component: ComponentType<AreaProps>
  // bottom areas sit at the foot of the navigation (settings)
  bottom?: boolean
}

export interface AreaProps {
  // refresh asks the shell to reload the status bar (after a change it shows)
  refresh: () => void
}

export const areas: Area[] = [
  { id: 'personas', label: 'Personas', icon: '☺', component: PersonasPage },
  { id: 'chat', label: 'Chat', icon: '❝', component: ChatPage },
  { id: 'lore', label: 'Lore', icon: '§', component: LorePage },
  { id: 'datasets', label: 'Datasets', icon: '▤', component: DatasetsPage },
  { id: 'workspace', label: 'Workspace', icon: '◈', component: WorkspaceHome },
  { id: 'settings', label: 'Settings', icon: '⚙', component: SettingsPage, bottom: true },
]

export function findArea(id: string): Area {
  const a = areas.find((x) => x.id === id) ?? areas[0]
  if (!a) throw new Error('no areas')
  return a
}
