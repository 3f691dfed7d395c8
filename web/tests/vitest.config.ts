/**
 * Tests against the built `moim` binary: protocol tests with the real
 * socket.io-client (tests/protocol) and browser tests with Playwright and
 * Debian's Chromium, and with puppeteer-core and Debian's Firefox ESR
 * (tests/e2e). Files run one at a time: each starts its own servers, and the
 * machine has two cores.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    fileParallelism: false,
    // A scratch folder per run, removed at its end (support/scratch.ts).
    globalSetup: ['tests/support/scratch.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
