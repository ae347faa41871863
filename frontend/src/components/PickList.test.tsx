import { renderToStaticMarkup } from 'react-dom/server'
import { expect, test } from 'vitest'
import { PickList } from './PickList'

test('the open item is marked current; the others are not', () => {
  const html = renderToStaticMarkup(
    <PickList
      items={[
        { id: 'a', name: 'harbour.yaml', detail: '6/6 lines' },
        { id: 'b', name: 'docks.yaml', detail: '0/3 lines' },
      ]}
      selected="b"
      onPick={() => {}}
    />,
  )
  expect(html).toBe(
    '<ul class="chat-list"><li><button class="persona-row ">' +
      '<span class="persona-name">harbour.yaml</span><span class="persona-role">6/6 lines</span></button></li>' +
      '<li><button class="persona-row active" aria-current="true">' +
      '<span class="persona-name">docks.yaml</span><span class="persona-role">0/3 lines</span></button></li></ul>',
  )
})
