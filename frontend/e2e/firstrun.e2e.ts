// An empty workspace opens on the first-run checklist; a writer follows it to a first reply.
import { join } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { artifacts, launchBrowser, openStudio, startStudio, type Studio } from './harness'
import { startModelServer, type ModelServer } from './fakes'

let studio: Studio
let browser: Browser
let page: Page
let models: ModelServer

beforeAll(async () => {
  ;[studio, browser, models] = await Promise.all([
    startStudio(),
    launchBrowser(),
    startModelServer(['llama3.1:8b', 'qwen2.5:7b'], { reply: () => 'Well met, traveller. The forge is warm.', tokensPerSecond: 400 }),
  ])
  page = await openStudio(browser, studio, { area: '' })
})

afterAll(async () => {
  await browser?.close()
  await studio?.stop()
  await models?.close()
})

const step = (name: string) => page.getByRole('listitem', { name })

test('a "do X first" message takes the writer there', async () => {
  await page.getByRole('heading', { name: 'Get started' }).waitFor()
  await page.getByRole('navigation', { name: 'Areas' }).getByRole('button', { name: /Chat/ }).click()
  await page.getByRole('button', { name: 'Connect a model' }).click()
  await page.getByRole('heading', { name: 'Get started' }).waitFor()
  expect(await step('Say hello in chat').getByRole('button', { name: 'Connect a model' }).count()).toBe(1)
})

test('the checklist goes from an empty workspace to a first reply', async () => {
  await page.screenshot({ path: join(artifacts, 'e2e-first-run-empty.png') })
  const model = step('Connect a model')
  await model.getByRole('button', { name: 'Ollama' }).click()
  const address = model.getByLabel('Server address')
  expect(await address.inputValue()).toBe('http://localhost:11434/v1')
  // A near miss gets a suggestion the writer can take with one click.
  await address.fill(models.baseUrl.replace(/\/v1$/, ''))
  await model.getByRole('button', { name: models.baseUrl }).click()
  expect(await address.inputValue()).toBe(models.baseUrl)
  await model.getByRole('button', { name: 'Find models' }).click()
  const picker = model.getByRole('combobox', { name: 'Model' })
  await expect.poll(() => picker.locator('option').allTextContents()).toEqual(['llama3.1:8b', 'qwen2.5:7b'])
  await picker.selectOption('qwen2.5:7b')
  await model.getByRole('button', { name: 'Connect' }).click()
  await expect.poll(() => model.textContent()).toContain('Connected to ollama (qwen2.5:7b)')

  const persona = step('Create or import a persona')
  await persona.getByLabel("New persona's name").fill('Mira Saltwhistle')
  await persona.getByRole('button', { name: 'Create' }).click()
  await expect.poll(() => persona.textContent()).toContain('Mira Saltwhistle is ready')
  await page.screenshot({ path: join(artifacts, 'e2e-first-run-ready.png') })

  await step('Say hello in chat').getByRole('button', { name: 'Say hello to Mira Saltwhistle' }).click()
  const line = page.getByLabel('Player line', { exact: true })
  await line.fill('Hello!')
  await line.press('Enter')
  const reply = page.getByRole('log', { name: 'Messages' }).getByRole('article', { name: 'Mira Saltwhistle message' }).last()
  await expect.poll(() => reply.textContent()).toContain('Well met, traveller')
  const sent = models.chatRequests.at(-1)!
  expect(sent.model).toBe('qwen2.5:7b')
  expect(sent.messages.at(-1)?.content).toContain('Hello!')
  // The chat's row says when, in which mode, and how long it is.
  const row = page.getByRole('complementary', { name: 'Chats' }).locator('.chat-row').first()
  await expect.poll(() => row.textContent()).toMatch(/Mira Saltwhistle\d{2}:\d{2}.*base model · [2-9] messages/)
  await page.screenshot({ path: join(artifacts, 'e2e-first-run-reply.png') })
})

test('a workspace with a persona opens where it always did', async () => {
  const again = await openStudio(browser, studio, { area: '' })
  await again.getByRole('heading', { name: 'Personas' }).waitFor()
  expect(await again.getByRole('heading', { name: 'Get started' }).count()).toBe(0)
  await again.close()
})
