// Every area from the smallest window (960×640) up: no field narrower than it can be read,
// nothing pushed off the side; and screenshots of each area at 960 and 1366 wide, light and dark.
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { artifacts, callStudio, launchBrowser, openStudio, startStudio, type Studio } from './harness'
import { startModelServer, type ModelServer } from './fakes'

const mira = resolve(__dirname, '../../testdata/persona/personas/mira.json')
const areas = ['start', 'personas', 'chat', 'lore', 'batch', 'tests', 'datasets', 'cloud', 'models', 'workspace', 'settings']
const sizes = [
  { width: 960, height: 640 },
  { width: 1366, height: 800 },
]
// The narrowest a field may be drawn: a number needs a few digits, text a few words.
const minWidth = { number: 56, text: 120 }

let studio: Studio
let browser: Browser
let models: ModelServer

beforeAll(async () => {
  ;[studio, browser, models] = await Promise.all([startStudio(), launchBrowser(), startModelServer(['llama3.1:8b'])])
  await callStudio(studio, 'app.ProviderService.Add', { provider: { name: 'local', kind: 'openai', baseUrl: models.baseUrl, model: 'llama3.1:8b' }, apiKey: '' })
  await callStudio(studio, 'app.PersonaService.Create', { name: '', fromFile: mira })
  await callStudio(studio, 'app.DatasetService.Create', { name: 'Harbour lines', baseModel: '', format: '' })
  // A chat (opened by the persona's greeting) gives the chat list a row with its last line.
  await callStudio(studio, 'app.ChatService.Create', { personaRef: 'Mira Saltwhistle', config: { provider: 'local', mode: 'base' } })
})

afterAll(async () => {
  await browser?.close()
  await studio?.stop()
  await models?.close()
})

interface Narrow {
  area: string
  label: string
  width: number
  min: number
}

async function narrowFields(page: Page, area: string): Promise<Narrow[]> {
  return page.evaluate(
    ({ area, minWidth }) => {
      const out: { area: string; label: string; width: number; min: number }[] = []
      for (const el of Array.from(document.querySelectorAll<HTMLElement>('main input, main select, main textarea'))) {
        const type = (el.getAttribute('type') ?? 'text').toLowerCase()
        if (['checkbox', 'radio', 'file', 'hidden', 'range', 'color'].includes(type)) continue
        const r = el.getBoundingClientRect()
        if (r.width === 0 && r.height === 0) continue // not shown (a closed panel)
        const style = getComputedStyle(el)
        if (style.visibility === 'hidden' || style.display === 'none') continue
        const min = type === 'number' ? minWidth.number : minWidth.text
        if (r.width < min) out.push({ area, label: el.getAttribute('aria-label') ?? el.getAttribute('placeholder') ?? el.outerHTML.slice(0, 60), width: Math.round(r.width), min })
      }
      return out
    },
    { area, minWidth },
  )
}

for (const size of sizes) {
  test(`every area at ${size.width}×${size.height}: fields readable, nothing off the side`, async () => {
    const narrow: Narrow[] = []
    const overflow: string[] = []
    for (const scheme of ['dark', 'light'] as const) {
      const page = await openStudio(browser, studio, { area: 'personas', width: size.width, height: size.height, colorScheme: scheme })
      for (const area of areas) {
        await page.evaluate((a) => {
          window.location.hash = `/${a}`
        }, area)
        await page.reload()
        await page.locator('main').waitFor()
        await page.waitForFunction(() => !document.querySelector('main .boot'))
        await page.waitForFunction(() => (document.querySelector('main')?.textContent ?? '').length > 20)
        if (scheme === 'dark') narrow.push(...(await narrowFields(page, area)))
        const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
        if (wide > 0) overflow.push(`${area}: ${wide}px past the window`)
        // A side panel never scrolls sideways: its fields fit its width.
        const sideways = await page.evaluate(() =>
          Array.from(document.querySelectorAll<HTMLElement>('main aside'))
            .filter((el) => el.scrollWidth > el.clientWidth + 1)
            .map((el) => `${el.getAttribute('aria-label') ?? el.className}: ${el.scrollWidth - el.clientWidth}px wider than its panel`),
        )
        overflow.push(...sideways.map((s) => `${area}: ${s}`))
        const text = (await page.locator('main').textContent()) ?? ''
        if (text.includes('[object Object]')) overflow.push(`${area}: shows [object Object]`)
        await page.screenshot({ path: join(artifacts, `layout-${area}-${size.width}-${scheme}.png`) })
      }
      await page.close()
    }
    expect(overflow).toEqual([])
    expect(narrow).toEqual([])
  })
}

test('at 960 wide the prompt preview is a drawer the writer opens', async () => {
  const page = await openStudio(browser, studio, { area: 'personas', width: 960, height: 640 })
  await page.getByRole('list', { name: 'Personas' }).getByRole('button', { name: /Mira Saltwhistle/ }).click()
  const preview = page.getByRole('complementary', { name: 'Prompt preview' })
  expect(await preview.isVisible()).toBe(false)
  await page.getByRole('button', { name: 'Prompt preview' }).click()
  await preview.waitFor()
  expect((await preview.boundingBox())!.width).toBeGreaterThanOrEqual(300)
  expect(await narrowFields(page, 'personas drawer')).toEqual([])
  await page.screenshot({ path: join(artifacts, 'layout-personas-960-drawer.png') })
  await page.getByRole('button', { name: 'Hide preview' }).click()
  await expect.poll(() => preview.isVisible()).toBe(false)
  await page.close()
})
