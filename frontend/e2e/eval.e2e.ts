import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { artifacts, launchBrowser, openStudio, startStudio, type Studio } from './harness'
import { startModelServer, type ModelServer } from './fakes'

let studio: Studio
let browser: Browser
let page: Page
let good: ModelServer
let bad: ModelServer

const personas = resolve(__dirname, '../../testdata/persona/personas')

beforeAll(async () => {
  ;[studio, browser, good, bad] = await Promise.all([
    startStudio(),
    launchBrowser(),
    // The first answer comes after a pause, so the run is seen under way.
    startModelServer(['m1'], { reply: () => 'Tam was my brother, and the sea took him.', firstTokenMs: 800 }),
    startModelServer(['m1'], { reply: () => 'As an AI language model, I cannot say who Tam was.', firstTokenMs: 800 }),
  ])
  page = await openStudio(browser, studio)
  await page.evaluate(
    async ({ good, bad, personas }) => {
      const go = (window as unknown as { go: { app: Record<string, Record<string, (a: unknown) => Promise<unknown>>> } }).go.app
      await go.ProviderService!.Add!({ provider: { name: 'candidate', kind: 'openai', baseUrl: bad, model: 'm1' }, apiKey: '' })
      await go.ProviderService!.Add!({ provider: { name: 'production', kind: 'openai', baseUrl: good, model: 'm1' }, apiKey: '' })
      await go.PersonaService!.Create!({ name: '', fromFile: `${personas}/mira.json` })
    },
    { good: good.baseUrl, bad: bad.baseUrl, personas },
  )
  await page.getByRole('navigation', { name: 'Areas' }).getByRole('button', { name: /Tests/ }).click()
})

afterAll(async () => {
  await browser?.close()
  await studio?.stop()
  await good?.close()
  await bad?.close()
})

test('a writer writes a case, runs it against two configurations and opens the failure', async () => {
  const side = page.getByRole('complementary', { name: 'Test suites' })
  await side.getByLabel('Suite name').fill('Mira basics')
  await side.getByLabel('Suite persona').selectOption('Mira Saltwhistle')
  await side.getByRole('button', { name: 'New suite' }).click()

  // The case, written without code: the player's line and two checks.
  const editor = page.getByLabel('Case editor')
  await editor.getByLabel('Case description').fill('her brother')
  await editor.getByLabel("Player's line").fill('Who was Tam?')
  await editor.getByLabel('Check 1 kind').selectOption('icontains')
  await editor.getByLabel('Check 1 value').fill('brother')
  await editor.getByRole('button', { name: 'Add check' }).click()
  await expect.poll(() => editor.getByLabel('Check 2 kind').inputValue()).toBe('in-character')
  await editor.getByRole('button', { name: 'Save case' }).click()
  await expect.poll(() => page.getByRole('table', { name: 'Cases' }).textContent()).toContain('Who was Tam?')
  await expect.poll(() => side.textContent()).toContain('1 cases · Mira Saltwhistle · v1')

  // Two configurations side by side: the candidate and production.
  const panel = page.getByLabel('Run against')
  await panel.getByLabel('Configuration 1 provider').selectOption('candidate')
  await panel.getByRole('button', { name: 'Add configuration' }).click()
  await panel.getByLabel('Configuration 2 provider').selectOption('production')
  await panel.getByRole('button', { name: 'Run tests' }).click()
  await expect.poll(() => page.getByRole('status', { name: 'Test run progress' }).count()).toBe(1)
  await page.screenshot({ path: join(artifacts, 'e2e-tests-progress.png') })

  // The matrix: pass rates per configuration, the failing case first.
  const matrix = page.getByRole('table', { name: 'Results matrix' })
  await expect.poll(() => matrix.count(), { timeout: 30_000 }).toBe(1)
  expect(await page.getByLabel('Pass rate candidate · base').textContent()).toBe('0% (0/1)')
  expect(await page.getByLabel('Pass rate production · base').textContent()).toBe('100% (1/1)')
  expect(good.chatRequests.length).toBe(1)
  expect(bad.chatRequests.length).toBe(1)
  // The persona's prompt went to each model, as chat sends it.
  expect(JSON.stringify(bad.chatRequests[0]!.messages)).toContain('Mira')

  // Open the failure: the answer, each check's outcome and why.
  await matrix.getByRole('button', { name: 'her brother on candidate · base: fail' }).click()
  const detail = page.getByRole('dialog', { name: 'Result' })
  await expect.poll(() => detail.getByLabel('Answer').textContent()).toContain('As an AI language model')
  const checks = (await detail.getByRole('table', { name: 'Checks' }).textContent()) ?? ''
  expect(checks).toContain('does not contain "brother"')
  expect(checks).toContain('out of character: says "as an ai"')
  await page.screenshot({ path: join(artifacts, 'e2e-tests-failure.png') })

  // The run is in the suite's history with both pass rates.
  expect(await page.getByRole('table', { name: 'Run history' }).textContent()).toMatch(/candidate · base 0% · production · base 100%/)
})

test('a writer imports a promptfoo file with Browse… and exports the suite to a file', async () => {
  const side = page.getByRole('complementary', { name: 'Test suites' })
  const chooser = page.waitForEvent('filechooser')
  await side.getByRole('button', { name: 'Browse…' }).click()
  await (await chooser).setFiles(resolve(__dirname, '../../backend/evals/testdata/mira.promptfoo.yaml'))
  await expect.poll(() => side.getByLabel('Suite file').inputValue()).toMatch(/npcstudio-uploads-.*\/mira\.promptfoo\.yaml$/)
  await side.getByRole('button', { name: 'Import', exact: true }).click()
  await expect.poll(() => page.getByRole('table', { name: 'Cases' }).textContent()).toContain('What was his name?')

  // A file to write is typed in the browser page (it cannot pick one); Go writes it.
  await page.getByText('Export as a promptfoo file').click()
  const out = join(studio.dataDir, 'exported suite.yaml')
  await page.getByLabel('Suite file to write').fill(out)
  await page.locator('.suite-export').getByRole('button', { name: 'Export', exact: true }).click()
  await expect.poll(() => page.locator('.suite-export .success').textContent()).toBe(`Wrote ${out}.`)
  expect(readFileSync(out, 'utf8')).toContain('What was his name?')
})
