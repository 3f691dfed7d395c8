/**
 * The screenshots for issue 21's closing note: run by hand, never part of the
 * test suite (`npx vitest run --config tests/screenshots/vitest.config.ts`).
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/screenshots/*.shots.ts'],
    environment: 'node',
    testTimeout: 900_000,
    hookTimeout: 60_000,
  },
});
