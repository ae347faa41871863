import { resolve } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { artifacts, launchBrowser, openStudio, startLocalCloud, startStudio, type LocalCloud, type Studio } from './harness'

let studio: Studio
let browser: Browser
let page: Page
let localcloud: LocalCloud<typeof deployment> | undefined
let deployment: { workload: string; region: string; loreBucket: string; env: Record<string, string> }

const root = resolve(__dirname, '../..')
const world = resolve(root, 'testdata/lore/world')

beforeAll(async () => {
  // localcloud's MinIO bucket notifications start the runs. The studio signs in through
  // the AWS chain: the local servers' variables.
  localcloud = await startLocalCloud()
  deployment = localcloud.deployment
  ;[studio, browser] = await Promise.all([startStudio(), launchBrowser()])
  page = await openStudio(browser, studio)
  await page.evaluate(async (world) => {
    const go = (window as unknown as { go: { app: Record<string, Record<string, (a: unknown) => Promise<unknown>>> } }).go.app
    await new Promise<void>((ok, fail) => {
      const rt = (window as unknown as { runtime: { EventsOnMultiple: (n: string, cb: (e: { type: string }) => void, c: number) => () => void } }).runtime
      const off = rt.EventsOnMultiple(
        'op:seed-lore',
        (e) => {
          if (e.type === 'done') {
            off()
            ok()
          } else if (e.type === 'error') {
            off()
            fail(new Error(JSON.stringify(e)))
          }
        },
        -1,
      )
      void go.LoreService!.Add!({ opId: 'seed-lore', paths: [world], collection: 'ashfall' })
    })
  }, world)
  // Building localcloud may compile the AWS SDK's SageMaker and Bedrock clients on a cold cache.
}, 300_000)

afterAll(async () => {
  await browser?.close()
  await studio?.stop()
  await localcloud?.stop()
})

const nav = (name: RegExp) => page.getByRole('navigation', { name: 'Areas' }).getByRole('button', { name })

test('a writer connects to the deployment, pushes a collection after seeing what it starts, and follows the run it started', async () => {
  await nav(/Cloud/).click()
  const form = page.getByLabel('Connect a deployment')
  await form.getByLabel('Workload').fill(deployment.workload)
  await form.getByLabel('Region').fill(deployment.region)
  await form.getByRole('button', { name: 'Connect' }).click()

  const status = page.getByLabel('Deployment status')
  await expect.poll(() => status.textContent()).toContain(`lore bucket (QA): ${deployment.loreBucket}`)
  expect(await status.textContent()).toContain('arn:aws:sts::')

  const push = page.getByLabel('Push', { exact: true })
  await push.getByLabel('Collection').fill('ashfall')
  await push.getByRole('button', { name: 'Review push' }).click()
  const dialog = page.getByRole('dialog', { name: 'Confirm push' })
  await expect.poll(() => dialog.textContent()).toContain(`s3://${deployment.loreBucket}/lore/ashfall.txt`)
  const shown = (await dialog.textContent()) ?? ''
  expect(shown).toContain(`${deployment.workload}-RAG-Ingest-`)
  expect(shown).toContain('replaces everything')
  await dialog.scrollIntoViewIfNeeded()
  await page.screenshot({ path: resolve(artifacts, 'cloud-push.png') })
  await dialog.getByRole('button', { name: 'Push', exact: true }).click()
  await expect.poll(() => push.getByRole('status').textContent()).toContain(`Pushed to s3://${deployment.loreBucket}/lore/ashfall.txt`)

  // The bucket notification started hydration; the run shows with the push that started it.
  const runs = page.getByLabel('Runs')
  const history = page.getByLabel('Upload history')
  await history.getByRole('button', { name: 'Refresh' }).click()
  await expect.poll(() => history.textContent()).toContain('lore/ashfall.txt')
  await expect
    .poll(async () => {
      await runs.getByRole('button', { name: 'Refresh' }).click()
      return runs.textContent()
    })
    .toMatch(new RegExp(`${deployment.workload}-RAG-Ingest-.*Completed.*\\d{8}T\\d{6}\\.\\d+Z-[0-9a-f]{8}`))
  await runs.scrollIntoViewIfNeeded()
  await page.screenshot({ path: resolve(artifacts, 'cloud-runs.png') })
})

test('a tuning file from disk is picked with Browse… and reviewed before it is pushed', async () => {
  const push = page.getByLabel('Push', { exact: true })
  await push.getByLabel('What to push').selectOption('file')
  const chooser = page.waitForEvent('filechooser')
  await push.getByRole('button', { name: 'Browse…' }).click()
  await (await chooser).setFiles(resolve(root, 'testdata/dataset/files/input-output.jsonl'))
  await expect.poll(() => push.getByLabel('Dataset file to push').inputValue()).toMatch(/npcstudio-uploads-.*\/input-output\.jsonl$/)
  await push.getByLabel('Base model').selectOption('amazon.titan-text-express-v1')
  await push.getByRole('button', { name: 'Review push' }).click()
  const dialog = page.getByRole('dialog', { name: 'Confirm push' })
  await expect.poll(() => dialog.textContent()).toMatch(/dataset file \/\S+\/input-output\.jsonl/)
  await page.screenshot({ path: resolve(artifacts, 'cloud-push-file.png') })
  await dialog.getByRole('button', { name: "Don't push" }).click()
  expect(await dialog.count()).toBe(0)
})
