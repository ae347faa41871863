// A chat is a tree of messages: siblings are the alternatives at one point (swipes of a
// reply, branches after an edit). These mirror backend/chat's ActivePath so the window can
// show a swipe at once, before Go answers.

export interface TreeMessage {
  id: string
  parentId: string
}

// childrenOf groups ids by parent, oldest first (messages come oldest first).
export function childrenOf(messages: readonly TreeMessage[]): Map<string, string[]> {
  const out = new Map<string, string[]>()
  for (const m of messages) {
    const list = out.get(m.parentId)
    if (list) list.push(m.id)
    else out.set(m.parentId, [m.id])
  }
  return out
}

// activePath follows the active child of each message from the start ("" is the start's
// key); where none is marked, or the mark names a missing message, the newest child.
export function activePath(messages: readonly TreeMessage[], active: Readonly<Record<string, string>>): string[] {
  const kids = childrenOf(messages)
  const path: string[] = []
  let parent = ''
  for (let i = 0; i < messages.length; i++) {
    const ks = kids.get(parent)
    if (!ks || ks.length === 0) break
    const marked = active[parent]
    const next = marked !== undefined && ks.includes(marked) ? marked : (ks[ks.length - 1] as string)
    path.push(next)
    parent = next
  }
  return path
}

export interface Siblings {
  // index is 0-based among count alternatives
  index: number
  count: number
  prev: string | null
  next: string | null
}

// siblingsOf says where a message stands among the alternatives at its point of the chat.
export function siblingsOf(messages: readonly TreeMessage[], id: string): Siblings {
  const m = messages.find((x) => x.id === id)
  if (!m) return { index: 0, count: 1, prev: null, next: null }
  const ks = childrenOf(messages).get(m.parentId) ?? [id]
  const index = ks.indexOf(id)
  return { index, count: ks.length, prev: ks[index - 1] ?? null, next: ks[index + 1] ?? null }
}

// withActive marks id as the active child of its parent (what SelectSwipe does in Go).
export function withActive<T extends TreeMessage>(messages: readonly T[], active: Readonly<Record<string, string>>, id: string): Record<string, string> {
  const m = messages.find((x) => x.id === id)
  return m ? { ...active, [m.parentId]: id } : { ...active }
}
