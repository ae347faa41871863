import { describe, expect, it } from 'vitest'
import { lastLineText } from './facts'

describe('lastLineText', () => {
  it('marks the player and leaves the NPC bare, without markdown marks', () => {
    expect(lastLineText('assistant', '*wipes her hands* Aye, **landfolk**, the `tide` turns…')).toBe('wipes her hands Aye, landfolk, the tide turns…')
    expect(lastLineText('user', 'Can you mend this anchor?')).toBe('You: Can you mend this anchor?')
  })
  it('keeps a lone star and snake_case names', () => {
    expect(lastLineText('assistant', '5 * 3 is fifteen, says old_tom')).toBe('5 * 3 is fifteen, says old_tom')
  })
})
