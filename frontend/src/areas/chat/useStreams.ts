import { useCallback, useEffect, useRef, useState } from 'react'
import type { StreamPart } from '../../bridge'
import { emptyColumns, FrameQueue, mergeParts, type ColumnStream } from './stream'

// useStreams holds what one or more columns are streaming. Batches from Go are queued and
// merged into state once a frame, so four fast columns cost one render a frame.
export function useStreams() {
  const [columns, setColumns] = useState<ColumnStream[]>([])
  const queue = useRef<FrameQueue | null>(null)
  if (!queue.current) queue.current = new FrameQueue((parts) => setColumns((c) => mergeParts(c, parts)))
  useEffect(() => () => queue.current?.cancel(), [])

  const reset = useCallback((n: number) => {
    queue.current?.cancel()
    setColumns(emptyColumns(n))
  }, [])
  const onParts = useCallback((parts: StreamPart[]) => queue.current?.push(parts), [])
  // drain shows what is waiting at once (the end of a stream).
  const drain = useCallback(() => queue.current?.drain(), [])
  return { columns, reset, onParts, drain }
}
