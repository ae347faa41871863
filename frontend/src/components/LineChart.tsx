// LineChart: a small SVG chart of one or more series over a shared x axis. Its accessible
// name lists every point, so a reader (or a screen reader) gets the numbers, not only the lines.
export interface Series {
  name: string
  points: { x: number; y: number; label?: string }[]
}

const palette = ['var(--accent, #6aa9f0)', 'var(--warn, #e8b04a)', '#8bd18b', '#d68bd1']

export function LineChart(props: { title: string; series: Series[]; width?: number; height?: number; xLabel?: string }) {
  const w = props.width ?? 320
  const h = props.height ?? 140
  const pad = { l: 36, r: 8, t: 8, b: 20 }
  const all = props.series.flatMap((s) => s.points)
  const summary = `${props.title}: ${props.series
    .map((s) => `${s.name} ${s.points.map((p) => `${p.label ?? p.x}=${round(p.y)}`).join(', ') || 'no data'}`)
    .join('; ')}`
  if (all.length === 0) {
    return (
      <figure className="line-chart" aria-label={summary}>
        <figcaption className="muted">{props.title}: no data</figcaption>
      </figure>
    )
  }
  const xs = all.map((p) => p.x)
  const ys = all.map((p) => p.y)
  const [x0, x1] = span(Math.min(...xs), Math.max(...xs))
  const [y0, y1] = span(Math.min(...ys), Math.max(...ys))
  const sx = (x: number) => pad.l + ((x - x0) / (x1 - x0)) * (w - pad.l - pad.r)
  const sy = (y: number) => pad.t + (1 - (y - y0) / (y1 - y0)) * (h - pad.t - pad.b)
  return (
    <figure className="line-chart">
      <svg role="img" aria-label={summary} viewBox={`0 0 ${w} ${h}`} width={w} height={h}>
        <line x1={pad.l} y1={h - pad.b} x2={w - pad.r} y2={h - pad.b} className="axis" />
        <line x1={pad.l} y1={pad.t} x2={pad.l} y2={h - pad.b} className="axis" />
        <text x={pad.l - 4} y={pad.t + 8} textAnchor="end" className="tick">
          {round(y1)}
        </text>
        <text x={pad.l - 4} y={h - pad.b} textAnchor="end" className="tick">
          {round(y0)}
        </text>
        {props.xLabel && (
          <text x={w - pad.r} y={h - 4} textAnchor="end" className="tick">
            {props.xLabel}
          </text>
        )}
        {props.series.map((s, i) => (
          <g key={s.name} stroke={palette[i % palette.length]} fill={palette[i % palette.length]}>
            <polyline fill="none" strokeWidth={2} points={s.points.map((p) => `${sx(p.x)},${sy(p.y)}`).join(' ')} />
            {s.points.map((p) => (
              <circle key={p.x} cx={sx(p.x)} cy={sy(p.y)} r={3}>
                <title>{`${s.name} ${p.label ?? p.x}: ${round(p.y)}`}</title>
              </circle>
            ))}
          </g>
        ))}
      </svg>
      <figcaption>
        {props.title}
        {props.series.map((s, i) => (
          <span key={s.name} className="legend" style={{ color: palette[i % palette.length] }}>
            {' '}
            ● {s.name}
          </span>
        ))}
      </figcaption>
    </figure>
  )
}

function span(lo: number, hi: number): [number, number] {
  if (lo === hi) return [lo - 1, hi + 1]
  return [lo, hi]
}

function round(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(Math.abs(n) >= 100 ? 0 : 3).replace(/0+$/, '').replace(/\.$/, '')
}
