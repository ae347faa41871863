import { afterEach, beforeEach, expect, it, vi } from 'vitest'
import { debounce } from './debounce'

beforeEach(() => vi.useFakeTimers())
afterEach(() => vi.useRealTimers())

it('calls once with the last arguments after the calls stop', () => {
  const fn = vi.fn()
  const d = debounce(fn, 150)
  d('M')
  vi.advanceTimersByTime(100)
  d('Mi')
  vi.advanceTimersByTime(100)
  d('Mir')
  expect(fn).not.toHaveBeenCalled()
  vi.advanceTimersByTime(149)
  expect(fn).not.toHaveBeenCalled()
  vi.advanceTimersByTime(1)
  expect(fn).toHaveBeenCalledTimes(1)
  expect(fn).toHaveBeenCalledWith('Mir')
})

it('cancel drops the pending call and flush runs it at once', () => {
  const fn = vi.fn()
  const d = debounce(fn, 150)
  d(1)
  d.cancel()
  vi.advanceTimersByTime(500)
  expect(fn).not.toHaveBeenCalled()
  d(2)
  d.flush()
  expect(fn).toHaveBeenCalledWith(2)
  vi.advanceTimersByTime(500)
  expect(fn).toHaveBeenCalledTimes(1)
  d.flush()
  expect(fn).toHaveBeenCalledTimes(1)
})
