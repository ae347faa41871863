import { renderToStaticMarkup } from 'react-dom/server'
import { expect, test } from 'vitest'
import { Problem } from './Problem'

test('a problem is an alert with one plain sentence and Go\'s text behind a closed Details; no error shows nothing', () => {
  expect(renderToStaticMarkup(<Problem error={null} />)).toBe('')
  const html = renderToStaticMarkup(
    <Problem error={{ code: 'error', message: 'http://localhost:11434/v1 does not answer: Get "http://localhost:11434/v1/models": dial tcp 127.0.0.1:11434: connect: connection refused' }} />,
  )
  expect(html).toContain('role="alert"')
  expect(html).toContain('<span class="problem-sentence">Nothing answers at http://localhost:11434/v1. Is the model server running?</span>')
  expect(html).toMatch(/<details class="problem-details"><summary>Details<\/summary><code>[^<]*dial tcp/)
  expect(html).not.toContain('<details class="problem-details" open')
  // A message already plain has nothing behind Details.
  expect(renderToStaticMarkup(<Problem error={{ code: 'invalid', message: 'Give the card file to import.' }} />)).not.toContain('<details')
})
