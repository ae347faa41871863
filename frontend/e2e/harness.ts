// Starts the built studio's browser bridge (real Go services, real frontend) and Debian's
// Chromium through playwright-core. No browser is downloaded.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { chromium, type Browser, type Page } from 'playwright-core'

export const artifacts = resolve(__dirname, '../../.cache/artifacts')
mkdirSync(artifacts, { recursive: true })

export interface Studio {
  // url is the studio's address without its key (a page there needs the cookie openURL sets).
  url: string
  // openURL is the address serve printed, with this launch's key.
  openURL: string
  token: string
  // cookie is the session cookie openURL sets, as a Cookie header.
  cookie: string
  dataDir: string
  proc: ChildProcess
  // stop ends the studio (again is fine) and removes a workspace it made, unless keepData.
  stop: (opts?: { keepData?: boolean }) => Promise<void>
}

// startStudio serves a fresh workspace, or the one in dataDir (a second studio on the same
// workspace finds it held by the first).
export async function startStudio(existingDataDir?: string): Promise<Studio> {
  const bin = process.env.NPCSTUDIO_BIN ?? resolve(__dirname, '../../build/bin/npcstudio')
  const dataDir = existingDataDir ?? mkdtempSync(join(tmpdir(), 'npcstudio-e2e-'))
  // The flows set their embedder themselves: the built-in model (Go tests cover it) is kept
  // out, so a fresh workspace searches by keyword as it does before its model is there.
  const env = { ...process.env, NPCSTUDIO_MINILM_DIR: 'none' }
  const proc = spawn(bin, ['--data-dir', dataDir, '--json', 'serve', '--addr', '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'inherit'], env })
  const openURL = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error('npcstudio serve did not start in 30 s')), 30_000)
    proc.on('exit', (code) => fail(new Error(`npcstudio serve exited with ${code}`)))
    createInterface({ input: proc.stdout! }).once('line', (line) => {
      clearTimeout(timer)
      ok((JSON.parse(line) as { url: string }).url)
    })
  })
  const printed = new URL(openURL)
  const token = printed.searchParams.get('token') ?? ''
  const url = new URL('/', printed).href
  // What a browser does with the printed address: keep the cookie, follow to the bare page.
  const admit = await fetch(openURL, { redirect: 'manual' })
  const cookie = (admit.headers.getSetCookie()[0] ?? '').split(';')[0] ?? ''
  if (admit.status !== 303 || !token || !cookie) throw new Error(`npcstudio serve printed ${printed.origin} with no usable key (${admit.status})`)
  return {
    url,
    openURL,
    token,
    cookie,
    dataDir,
    proc,
    stop: async (opts?: { keepData?: boolean }) => {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGTERM')
        await new Promise((r) => proc.once('exit', r))
      }
      if (!existingDataDir && !opts?.keepData) rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

// callStudio calls a bound method from outside a browser, as the studio's page does: with
// the cookie, the key in a header, the studio's own Origin and a JSON body.
export async function callStudio<T = unknown>(studio: Studio, name: string, ...args: unknown[]): Promise<T> {
  const r = await fetch(new URL('/bridge/call', studio.url), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: new URL(studio.url).origin, Cookie: studio.cookie, 'X-NPCStudio-Token': studio.token },
    body: JSON.stringify({ name, args }),
  })
  const body = (await r.json()) as { result?: T; error?: { message: string } }
  if (body.error) throw new Error(`${name}: ${body.error.message}`)
  return body.result as T
}

export async function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', ...extraArgs],
  })
}

// openStudio opens the studio's page on an area (Personas unless told; '' opens where a
// writer lands: the first-run checklist in an empty workspace).
export async function openStudio(browser: Browser, studio: Studio, opts: { area?: string; width?: number; height?: number; colorScheme?: 'light' | 'dark' } = {}): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: opts.width ?? 1280, height: opts.height ?? 800 }, colorScheme: opts.colorScheme ?? 'dark' })
  page.on('pageerror', (e) => {
    throw e
  })
  const area = opts.area ?? 'personas'
  await page.goto(area ? `${studio.openURL}#/${area}` : studio.openURL)
  await page.waitForFunction(() => (window as unknown as { __bridgeReady?: Promise<boolean> }).__bridgeReady !== undefined)
  await page.evaluate(() => (window as unknown as { __bridgeReady: Promise<boolean> }).__bridgeReady)
  return page
}

export interface LocalCloud<D> {
  // deployment is the JSON line localcloud prints: at least the workload, its region and the
  // variables that sign the AWS chain in to the local servers.
  deployment: D
  // stop ends localcloud (again is fine).
  stop: () => Promise<void>
}

// startLocalCloud lays out a deployment in moto and a MinIO of its own (see
// backend/cloud/cloudtest/localcloud; flags such as --models add to it) and points this
// process's AWS chain at it, so a studio started afterwards signs in to the local servers.
export async function startLocalCloud<D extends { workload: string; region: string; env: Record<string, string> }>(flags: string[] = []): Promise<LocalCloud<D>> {
  const root = resolve(__dirname, '../..')
  const workload = `Ada${Math.random().toString(16).slice(2, 8)}`
  const bin = resolve(artifacts, 'localcloud')
  execFileSync('go', ['build', '-o', bin, './backend/cloud/cloudtest/localcloud'], { cwd: root, stdio: 'inherit' })
  const proc = spawn(bin, ['--json', ...flags, '--workload', workload, '--dir', mkdtempSync(join(tmpdir(), 'npcstudio-localcloud-'))], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const deployment = await new Promise<D>((ok, fail) => {
    proc.on('exit', (code) => fail(new Error(`localcloud exited with ${code}`)))
    createInterface({ input: proc.stdout! }).once('line', (line) => ok(JSON.parse(line) as D))
  })
  Object.assign(process.env, deployment.env)
  delete process.env.AWS_PROFILE
  return {
    deployment,
    stop: async () => {
      if (proc.exitCode !== null) return
      const exited = new Promise((r) => proc.once('exit', r))
      proc.kill('SIGINT')
      await exited
    },
  }
}
