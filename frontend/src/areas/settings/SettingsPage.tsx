import { useState } from 'react'
import type { AreaProps } from '../../areas'
import { ProvidersPanel } from './ProvidersPanel'
import { WriterPanel } from './WriterPanel'
import { ArchivePanel } from './ArchivePanel'

const tabs = [
  { id: 'providers', label: 'Providers' },
  { id: 'writer', label: 'Writer' },
  { id: 'workspace', label: 'Workspace file' },
] as const

type TabId = (typeof tabs)[number]['id']

export function SettingsPage({ refresh }: AreaProps) {
  const [tab, setTab] = useState<TabId>('providers')
  return (
    <section className="page">
      <header className="page-head">
        <h1>Settings</h1>
      </header>
      <div className="tabs" role="tablist">
        {tabs.map((t) => (
          <button key={t.id} role="tab" aria-selected={tab === t.id} className={tab === t.id ? 'active' : ''} onClick={() => setTab(t.id)}>
            {t.label}
          </button>
        ))}
      </div>
      {tab === 'providers' && <ProvidersPanel />}
      {tab === 'writer' && <WriterPanel />}
      {tab === 'workspace' && <ArchivePanel refresh={refresh} />}
    </section>
  )
}
