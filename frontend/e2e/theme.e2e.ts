// The theme: Light, Dark and System apply at once, and a new window paints in the saved theme
// from its first frame (Go writes it into the page; no stored copy in the browser needed).
import { join } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { artifacts, launchBrowser, openStudio, startStudio, type Studio } from './harness'

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

const shown = (p: Page) => p.evaluate(() => document.documentElement.getAttribute('data-theme'))
const background = (p: Page) => p.evaluate(() => getComputedStyle(document.documentElement).backgroundColor)

test('Light, Dark and System apply at once', async () => {
  await page.emulateMedia({ colorScheme: 'dark' })
  await page.getByRole('button', { name: 'Settings' }).click()
  await page.getByRole('tab', { name: 'Writer' }).click()
  const theme = page.getByRole('combobox').filter({ has: page.locator('option[value="light"]') })
  expect(await shown(page)).toBe('dark')
  const dark = await background(page)

  await theme.selectOption('light')
  await expect.poll(() => shown(page)).toBe('light')
  expect(await background(page)).toBe('rgb(246, 247, 249)')
  await page.screenshot({ path: join(artifacts, 'e2e-theme-light.png') })

  await theme.selectOption('system')
  await expect.poll(() => shown(page)).toBe('dark')
  expect(await background(page)).toBe(dark)
  await page.emulateMedia({ colorScheme: 'light' })
  await expect.poll(() => shown(page)).toBe('light')
  await page.emulateMedia({ colorScheme: 'dark' })
  await expect.poll(() => shown(page)).toBe('dark')

  await theme.selectOption('light')
  await expect.poll(() => shown(page)).toBe('light')
})

test('a new window paints in the saved theme before the app runs', async () => {
  // A fresh browser profile: nothing stored in the page; the theme comes from Go.
  const fresh = await browser.newPage()
  await fresh.emulateMedia({ colorScheme: 'dark' })
  await fresh.addInitScript(() => {
    document.addEventListener('DOMContentLoaded', () => {
      ;(window as unknown as { __firstTheme: string | null }).__firstTheme = document.documentElement.getAttribute('data-theme')
    })
  })
  await expect.poll(async () => {
    await fresh.goto(studio.openURL)
    return fresh.evaluate(() => (window as unknown as { __firstTheme?: string | null }).__firstTheme)
  }).toBe('light')
  await fresh.close()
})

test('placeholders are dimmed by the page, not left to the engine', async () => {
  await page.getByRole('button', { name: 'Personas' }).click()
  const input = page.getByLabel('Card file to import')
  const colours = await input.evaluate((el) => ({
    placeholder: getComputedStyle(el, '::placeholder').color,
    text: getComputedStyle(el).color,
    want: getComputedStyle(document.documentElement).getPropertyValue('--placeholder').trim(),
  }))
  expect(colours.placeholder).not.toBe(colours.text)
  expect(colours.want).toBe('#8a919d')
  expect(colours.placeholder).toBe('rgb(138, 145, 157)')
})
