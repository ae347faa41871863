import { describe as d, expect, it } from 'vitest'
import { describe, invalidField, toAppError } from './errors'

d('toAppError', () => {
  it('keeps the shape Go sends', () => {
    expect(toAppError({ code: 'invalid', message: 'model: is required', field: 'model' })).toEqual({
      code: 'invalid',
      message: 'model: is required',
      field: 'model',
    })
  })
  it('drops empty field and zero line', () => {
    expect(toAppError({ code: 'x', message: 'y', field: '', line: 0 })).toEqual({ code: 'x', message: 'y' })
  })
  it('wraps strings and Errors', () => {
    expect(toAppError('boom').message).toBe('boom')
    expect(toAppError(new Error('bang')).message).toBe('bang')
    expect(toAppError(42).code).toBe('error')
  })
  it('reads the shaped error the window sends as the text of an Error', () => {
    // Wails' runtime rejects with new Error(text): the text is the shaped error as JSON.
    const text = JSON.stringify({ code: 'no_deployment', message: 'no deployment is connected', line: 2, field: 'stage' })
    expect(toAppError(new Error(text))).toEqual({ code: 'no_deployment', message: 'no deployment is connected', field: 'stage', line: 2 })
    expect(toAppError(new Error('{not json')).message).toBe('{not json')
    expect(toAppError(new Error('{"a":1}')).message).toBe('{"a":1}')
  })
})

d('describe', () => {
  it('is the plain sentence Problem shows', () => {
    expect(describe({ code: 'invalid', field: 'path', message: 'path: give the archive file to read' })).toBe('Give the archive file to read')
  })
})

d('invalidField', () => {
  it('is true only for the field the error names', () => {
    const e = { code: 'invalid', message: 'must be set', field: 'region' }
    expect(invalidField(e, 'region')).toBe(true)
    expect(invalidField(e, 'workload')).toBeUndefined()
    expect(invalidField(null, 'region')).toBeUndefined()
    expect(invalidField({ code: 'error', message: 'offline' }, 'region')).toBeUndefined()
  })
})
