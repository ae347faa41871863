import { useEffect, useState } from 'react'

export interface Debounced<A extends unknown[]> {
  (...args: A): void
  // cancel drops a pending call; flush runs it now.
  cancel: () => void
  flush: () => void
}

// debounce calls fn once calls have stopped for ms, with the last arguments.
export function debounce<A extends unknown[]>(fn: (...args: A) => void, ms: number): Debounced<A> {
  let timer: ReturnType<typeof setTimeout> | undefined
  let last: A | undefined
  const run = () => {
    timer = undefined
    const args = last
    last = undefined
    if (args) fn(...args)
  }
  const d = ((...args: A) => {
    last = args
    if (timer !== undefined) clearTimeout(timer)
    timer = setTimeout(run, ms)
  }) as Debounced<A>
  d.cancel = () => {
    if (timer !== undefined) clearTimeout(timer)
    timer = undefined
    last = undefined
  }
  d.flush = () => {
    if (timer !== undefined) clearTimeout(timer)
    run()
  }
  return d
}

// useDebounced is value once it has stopped changing for ms.
export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value)
  useEffect(() => {
    const t = setTimeout(() => setSettled(value), ms)
    return () => clearTimeout(t)
  }, [value, ms])
  return settled
}
