import { expect, it } from 'vitest'
import { defaultChunking, embedLabel, overlapText, parseFloor, parseTagText, tagText } from './format'

it('reads and writes tags as key=value lists', () => {
  expect(parseTagText('region=north, spoiler = act2 ,')).toEqual({ tags: { region: 'north', spoiler: 'act2' }, error: '' })
  expect(parseTagText('region').error).toBe('"region" is not key=value')
  expect(parseTagText('=x').error).toBe('"=x" is not key=value')
  expect(tagText({ spoiler: 'act2', region: 'north' })).toBe('region=north, spoiler=act2')
  expect(tagText(null)).toBe('')
})

it('finds the overlap of a fixed window on bytes', () => {
  const chunk = (start: number, text: string) => ({ v: 1, ord: 0, start, end: start + new TextEncoder().encode(text).length, text, tokens: 1 })
  const a = chunk(0, 'Ash falls on Ashfall.')
  expect(overlapText(undefined, a)).toBe('')
  expect(overlapText(a, chunk(13, 'Ashfall. The forge'))).toBe('Ashfall.')
  // Multi-byte text: the overlap is counted in bytes, as Go's offsets are.
  const u = chunk(0, 'Fête — forge')
  expect(overlapText(u, chunk(u.end - 5, 'forge and more'))).toBe('forge')
  expect(overlapText(a, chunk(a.end, 'next'))).toBe('')
})

it('has the backend defaults', () => {
  expect(defaultChunking('paragraphs').size).toBe(1200)
  expect(defaultChunking('fixed')).toMatchObject({ size: 1000, overlap: 100 })
  expect(defaultChunking('cloud').size).toBe(1024)
})

it('reads the relevance floor a writer types', () => {
  expect(parseFloor('0.25')).toEqual({ value: 0.25, error: '' })
  expect(parseFloor(' 0,3 ')).toEqual({ value: 0.3, error: '' })
  expect(parseFloor('0')).toEqual({ value: 0, error: '' })
  expect(parseFloor('').error).toBe('type a number from 0 to 0.99')
  expect(parseFloor('high').error).toBe('type a number from 0 to 0.99')
  expect(parseFloor('1').error).toBe('the floor is from 0 (off) to under 1')
  expect(parseFloor('-0.1').error).toBe('the floor is from 0 (off) to under 1')
})

it('says when embedding is paused', () => {
  expect(embedLabel({ embedder: 'builtin:all-MiniLM-L6-v2', done: 12, total: 19, state: 'paused' })).toBe('embedding paused at 12 of 19 chunks')
})
