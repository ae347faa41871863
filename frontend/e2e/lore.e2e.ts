import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { artifacts, launchBrowser, openStudio, startStudio, type Studio } from './harness'
import { startModelServer, type ChatRequestBody, type ModelServer } from './fakes'

let studio: Studio
let browser: Browser
let page: Page
let models: ModelServer

const world = resolve(__dirname, '../../testdata/lore/world')

// Maren knows the court's lore only, and her lorebook has an entry on the Ember Court.
const maren = {
  name: 'Maren Drane',
  role: "the reeve's sister",
  firstGreeting: 'What do you want, stranger?',
  knowledge: { boundaries: 'Knows Ashfall and its court; nothing of the capital.', loreCollections: ['court'] },
  lorebook: {
    name: "Maren's secrets",
    tokenBudget: 200,
    entries: [
      { keys: ['Ember Court'], content: 'Maren suspects her brother sits on the Ember Court.', enabled: true, name: 'Her brother', insertionOrder: 1 },
      { keys: ['Mother Quill'], content: 'Mother Quill taught Maren to read.', enabled: true, name: 'Quill', insertionOrder: 2 },
    ],
  },
}

// The answer cites the first lore passage when the prompt has lore.
function answer(req: ChatRequestBody): string {
  const system = req.messages[0]?.role === 'system' ? req.messages[0].content : ''
  return system.includes('## Lore') ? 'Nine seats, stranger, and the eldest is Mother Quill [1]. Ask no more.' : 'I know nothing of that.'
}

beforeAll(async () => {
  ;[studio, browser, models] = await Promise.all([startStudio(), launchBrowser(), startModelServer(['llama3.1:8b', 'nomic-embed-text'], { reply: answer })])
  const dir = mkdtempSync(join(tmpdir(), 'npcstudio-e2e-lore-'))
  const marenFile = join(dir, 'maren.json')
  writeFileSync(marenFile, JSON.stringify(maren))
  page = await openStudio(browser, studio)
  await page.evaluate(
    async ({ baseUrl, marenFile }) => {
      const go = (window as unknown as { go: { app: Record<string, Record<string, (a: unknown) => Promise<unknown>>> } }).go.app
      await go.SettingsService!.Save!({ author: 'Ana Writer', theme: 'system' })
      await go.ProviderService!.Add!({ provider: { name: 'local', kind: 'openai', baseUrl, model: 'llama3.1:8b' }, apiKey: '' })
      await go.PersonaService!.Create!({ name: '', fromFile: marenFile })
    },
    { baseUrl: models.baseUrl, marenFile },
  )
  await page.reload()
  await page.waitForFunction(() => (window as unknown as { __bridgeReady?: Promise<boolean> }).__bridgeReady !== undefined)
  await page.evaluate(() => (window as unknown as { __bridgeReady: Promise<boolean> }).__bridgeReady)
})

afterAll(async () => {
  await browser?.close()
  await studio?.stop()
  await models?.close()
})

const nav = (name: RegExp) => page.getByRole('navigation', { name: 'Areas' }).getByRole('button', { name })

test('a writer imports lore, previews chunks, searches with a filter, chats in RAG mode and debugs the turn', async () => {
  await nav(/Lore/).click()
  const importer = page.getByLabel('Import lore')
  const files = importer.getByLabel('Files or folders to import')

  // Preview one file with the cloud's rule, then with fixed windows that overlap.
  await files.fill(join(world, 'ember-court.md'))
  await importer.getByLabel('Chunking strategy').selectOption('cloud')
  await importer.getByRole('button', { name: 'Preview chunks' }).click()
  const preview = importer.getByLabel('Chunk preview')
  await expect.poll(() => preview.getByRole('status').textContent()).toMatch(/^1 chunk of .* cloud rule \(1,024 characters, no overlap\)/)
  await importer.getByLabel('Chunking strategy').selectOption('fixed')
  await importer.getByLabel('Chunk size').fill('200')
  await importer.getByLabel('Chunk overlap').fill('60')
  await importer.getByRole('button', { name: 'Preview chunks' }).click()
  await expect.poll(() => preview.getByRole('status').textContent()).toContain('fixed 200 chars, overlap 60')
  expect(await preview.getByRole('listitem').count()).toBeGreaterThan(3)
  expect(await preview.locator('mark.overlap').count()).toBeGreaterThan(0)
  await page.screenshot({ path: join(artifacts, 'e2e-lore-preview.png') })

  // Several files picked: each is previewed under its name; one that cannot be read says so
  // and does not hide the others.
  await files.fill([join(world, 'ember-court.md'), join(world, 'currency.md'), join(world, 'nope.md')].join('\n'))
  await importer.getByRole('button', { name: 'Preview chunks of 3 files' }).click()
  const each = (name: string) => preview.getByRole('group', { name: `Chunks of ${name}` })
  await expect.poll(() => each('nope.md').count()).toBe(1)
  expect(await each('ember-court.md').getByRole('status').textContent()).toContain('fixed 200 chars, overlap 60')
  expect(await each('currency.md').getByRole('status').textContent()).toMatch(/^\d+ chunks? of /)
  expect(await each('nope.md').getByRole('alert').locator('.problem-sentence').textContent()).toContain('nope.md')
  // The first file is open, and so is one that failed; the others wait for a click.
  expect(await each('ember-court.md').getByRole('listitem').count()).toBeGreaterThan(3)
  expect(await each('currency.md').getAttribute('open')).toBeNull()
  await page.screenshot({ path: join(artifacts, 'e2e-lore-preview-many.png') })

  // Import the world's folder with the default chunking, then move two documents to the
  // court's collection by importing them again with it.
  await importer.getByLabel('Chunking strategy').selectOption('paragraphs')
  await files.fill(world)
  await importer.getByLabel('Collection', { exact: true }).fill('ashfall')
  await importer.getByLabel('Tags').fill('source=bible')
  await importer.getByRole('button', { name: 'Import', exact: true }).click()
  await expect.poll(() => importer.getByRole('status', { name: 'Import result' }).textContent()).toContain('19 documents added, 0 updated, 0 unchanged')
  await files.fill([join(world, 'ember-court.md'), join(world, 'maren-drane.md')].join('\n'))
  await importer.getByLabel('Collection', { exact: true }).fill('court')
  await importer.getByRole('button', { name: 'Import', exact: true }).click()
  await expect.poll(() => importer.getByRole('status', { name: 'Import result' }).textContent()).toContain('0 documents added, 0 updated, 2 unchanged')
  const table = page.getByRole('table', { name: 'Lore documents' })
  await expect.poll(() => table.locator('tbody tr').count()).toBe(19)
  await expect.poll(() => page.getByLabel('Library summary').textContent()).toMatch(/^19 documents · \d+ chunks · 2 collections · keyword search only/)

  // A document: its metadata, hash and chunks as indexed.
  await table.getByRole('button', { name: 'ember-court.md' }).click()
  const doc = page.getByLabel('Document ember-court.md')
  await expect.poll(() => doc.getByRole('listitem').count()).toBe(1)
  expect(await doc.getByLabel('Document collection').inputValue()).toBe('court')
  expect(await doc.locator('.chunk-heading').first().textContent()).toBe('The Ember Court')
  await page.screenshot({ path: join(artifacts, 'e2e-lore-library.png') })
  await doc.getByRole('button', { name: 'Close' }).click()

  // Vectors: the fake server embeds; re-embedding runs in the background with progress.
  await page.getByRole('tab', { name: 'Embedder' }).click()
  await page.getByLabel('Embedding provider').selectOption('local')
  await page.getByLabel('Embedding model').fill('nomic-embed-text')
  await page.getByRole('button', { name: 'Use this embedder' }).click()
  await expect.poll(() => page.getByRole('status', { name: 'Embedding' }).textContent(), { timeout: 20_000 }).toContain('vectors ready')
  await page.screenshot({ path: join(artifacts, 'e2e-lore-embedder.png') })

  // Hybrid search filtered to the court's collection: every result is from it, with both rankers' scores.
  await page.getByRole('tab', { name: 'Search' }).click()
  await page.getByLabel('Search the lore').fill('Who sits on the Ember Court and controls obsidian?')
  await page.getByLabel('Search mode').selectOption('hybrid')
  await page.getByRole('checkbox', { name: /^court/ }).check()
  await page.getByRole('button', { name: 'Search', exact: true }).click()
  const results = page.getByRole('list', { name: 'Search results' }).getByRole('listitem')
  await expect.poll(() => results.count()).toBeGreaterThan(0)
  const n = await results.count()
  for (let i = 0; i < n; i++) expect(await results.nth(i).locator('.badge').textContent()).toBe('court')
  expect(await results.first().getByLabel('Scores').textContent()).toMatch(/keyword #\d+ · [\d.]+vector #\d+ · [\d.]+/)
  expect(await page.getByRole('status').filter({ hasText: 'search' }).textContent()).toContain('hybrid search with openai:')
  await page.screenshot({ path: join(artifacts, 'e2e-lore-search.png') })

  // Chat with Maren in RAG mode: her boundary keeps the court's lore; her lorebook fires.
  await nav(/Chat/).click()
  await page.getByRole('button', { name: 'New chat' }).click()
  const npc = page.getByRole('log', { name: 'Messages' }).getByRole('article', { name: 'Maren Drane message' })
  await expect.poll(() => npc.first().textContent()).toContain('What do you want, stranger?')
  await page.getByLabel('Chat configuration').getByLabel('Mode', { exact: true }).selectOption('rag')
  expect(await page.locator('.config-note').count()).toBe(0)
  const line = page.getByLabel('Player line', { exact: true })
  await line.fill('Who sits on the Ember Court?')
  await line.press('Enter')
  await expect.poll(() => npc.count()).toBe(2)
  const reply = npc.nth(1)
  await expect.poll(() => reply.textContent()).toContain('Mother Quill [1]')
  const sent = models.chatRequests[models.chatRequests.length - 1]!
  expect(sent.messages[0]?.content).toContain('## Lore')
  expect(sent.messages[0]?.content).toContain('(ember-court.md > The Ember Court')
  expect(sent.messages[0]?.content).toContain('Maren suspects her brother sits on the Ember Court.')

  // The activation debugger for that turn.
  await reply.getByRole('button', { name: 'Lore used' }).click()
  const dbg = page.getByRole('dialog', { name: 'Activation debugger' })
  const lorebook = dbg.getByLabel('Lorebook entries')
  await expect.poll(() => lorebook.textContent()).toContain('Her brother')
  expect(await lorebook.locator('mark.fired-word').first().textContent()).toBe('Ember Court')
  expect(await lorebook.textContent()).toContain("in the player's line")
  const candidates = dbg.getByRole('table', { name: 'Candidates' }).locator('tbody tr')
  await expect.poll(() => candidates.count()).toBeGreaterThan(0)
  expect(await candidates.first().textContent()).toMatch(/ember-court\.md #\d/)
  expect(await candidates.first().getByLabel('Scores').textContent()).toMatch(/keyword #1/)
  expect(await candidates.first().textContent()).toContain('yes [1]')
  // Each chunk in the prompt shows a line of its own words, the same line as its citation.
  const chunkLine = (await candidates.first().locator('.chunk-line').textContent()) ?? ''
  expect(chunkLine.length).toBeGreaterThan(20)
  expect(await dbg.getByLabel('Citations').locator('.chunk-line').first().textContent()).toBe(chunkLine)
  expect(await dbg.textContent()).toContain('Knowledge boundary: court')
  expect(await dbg.getByLabel('Token budget').textContent()).toMatch(/\d+ of 200 tokens used/)
  for (const row of await candidates.all()) expect(await row.textContent()).not.toMatch(/(sleeper|ashfall|mount-cinder)\.md/)
  await page.screenshot({ path: join(artifacts, 'e2e-lore-debugger.png') })
  await dbg.getByRole('button', { name: 'Close' }).click()
})

test('a writer adds a lorebook entry to a persona and tries it', async () => {
  await nav(/Lore/).click()
  await page.getByRole('tab', { name: 'Lorebooks' }).click()
  const book = page.getByRole('region', { name: 'Lorebook', exact: true })
  await expect.poll(() => book.getByRole('listitem').count()).toBe(2)
  await book.getByRole('button', { name: 'Add entry' }).click()
  const entry = book.getByRole('listitem', { name: 'Entry 3' })
  await entry.getByLabel('Entry name').fill('Obsidian')
  await entry.getByLabel('Keys').fill('obsidian, blades')
  await entry.getByLabel('Content').fill('Maren will not touch obsidian: it cut her brother once.')
  await book.getByRole('button', { name: 'Save lorebook' }).click()
  await expect.poll(() => book.getByRole('status').textContent()).toBe('Saved as Maren Drane version 2.')
  const tryIt = page.getByLabel('Try a lorebook')
  await tryIt.getByLabel('Conversation').fill('Good evening.\nWho sells obsidian blades in Ashfall?')
  await tryIt.getByRole('button', { name: 'Try' }).click()
  await expect.poll(() => tryIt.locator('mark.fired-word').allTextContents()).toEqual(['obsidian', 'blades'])
  expect(await tryIt.textContent()).toContain('1 fired, 0 cut')
  await page.screenshot({ path: join(artifacts, 'e2e-lore-lorebook.png') })
})

// The team index on the test OpenSearch node (make test starts it); its k-NN runs the Lucene
// engine only, so the index this studio creates names it.
const opensearch = process.env.NPCSTUDIO_TEST_OPENSEARCH_URL ?? ''
// Under make test the node must be there: a missing server fails rather than skips.
if (!opensearch && process.env.NPCSTUDIO_REQUIRE_SERVICES === '1') {
  throw new Error('NPCSTUDIO_TEST_OPENSEARCH_URL is not set: .ci/services.sh start opensearch')
}

test.skipIf(!opensearch)('a writer connects the team index, pushes lore and checks it was hydrated', async () => {
  await nav(/Lore/).click()
  await page.getByRole('tab', { name: 'Team index' }).click()
  const form = page.getByLabel('Connect to the team index')
  await form.getByLabel('OpenSearch URL').fill(opensearch)
  const index = `npcstudio-e2e-${Date.now()}`
  await form.getByLabel('Index', { exact: true }).fill(index)
  await form.getByLabel('Authentication').selectOption('none')
  await form.getByRole('button', { name: 'Connect' }).click()
  const holds = page.getByLabel('What the team index holds')
  await expect.poll(() => holds.textContent()).toContain(`Index ${index} does not exist yet.`)

  const push = page.getByLabel('Push to the team index')
  expect(await push.getByRole('note').textContent()).toContain('only that file stays searchable')
  await push.getByRole('checkbox', { name: 'ember-court.md' }).check()
  await push.getByRole('checkbox', { name: 'maren-drane.md' }).check()
  await push.getByRole('button', { name: 'Push 2 documents' }).click()
  await expect.poll(() => push.getByRole('status').textContent(), { timeout: 30_000 }).toMatch(/Pushed 2 files \(\d+ chunks?\) to npcstudio-e2e-/)
  const files = page.getByRole('table', { name: 'Files in the team index' })
  await expect.poll(() => files.locator('tbody tr').count()).toBe(2)

  await page.getByLabel('Team search').fill('obsidian blades')
  await page.getByLabel('Search the team index').getByRole('button', { name: 'Search' }).click()
  await expect.poll(() => page.getByLabel('Search the team index').getByRole('listitem').count()).toBeGreaterThan(0)
  await page.getByLabel('Pushed file name').fill('maren-drane.md')
  await page.getByRole('button', { name: 'Check' }).click()
  await expect.poll(() => page.getByLabel('Hydrated', { exact: true }).getByRole('status').textContent()).toMatch(/maren-drane\.md is hydrated: \d+ chunks? in the index/)
  await page.screenshot({ path: join(artifacts, 'e2e-lore-team.png'), fullPage: true })

  await fetch(`${opensearch}/${index}`, { method: 'DELETE' }).catch(() => undefined)
})
