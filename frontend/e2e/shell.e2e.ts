import { existsSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { artifacts, launchBrowser, openStudio, startStudio, type Studio } from './harness'
import { startModelServer } from './fakes'

let studio: Studio
let browser: Browser
let page: Page
let models: Awaited<ReturnType<typeof startModelServer>>

beforeAll(async () => {
  ;[studio, browser, models] = await Promise.all([startStudio(), launchBrowser(), startModelServer(['llama3.1:8b'])])
  page = await openStudio(browser, studio)
})

afterAll(async () => {
  await browser?.close()
  await studio?.stop()
  await models?.close()
})

test('the shell shows the workspace health and a status bar', async () => {
  // Writers land on Personas; the workspace health is one click away.
  await page.getByRole('navigation', { name: 'Areas' }).getByRole('button', { name: /Workspace/ }).click()
  await page.getByRole('heading', { name: 'Workspace' }).waitFor()
  const checks = page.getByRole('list', { name: 'Health checks' })
  await expect.poll(() => checks.locator('li.ok').filter({ hasText: 'schema' }).count()).toBe(1)
  await expect.poll(() => page.getByRole('status').textContent()).toContain(studio.dataDir)
  const nav = page.getByRole('navigation', { name: 'Areas' })
  expect(await nav.getByRole('button').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('Workspace'), expect.stringContaining('Settings')]))
  await page.screenshot({ path: join(artifacts, 'e2e-workspace.png') })
})

test('a writer adds a provider, sees a field error, fixes it and tests it', async () => {
  await page.getByRole('navigation', { name: 'Areas' }).getByRole('button', { name: /Settings/ }).click()
  await page.getByRole('button', { name: 'Add provider' }).click()
  const form = page.getByLabel('New provider')
  await form.getByLabel('Name').fill('local')
  await form.getByLabel('Base URL').fill('not a url')
  await form.getByLabel('Model').fill('llama3.1:8b')
  await page.getByRole('button', { name: 'Save provider' }).click()
  // One plain sentence with the fix; the internal field name stays behind the closed Details.
  const problem = page.locator('.error').first()
  await expect.poll(() => problem.locator('.problem-sentence').textContent()).toBe('"not a url" is not a web address. Give one such as http://localhost:11434/v1.')
  expect(await problem.locator('details.problem-details').getAttribute('open')).toBeNull()
  expect(await problem.locator('.problem-details code').isVisible()).toBe(false)
  expect(await problem.locator('.problem-details code').textContent()).toContain('baseUrl')
  expect(await form.getByLabel('Base URL').getAttribute('aria-invalid')).toBe('true')

  await form.getByLabel('Base URL').fill(models.baseUrl)
  await page.getByRole('button', { name: 'Save provider' }).click()
  const row = page.getByRole('table', { name: 'Providers' }).getByRole('row', { name: /local/ })
  await row.waitFor()
  await row.getByRole('button', { name: 'Test' }).click()
  await expect.poll(() => row.locator('.test-result').textContent()).toContain('llama3.1:8b is served')
  await page.screenshot({ path: join(artifacts, 'e2e-providers.png') })

  // The same workspace through the bound services: the window and the CLI see one state.
  const names = await page.evaluate(async () => {
    const w = window as unknown as { go: { app: { ProviderService: { List: () => Promise<{ name: string }[]> } } } }
    return (await w.go.app.ProviderService.List()).map((p) => p.name)
  })
  expect(names).toEqual(['local'])
})

test('a writer exports the workspace to one archive', async () => {
  await page.getByRole('tab', { name: 'Workspace file' }).click()
  const archive = join(studio.dataDir, '..', `e2e-${Date.now()}.npcws`)
  await page.getByLabel('Archive to write').fill(archive)
  await page.getByRole('button', { name: 'Export', exact: true }).click()
  await expect.poll(() => page.locator('.success').textContent()).toContain('Exported')
  expect(existsSync(archive) && statSync(archive).size > 0).toBe(true)
})

test('a workspace held by another NPC Studio is explained, not broken', async () => {
  const second = await startStudio(studio.dataDir)
  try {
    const other = await openStudio(browser, second)
    const alert = other.getByRole('alert')
    await alert.waitFor()
    expect(await alert.textContent()).toContain('already open in another NPC Studio')
    expect(await alert.textContent()).toContain('Close the other NPC Studio window')
    await other.screenshot({ path: join(artifacts, 'e2e-locked.png') })
    // Once the first studio lets go, Retry opens the workspace in the second.
    await studio.stop({ keepData: true })
    await other.getByRole('button', { name: 'Retry' }).click()
    await other.getByRole('navigation', { name: 'Areas' }).waitFor()
    await other.close()
  } finally {
    await second.stop()
  }
})
