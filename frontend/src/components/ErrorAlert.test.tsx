import { renderToStaticMarkup } from 'react-dom/server'
import { expect, test } from 'vitest'
import { ErrorAlert } from './ErrorAlert'

test('an error is an alert that names its field and line; no error shows nothing', () => {
  expect(renderToStaticMarkup(<ErrorAlert error={null} />)).toBe('')
  const html = renderToStaticMarkup(<ErrorAlert error={{ code: 'invalid', message: 'unknown field', field: 'scenes[0].mood', line: 7 }} />)
  expect(html).toBe('<p class="error" role="alert">unknown field (scenes[0].mood, line 7)</p>')
})
