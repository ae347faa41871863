import { resolve } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { artifacts, launchBrowser, openStudio, startLocalCloud, startStudio, type LocalCloud, type Studio } from './harness'

let studio: Studio
let browser: Browser
let page: Page
let localcloud: LocalCloud<typeof deployment> | undefined
let deployment: {
  workload: string
  region: string
  versions: { Number: number; Model: string }[]
  env: Record<string, string>
}

beforeAll(async () => {
  // localcloud adds two model versions of finished tuning runs (evidence and, for the newer,
  // an InService provisioned throughput).
  localcloud = await startLocalCloud(['--models'])
  deployment = localcloud.deployment
  ;[studio, browser] = await Promise.all([startStudio(), launchBrowser()])
  page = await openStudio(browser, studio)
  await page.evaluate(async (d) => {
    const go = (window as unknown as { go: { app: Record<string, Record<string, (a: unknown) => Promise<unknown>>> } }).go.app
    await go.CloudService!.Connect!({ deployment: { v: 1, workload: d.workload, stage: 'QA', region: d.region, created: '', updated: '' } })
  }, deployment)
}, 300_000)

afterAll(async () => {
  await browser?.close()
  await studio?.stop()
  await localcloud?.stop()
})

const nav = (name: RegExp) => page.getByRole('navigation', { name: 'Areas' }).getByRole('button', { name })

test('a lead opens a version, reads its metrics, approves it with a note and follows the deployment it starts', async () => {
  const newest = deployment.versions[1]!
  const older = deployment.versions[0]!
  await nav(/Models/).click()

  // The trend chart across versions names every point.
  const trend = page.getByLabel('Metrics across versions')
  await expect.poll(() => trend.getByRole('img', { name: /^Loss across versions/ }).getAttribute('aria-label')).toContain(
    `Loss v${older.Number}=1.92, v${newest.Number}=1.21`,
  )
  expect(await trend.getByRole('img', { name: /^Perplexity across versions/ }).getAttribute('aria-label')).toContain(
    `Perplexity v${older.Number}=6.82, v${newest.Number}=3.35`,
  )

  // The older version has no provisioned throughput: its approval is refused with the fix.
  await page.getByRole('button', { name: `Open version ${older.Number}` }).click()
  await page.getByLabel(`Version ${older.Number} evidence`).getByRole('button', { name: 'Approve…' }).click()
  const refused = page.getByRole('dialog', { name: `Approve version ${older.Number}` })
  await refused.getByLabel(/Note/).fill('looks fine')
  await refused.getByRole('button', { name: 'Approve', exact: true }).click()
  await expect.poll(() => refused.getByRole('alert').textContent()).toContain('no provisioned throughput exists for custom model')
  expect(await refused.getByRole('alert').textContent()).toContain('create-provisioned-model-throughput')
  await refused.getByRole('button', { name: 'Cancel' }).click()
  expect(await page.getByRole('article', { name: `Version ${older.Number}` }).textContent()).toContain('PendingManualApproval')

  const card = page.getByRole('article', { name: `Version ${newest.Number}` })
  expect(await card.textContent()).toContain('PendingManualApproval')
  expect(await card.textContent()).toContain('InService (1 units)')
  await card.getByRole('button', { name: `Open version ${newest.Number}` }).click()

  const detail = page.getByLabel(`Version ${newest.Number} evidence`)
  const curves = detail.getByRole('img', { name: /Loss curves/ })
  await expect.poll(() => curves.getAttribute('aria-label')).toContain('Validation loss 15=1.8, 30=1.21')
  expect(await detail.textContent()).toContain('epochCount=2')
  await page.screenshot({ path: resolve(artifacts, 'models-version.png') })

  await detail.getByRole('button', { name: 'Approve…' }).click()
  const dialog = page.getByRole('dialog', { name: `Approve version ${newest.Number}` })
  await expect.poll(() => dialog.textContent()).toContain(`restarts ${deployment.workload}-Pipeline, which runs QA, then the system tests, then PROD`)
  await dialog.getByLabel(/Note/).fill('Mira keeps her voice in every scene; ready for QA')
  await page.screenshot({ path: resolve(artifacts, 'models-approve.png') })
  await dialog.getByRole('button', { name: 'Approve', exact: true }).click()

  await expect.poll(() => page.getByRole('article', { name: `Version ${newest.Number}` }).textContent()).toContain('Approved by arn:aws:')
  expect(await page.getByRole('article', { name: `Version ${newest.Number}` }).textContent()).toContain('Mira keeps her voice')

  // The deployment's rule wrote the throughput into CustomModelName and restarted the pipeline;
  // the panel refreshes by itself until PROD is done.
  const pipeline = page.getByLabel('Deployment pipeline')
  await expect.poll(() => pipeline.textContent()).toContain('CustomModelName: arn:aws:bedrock:')
  await expect.poll(() => pipeline.textContent(), { timeout: 60_000 }).toContain('PROD: Succeeded')
  expect(await pipeline.textContent()).toContain('QA: Succeeded')
  expect(await pipeline.textContent()).toContain('SystemTests: Succeeded')
  await pipeline.scrollIntoViewIfNeeded()
  await page.screenshot({ path: resolve(artifacts, 'models-deployment.png') })
})
