/**
 * What a failed browser test prints about each page: where it is, what its
 * person sees, and what its console said; then its servers' last log lines.
 * With `MOIM_POSTMORTEM` set (scripts/test.sh does), a shorter copy is
 * appended to that file too, which the script prints after the summary: a
 * CI log that keeps only its tail still says why.
 */
import { appendFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import type { MoimServer } from './server';

/** A page of the test, with what its console said so far. */
export interface Watched {
  page: Page;
  console: () => string[];
}

/** The page's last console errors and warnings, and uncaught errors, as they come (at most 40 kept). */
export function watchConsole(page: Page): () => string[] {
  const lines: string[] = [];
  const keep = (line: string) => {
    lines.push(`${new Date().toISOString().slice(11, 23)} ${line}`);
    if (lines.length > 40) lines.shift();
  };
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') keep(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => keep(`uncaught: ${e.message}`));
  page.on('requestfailed', (r) => keep(`request failed: ${r.method()} ${r.url()} (${r.failure()?.errorText ?? '?'})`));
  return () => [...lines];
}

/** The address, the test ids on screen, the visible text (cut at 1,500 characters) and the console. */
export async function describePage(page: Page, consoleLines: string[]): Promise<string> {
  if (page.isClosed()) return 'closed';
  const seen = await page
    .evaluate(() => {
      const ids = [...document.querySelectorAll<HTMLElement>('[data-testid]')]
        .filter((el) => el.offsetParent !== null || el.tagName === 'BODY')
        .map((el) => {
          const code = el.dataset.code ? `[${el.dataset.code}]` : '';
          return `${el.dataset.testid}${code}`;
        });
      return { ids: [...new Set(ids)].join(' '), text: document.body.innerText.replace(/\s+/g, ' ').slice(0, 1500) };
    })
    .catch((e: unknown) => ({ ids: '?', text: `(could not read the page: ${String(e)})` }));
  return [`url: ${page.url()}`, `test ids: ${seen.ids}`, `text: ${seen.text}`, 'console:', ...consoleLines.map((l) => `  ${l}`)].join('\n');
}

/** Prints each page's state, then each server's last log lines; `test` names the failed test. */
export async function postmortem(
  test: string,
  { pages, servers }: { servers: MoimServer[]; pages: Watched[] },
): Promise<void> {
  const people = await Promise.all(pages.map(({ page, console: lines }) => describePage(page, lines())));
  const logs = servers.map((server) => ({ url: server.url, lines: server.log().trimEnd().split('\n') }));
  const report = (logLines: number, cut: (text: string) => string) =>
    [
      `=== postmortem: ${test}`,
      ...people.map((text, i) => `--- person ${i} ---\n${cut(text)}`),
      ...logs.map(({ url, lines }, i) => `--- server ${i} (${url}), its last ${logLines} lines ---\n${lines.slice(-logLines).join('\n')}`),
    ].join('\n');
  console.error(report(150, (text) => text));
  const file = process.env.MOIM_POSTMORTEM;
  if (file) appendFileSync(file, `${report(20, (text) => text.slice(0, 900))}\n`);
}
