import { renderToStaticMarkup } from 'react-dom/server'
import { expect, it } from 'vitest'
import { LineChart } from './LineChart'

it('names every point of every series, and draws one line per series', () => {
  const html = renderToStaticMarkup(
    <LineChart
      title="Loss curves"
      series={[
        { name: 'Training loss', points: [{ x: 0, y: 2.5 }, { x: 10, y: 1.75 }] },
        { name: 'Validation loss', points: [{ x: 10, y: 1.9 }] },
      ]}
    />,
  )
  expect(html).toContain('aria-label="Loss curves: Training loss 0=2.5, 10=1.75; Validation loss 10=1.9"')
  expect(html.match(/<polyline/g)?.length).toBe(2)
  expect(html.match(/<circle/g)?.length).toBe(3)
})

it('says so when there is nothing to draw', () => {
  const html = renderToStaticMarkup(<LineChart title="Loss across versions" series={[{ name: 'Loss', points: [] }]} />)
  expect(html).toContain('Loss across versions: no data')
  expect(html).not.toContain('<svg')
})
