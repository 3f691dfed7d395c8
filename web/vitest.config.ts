/**
 * Unit tests only: pure code under src/, in Node, no browser. The browser
 * tests in tests/ run with Playwright and are not vitest's business.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
    environment: 'node',
  },
});
