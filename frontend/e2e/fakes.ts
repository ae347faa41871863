// An OpenAI-compatible server speaking the real /v1/models, /v1/chat/completions (JSON and
// server-sent events) and /v1/embeddings formats, on 127.0.0.1.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export async function startModelServer(models: string[], chat: Partial<ChatScript> = {}): Promise<ModelServer> {
  const script: ChatScript = { ...defaultChatScript, ...chat }
  const chatRequests: ChatRequestBody[] = []
  const server: Server = createServer((req, res) => {
    if (req.method === 'POST' && req.url === '/v1/chat/completions') {
      serveChat(req, res, models, script, chatRequests)
      return
    }
    if (req.method === 'POST' && req.url === '/v1/embeddings') {
      serveEmbeddings(req, res)
      return
    }
    if (req.method === 'GET' && req.url === '/v1/models') {
      res.writeHead(200, { 'Content-Type': 'application/json' })
      res.end(JSON.stringify({ object: 'list', data: models.map((id) => ({ id, object: 'model', created: 1700000000, owned_by: 'local' })) }))
      return
    }
    res.writeHead(404, { 'Content-Type': 'application/json' })
    res.end(JSON.stringify({ error: { message: 'not found', type: 'invalid_request_error' } }))
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as AddressInfo
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    chat: script,
    chatRequests,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections()
        server.close(() => r())
      }),
  }
}

export interface ModelServer {
  baseUrl: string
  // chat is how chat completions are answered; change its fields between requests.
  chat: ChatScript
  // chatRequests are the bodies of the chat completions received, oldest first.
  chatRequests: ChatRequestBody[]
  close: () => Promise<void>
}

export interface ChatRequestBody {
  model: string
  messages: { role: string; content: string }[]
  stream?: boolean
  stream_options?: { include_usage?: boolean }
}

// ChatScript paces and words the answers: a stream sends one token (a word with the space
// before it) at a time at tokensPerSecond, after firstTokenMs.
export interface ChatScript {
  tokensPerSecond: number
  firstTokenMs: number
  reply: (req: ChatRequestBody) => string
}

const defaultChatScript: ChatScript = {
  tokensPerSecond: 200,
  firstTokenMs: 30,
  reply: () => 'Well met, traveller.',
}

function serveChat(req: IncomingMessage, res: ServerResponse, models: string[], script: ChatScript, log: ChatRequestBody[]) {
  let raw = ''
  req.setEncoding('utf8')
  req.on('data', (c: string) => (raw += c))
  req.on('end', () => {
    let body: ChatRequestBody
    try {
      body = JSON.parse(raw) as ChatRequestBody
    } catch (e) {
      res.writeHead(400, { 'Content-Type': 'application/json' })
      res.end(JSON.stringify({ error: { message: `We could not parse the JSON body of your request: ${String(e)}`, type: 'invalid_request_error', code: null } }))
      return
    }
    log.push(body)
    if (models.length > 0 && !models.includes(body.model)) {
      res.writeHead(404, { 'Content-Type': 'application/json' })
      res.end(JSON.stringify({ error: { message: `model "${body.model}" not found, try pulling it first`, type: 'invalid_request_error', code: 'model_not_found' } }))
      return
    }
    const text = script.reply(body)
    const tokens = text.match(/\s*\S+/g) ?? []
    const prompt = body.messages.reduce((n, m) => n + m.content.split(/\s+/).filter(Boolean).length, 0)
    const usage = { prompt_tokens: prompt, completion_tokens: tokens.length, total_tokens: prompt + tokens.length }
    const head = { id: 'chatcmpl-e2e', created: 1700000000, model: body.model, system_fingerprint: 'fp_e2e' }
    if (!body.stream) {
      res.writeHead(200, { 'Content-Type': 'application/json' })
      res.end(JSON.stringify({ ...head, object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: text }, logprobs: null, finish_reason: 'stop' }], usage }))
      return
    }
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' })
    const send = (choices: unknown[], withUsage?: typeof usage) => {
      const chunk: Record<string, unknown> = { ...head, object: 'chat.completion.chunk', choices }
      if (body.stream_options?.include_usage) chunk.usage = withUsage ?? null
      res.write(`data: ${JSON.stringify(chunk)}\n\n`)
    }
    send([{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }])
    // Tokens go out on a clock, not one timer each, so the rate holds at hundreds a second.
    const start = Date.now() + script.firstTokenMs
    let sent = 0
    let timer: NodeJS.Timeout | null = null
    const stop = () => {
      if (timer) clearInterval(timer)
      timer = null
    }
    res.on('close', stop) // the client stopped reading (the writer pressed Stop)
    timer = setInterval(() => {
      const due = Math.min(tokens.length, Math.floor(((Date.now() - start) / 1000) * script.tokensPerSecond) + 1)
      while (sent < due) send([{ index: 0, delta: { content: tokens[sent++] }, logprobs: null, finish_reason: null }])
      if (sent < tokens.length) return
      stop()
      send([{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }])
      if (body.stream_options?.include_usage) send([], usage)
      res.end('data: [DONE]\n\n')
    }, 5)
  })
}

// embeddingDim is the length of the fake's embeddings.
export const embeddingDim = 64

// embed is a bag of hashed words, unit length: texts that share words get close vectors, so
// vector and hybrid search rank sensibly without a model.
export function embed(text: string): number[] {
  const v = new Array<number>(embeddingDim).fill(0)
  for (const w of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    let h = 2166136261
    for (const ch of w) h = Math.imul(h ^ ch.codePointAt(0)!, 16777619) >>> 0
    v[h % embeddingDim]! += h & 1 ? 1 : -1
  }
  const norm = Math.hypot(...v) || 1
  return v.map((x) => x / norm)
}

function serveEmbeddings(req: IncomingMessage, res: ServerResponse) {
  let raw = ''
  req.setEncoding('utf8')
  req.on('data', (c: string) => (raw += c))
  req.on('end', () => {
    const body = JSON.parse(raw) as { model: string; input: string | string[] }
    const inputs = typeof body.input === 'string' ? [body.input] : body.input
    res.writeHead(200, { 'Content-Type': 'application/json' })
    res.end(
      JSON.stringify({
        object: 'list',
        model: body.model,
        data: inputs.map((t, index) => ({ object: 'embedding', index, embedding: embed(t) })),
        usage: { prompt_tokens: inputs.length, total_tokens: inputs.length },
      }),
    )
  })
}
