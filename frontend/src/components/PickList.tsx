import type { ReactNode } from 'react'

export interface PickItem {
  id: string
  name: ReactNode
  // detail is the line under the name (counts, status).
  detail: ReactNode
}

// PickList is a side list of things to open, one of them open (selected).
export function PickList({ items, selected, onPick }: { items: PickItem[]; selected: string | null | undefined; onPick: (id: string) => void }) {
  return (
    <ul className="chat-list">
      {items.map((it) => (
        <li key={it.id}>
          <button className={`persona-row ${it.id === selected ? 'active' : ''}`} aria-current={it.id === selected ? 'true' : undefined} onClick={() => onPick(it.id)}>
            <span className="persona-name">{it.name}</span>
            <span className="persona-role">{it.detail}</span>
          </button>
        </li>
      ))}
    </ul>
  )
}
