// Files like a desktop app, in the browser page: Browse… uploads through the bridge, a file
// dropped on a field is uploaded too, and a relative path gets the one sentence Go gives.
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { artifacts, launchBrowser, openStudio, startStudio, type Studio } from './harness'

const cards = resolve(__dirname, '../../testdata/persona/cards')

let studio: Studio
let browser: Browser
let page: Page

beforeAll(async () => {
  ;[studio, browser] = await Promise.all([startStudio(), launchBrowser()])
  page = await openStudio(browser, studio)
})

afterAll(async () => {
  await browser?.close()
  await studio?.stop()
})

const cardPanel = () => page.locator('.card-panel')

test('Browse… in the browser page uploads the card and imports it by the uploaded path', async () => {
  await page.getByRole('heading', { name: 'Personas' }).waitFor()
  const chooser = page.waitForEvent('filechooser')
  await cardPanel().getByRole('button', { name: 'Browse…' }).first().click()
  await (await chooser).setFiles(join(cards, 'mira_v2.png'))
  const field = page.getByLabel('Card file to import')
  await expect.poll(() => field.inputValue()).toMatch(/npcstudio-uploads-.*\/mira_v2\.png$/)
  await page.getByRole('button', { name: 'Import card' }).click()
  await expect.poll(() => cardPanel().locator('.success').textContent()).toContain('Imported Mira Saltwhistle')
})

test('a card dropped on the field is uploaded and its path filled in', async () => {
  const bytes = [...readFileSync(join(cards, 'mira_v2.json'))]
  const drop = await page.evaluateHandle((b) => {
    const dt = new DataTransfer()
    dt.items.add(new File([new Uint8Array(b)], 'dropped card.json', { type: 'application/json' }))
    return dt
  }, bytes)
  const target = cardPanel().locator('[data-file-drop="open"]').first()
  await target.dispatchEvent('dragover', { dataTransfer: drop })
  await target.dispatchEvent('drop', { dataTransfer: drop })
  await expect.poll(() => page.getByLabel('Card file to import').inputValue()).toMatch(/\/dropped card\.json$/)
  // A file of a kind the field does not take is refused before anything is sent.
  const wrong = await page.evaluateHandle(() => {
    const dt = new DataTransfer()
    dt.items.add(new File(['x'], 'notes.txt'))
    return dt
  })
  await target.dispatchEvent('drop', { dataTransfer: wrong })
  await expect.poll(() => cardPanel().getByRole('alert').first().textContent()).toContain('not a file this field takes')
  expect(await page.getByLabel('Card file to import').inputValue()).toMatch(/\/dropped card\.json$/)
})

test('re-importing a card asks: replace as a new version, or keep both', async () => {
  // The dropped card is Mira again (imported by Browse above).
  const personaList = page.getByRole('list', { name: 'Personas' })
  const before = await personaList.getByRole('button').count()
  await page.getByRole('button', { name: 'Import card' }).click()
  const ask = page.getByRole('alertdialog', { name: 'This card is already a persona' })
  await expect.poll(() => ask.textContent()).toContain('A persona called "Mira Saltwhistle" is already in the workspace')
  expect(await personaList.getByRole('button').count()).toBe(before)
  await cardPanel().screenshot({ path: join(artifacts, 'e2e-files-reimport.png') })

  await ask.getByRole('button', { name: 'Keep both' }).click()
  await expect.poll(() => cardPanel().locator('.success').textContent()).toContain('Imported Mira Saltwhistle (2)')
  await expect.poll(() => personaList.getByRole('button').count()).toBe(before + 1)

  // The same card again, replacing: it matches, so nothing is saved and the writer is told.
  await page.getByRole('button', { name: 'Import card' }).click()
  await ask.getByRole('button', { name: 'Replace (as a new version)' }).click()
  await expect.poll(() => cardPanel().locator('.success').textContent()).toMatch(/Mira Saltwhistle already matches this card|Saved the card as version/)
  expect(await personaList.getByRole('button').count()).toBe(before + 1)
})

test('a relative path is refused with the same sentence in every area', async () => {
  await page.getByLabel('Card file to import').fill('cards/mira.png')
  await page.getByRole('button', { name: 'Import card' }).click()
  const said = /^cards\/mira\.png is not a full path\. Did you mean \/\S+\/cards\/mira\.png\? Or use Browse… to pick it\.$/
  await expect.poll(() => cardPanel().getByRole('alert').last().locator('.problem-sentence').textContent()).toMatch(said)
  expect(await cardPanel().getByRole('alert').last().locator('.problem-details code').isVisible()).toBe(false)
  await page.locator('.card-panel').screenshot({ path: join(artifacts, 'e2e-files-relative.png') })

  await page.getByRole('button', { name: 'Settings' }).click()
  await page.getByRole('tab', { name: 'Workspace file' }).click()
  await page.getByLabel('Archive to read').fill('cards/mira.png')
  await page.getByRole('button', { name: 'Import', exact: true }).click()
  await expect.poll(() => page.locator('.error').first().locator('.problem-sentence').textContent()).toMatch(said)
  // Folders and files to write cannot come from the browser: the field says to type the path.
  expect(await page.getByText('Type the full path of the file to write').count()).toBeGreaterThan(0)
})
