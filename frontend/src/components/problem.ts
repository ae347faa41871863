import type { AppError } from '../bridge/errors'

// plainProblem turns an error from Go into one sentence a writer can act on; the full text
// stays behind a "details" toggle (and in the log). Messages already written for writers
// pass through, less the internal field name and Go's wrapped causes.
export interface Plain {
  sentence: string
  // details is the error as Go sent it, when the sentence leaves something out.
  details: string
}

const goNoise = /: (dial tcp|read tcp|write tcp|Get "|Post "|context deadline exceeded|EOF|x509:|tls:|lookup )[\s\S]*$/

export function plainProblem(e: AppError): Plain {
  const raw = e.message
  const full = [raw, e.field ? `field: ${e.field}` : '', e.line ? `line ${e.line}` : '', e.code ? `code: ${e.code}` : ''].filter(Boolean).join(' · ')
  if (e.code === 'locked') {
    return { sentence: 'Another NPC Studio has this workspace open. Close that window (or wait for its command to finish), then try again.', details: full }
  }
  if (e.code === 'keychain_unavailable') {
    return { sentence: "The system keychain is not available, so keys cannot be kept. Unlock it (or install one, such as GNOME Keyring), then try again.", details: full }
  }
  let s = raw
  const refused = /^(https?:\/\/\S+?) does not answer: .*(connection refused|no such host|i\/o timeout|deadline exceeded)/.exec(raw)
  if (refused) {
    s = `Nothing answers at ${refused[1]}. Is the server running, and is the address right?`
  } else {
    s = s.replace(goNoise, '')
    // "path: give the file" → "Give the file"; the field is shown by the form, not named.
    if (e.field && s.startsWith(`${e.field}: `)) s = s.slice(e.field.length + 2)
  }
  s = s.trim()
  // A sentence starts with a capital unless it starts with a name as written (a path, a file).
  const firstWord = s.split(/\s/)[0] ?? ''
  if (/^[a-z]/.test(s) && !/[/\\.~:]/.test(firstWord)) s = s[0]!.toUpperCase() + s.slice(1)
  if (e.line && !s.includes(`line ${e.line}`)) s = `Line ${e.line}: ${s}`
  return { sentence: s || 'Something went wrong.', details: s === raw ? '' : full }
}
