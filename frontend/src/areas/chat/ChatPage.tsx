import { useCallback, useEffect, useMemo, useState } from 'react'
import type { AreaProps } from '../../areas'
import { chats, personas, providers, type AppError, type ChatConfig, type ChatSetup, type ChatSummary, type persona, type provider } from '../../bridge'
import { DoFirst } from '../../components/DoFirst'
import { lastLineText } from './facts'
import { ChatView } from './ChatView'
import { CompareChat } from './CompareChat'
import { VerdictList } from './VerdictList'
import { formatWhen, modeName, plural } from '../../format'
import { Problem } from '../../components/Problem'

const tabs = [
  { id: 'chat', label: 'Chat' },
  { id: 'compare', label: 'Compare' },
  { id: 'verdicts', label: 'Verdicts' },
] as const
type TabId = (typeof tabs)[number]['id']

// ChatPage: the writer's chats on the left; a chat, a side-by-side compare, or the verdicts
// on the right.
export function ChatPage({ go, arg }: AreaProps) {
  const [tab, setTab] = useState<TabId>('chat')
  const [setup, setSetup] = useState<ChatSetup | null>(null)
  const [providerList, setProviders] = useState<provider.Provider[]>([])
  const [personaList, setPersonas] = useState<persona.PersonaSummary[]>([])
  const [list, setList] = useState<ChatSummary[]>([])
  // arg is a chat to open (the first-run checklist's hello).
  const [chatId, setChatId] = useState<string | null>(arg ?? null)
  const [newPersona, setNewPersona] = useState('')
  const [confirmDelete, setConfirmDelete] = useState<string | null>(null)
  const [verdictKey, setVerdictKey] = useState(0)
  const [error, setError] = useState<AppError | null>(null)

  const reloadList = useCallback(
    () =>
      chats
        .list()
        .then((p) => setList(p.items))
        .catch((e: AppError) => setError(e)),
    [],
  )

  useEffect(() => {
    chats.setup().then(setSetup).catch(setError)
    providers.list().then(setProviders).catch(setError)
    personas
      .list('', 0, 500)
      .then((p) => setPersonas(p.items))
      .catch(setError)
    void reloadList()
  }, [reloadList])

  const defaultConfig: ChatConfig = useMemo(() => ({ provider: providerList[0]?.name ?? '', model: '', mode: 'base' }), [providerList])
  const pid = newPersona || personaList[0]?.id || ''

  const start = () => {
    setError(null)
    chats
      .create(pid, defaultConfig)
      .then((v) => {
        setChatId(v.chat.id)
        setTab('chat')
        return reloadList()
      })
      .catch((e: AppError) => setError(e))
  }

  const remove = (id: string) => {
    if (confirmDelete !== id) {
      setConfirmDelete(id)
      return
    }
    setConfirmDelete(null)
    chats
      .remove(id)
      .then(() => {
        if (chatId === id) setChatId(null)
        return reloadList()
      })
      .catch((e: AppError) => setError(e))
  }

  const missing = providerList.length === 0 ? 'model' : personaList.length === 0 ? 'persona' : ''

  return (
    <div className="chat-area">
      <aside className="chat-side" aria-label="Chats">
        <h1>Chat</h1>
        <div className="new-chat">
          <select aria-label="Persona to chat with" value={pid} onChange={(e) => setNewPersona(e.target.value)} disabled={personaList.length === 0}>
            {personaList.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
          <button className="primary" disabled={!pid} onClick={start}>
            New chat
          </button>
        </div>
        <ul className="chat-list">
          {list.map((c) => (
            <li key={c.id}>
              <button
                className={`chat-row${c.id === chatId && tab === 'chat' ? ' active' : ''}`}
                onClick={() => {
                  setChatId(c.id)
                  setTab('chat')
                }}
              >
                <span className="chat-row-name">
                  {c.personaName}
                  <span className="chat-row-when">{formatWhen(c.updatedAt)}</span>
                </span>
                <span className="chat-row-title">{c.title || 'New chat'}</span>
                {c.lastLine && (
                  <span className="chat-row-last" title={c.lastLine}>
                    {lastLineText(c.lastRole, c.lastLine)}
                  </span>
                )}
                <span className="chat-row-meta">
                  {modeName(c.config.mode)} · {plural(c.messages, 'message')}
                </span>
              </button>
              <button className="icon-button chat-row-delete" aria-label={`Delete chat ${c.title || c.id}`} onClick={() => remove(c.id)} title="Delete chat">
                {confirmDelete === c.id ? 'Delete?' : '×'}
              </button>
            </li>
          ))}
          {list.length === 0 && <li className="muted small">No chats yet.</li>}
        </ul>
      </aside>
      <div className="chat-main">
        <div className="tabs" role="tablist">
          {tabs.map((t) => (
            <button key={t.id} role="tab" aria-selected={tab === t.id} className={tab === t.id ? 'active' : ''} onClick={() => setTab(t.id)}>
              {t.label}
            </button>
          ))}
        </div>
        <Problem error={error} />
        {missing === 'model' && <DoFirst action="Connect a model" onGo={() => go('start')} />}
        {missing === 'persona' && <DoFirst action="Create a persona" onGo={() => go('personas')} />}
        {tab === 'chat' &&
          (chatId ? (
            <ChatView key={chatId} chatId={chatId} providers={providerList} setup={setup} defaultConfig={defaultConfig} onChanged={reloadList} />
          ) : (
            !missing && <p className="empty">Start a new chat, or pick one on the left.</p>
          ))}
        {tab === 'compare' && !missing && (
          <CompareChat personas={personaList} providers={providerList} setup={setup} defaultConfig={defaultConfig} onVerdict={() => setVerdictKey((k) => k + 1)} />
        )}
        {tab === 'verdicts' && <VerdictList refreshKey={verdictKey} />}
      </div>
    </div>
  )
}
