import { describe, expect, it } from 'vitest'
import { plainProblem, suggestURL } from './problem'

describe('plain problems', () => {
  it('says a held workspace plainly', () => {
    const p = plainProblem({ code: 'locked', message: 'open /x/workspace.db: timeout: store locked' })
    expect(p.sentence).toContain('Another NPC Studio has this workspace open')
    expect(p.details).toContain('store locked')
  })
  it('turns a refused connection into nothing answering at the address, with the /v1 fix', () => {
    const p = plainProblem({
      code: 'error',
      message: 'http://localhost:11434 does not answer: Get "http://localhost:11434/models": dial tcp 127.0.0.1:11434: connect: connection refused',
    })
    expect(p.sentence).toBe('Nothing answers at http://localhost:11434. Is the model server running? Did you mean http://localhost:11434/v1?')
    expect(p.details).toContain('dial tcp')
    const ok = plainProblem({ code: 'error', message: 'http://localhost:11434/v1 does not answer: Get "http://localhost:11434/v1/models": dial tcp 127.0.0.1:11434: connect: connection refused' })
    expect(ok.sentence).toBe('Nothing answers at http://localhost:11434/v1. Is the model server running?')
  })
  it('says the same for a refused model call, wrapped by the chat', () => {
    const p = plainProblem({
      code: 'unavailable',
      message: 'send: provider "local" (model llama3): cannot reach http://127.0.0.1:8080/v1: is the server running? (dial tcp 127.0.0.1:8080: connect: connection refused) (after 3 attempts)',
    })
    expect(p.sentence).toBe('Nothing answers at http://127.0.0.1:8080/v1. Is the model server running?')
    expect(p.sentence).not.toContain('dial tcp')
  })
  it('suggests http:// when the address has no scheme', () => {
    const p = plainProblem({ code: 'error', message: 'localhost:11434 does not answer: Get "localhost:11434/models": unsupported protocol scheme "localhost"' })
    expect(p.sentence).toBe('The address localhost:11434 does not start with http:// or https://. Did you mean http://localhost:11434/v1?')
  })
  it('names an unknown host', () => {
    const p = plainProblem({ code: 'error', message: 'http://olama:11434/v1 does not answer: Get "http://olama:11434/v1/models": dial tcp: lookup olama: no such host' })
    expect(p.sentence).toBe('No computer is named olama. Check the address http://olama:11434/v1; for a server on this computer, use localhost.')
  })
  it('says a refused key (401) without the HTTP jargon', () => {
    expect(plainProblem({ code: 'error', message: 'https://api.openai.com/v1 refused the key (HTTP 401): check the provider\'s key' }).sentence).toBe(
      'https://api.openai.com/v1 refused the API key. Set the right key for this provider in Settings.',
    )
    const chat = plainProblem({
      code: 'auth',
      message: 'provider "openai" (model gpt-4o): the server refused the API key (HTTP 401: Incorrect API key provided.): set the right key in the provider, or unset it',
    })
    expect(chat.sentence).toBe('The model server refused the API key. Set the right key for this provider in Settings.')
    expect(chat.details).toContain('HTTP 401')
  })
  it('says a missing model (404) and how to get it', () => {
    const p = plainProblem({
      code: 'bad_request',
      message: 'provider "local" (model llama9): HTTP 404: model "llama9" not found, try pulling it first: pull or load model "llama9" on the server, or fix the model name',
    })
    expect(p.sentence).toBe('The model server does not have the model "llama9". Load it there (for Ollama: ollama pull llama9), or fix the model name.')
    const base = plainProblem({ code: 'error', message: 'http://localhost:11434/models answered HTTP 404: is the base URL right (it usually ends in /v1)?' })
    expect(base.sentence).toBe('http://localhost:11434 has no model list. Did you mean http://localhost:11434/v1?')
    const check = plainProblem({ code: 'error', message: 'http://localhost:11434/v1 answers but does not serve model "mistral" (it serves 2 other models): pull or load it, or fix the model name' })
    expect(check.sentence).toBe('http://localhost:11434/v1 does not have the model "mistral" (it has 2 other models). Load it there, or fix the model name.')
  })
  it('says a relative path with the full path it may mean', () => {
    const p = plainProblem({ code: 'invalid', field: 'path', message: 'path: cards/mira.png is not a full path; use Browse… or give the whole path, such as /home/a/cards/mira.png' })
    expect(p.sentence).toBe('cards/mira.png is not a full path. Did you mean /home/a/cards/mira.png? Or use Browse… to pick it.')
    expect(p.sentence).not.toMatch(/^path:/)
    expect(p.details).toContain('field: path')
  })
  it('says a missing file plainly', () => {
    expect(plainProblem({ code: 'not_found', message: '/home/a/cards/mira.png: no such file: not found' }).sentence).toBe(
      'There is nothing at /home/a/cards/mira.png. Check the path, or use Browse… to pick the file.',
    )
    expect(plainProblem({ code: 'error', message: 'import lore: open /home/a/lore.md: no such file or directory' }).sentence).toBe(
      'There is nothing at /home/a/lore.md. Check the path, or use Browse… to pick the file.',
    )
    expect(plainProblem({ code: 'error', message: 'read card: open /home/a/cards: is a directory' }).sentence).toBe('/home/a/cards is a folder; pick a file inside it.')
  })
  it('keeps a validation error\'s file and line', () => {
    const p = plainProblem({ code: 'invalid', field: 'scenes[0].mood', line: 7, message: 'scenes.yaml:7: scenes[0].mood: unknown field' })
    expect(p.sentence).toBe('scenes.yaml, line 7: unknown field')
    expect(p.details).toContain('scenes[0].mood')
    const spec = plainProblem({
      code: 'invalid',
      field: 'scenes[0].personas',
      line: 4,
      message: '/tmp/b/bad.yaml:4: scenes[0].personas: scene "docks" names persona "Nobody", which this workspace does not have (get persona "Nobody": not found): create or import it first',
    })
    expect(spec.sentence).toBe('/tmp/b/bad.yaml, line 4: scene "docks" names persona "Nobody", which this workspace does not have: create or import it first')
    const noFile = plainProblem({ code: 'invalid', field: 'name', line: 3, message: 'name: is empty' })
    expect(noFile.sentence).toBe('Line 3: The name is empty')
    const lined = plainProblem({ code: 'invalid', line: 12, message: 'line 12: not JSON' })
    expect(lined.sentence).toBe('Line 12: not JSON')
  })
  it('says a bad URL field with the address it may mean, in the writer\'s words', () => {
    expect(plainProblem({ code: 'invalid', field: 'baseUrl', message: 'baseUrl: "localhost:11434" is not an http(s) URL' }).sentence).toBe(
      'localhost:11434 is not a whole web address. Did you mean http://localhost:11434/v1?',
    )
    expect(plainProblem({ code: 'invalid', field: 'baseUrl', message: 'baseUrl: "not a url" is not an http(s) URL' }).sentence).toBe(
      '"not a url" is not a web address. Give one such as http://localhost:11434/v1.',
    )
    const required = plainProblem({ code: 'invalid', field: 'baseUrl', message: 'baseUrl: is required for a openai provider' }).sentence
    expect(required).toBe('The base URL is required for a openai provider')
    expect(required).not.toContain('baseUrl')
  })
  it('drops a socket error Go wrapped at the end, and only that', () => {
    const p = plainProblem({ code: 'error', message: 'push lore ashfall: write tcp 127.0.0.1:50122->127.0.0.1:9000: write: connection reset by peer' })
    expect(p.sentence).toBe('Push lore ashfall: the connection to the server failed; try again')
    expect(p.details).toContain('connection reset by peer')
    expect(plainProblem({ code: 'error', message: 'The file ends early: unexpected EOF' }).sentence).toBe('The file ends early: unexpected EOF')
  })
  it('drops the internal field name and keeps writer messages', () => {
    const plain = plainProblem({ code: 'invalid', message: 'Give the card file to import.' })
    expect(plain).toEqual({ sentence: 'Give the card file to import.', details: '' })
    expect(plainProblem({ code: 'invalid', field: 'path', message: 'path: give the archive file to read' }).sentence).toBe('Give the archive file to read')
  })
})

describe('suggestURL', () => {
  it('adds the scheme and the /v1 of the known local servers', () => {
    expect(suggestURL('localhost:11434')).toBe('http://localhost:11434/v1')
    expect(suggestURL('http://localhost:1234/')).toBe('http://localhost:1234/v1')
    expect(suggestURL('http://localhost:11434/v1')).toBe('http://localhost:11434/v1')
    expect(suggestURL('https://api.example.com/v1')).toBe('https://api.example.com/v1')
  })
})
