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
