// Presets for the model servers writers use most; each fills the connect form.
export interface Preset {
  id: string
  label: string
  kind: 'openai' | 'bedrock'
  name: string
  baseUrl: string
  needsKey: boolean
  hint: string
}

export const presets: Preset[] = [
  { id: 'ollama', label: 'Ollama', kind: 'openai', name: 'ollama', baseUrl: 'http://localhost:11434/v1', needsKey: false, hint: 'Ollama runs models on this computer. Start it, then pick a model it has pulled.' },
  { id: 'lmstudio', label: 'LM Studio', kind: 'openai', name: 'lmstudio', baseUrl: 'http://localhost:1234/v1', needsKey: false, hint: "In LM Studio, load a model and start its local server (Developer → Start Server)." },
  { id: 'openai', label: 'OpenAI', kind: 'openai', name: 'openai', baseUrl: 'https://api.openai.com/v1', needsKey: true, hint: 'Paste an API key from platform.openai.com; it is kept in your system keychain.' },
  { id: 'bedrock', label: 'Amazon Bedrock', kind: 'bedrock', name: 'bedrock', baseUrl: '', needsKey: false, hint: 'Uses the AWS sign-in of this computer (aws configure or aws sso login).' },
]

export type StepState = 'done' | 'next' | 'waiting'

// steps says which checklist step is done, which is next and which waits for an earlier one.
export function steps(hasModel: boolean, hasPersona: boolean, hasChat: boolean): { model: StepState; persona: StepState; hello: StepState } {
  return {
    model: hasModel ? 'done' : 'next',
    persona: hasPersona ? 'done' : hasModel ? 'next' : 'next',
    hello: hasChat ? 'done' : hasModel && hasPersona ? 'next' : 'waiting',
  }
}

// suggestURL proposes the address a writer probably meant: a scheme and /v1 added, a
// trailing slash dropped. It returns '' when the address looks right as it is.
export function suggestURL(url: string): string {
  let u = url.trim()
  if (!u) return ''
  if (!/^https?:\/\//i.test(u)) u = `http://${u}`
  u = u.replace(/\/+$/, '')
  // An address with no path is the server's root; OpenAI-compatible APIs live under /v1.
  if (/^https?:\/\/[^/]+$/i.test(u)) u = `${u}/v1`
  return u === url.trim() ? '' : u
}

// landing is the area a window opens on: the one in the address, else the first-run
// checklist while the workspace has neither a model nor a persona, else the first area.
export function landing(hash: string, hasModel: boolean, hasPersona: boolean, first: string): string {
  const h = hash.replace(/^#\/?/, '')
  if (h) return h
  return !hasModel && !hasPersona ? 'start' : first
}
