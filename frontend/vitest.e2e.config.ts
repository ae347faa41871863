import { defineConfig } from 'vitest/config'

// End-to-end tests: the built npcstudio serves the real frontend with the real Go services
// behind it, and Debian's Chromium drives it through playwright-core.
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    reporters: ['default'],
  },
})
