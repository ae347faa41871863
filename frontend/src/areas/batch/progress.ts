import type { BatchLine, BatchProgress } from '../../bridge'
import { formatCount } from '../../format'

// formatEta says how long is left, as a writer reads it: "45 s", "3 min 20 s", "1 h 5 min".
export function formatEta(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '—'
  const s = Math.round(seconds)
  if (s < 60) return `${s} s`
  const m = Math.floor(s / 60)
  if (m < 60) return s % 60 ? `${m} min ${s % 60} s` : `${m} min`
  const h = Math.floor(m / 60)
  return m % 60 ? `${h} h ${m % 60} min` : `${h} h`
}

// progressFacts is the line under a run's progress bar.
export function progressFacts(p: BatchProgress): string {
  const parts = [`${formatCount(p.done + p.failed)} of ${formatCount(p.total)} lines`]
  if (p.failed > 0) parts.push(`${formatCount(p.failed)} failed`)
  if (p.linesPerSec > 0) parts.push(`${p.linesPerSec.toFixed(1)} lines/s`)
  if (p.etaSeconds >= 0 && p.pending > 0) parts.push(`ETA ${formatEta(p.etaSeconds)}`)
  parts.push(`${formatCount(p.inputTokens + p.outputTokens)} tokens`)
  if (p.costUsd !== undefined && p.costUsd !== null) parts.push(`about $${p.costUsd.toFixed(4)}`)
  if (p.throttled > 0) parts.push(`throttled ${formatCount(p.throttled)}× (now ${p.concurrency} at once)`)
  return parts.join(' · ')
}

// byScene groups lines by scene, keeping the order they came in (the spec's).
export function byScene(lines: BatchLine[]): { scene: string; lines: BatchLine[] }[] {
  const out: { scene: string; lines: BatchLine[] }[] = []
  for (const l of lines) {
    let g = out.find((x) => x.scene === l.scene)
    if (!g) {
      g = { scene: l.scene, lines: [] }
      out.push(g)
    }
    g.lines.push(l)
  }
  return out
}

// replaceLine puts a changed line in place of the one with its id.
export function replaceLine(lines: BatchLine[], changed: BatchLine): BatchLine[] {
  return lines.map((l) => (l.id === changed.id ? changed : l))
}

// lineState is what a line's state column says.
export function lineState(l: BatchLine): string {
  if (l.status !== 'done') return l.status
  return l.review || 'to review'
}
