import { EventsOnMultiple } from './wailsjs/runtime/runtime'
import type { AppError } from './errors'

// An operation's events, as app.OpEvent sends them on "op:<id>".
export interface OpEvent<T = unknown> {
  op: string
  kind: string
  type: 'progress' | 'data' | 'done' | 'error'
  data?: T
  error?: AppError
}

export function newOpId(): string {
  const b = new Uint8Array(8)
  crypto.getRandomValues(b)
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')
}

// follow subscribes to an operation before it starts, so no event is missed: pick the id,
// subscribe, then call start(id). It unsubscribes on done or error.
export async function follow<T>(
  start: (opId: string) => Promise<unknown>,
  onEvent: (e: OpEvent<T>) => void,
): Promise<OpEvent<T>> {
  const id = newOpId()
  return new Promise<OpEvent<T>>((resolve, reject) => {
    const off = EventsOnMultiple(
      `op:${id}`,
      (e: OpEvent<T>) => {
        onEvent(e)
        if (e.type === 'done' || e.type === 'error') {
          off()
          resolve(e)
        }
      },
      -1,
    )
    start(id).catch((err: unknown) => {
      off()
      reject(err)
    })
  })
}
