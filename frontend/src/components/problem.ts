import type { AppError } from '../bridge/errors'

// plainProblem turns an error from Go into one sentence a writer can act on, with a fix when
// one is known; the full text stays behind a "details" toggle (and in the log). Messages
// already written for writers pass through, less the internal field name and Go's wrapped
// causes. Every area shows its errors through Problem, which calls this: the mapping of
// common errors to plain sentences lives here and nowhere else.
export interface Plain {
  sentence: string
  // details is the error as Go sent it, when the sentence leaves something out.
  details: string
}

const goNoise = /(?:: | \()(dial tcp|read tcp|write tcp|Get "|Post "|context deadline exceeded|EOF|x509:|tls:|lookup |unsupported protocol scheme)[\s\S]*$/

// A cause Go wrapped in parentheses ("(get persona "Nobody": not found)") repeats what the
// sentence says in the store's words.
const wrappedCause = / \((?:get|open|read|stat|lookup) [^()]*: (?:not found|no such file or directory|EOF)\)/g

// A rule recognises one kind of error anywhere in the (possibly wrapped) message and says it
// plainly. The first rule that answers wins.
type Rule = (raw: string, e: AppError) => string | undefined

const rules: Rule[] = [
  (_, e) =>
    e.code === 'locked'
      ? 'Another NPC Studio has this workspace open. Close that window (or wait for its command to finish), then try again.'
      : undefined,
  (_, e) =>
    e.code === 'keychain_unavailable'
      ? 'The system keychain is not available, so keys cannot be kept. Unlock it (or install one, such as GNOME Keyring), then try again.'
      : undefined,
  // An address without http:// never reaches a server: Go says "unsupported protocol scheme".
  (raw) => {
    const m = /unsupported protocol scheme "([^"]*)"/.exec(raw)
    if (!m) return undefined
    const addr = /Get "([^"]+)"|Post "([^"]+)"/.exec(raw)
    const given = (addr?.[1] ?? addr?.[2] ?? '').replace(/\/(models|chat\/completions|embeddings)$/, '')
    return given
      ? `The address ${given} does not start with http:// or https://. Did you mean ${suggestURL(given)}?`
      : 'The address does not start with http:// or https://. Give the whole address, such as http://localhost:11434/v1.'
  },
  // Nothing listens: "X does not answer: … connection refused" (provider check) or
  // "cannot reach X: is the server running? (dial tcp …)" (a model call).
  (raw) => {
    const m =
      /(?:^|: |endpoint )(https?:\/\/\S+?) does not answer: [\s\S]*(connection refused|no such host|i\/o timeout|deadline exceeded|network is unreachable)/.exec(raw) ??
      /cannot reach (https?:\/\/\S+?): [\s\S]*(connection refused|no such host|i\/o timeout|deadline exceeded|network is unreachable)/.exec(raw)
    if (!m) return undefined
    const [, addr = '', why = ''] = m
    if (why === 'no such host') return `No computer is named ${hostOf(addr)}. Check the address ${addr}; for a server on this computer, use localhost.`
    const s = `Nothing answers at ${addr}. Is the model server running?`
    const fix = suggestURL(addr)
    return fix !== addr ? `${s} Did you mean ${fix}?` : s
  },
  // 401/403 from a model server.
  (raw) => {
    const m = /(https?:\/\/\S+?) refused the key \(HTTP (\d+)\)/.exec(raw)
    if (m) return `${m[1]} refused the API key. Set the right key for this provider in Settings.`
    if (/the server wants an API key \(HTTP 40[13]/.test(raw)) return 'The model server wants an API key. Set one for this provider in Settings.'
    if (/the server refused the API key \(HTTP 40[13]/.test(raw)) return 'The model server refused the API key. Set the right key for this provider in Settings.'
    return undefined
  },
  // 404: a base URL without /v1, or a model the server does not have.
  (raw) => {
    const list = /(https?:\/\/\S+?)\/models answered HTTP 404/.exec(raw)
    if (list) {
      const addr = list[1] ?? ''
      const fix = suggestURL(addr)
      return fix !== addr ? `${addr} has no model list. Did you mean ${fix}?` : `${addr} has no model list. Check the address.`
    }
    const base = /HTTP 404[^\n]*: the base URL (\S+) usually ends in \/v1/.exec(raw)
    if (base) return `${base[1]} has no model API. Did you mean ${suggestURL(base[1] ?? '')}?`
    const model = /HTTP 404[^\n]*: pull or load model "([^"]+)" on the server/.exec(raw)
    if (model) return `The model server does not have the model "${model[1]}". Load it there (for Ollama: ollama pull ${model[1]}), or fix the model name.`
    const serves = /(https?:\/\/\S+?) answers but does not serve model "([^"]+)" \(it serves ([^)]*)\)/.exec(raw)
    if (serves) return `${serves[1]} does not have the model "${serves[2]}" (it has ${serves[3]}). Load it there, or fix the model name.`
    return undefined
  },
  // A file or folder that is not there.
  (raw) => {
    const m = /(?:^|: )(\S+): no such file(?: or directory)?\b/.exec(raw) ?? /(?:open|stat|lstat|read) (\S+): no such file or directory/.exec(raw)
    if (!m) return undefined
    return `There is nothing at ${m[1]}. Check the path, or use Browse… to pick the file.`
  },
  (raw) => {
    const m = /(?:open|read) (\S+): is a directory/.exec(raw)
    return m ? `${m[1]} is a folder; pick a file inside it.` : undefined
  },
  (raw) => {
    const m = /(?:open|stat|mkdir|write) (\S+): permission denied/.exec(raw)
    return m ? `NPC Studio may not use ${m[1]} (permission denied). Pick another place, or change who may read it.` : undefined
  },
  // A URL field given something else: "localhost:11434" parses with "localhost" as its scheme.
  (raw) => {
    const m = /"([^"]*)" is not an http\(s\) URL/.exec(raw)
    if (!m) return undefined
    const given = m[1] ?? ''
    if (/^[\w.-]+(:\d+)?(\/\S*)?$/.test(given) && /[.:]/.test(given)) return `${given} is not a whole web address. Did you mean ${suggestURL(given)}?`
    return `"${given}" is not a web address. Give one such as http://localhost:11434/v1.`
  },
  // A relative path: the message names an example full path; offer it as the fix.
  (raw) => {
    const m = /(\S+) is not a full path; use Browse… or give the whole path, such as (\S+)$/.exec(raw)
    return m ? `${m[1]} is not a full path. Did you mean ${m[2]}? Or use Browse… to pick it.` : undefined
  },
]

export function plainProblem(e: AppError): Plain {
  const raw = e.message
  const full = [raw, e.field ? `field: ${e.field}` : '', e.line ? `line ${e.line}` : '', e.code ? `code: ${e.code}` : ''].filter(Boolean).join(' · ')
  for (const rule of rules) {
    const said = rule(raw, e)
    if (said) return { sentence: withLine(said, e), details: full }
  }
  const noise = goNoise.exec(raw)
  let s = raw.replace(goNoise, '').replace(wrappedCause, '')
  // What was cut off is said in words, so the sentence still says what went wrong.
  if (noise && s.trim()) s = `${s.trim()}: ${causeInWords(noise[1] ?? '')}`
  // "path: give the file" → "Give the file"; the field is shown by the form, not named.
  if (e.field && s.startsWith(`${e.field}: `)) s = s.slice(e.field.length + 2)
  // "spec.yaml:4: scenes[0].personas: …" → "spec.yaml, line 4: …": the file and line find
  // the mistake; the key path is behind Details.
  const at = /^(\S+?):(\d+): (.*)$/s.exec(s)
  if (at) {
    let rest = at[3] ?? ''
    if (e.field && rest.startsWith(`${e.field}: `)) rest = rest.slice(e.field.length + 2)
    s = `${at[1]}, line ${at[2]}: ${rest}`
  }
  s = s.trim()
  // "is required for …" once its field name is gone: say which field in the writer's words.
  if (e.field && /^(is|must|should) /.test(s)) s = `${fieldLabel(e.field)} ${s}`
  // A sentence starts with a capital unless it starts with a name as written (a path, a file).
  const firstWord = s.split(/\s/)[0] ?? ''
  if (/^[a-z]/.test(s) && !/[/\\.~:]/.test(firstWord)) s = s[0]!.toUpperCase() + s.slice(1)
  s = withLine(s, e)
  return { sentence: s || 'Something went wrong.', details: s === raw ? '' : full }
}

// causeInWords says a network failure Go reported as a socket error.
function causeInWords(kind: string): string {
  if (kind === 'x509:' || kind === 'tls:') return "the server's certificate was not accepted"
  if (kind === 'lookup ') return 'no computer has that name; check the address'
  if (kind === 'context deadline exceeded') return 'the server did not answer in time; try again'
  if (kind === 'unsupported protocol scheme') return 'the address must start with http:// or https://'
  return 'the connection to the server failed; try again'
}

// withLine keeps a validation error's line in the sentence: the writer needs it to find the
// mistake in the file (a message that says "file.yaml:7:" already has it).
function withLine(s: string, e: AppError): string {
  if (!e.line || s.toLowerCase().includes(`line ${e.line}`) || s.includes(`:${e.line}:`)) return s
  return `Line ${e.line}: ${s}`
}

// suggestURL is the address a writer most likely meant for an OpenAI-compatible server: with
// http:// and, for the well-known local servers (Ollama, LM Studio, vLLM, llama.cpp), the /v1
// they answer on.
export function suggestURL(given: string): string {
  let s = given.trim().replace(/\/+$/, '')
  if (!/^https?:\/\//i.test(s)) s = `http://${s.replace(/^\/+/, '')}`
  let u: URL
  try {
    u = new URL(s)
  } catch {
    return s
  }
  const local = ['11434', '1234', '8000', '8080'].includes(u.port)
  if (local && (u.pathname === '/' || u.pathname === '')) return `${u.protocol}//${u.host}/v1`
  return s
}

// fieldLabels are the writer's names for the fields Go names in its checks.
const fieldLabels: Record<string, string> = {
  baseUrl: 'The base URL',
  textUrl: 'The text endpoint',
  ragUrl: 'The lore endpoint',
  apiKeyEnv: 'The key variable',
  model: 'The model',
  modelId: 'The model',
  name: 'The name',
  path: 'The path',
  paths: 'The files',
  region: 'The region',
  workload: 'The workload name',
}

function fieldLabel(field: string): string {
  return fieldLabels[field] ?? 'This field'
}

function hostOf(addr: string): string {
  try {
    return new URL(addr).hostname
  } catch {
    return addr
  }
}
