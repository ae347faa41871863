import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { artifacts, launchBrowser, openStudio, startStudio, type Studio } from './harness'

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0'
const FIX = 'Rabbit stew tonight, and the bread is fresh.'
const BAD = 'Turnips.\nHuman: Barley?'

let studio: Studio
let browser: Browser
let page: Page
let files: string

beforeAll(async () => {
  ;[studio, browser] = await Promise.all([startStudio(), launchBrowser()])
  page = await openStudio(browser, studio)
  files = mkdtempSync(join(tmpdir(), 'npcstudio-datasets-'))
})

afterAll(async () => {
  await browser?.close()
  await studio?.stop()
  if (files) rmSync(files, { recursive: true, force: true })
})

function record(i: number): string {
  return JSON.stringify({
    system: 'You are Ada, innkeeper of the Salted Gull in Valen. Speak plainly.',
    messages: [
      { role: 'user', content: `Traveller question number ${i}: where can I sleep tonight?` },
      { role: 'assistant', content: `Answer ${i}: the back room is free, two silver and the stew is on the house.` },
    ],
  })
}

async function newDataset(name: string, model: string) {
  await page.getByRole('navigation', { name: 'Areas' }).getByRole('button', { name: /Datasets/ }).click()
  const back = page.getByRole('button', { name: '← Datasets' })
  if (await back.isVisible()) await back.click()
  await page.getByRole('button', { name: 'New dataset' }).click()
  const form = page.getByRole('form', { name: 'New dataset' })
  await form.getByLabel('Name').fill(name)
  await form.getByLabel('Base model').selectOption({ label: model })
  await page.screenshot({ path: join(artifacts, 'e2e-dataset-list.png') })
  await form.getByRole('button', { name: 'Create dataset' }).click()
  await page.getByRole('heading', { name, exact: true }).waitFor()
}

async function importFile(path: string) {
  await page.getByRole('tab', { name: 'Import' }).click()
  await page.getByLabel('File to import').fill(path)
  await page.getByRole('button', { name: 'Import', exact: true }).click()
  await page.locator('.side-section .success').waitFor({ timeout: 60_000 })
}

test('a writer imports a file with errors, jumps to an error, fixes it in the grid, checks clean and exports', async () => {
  // Line 5 is not JSON (skipped by the import); line 12's reply holds a turn marker Claude reserves
  // (imported, rejected by the check).
  const lines = Array.from({ length: 41 }, (_, k) => record(k + 1))
  lines[4] = '{"system":"x","messages":[{"role":"user","content":"Hi"},]}'
  lines[11] = JSON.stringify({ system: 'You are Ada.', messages: [{ role: 'user', content: 'And what is in the stew?' }, { role: 'assistant', content: BAD }] })
  const source = join(files, 'ada.jsonl')
  writeFileSync(source, lines.join('\n') + '\n')

  await newDataset('Ada lines', 'Claude 3 Haiku')
  await importFile(source)
  const imported = page.locator('.side-section [role="status"]')
  expect(await imported.textContent()).toContain('Imported 40 records as version 1')
  expect(await page.getByRole('list', { name: /Skipped 1 line/ }).textContent()).toContain('File line 5')
  await page.locator('[data-line="1"]').waitFor()
  await page.screenshot({ path: join(artifacts, 'e2e-dataset-import.png') })

  await page.getByRole('tab', { name: 'Check' }).click()
  await page.getByRole('button', { name: 'Check for Bedrock' }).click()
  const verdict = page.locator('.verdict')
  await expect.poll(() => verdict.textContent()).toContain('Bedrock would reject this dataset: 1 error.')
  const problem = page.getByRole('list', { name: 'Errors' }).getByRole('button', { name: /Line 11/ })
  expect(await problem.textContent()).toContain('messages[1].content')
  expect(await problem.textContent()).toContain('a turn marker Claude reserves')
  // The grid marks the line with the error.
  expect(await page.locator('[data-line="11"]').getAttribute('class')).toContain('mark-error')
  await page.screenshot({ path: join(artifacts, 'e2e-dataset-check.png') })

  // Jump: the row is highlighted and the reply cell, where the problem is, has the focus.
  await problem.click()
  const row = page.locator('[data-line="11"]')
  await expect.poll(() => row.getAttribute('aria-current')).toBe('true')
  await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-col'))).toBe('reply')
  await page.screenshot({ path: join(artifacts, 'e2e-dataset-jump.png') })

  // Fix it in the grid: Enter edits the focused cell, Enter saves a new version.
  await page.keyboard.press('Enter')
  const editor = page.getByLabel('Edit reply of line 11')
  await editor.waitFor()
  await editor.fill(FIX)
  await page.screenshot({ path: join(artifacts, 'e2e-dataset-edit.png') })
  await editor.press('Enter')
  await expect.poll(() => row.locator('[data-col="reply"]').textContent()).toBe(FIX)
  await expect.poll(() => page.locator('.grid-foot').textContent()).toContain('version 2')

  await page.getByRole('button', { name: 'Check again' }).click()
  await expect.poll(() => verdict.textContent()).toContain('Bedrock would accept this dataset.')
  expect(await page.locator('.mark-error').count()).toBe(0)
  await page.screenshot({ path: join(artifacts, 'e2e-dataset-clean.png') })

  // The fix made version 2: comparing it with version 1 shows the record it changed.
  await page.getByRole('tab', { name: 'Versions' }).click()
  const history = page.getByRole('table', { name: 'Versions' })
  await history.getByRole('row', { name: 'Version 2' }).waitFor()
  expect(await history.getByRole('row').count()).toBe(3)
  expect(await history.getByRole('row', { name: 'Version 2' }).textContent()).toContain('current')
  await page.getByLabel('Compare from version 1').check()
  await page.getByLabel('Compare to version 2').check()
  await page.getByRole('button', { name: 'Compare v1 with v2' }).click()
  const changes = page.getByRole('region', { name: 'Changes from version 1 to version 2' })
  await expect.poll(() => changes.getByRole('status').textContent()).toBe('1 record changed, 0 added, 0 removed.')
  const changed = changes.getByRole('article', { name: 'Line 11, changed' })
  const reply = changed.getByLabel('Reply', { exact: true })
  expect(await reply.locator('del').textContent()).toBe(BAD)
  expect(await reply.locator('ins').textContent()).toBe(FIX)
  await page.screenshot({ path: join(artifacts, 'e2e-dataset-versions.png') })
  // Version 2 is the grid's: the record takes the grid to its line, on the changed cell.
  await page.locator('[data-line="1"] [data-col="system"]').focus()
  await changed.getByRole('button', { name: 'Line 11' }).click()
  await expect.poll(() => page.evaluate(() => document.activeElement?.closest('[data-line]')?.getAttribute('data-line'))).toBe('11')
  expect(await page.evaluate(() => document.activeElement?.getAttribute('data-col'))).toBe('reply')

  await page.getByRole('tab', { name: 'Export' }).click()
  const out = join(files, 'ada-train.jsonl')
  await page.getByLabel('File to write').fill(out)
  await page.getByRole('button', { name: 'Export', exact: true }).click()
  await expect.poll(() => page.locator('.side-section .success').first().textContent()).toContain('Wrote 40 Claude messages records')
  await page.screenshot({ path: join(artifacts, 'e2e-dataset-export.png') })

  const exported = readFileSync(out, 'utf8').split('\n').filter(Boolean)
  expect(exported).toHaveLength(40)
  const fixed = JSON.parse(exported[10] ?? '{}') as { messages: { role: string; content: string }[] }
  expect(fixed.messages[1]).toEqual({ role: 'assistant', content: FIX })
  // The exported file passes the command line's check, which needs no workspace (the studio holds this one).
  const bin = process.env.NPCSTUDIO_BIN ?? resolve(__dirname, '../../build/bin/npcstudio')
  const report = JSON.parse(execFileSync(bin, ['--data-dir', studio.dataDir, 'dataset', 'validate', out, '--base-model', HAIKU, '--json'], { encoding: 'utf8' })) as {
    valid: boolean
    records: number
  }
  expect(report).toMatchObject({ valid: true, records: 40 })
})

interface FrameFigures {
  frames: number
  p50: number
  p95: number
  max: number
  over50ms: number
}

test('the grid scrolls through 10,000 records', async () => {
  const big = join(files, 'big.jsonl')
  writeFileSync(big, Array.from({ length: 10_000 }, (_, k) => record(k + 1)).join('\n') + '\n')
  await newDataset('Ten thousand lines', 'Claude 3 Haiku')
  await importFile(big)
  await page.locator('[data-line="1"]').waitFor()

  // Frame times while scrolling programmatically: a steady fling (120 px a frame, about
  // 7,000 px/s), then dragging the scroll bar from top to bottom in three seconds.
  const measured = await page.evaluate(async () => {
    const el = document.querySelector<HTMLElement>('.grid-body')
    if (!el) throw new Error('no grid')
    const frame = () => new Promise<number>((r) => requestAnimationFrame(r))
    const run = async (step: (i: number, t: number) => boolean) => {
      const deltas: number[] = []
      let last = await frame()
      const start = last
      for (let i = 0; ; i++) {
        const now = await frame()
        deltas.push(now - last)
        last = now
        if (!step(i, now - start)) break
      }
      return deltas
    }
    el.scrollTop = 0
    const fling = await run((i) => {
      el.scrollTop += 120
      return i < 300
    })
    el.scrollTop = 0
    await frame()
    const max = el.scrollHeight - el.clientHeight
    const drag = await run((_, t) => {
      el.scrollTop = Math.min(max, (max * t) / 3000)
      return t < 3000
    })
    return { fling, drag }
  })
  const figures = (d: number[]): FrameFigures => {
    const s = [...d].sort((a, b) => a - b)
    const at = (p: number) => Math.round((s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? 0) * 10) / 10
    return { frames: s.length, p50: at(0.5), p95: at(0.95), max: at(1), over50ms: s.filter((x) => x > 50).length }
  }
  const result = { records: 10_000, rowHeight: 36, fling: figures(measured.fling), drag: figures(measured.drag), all: figures([...measured.fling, ...measured.drag]) }
  console.log('dataset grid frame times (ms):', JSON.stringify(result))
  writeFileSync(join(artifacts, 'dataset-grid-frames.json'), JSON.stringify(result, null, 2) + '\n')

  // The rows at the scrolled position are drawn: the last one after the drag, then the middle.
  await page.locator('[data-line="10000"]').waitFor()
  await page.screenshot({ path: join(artifacts, 'e2e-dataset-grid-bottom.png') })
  await page.evaluate(() => {
    const el = document.querySelector<HTMLElement>('.grid-body')
    if (el) el.scrollTop = 5_000 * 36
  })
  await page.locator('[data-line="5001"]').waitFor()
  const box = await page.locator('[data-line="5001"]').boundingBox()
  const grid = await page.locator('.grid-body').boundingBox()
  expect(box && grid && box.y >= grid.y - 1 && box.y < grid.y + grid.height).toBe(true)
  expect(await page.locator('.grid-foot').textContent()).toContain('of 10,000')
  await page.screenshot({ path: join(artifacts, 'e2e-dataset-grid-10k.png') })
})

test('a writer imports CSV, finds and replaces, removes duplicates, tags, edits a conversation and exports a seeded split', async () => {
  const lines = Array.from({ length: 50 }, (_, k) => record(k + 1))
  lines.push(record(1), record(1)) // exact duplicates of line 1
  lines.push(record(2).replace('on the house.', 'on the house, friend.')) // a near duplicate of line 2
  lines.push(
    JSON.stringify({
      system: 'You are Ada.',
      messages: [
        { role: 'user', content: 'Who keeps the lighthouse?' },
        { role: 'assistant', content: 'Old Bren, these forty years.' },
        { role: 'user', content: 'Is he friendly?' },
        { role: 'assistant', content: 'To gulls.' },
      ],
    }),
  )
  const jsonl = join(files, 'curate.jsonl')
  writeFileSync(jsonl, lines.join('\n') + '\n')
  const csv = join(files, 'barks.csv')
  writeFileSync(csv, 'prompt,completion,tags\n"Hello there","Mind the gulls, friend.",barks\n"Any work?","Ask the harbour master at dawn.",barks\n"Goodbye","Safe roads to you, traveller.",barks\n')

  await newDataset('Curation', 'Claude 3 Haiku')
  await importFile(jsonl)
  await importFile(csv)
  expect(await page.locator('.side-section [role="status"]').textContent()).toContain('Imported 3 records as version 2 (57 records in all)')

  await page.getByRole('tab', { name: 'Find & replace' }).click()
  const replace = page.getByRole('region', { name: 'Find and replace' }).or(page.locator('[aria-label="Find and replace"]'))
  await replace.getByLabel('Find', { exact: true }).fill('Traveller question')
  await replace.getByLabel('Replace with').fill('Wayfarer question')
  await replace.getByRole('button', { name: 'Preview' }).click()
  await expect.poll(() => replace.getByRole('status').textContent()).toContain('53 matches in 53 records')
  await page.screenshot({ path: join(artifacts, 'e2e-dataset-replace.png') })
  await replace.getByRole('button', { name: 'Replace all' }).click()
  await expect.poll(() => replace.locator('.success').textContent()).toContain('version 3')
  await expect.poll(() => page.locator('[data-line="1"] [data-col="prompt"]').textContent()).toContain('Wayfarer question number 1')

  await page.getByRole('tab', { name: 'Duplicates' }).click()
  const dupes = page.locator('[aria-label="Duplicates"]')
  await dupes.getByRole('button', { name: 'Find duplicates' }).click()
  await expect.poll(() => dupes.getByRole('status').textContent()).toContain('2 groups')
  expect(await dupes.locator('.dup-kind').allTextContents()).toEqual(['exact', expect.stringMatching(/% alike$/)])
  await page.screenshot({ path: join(artifacts, 'e2e-dataset-duplicates.png') })
  await dupes.getByRole('button', { name: 'Remove 3 duplicates' }).click()
  await expect.poll(() => dupes.locator('.success').textContent()).toContain('Removed 3 duplicates: version 4, 54 records')

  // Tags: the CSV's, then one added to two chosen records.
  await page.getByLabel('Filter by tag').selectOption({ label: 'barks (3)' })
  await expect.poll(() => page.locator('.grid-foot').textContent()).toContain('of 3 matching')
  await page.getByLabel('Filter by tag').selectOption({ label: 'All tags' })
  await page.getByLabel('Select line 1', { exact: true }).check()
  await page.getByLabel('Select line 2', { exact: true }).check()
  await page.getByLabel('Tags to add or remove').fill('act-1')
  await page.getByRole('button', { name: 'Add tag' }).click()
  await expect.poll(() => page.getByLabel('Filter by tag').textContent()).toContain('act-1 (2)')
  expect(await page.locator('[data-line="2"] [data-col="tags"]').textContent()).toBe('act-1')

  // A conversation of four turns opens in the record editor.
  await page.getByLabel('Search records').fill('lighthouse')
  await expect.poll(() => page.locator('.grid-foot').textContent()).toContain('of 1 matching')
  const row = page.locator('.grid-body [data-line]').first()
  expect(await row.locator('[data-col="prompt"]').textContent()).toBe('4 turns · Is he friendly?')
  await row.locator('[data-col="prompt"]').dblclick()
  const drawer = page.getByRole('dialog', { name: /Record on line/ })
  await drawer.getByLabel('Turn 4', { exact: true }).fill('To gulls, and to anyone who brings him tobacco.')
  await page.screenshot({ path: join(artifacts, 'e2e-dataset-drawer.png') })
  await drawer.getByRole('button', { name: 'Save record' }).click()
  await expect.poll(() => row.locator('[data-col="reply"]').textContent()).toBe('To gulls, and to anyone who brings him tobacco.')
  await page.getByLabel('Search records').fill('')

  await page.getByRole('tab', { name: 'Export' }).click()
  const exp = page.locator('[aria-label="Export"]')
  await exp.getByLabel('Hold out a validation set').check()
  await exp.getByLabel('Validation %').fill('10')
  await exp.getByLabel('Seed').fill('7')
  await exp.getByRole('button', { name: 'Preview' }).click()
  await expect.poll(() => exp.getByRole('status').textContent()).toContain('49 training records, 5 validation records')
  const train = join(files, 'train.jsonl')
  const val = join(files, 'validation.jsonl')
  await exp.getByLabel('File to write', { exact: true }).fill(train)
  await exp.getByLabel('Validation file to write').fill(val)
  await exp.getByRole('button', { name: 'Export', exact: true }).click()
  await expect.poll(() => exp.locator('.success').last().textContent()).toContain('Wrote 5 validation records')
  await page.screenshot({ path: join(artifacts, 'e2e-dataset-split.png') })
  expect(readFileSync(train, 'utf8').split('\n').filter(Boolean)).toHaveLength(49)
  expect(readFileSync(val, 'utf8').split('\n').filter(Boolean)).toHaveLength(5)
})

test('after the dataset changes elsewhere, a refused grid edit reloads the latest version', async () => {
  // Another window (or the command line) edits line 1 of the open dataset behind the grid.
  const other = 'Ask at the harbour; the back room went this morning.'
  await page.evaluate(async (text) => {
    const go = (window as unknown as { go: { app: Record<string, Record<string, (a: unknown) => Promise<unknown>>> } }).go.app
    const list = (await (go.DatasetService!.List! as () => Promise<unknown>)()) as { id: string; name: string }[]
    const ds = list.find((d) => d.name === 'Curation')
    if (!ds) throw new Error(`no dataset Curation in ${JSON.stringify(list)}`)
    const page = (await go.DatasetService!.Page!({ datasetId: ds.id, version: 0, offset: 0, limit: 1, tag: '', text: '', line: 0 })) as {
      records: { id: string; tags: string[]; record: { format: string; system: string; messages: { role: string; content: string }[] } }[]
    }
    const r = page.records[0]!
    const messages = r.record.messages.map((m, i) => (i === 1 ? { ...m, content: text } : m))
    await go.DatasetService!.UpdateRecord!({ datasetId: ds.id, baseVersion: 0, id: r.id, record: { ...r.record, messages }, tags: r.tags })
  }, other)

  const foot = page.locator('.grid-foot')
  const before = await foot.textContent()
  const reply = page.locator('[data-line="1"] [data-col="reply"]')
  await reply.dblclick()
  const editor = page.getByLabel('Edit reply of line 1')
  await editor.fill('Mine: the back room is yours.')
  await editor.press('Enter')
  await expect.poll(() => foot.textContent()).toContain('the dataset changed since this version')
  await page.screenshot({ path: join(artifacts, 'e2e-dataset-conflict.png') })

  await foot.getByRole('button', { name: 'Reload' }).click()
  await expect.poll(() => reply.locator('.cell-text').textContent()).toBe(other)
  expect(await foot.textContent()).not.toContain('changed since')
  const version = Number(/version (\d+)/.exec(before ?? '')?.[1])
  expect(await foot.textContent()).toContain(`version ${version + 1}`)
  expect(await page.getByLabel('Edit reply of line 1').count()).toBe(0)
  await expect.poll(() => page.locator('.page-head .muted').textContent()).toContain(`version ${version + 1}`)

  // On the latest version the edit goes through.
  await reply.dblclick()
  await page.getByLabel('Edit reply of line 1').fill('Mine: the back room is yours.')
  await page.getByLabel('Edit reply of line 1').press('Enter')
  await expect.poll(() => foot.textContent()).toContain(`version ${version + 2}`)
  expect(await reply.locator('.cell-text').textContent()).toBe('Mine: the back room is yours.')
})
