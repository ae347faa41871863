import { Problem } from '../../components/Problem'
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react'
import { chats, type AppError, type ChatConfig, type ChatMessage, type ChatOp, type ChatResult, type ChatSetup, type ChatView as View, type provider } from '../../bridge'
import { ConfigPicker } from './ConfigPicker'
import { MessageBubble, StreamingBubble, type BubbleActions } from './MessageBubble'
import { SaveAsTrainingDialog } from './SaveAsTrainingDialog'
import { ActivationDebugger } from '../lore/ActivationDebugger'
import { siblingsOf } from './tree'
import { useStreams } from './useStreams'

// Streaming is a reply on its way: shown after the path up to upTo, with the player's new
// line (not yet saved) when pendingLine is set.
interface Streaming {
  op: ChatOp<ChatResult> | null
  upTo: string | null
  pendingLine: string
}

// ChatView is one chat: its active path as bubbles, the reply streaming in, and the line
// the writer types next. Every change (send, stop, regenerate, edit, swipe) is saved in Go
// and the chat is read back, so what is shown is what is kept.
export function ChatView(props: {
  chatId: string
  providers: provider.Provider[]
  setup: ChatSetup | null
  defaultConfig: ChatConfig
  onChanged: () => void
}) {
  const { chatId, providers, setup, defaultConfig, onChanged } = props
  const [view, setView] = useState<View | null>(null)
  const [config, setConfig] = useState<ChatConfig>(defaultConfig)
  const [line, setLine] = useState('')
  const [streaming, setStreaming] = useState<Streaming | null>(null)
  const [error, setError] = useState<AppError | null>(null)
  const [training, setTraining] = useState<ChatMessage | null>(null)
  const [loreUsed, setLoreUsed] = useState<ChatMessage | null>(null)
  const { columns, reset, onParts, drain } = useStreams()
  const scroller = useRef<HTMLDivElement>(null)
  const pinned = useRef(true)

  const load = useCallback(
    () =>
      chats
        .get(chatId)
        .then((v) => {
          setView(v)
          if (v.chat.config.provider) setConfig({ ...v.chat.config, model: v.chat.config.model ?? '' })
          return v
        })
        .catch((e: AppError) => {
          setError(e)
          return null
        }),
    [chatId],
  )

  useEffect(() => {
    setView(null)
    setError(null)
    setStreaming(null)
    setConfig(defaultConfig)
    void load()
    // Only a change of chat resets: defaultConfig merely seeds a chat that has no config.
  }, [load]) // eslint-disable-line react-hooks/exhaustive-deps

  // Keep the newest line in sight while it streams, unless the writer scrolled up to read.
  useLayoutEffect(() => {
    const el = scroller.current
    if (el && pinned.current) el.scrollTop = el.scrollHeight
  })
  const onScroll = () => {
    const el = scroller.current
    if (el) pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < 60
  }

  // run follows a reply from start to end, then reads the chat back.
  const run = useCallback(
    async (start: () => Promise<ChatOp<ChatResult>>, upTo: string | null, pendingLine: string) => {
      setError(null)
      reset(1)
      pinned.current = true
      setStreaming({ op: null, upTo, pendingLine })
      try {
        const op = await start()
        setStreaming((s) => (s ? { ...s, op } : s))
        await op.done
      } catch (e) {
        setError(e as AppError)
      } finally {
        drain()
        await load()
        setStreaming(null)
        onChanged()
      }
    },
    [reset, drain, load, onChanged],
  )

  const path = view ? view.path : []
  const byId = new Map((view?.messages ?? []).map((m) => [m.id, m]))
  const last = byId.get(path[path.length - 1] ?? '')

  const send = () => {
    const text = line
    if (!text.trim() || streaming) return
    setLine('')
    void run(() => chats.send(chatId, text, config, onParts), last?.id ?? null, text)
  }

  const actions: BubbleActions = {
    onSwipe: (id) => {
      chats
        .selectSwipe(chatId, id)
        .then(setView)
        .catch((e: AppError) => setError(e))
    },
    onRegenerate: (m) => void run(() => chats.regenerate(chatId, m.id, config, onParts), m.parentId, ''),
    onEdit: (m, text) => {
      chats
        .edit(chatId, m.id, text)
        .then((out) => {
          setView(out.chat)
          if (m.role === 'user') void run(() => chats.regenerate(chatId, out.message.id, config, onParts), out.message.id, '')
        })
        .catch((e: AppError) => setError(e))
    },
    onSaveTraining: (m) => setTraining(m),
    onLoreUsed: (m) => setLoreUsed(m),
  }

  // What is shown: the path, cut where a reply is streaming in.
  let shown = path
  if (streaming) {
    const i = streaming.upTo === null ? -1 : path.indexOf(streaming.upTo)
    shown = path.slice(0, i + 1)
  }
  const stream = columns[0]
  const unanswered = !streaming && last?.role === 'user'
  const personaName = view?.chat.personaName ?? ''

  return (
    <section className="chat-view" aria-label="Chat">
      <header className="chat-head">
        <div>
          <h1>{personaName || 'Chat'}</h1>
          <p className="muted small">{view?.chat.title || 'A new chat'}</p>
        </div>
        <ConfigPicker label="Chat configuration" value={config} onChange={setConfig} providers={providers} setup={setup} disabled={!!streaming} />
      </header>
      <div className="chat-scroll" ref={scroller} onScroll={onScroll}>
        <div className="chat-messages" role="log" aria-label="Messages">
          {shown.map((id) => {
            const m = byId.get(id)
            if (!m) return null
            return <MessageBubble key={id} message={m} personaName={personaName} siblings={siblingsOf(view?.messages ?? [], id)} actions={actions} busy={!!streaming} />
          })}
          {streaming?.pendingLine && (
            <article className="bubble player pending" aria-label="Player message">
              <header className="bubble-head">
                <span className="bubble-who">Player</span>
              </header>
              <div className="markdown">
                <p>{streaming.pendingLine}</p>
              </div>
            </article>
          )}
          {streaming && stream && <StreamingBubble personaName={personaName} text={stream.text} notices={stream.notices} citations={stream.citations} />}
          {view && shown.length === 0 && !streaming && <p className="empty">Say something to {personaName}.</p>}
        </div>
      </div>
      {error && (
        <Problem error={error} className="chat-error">
          {unanswered && last && (
            <button className="link-button" onClick={() => void run(() => chats.regenerate(chatId, last.id, config, onParts), last.id, '')}>
              Retry
            </button>
          )}
        </Problem>
      )}
      <div className="composer">
        <textarea
          aria-label="Player line"
          placeholder={`Say something to ${personaName || 'the NPC'}… (Enter sends, Shift+Enter for a new line)`}
          value={line}
          rows={2}
          onChange={(e) => setLine(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
              e.preventDefault()
              send()
            }
          }}
        />
        {streaming ? (
          <button className="danger" disabled={!streaming.op} onClick={() => streaming.op && void chats.stop(streaming.op.id)}>
            Stop
          </button>
        ) : (
          <button className="primary" disabled={!line.trim() || !config.provider} onClick={send}>
            Send
          </button>
        )}
      </div>
      {training && <SaveAsTrainingDialog chatId={chatId} message={training} onClose={() => setTraining(null)} />}
      {loreUsed && <ActivationDebugger chatId={chatId} messageId={loreUsed.id} onClose={() => setLoreUsed(null)} />}
    </section>
  )
}
