/**
 * One scratch folder per test run (vitest `globalSetup`): made before the
 * first test file starts, removed after the last. TMPDIR points into it for
 * the test workers and everything they start, so every temporary file of a
 * run — a server's data dir, the fake microphone's WAV, Chromium's profiles,
 * nginx's and PostgreSQL's folders — lands there, and a server a test killed
 * or a test that failed half-way leaves nothing behind in /tmp. (An `exit`
 * handler in the workers did not do it: vitest's workers do not run them.)
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'moim-run-'));
  // As open as /tmp itself: PostgreSQL runs as its own user and makes its
  // folder in here (scripts/pg-temp.sh).
  chmodSync(dir, 0o1777);
  process.env.TMPDIR = dir;
  return () => {
    rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  };
}
