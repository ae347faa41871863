import { renderToStaticMarkup } from 'react-dom/server'
import { expect, test } from 'vitest'
import { Dialog } from './Dialog'

test('the dialog is a labelled modal card, with the area class beside its own', () => {
  const html = renderToStaticMarkup(
    <Dialog label="Approve version 3" className="activation">
      <h2>Approve</h2>
    </Dialog>,
  )
  expect(html).toBe('<div class="dialog-backdrop"><div class="dialog card activation" role="dialog" aria-modal="true" aria-label="Approve version 3"><h2>Approve</h2></div></div>')
})
