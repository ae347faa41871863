import { expect, it, vi } from 'vitest'

vi.mock('./areas/personas/PersonasPage', () => ({ PersonasPage: () => null }))
vi.mock('./areas/chat/ChatPage', () => ({ ChatPage: () => null }))
vi.mock('./areas/batch/BatchPage', () => ({ BatchPage: () => null }))
vi.mock('./areas/tests/TestsPage', () => ({ TestsPage: () => null }))
vi.mock('./areas/datasets/DatasetsPage', () => ({ DatasetsPage: () => null }))
vi.mock('./areas/lore/LorePage', () => ({ LorePage: () => null }))
vi.mock('./areas/cloud/CloudPage', () => ({ CloudPage: () => null }))
vi.mock('./areas/models/ModelsPage', () => ({ ModelsPage: () => null }))
vi.mock('./areas/workspace/WorkspaceHome', () => ({ WorkspaceHome: () => null }))
vi.mock('./areas/settings/SettingsPage', () => ({ SettingsPage: () => null }))

const { areas, findArea } = await import('./areas')

it('has unique area ids and falls back to the first', () => {
  const ids = areas.map((a) => a.id)
  expect(new Set(ids).size).toBe(ids.length)
  expect(findArea('settings').id).toBe('settings')
  expect(findArea('nope').id).toBe(areas[0]?.id)
})

it('lands writers on Personas', () => {
  expect(areas[0]?.id).toBe('personas')
})
