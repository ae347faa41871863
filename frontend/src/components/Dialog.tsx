import type { ReactNode } from 'react'

// Dialog is a modal card over a dimmed page. With onClose, a press on the dimmed page
// closes it (a press that starts inside the card and ends outside does not); without, only
// the card's own buttons do, for a dialog whose note would be lost.
export function Dialog({ label, className, onClose, children }: { label: string; className?: string; onClose?: () => void; children: ReactNode }) {
  return (
    <div className="dialog-backdrop" onMouseDown={onClose && ((e) => e.target === e.currentTarget && onClose())}>
      <div className={className ? `dialog card ${className}` : 'dialog card'} role="dialog" aria-modal="true" aria-label={label}>
        {children}
      </div>
    </div>
  )
}
