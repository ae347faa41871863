// Other web pages against `npcstudio serve`: a page on another port of 127.0.0.1 (same site,
// so the browser sends the studio's cookie), one on another site, and a DNS-rebinding page
// that reaches the studio under its own name. Every request they make is refused by the
// studio itself (its log says why), nothing they send changes the workspace, and the studio's
// own page, open in the same browser, keeps working.
import { readFileSync } from 'node:fs'
import { createServer, request, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { callStudio, launchBrowser, startStudio, type Studio } from './harness'

let studio: Studio
let browser: Browser
let context: BrowserContext
let own: Page
let attacker: Server
let attackerPort = 0
let studioPort = 0
let asset = ''

// A JSON body that a text/plain form can produce: the form writes `name=value`, and the
// name ends inside a string that the value closes.
const formName = '{"name":"app.PersonaService.Create","args":[{"name":"Pwned by form","x":"'
const formValue = '"}]}'

function attackPage(target: string): string {
  return `<!doctype html><html><head><title>a page the writer visits</title></head><body>
<form id="csrf" method="POST" action="${target}/bridge/call" enctype="text/plain">
<input type="hidden" name='${formName}' value='${formValue}'><button id="send">send</button></form>
</body></html>`
}

beforeAll(async () => {
  // evil.example resolves to this machine, as a rebinding name does once it has rebound.
  // Chromium's own Local Network Access checks are off, so that what is refused here is
  // refused by the studio (other browsers and older ones have no such checks).
  const browserArgs = ['--host-resolver-rules=MAP evil.example 127.0.0.1', '--disable-features=LocalNetworkAccessChecks,BlockInsecurePrivateNetworkRequests,PrivateNetworkAccessSendPreflights']
  ;[studio, browser] = await Promise.all([startStudio(), launchBrowser(browserArgs)])
  studioPort = Number(new URL(studio.url).port)
  attacker = createServer((_, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' })
    res.end(attackPage(`http://127.0.0.1:${studioPort}`))
  })
  await new Promise<void>((r) => attacker.listen(0, '127.0.0.1', r))
  attackerPort = (attacker.address() as AddressInfo).port

  // The writer has the studio open: the browser holds its cookie.
  context = await browser.newContext()
  own = await context.newPage()
  await own.goto(studio.openURL)
  await own.evaluate(() => (window as unknown as { __bridgeReady: Promise<boolean> }).__bridgeReady)
  expect(own.url().startsWith(studio.url) && !own.url().includes(studio.token)).toBe(true) // the key left the address bar
  asset = await own.evaluate(() => (document.querySelector('script[src]') as HTMLScriptElement).src)
  expect(new URL(asset).pathname).toMatch(/^\/assets\//)
})

afterAll(async () => {
  await browser?.close()
  await studio?.stop()
  await new Promise((r) => attacker?.close(r))
})

type Seen = { method: string; url: string; status: number }

// watch records every answer the studio's port gives to page, and every request that failed.
function watch(page: Page): { answers: Seen[]; failed: string[] } {
  const answers: Seen[] = []
  const failed: string[] = []
  page.on('response', (r) => {
    if (new URL(r.url()).port === String(studioPort)) answers.push({ method: r.request().method(), url: r.url(), status: r.status() })
  })
  page.on('requestfailed', (r) => {
    if (new URL(r.url()).port === String(studioPort)) failed.push(`${r.method()} ${r.url()}`)
  })
  return { answers, failed }
}

// Everything a page can send to another origin without its consent, from inside the page.
async function attackFromPage(page: Page, target: string, assetPath: string) {
  return page.evaluate(
    async ({ target, assetPath }) => {
      const body = JSON.stringify({ name: 'app.PersonaService.Create', args: [{ name: 'Pwned' }] })
      const out: Record<string, string> = {}
      const attempt = async (key: string, f: () => Promise<Response>) => {
        try {
          const r = await f()
          out[key] = r.type === 'opaque' ? 'opaque' : `read ${r.status} ${await r.text()}`
        } catch {
          out[key] = 'blocked'
        }
      }
      const call = `${target}/bridge/call`
      await attempt('noCorsText', () => fetch(call, { method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'Content-Type': 'text/plain' }, body }))
      await attempt('corsText', () => fetch(call, { method: 'POST', credentials: 'include', headers: { 'Content-Type': 'text/plain' }, body }))
      await attempt('json', () => fetch(call, { method: 'POST', credentials: 'include', headers: { 'Content-Type': 'application/json' }, body }))
      await attempt('jsonWithHeader', () =>
        fetch(call, { method: 'POST', credentials: 'include', headers: { 'Content-Type': 'application/json', 'X-NPCStudio-Token': 'guess' }, body }),
      )
      await attempt('page', () => fetch(`${target}/`, { credentials: 'include' }))
      out.events = await new Promise<string>((done) => {
        const es = new EventSource(`${target}/bridge/events`, { withCredentials: true })
        es.onopen = () => (es.close(), done('open'))
        es.onmessage = (m) => (es.close(), done(`message ${m.data}`))
        es.onerror = () => (es.close(), done('error'))
      })
      const include = (el: HTMLScriptElement | HTMLImageElement, src: string) =>
        new Promise<string>((done) => {
          el.onload = () => done('loaded')
          el.onerror = () => done('error')
          el.src = src
          document.body.append(el)
        })
      out.script = await include(document.createElement('script'), `${target}${assetPath}`)
      out.img = await include(document.createElement('img'), `${target}/`)
      return out
    },
    { target, assetPath },
  )
}

// refusals reads the studio's log: one line per refused request.
function refusals(): { method: string; path: string; reason: string; origin: string; host: string }[] {
  const log = readFileSync(join(studio.dataDir, 'logs', 'npcstudio.log'), 'utf8')
  expect(log).not.toContain(studio.token)
  return log
    .split('\n')
    .filter((l) => l.includes('"bridge request refused"'))
    .map((l) => JSON.parse(l) as { method: string; path: string; reason: string; origin: string; host: string })
}

const nothingRead = { noCorsText: 'blocked', corsText: 'blocked', json: 'blocked', jsonWithHeader: 'blocked', page: 'blocked', events: 'error', script: 'error', img: 'error' }

test.each([
  ['on another port of 127.0.0.1 (same site: the cookie goes along)', () => `http://127.0.0.1:${attackerPort}`],
  ['on another site', () => `http://evil.example:${attackerPort}`],
])('a page %s can neither call the studio nor load it', async (_, origin) => {
  const page = await context.newPage()
  const seen = watch(page)
  const before = refusals().length
  await page.goto(`${origin()}/`)
  const assetPath = new URL(asset).pathname
  expect(await attackFromPage(page, `http://127.0.0.1:${studioPort}`, assetPath)).toEqual(nothingRead)

  // A form posted to the bridge: the browser navigates to the studio's refusal.
  const [answer] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/bridge/call') && r.request().method() === 'POST'), page.click('#send')])
  expect(answer.status()).toBe(403)
  expect(await answer.text()).not.toContain('"result"')
  await page.close()

  // The studio answered each one it saw with a refusal, and says so in its log.
  // (The browser reports most as failed: it reads none of the refusals across origins.)
  expect(seen.answers.filter((a) => a.status !== 403 && a.status !== 415)).toEqual([])
  const logged = refusals().slice(before)
  expect(logged.length).toBeGreaterThanOrEqual(seen.answers.length + seen.failed.length)
  const tried = new Set(logged.map((l) => `${l.method} ${l.path}`))
  for (const want of ['POST /bridge/call', 'OPTIONS /bridge/call', 'GET /bridge/events', `GET ${assetPath}`, 'GET /']) expect(tried).toContain(want)
  expect(logged.every((l) => l.origin === '' || l.origin === origin())).toBe(true)
  expect(await personas()).toEqual([])
})

test('a DNS-rebinding page, same origin under its own name, is refused by Host', async () => {
  // The page comes from the attacker's server as http://evil.example:PORT; then the name
  // points at 127.0.0.1, so the page's same-origin requests reach the studio and it could
  // read the answers.
  const page = await context.newPage()
  const seen = watch(page)
  const origin = `http://evil.example:${studioPort}`
  await page.route(`${origin}/landing`, (r) => r.fulfill({ status: 200, contentType: 'text/html', body: attackPage(origin) }))
  await page.goto(`${origin}/landing`)
  const before = refusals().length
  const got = await page.evaluate(async ({ token, assetPath }) => {
    const body = JSON.stringify({ name: 'app.PersonaService.Create', args: [{ name: 'Pwned by rebinding' }] })
    const read = async (r: Promise<Response>) => {
      try {
        const res = await r
        return { status: res.status, text: await res.text() }
      } catch (e) {
        return { status: 0, text: String(e) }
      }
    }
    return {
      call: await read(fetch('/bridge/call', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-NPCStudio-Token': token }, body })),
      page: await read(fetch('/')),
      withKey: await read(fetch(`/?token=${token}`, { redirect: 'manual' })),
      asset: await read(fetch(assetPath)),
      events: await new Promise<string>((done) => {
        const es = new EventSource('/bridge/events')
        es.onopen = () => (es.close(), done('open'))
        es.onerror = () => (es.close(), done('error'))
      }),
    }
  }, { token: studio.token, assetPath: new URL(asset).pathname }) // even with the key, a rebound name is refused
  expect(got.call.status).toBe(403)
  expect(got.call.text).not.toContain('"result"')
  expect(got.page.status).toBe(403)
  expect(got.page.text).not.toContain(studio.token)
  expect(got.page.text).toContain('npcstudio serve')
  expect(got.asset.status).toBe(403)
  expect(got.events).toBe('error')
  await page.close()
  // The event stream is closed by the page on its error, which can abort the request before
  // the browser records the 403; the studio's log below shows it was refused either way.
  expect(seen.failed.filter((f) => !f.endsWith('/bridge/events'))).toEqual([])
  expect(seen.answers.filter((a) => a.status !== 403 && !a.url.endsWith('/landing'))).toEqual([])
  const logged = refusals().slice(before)
  expect(logged.map((l) => `${l.method} ${l.path}`).sort()).toEqual(['GET /', 'GET /', `GET ${new URL(asset).pathname}`, 'GET /bridge/events', 'POST /bridge/call'].sort())
  expect(logged.every((l) => l.reason === 'host not allowed' && l.host === `evil.example:${studioPort}`)).toBe(true)
  expect(await personas()).toEqual([])
})

test('a rebinding request from outside a browser is refused by Host, cookie and key or not', async () => {
  const raw = (method: string, path: string, headers: Record<string, string>, body = '') =>
    new Promise<{ status: number; text: string; setCookie: string[] }>((ok, fail) => {
      const req = request({ host: '127.0.0.1', port: studioPort, method, path, headers }, (res) => {
        if (res.headers['content-type'] === 'text/event-stream') {
          // an admitted event stream never ends: what matters is that it was admitted
          req.destroy()
          ok({ status: res.statusCode ?? 0, text: 'event stream', setCookie: [] })
          return
        }
        let text = ''
        res.on('data', (c: Buffer) => (text += c.toString()))
        res.on('end', () => ok({ status: res.statusCode ?? 0, text, setCookie: res.headers['set-cookie'] ?? [] }))
      })
      req.on('error', fail)
      req.end(body)
    })
  const host = `evil.example:${studioPort}`
  const body = JSON.stringify({ name: 'app.PersonaService.Create', args: [{ name: 'Pwned by raw Host' }] })
  const full = { Host: host, Origin: `http://${host}`, Cookie: studio.cookie, 'X-NPCStudio-Token': studio.token, 'Content-Type': 'application/json' }
  for (const r of [
    await raw('POST', '/bridge/call', full, body),
    await raw('POST', '/bridge/call', { Host: host, 'Content-Type': 'application/json' }, body),
    await raw('GET', '/', { Host: host, Cookie: studio.cookie }),
    await raw('GET', `/?token=${studio.token}`, { Host: host }),
    await raw('GET', '/bridge/events?token=' + studio.token, { Host: host, Cookie: studio.cookie }),
  ]) {
    expect(r.status).toBe(403)
    expect(r.text).not.toContain(studio.token)
    expect(r.text).not.toContain('"result"')
    expect(r.setCookie).toEqual([])
  }
  expect(await personas()).toEqual([])
})

test("the studio's own page, in the same browser, still works", async () => {
  const made = await own.evaluate(async () => {
    const go = (window as unknown as { go: { app: { PersonaService: { Create: (r: unknown) => Promise<{ persona: { name: string } }> } } } }).go
    return (await go.app.PersonaService.Create({ name: 'Ines Ashdown' })).persona.name
  })
  expect(made).toBe('Ines Ashdown')
  expect(await personas()).toEqual(['Ines Ashdown'])
})

async function personas(): Promise<string[]> {
  const page = await callStudio<{ items: { name: string }[] }>(studio, 'app.PersonaService.List', {})
  return page.items.map((p) => p.name)
}
