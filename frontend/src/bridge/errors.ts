import { plainProblem } from '../components/problem'

// Errors arrive already shaped by Go (app.FormatError): {code, message, field?, line?}.
export interface AppError {
  code: string
  message: string
  field?: string
  line?: number
}

export function toAppError(e: unknown): AppError {
  if (e && typeof e === 'object' && 'message' in e && 'code' in e) {
    const o = e as { code: unknown; message: unknown; field?: unknown; line?: unknown }
    const out: AppError = { code: String(o.code), message: String(o.message) }
    if (typeof o.field === 'string' && o.field) out.field = o.field
    if (typeof o.line === 'number' && o.line > 0) out.line = o.line
    return out
  }
  if (e instanceof Error) {
    // The window's runtime wraps the shaped error, sent as JSON text, in an Error.
    const shaped = parseShaped(e.message)
    return shaped ?? { code: 'error', message: e.message }
  }
  if (typeof e === 'string') {
    // Wails reports some failures (a method that does not exist) as plain strings.
    return { code: 'error', message: e }
  }
  return { code: 'error', message: 'Something went wrong.' }
}

// parseShaped reads a shaped error sent as JSON text ({"code":…,"message":…}); null when
// text is anything else.
function parseShaped(text: string): AppError | null {
  if (!text.startsWith('{')) return null
  try {
    const o: unknown = JSON.parse(text)
    if (o && typeof o === 'object' && 'code' in o && 'message' in o && typeof o.message === 'string') return toAppError(o)
  } catch {
    // not JSON: a message of its own
  }
  return null
}

// describe is an error as one plain sentence, for text where no alert fits (a title, a
// status line). Areas show errors with components/Problem, which adds Go's own text behind
// Details; both say the same sentence (components/problem.ts).
export function describe(e: AppError): string {
  return plainProblem(e).sentence
}

// invalidField is a field's aria-invalid: true when error names that field.
export function invalidField(error: AppError | null | undefined, field: string): true | undefined {
  return error?.field === field ? true : undefined
}
