// Starts the built studio's browser bridge (real Go services, real frontend) and Debian's
// Chromium through playwright-core. No browser is downloaded.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { chromium, type Browser, type Page } from 'playwright-core'

export const artifacts = resolve(__dirname, '../../.cache/artifacts')
mkdirSync(artifacts, { recursive: true })

export interface Studio {
  url: string
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
  const proc = spawn(bin, ['--data-dir', dataDir, '--json', 'serve', '--addr', '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'inherit'] })
  const url = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error('npcstudio serve did not start in 30 s')), 30_000)
    proc.on('exit', (code) => fail(new Error(`npcstudio serve exited with ${code}`)))
    createInterface({ input: proc.stdout! }).once('line', (line) => {
      clearTimeout(timer)
      ok((JSON.parse(line) as { url: string }).url)
    })
  })
  return {
    url,
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

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  })
}

export async function openStudio(browser: Browser, studio: Studio): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
  page.on('pageerror', (e) => {
    throw e
  })
  await page.goto(studio.url)
  await page.waitForFunction(() => (window as unknown as { __bridgeReady?: Promise<boolean> }).__bridgeReady !== undefined)
  await page.evaluate(() => (window as unknown as { __bridgeReady: Promise<boolean> }).__bridgeReady)
  return page
}
