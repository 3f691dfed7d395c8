/**
 * axe-core in a test's page: `expectAxeClean(page, 'home, dark')` fails with
 * every violation listed (rule, impact, element, what to fix), so a new
 * screen or component is checked by adding one call to a test. axe's source
 * goes in through `page.evaluate` (the DevTools protocol), because moim's
 * Content-Security-Policy refuses inline `<script>` tags.
 */
import axe from 'axe-core';
import type { AxeResults, Result, RunOptions } from 'axe-core';
import type { Page } from 'playwright-core';

/** Puts axe in the page once (a new document needs it again). */
async function inject(page: Page): Promise<void> {
  const present = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe === 'object');
  if (!present) await page.evaluate(axe.source);
}

/** axe's violations on the page as it is now (`options` narrow or widen the rules). */
export async function axeViolations(page: Page, options: RunOptions = {}): Promise<Result[]> {
  await inject(page);
  const results = await page.evaluate(
    (opts) => (window as unknown as { axe: { run(ctx: Document, o: unknown): Promise<AxeResults> } }).axe.run(document, opts),
    { resultTypes: ['violations'], ...options } as RunOptions,
  );
  return results.violations;
}

/** One line per offending element: `rule (impact) at selector: summary`. */
export function describeViolations(violations: readonly Result[]): string {
  return violations
    .flatMap((v) =>
      v.nodes.map((node) => {
        const summary = (node.failureSummary ?? v.help).replace(/\s+/g, ' ').trim();
        return `- ${v.id} (${v.impact ?? 'n/a'}) at ${node.target.join(' ')}: ${v.help}. ${summary}`;
      }),
    )
    .join('\n');
}

/** Fails, listing each violation, unless axe finds none; `where` names the page and theme. */
export async function expectAxeClean(page: Page, where: string, options: RunOptions = {}): Promise<void> {
  const violations = await axeViolations(page, options);
  if (violations.length > 0) {
    throw new Error(`axe found ${violations.length} kind(s) of violation on ${where}:\n${describeViolations(violations)}`);
  }
}
