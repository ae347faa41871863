import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { artifacts, launchBrowser, openStudio, startStudio, type Studio } from './harness'
import { startModelServer, type ModelServer } from './fakes'

let studio: Studio
let browser: Browser
let page: Page
let models: ModelServer
let out: string

const personas = resolve(__dirname, '../../testdata/persona/personas')
const spec = resolve(__dirname, '../../testdata/batch/harbour.yaml')

// Every answer is different, so a regenerated line shows new text.
let answers = 0
function answer(): string {
  answers++
  return `Take ${answers}: the tide brings iron and takes it back, landfolk.`
}

beforeAll(async () => {
  ;[studio, browser, models] = await Promise.all([startStudio(), launchBrowser(), startModelServer(['llama3.1:8b'], { reply: answer, firstTokenMs: 250 })])
  out = mkdtempSync(join(tmpdir(), 'npcstudio-batch-'))
  page = await openStudio(browser, studio)
  await page.evaluate(
    async ({ baseUrl, personas }) => {
      const go = (window as unknown as { go: { app: Record<string, Record<string, (a: unknown) => Promise<unknown>>> } }).go.app
      await go.ProviderService!.Add!({ provider: { name: 'local', kind: 'openai', baseUrl, model: 'llama3.1:8b' }, apiKey: '' })
      await go.PersonaService!.Create!({ name: '', fromFile: `${personas}/mira.json` })
      await go.PersonaService!.Create!({ name: '', fromFile: `${personas}/ada.json` })
    },
    { baseUrl: models.baseUrl, personas },
  )
  await page.getByRole('navigation', { name: 'Areas' }).getByRole('button', { name: /Batch/ }).click()
})

afterAll(async () => {
  await browser?.close()
  await studio?.stop()
  await models?.close()
  if (out) rmSync(out, { recursive: true, force: true })
})

test('a writer runs a spec, watches it, regenerates a line and exports', async () => {
  // A spec naming a persona the workspace lacks is refused with its line, before any request.
  const side = page.getByRole('complementary', { name: 'Batch runs' })
  const bad = join(out, 'bad.yaml')
  writeFileSync(bad, 'defaults: {model: {provider: local}}\nscenes:\n  - id: docks\n    personas: [Nobody]\n    beats: [{id: hail, direction: Hails the ship.}]\n')
  await side.getByLabel('Scene spec file').fill(bad)
  await side.getByRole('button', { name: 'Start run' }).click()
  await expect.poll(() => side.getByRole('alert').textContent()).toMatch(/bad\.yaml, line 4: scene "docks" names persona "Nobody", which this workspace does not have: create or import it first/)
  expect(models.chatRequests.length).toBe(0)

  await side.getByLabel('Scene spec file').fill(spec)
  await side.getByLabel('Provider').selectOption('local')
  await side.getByLabel('Lines at once').fill('1')
  await side.getByRole('button', { name: 'Start run' }).click()

  // Progress while it runs: lines, rate, tokens.
  const progress = page.getByRole('status', { name: 'Run progress' })
  await expect.poll(() => progress.textContent(), { timeout: 20_000 }).toMatch(/\d of 6 lines · [\d.]+ lines\/s .*tokens/)
  await page.screenshot({ path: join(artifacts, 'e2e-batch-progress.png') })
  await expect.poll(() => progress.count(), { timeout: 30_000 }).toBe(0)
  await expect.poll(() => page.locator('.batch-run .page-head').textContent()).toContain('6 of 6 written')
  expect(models.chatRequests.length).toBe(6)

  // Regenerate one line: same id, new text.
  const id = 'forge_dusk-mira_saltwhistle-greet-1'
  const row = page.getByRole('row', { name: id })
  const before = (await row.locator('.line-text').textContent()) ?? ''
  expect(before).toMatch(/^Take \d: /)
  await row.getByRole('button', { name: 'Regenerate' }).click()
  await expect.poll(() => row.locator('.line-text').textContent()).not.toBe(before)
  const after = (await row.locator('.line-text').textContent()) ?? ''
  expect(after).toBe('Take 7: the tide brings iron and takes it back, landfolk.')
  expect(await row.locator('.line-id').textContent()).toBe(id)
  expect(models.chatRequests.length).toBe(7)

  // Review: accept it, then export; only the accepted line goes out.
  await row.getByRole('button', { name: 'Accept' }).click()
  await expect.poll(() => row.locator('.line-state').textContent()).toBe('accepted')
  await page.screenshot({ path: join(artifacts, 'e2e-batch-review.png') })
  const exp = page.getByLabel('Export', { exact: true })
  await exp.getByLabel('Export folder').fill(out)
  await exp.getByRole('button', { name: 'Export' }).click()
  await expect.poll(() => exp.getByRole('status').textContent()).toContain('Exported 1 accepted lines')
  const vo = readFileSync(join(out, 'harbour-vo.csv'), 'utf8')
  expect(vo).toBe(`id,character,text,direction,scene\n${id},Mira Saltwhistle,"${after}","Greets the player, who has walked in with a cracked anchor.",forge_dusk\n`)
  const yarn = readFileSync(join(out, 'harbour.yarn'), 'utf8')
  expect(yarn).toBe(`title: forge_dusk\n---\nMira Saltwhistle: ${after} #line:${id}\n===\n`)
})
