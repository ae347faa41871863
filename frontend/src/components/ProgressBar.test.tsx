import { renderToStaticMarkup } from 'react-dom/server'
import { expect, test } from 'vitest'
import { ProgressBar } from './ProgressBar'

test('the bar never has a zero maximum and names itself as a status only when labelled', () => {
  const empty = renderToStaticMarkup(<ProgressBar done={0} total={0} />)
  expect(empty).toBe('<span class="progress"><progress value="0" max="1"></progress></span>')
  const labelled = renderToStaticMarkup(
    <ProgressBar done={3} total={6} label="Run progress" className="row">
      <span>3 of 6</span>
    </ProgressBar>,
  )
  expect(labelled).toBe('<span class="progress row" role="status" aria-label="Run progress"><progress value="3" max="6"></progress><span>3 of 6</span></span>')
})
