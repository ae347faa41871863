import { describe, expect, it } from 'vitest'
import { acceptOf, acceptsDrop, matchesFilters, withPaths } from './fileField'

describe('file field', () => {
  it('turns dialog filters into an accept list', () => {
    expect(acceptOf([{ name: 'Cards', pattern: '*.png;*.JSON' }, { name: 'All', pattern: '*' }])).toBe('.png,.json')
    expect(acceptOf([])).toBeUndefined()
    expect(acceptOf(undefined)).toBeUndefined()
  })
  it('replaces a one-file value and adds to a many-file value without repeats', () => {
    expect(withPaths('/a/old.png', ['/b/new.png', '/c/x.png'], 'open')).toBe('/b/new.png')
    expect(withPaths('/a/old.png', [], 'open')).toBe('/a/old.png')
    expect(withPaths('/lore/a.md\n', ['/lore/b.md', '/lore/a.md'], 'openMany')).toBe('/lore/a.md\n/lore/b.md')
    expect(withPaths('', ['/lore/'], 'openMany')).toBe('/lore/')
  })
  it('takes drops of files to read, and in the window of anything', () => {
    expect(acceptsDrop('open', true)).toBe(true)
    expect(acceptsDrop('save', true)).toBe(false)
    expect(acceptsDrop('folder', true)).toBe(false)
    expect(acceptsDrop('folder', false)).toBe(true)
  })
  it('keeps dropped files of the kinds the field takes', () => {
    const cards = [{ name: 'Cards', pattern: '*.png;*.json' }]
    expect(matchesFilters('Mira.PNG', cards)).toBe(true)
    expect(matchesFilters('notes.txt', cards)).toBe(false)
    expect(matchesFilters('notes.txt', undefined)).toBe(true)
  })
})
