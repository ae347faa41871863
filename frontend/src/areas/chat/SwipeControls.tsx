import type { Siblings } from './tree'

// SwipeControls steps through the alternatives at one point of a chat: the answers a
// regenerate kept, or the branches an edit made.
export function SwipeControls(props: { siblings: Siblings; what: string; onSelect: (id: string) => void; disabled?: boolean }) {
  const { siblings, what, onSelect, disabled } = props
  if (siblings.count < 2) return null
  return (
    <span className="swipes" role="group" aria-label={`${what} ${siblings.index + 1} of ${siblings.count}`}>
      <button className="icon-button" aria-label={`Previous ${what}`} disabled={disabled || !siblings.prev} onClick={() => siblings.prev && onSelect(siblings.prev)}>
        ‹
      </button>
      <span className="swipe-count">
        {siblings.index + 1} / {siblings.count}
      </span>
      <button className="icon-button" aria-label={`Next ${what}`} disabled={disabled || !siblings.next} onClick={() => siblings.next && onSelect(siblings.next)}>
        ›
      </button>
    </span>
  )
}
