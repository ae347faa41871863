import { describe, expect, it } from 'vitest'
import { plainProblem } from './problem'

describe('plain problems', () => {
  it('says a held workspace plainly', () => {
    const p = plainProblem({ code: 'locked', message: 'open /x/workspace.db: timeout: store locked' })
    expect(p.sentence).toContain('Another NPC Studio has this workspace open')
    expect(p.details).toContain('store locked')
  })
  it('turns a socket error into the server not answering', () => {
    const p = plainProblem({ code: 'error', message: 'http://localhost:11434/v1 does not answer: Get "http://localhost:11434/v1/models": dial tcp 127.0.0.1:11434: connect: connection refused' })
    expect(p.sentence).toBe('Nothing answers at http://localhost:11434/v1. Is the server running, and is the address right?')
    expect(p.details).toContain('dial tcp')
  })
  it('drops the internal field name and keeps writer messages', () => {
    expect(plainProblem({ code: 'invalid', field: 'path', message: 'path: cards/mira.png is not a full path; use Browse… or give the whole path, such as /home/a/cards/mira.png' }).sentence).toBe(
      'cards/mira.png is not a full path; use Browse… or give the whole path, such as /home/a/cards/mira.png',
    )
    const plain = plainProblem({ code: 'invalid', message: 'Give the card file to import.' })
    expect(plain).toEqual({ sentence: 'Give the card file to import.', details: '' })
    expect(plainProblem({ code: 'invalid', field: 'path', message: 'path: give the archive file to read' }).sentence).toBe('Give the archive file to read')
  })
})
