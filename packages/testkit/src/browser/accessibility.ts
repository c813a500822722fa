import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import {
  type AxeResults,
  type AxeViolation,
  failingViolations,
  formatViolations,
  violationCounts,
} from './accessibility-report.ts';

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
let axeSource: Promise<string> | undefined;

/**
 * Puts axe-core into the page through the DevTools protocol (`Runtime.evaluate`). The console's
 * Content-Security-Policy (`script-src 'self'`) refuses inline scripts, which is what
 * `page.addScriptTag` adds; the alternative, a context with `bypassCSP`, would switch the policy off
 * for the whole page (so a CSP breach would go unseen) and needs a fresh context (losing the
 * session's token, kept in sessionStorage). An evaluation by the debugger is not subject to the
 * page's CSP and leaves it in force for everything the page itself does.
 */
async function injectAxe(page: Page): Promise<void> {
  if (await page.evaluate(() => 'axe' in globalThis)) return;
  axeSource ??= readFile(axePath, 'utf8');
  const cdp = await page.context().newCDPSession(page);
  try {
    const answer = await cdp.send('Runtime.evaluate', { expression: await axeSource });
    if (answer.exceptionDetails) throw new Error(`axe-core did not load: ${answer.exceptionDetails.text}`);
  } finally {
    await cdp.detach();
  }
}

export interface AccessibilityReport {
  /** What was checked (a page's name). */
  label: string;
  url: string;
  violations: AxeViolation[];
  /** Violations per impact. */
  counts: Record<string, number>;
  /** Rules that passed. */
  passes: number;
  /** Rules axe could not decide (a person should look). */
  incomplete: number;
}

/** Runs axe-core (every rule of its default set) on the page as it is now. */
export async function checkAccessibility(page: Page, label: string): Promise<AccessibilityReport> {
  await injectAxe(page);
  // The callback runs in the page (this project's TypeScript has no DOM library: its globals are typed here).
  const results = (await page.evaluate(() => {
    const page = globalThis as unknown as {
      axe: { run(context: unknown): Promise<unknown> };
      document: unknown;
    };
    return page.axe.run(page.document);
  })) as AxeResults;
  return {
    label,
    url: page.url(),
    violations: [...results.violations],
    counts: violationCounts(results.violations),
    passes: results.passes.length,
    incomplete: results.incomplete.length,
  };
}

/**
 * Runs axe-core and throws, listing them, when there is a `serious` or `critical` violation;
 * otherwise returns the report (lesser violations included, for the record).
 */
export async function assertAccessible(page: Page, label: string): Promise<AccessibilityReport> {
  const report = await checkAccessibility(page, label);
  const failing = failingViolations(report.violations);
  if (failing.length > 0)
    throw new Error(
      `axe-core: ${failing.length} serious or critical violation(s) on ${label} (${report.url}):\n${formatViolations(failing)}`,
    );
  return report;
}
