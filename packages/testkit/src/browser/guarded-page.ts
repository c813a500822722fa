import type { Browser, BrowserContext, Page } from 'playwright-core';
import { isFirstParty } from './request-policy.ts';

/** The console's quality bar at its smallest supported laptop screen (issue 17). */
export const defaultViewport = { width: 1280, height: 800 } as const;

export interface OpenGuardedPageOptions {
  browser: Browser;
  /** The one origin the page may talk to (triage-api serves the console and its API). */
  origin: string;
  /** Default 1280x800. */
  viewport?: { width: number; height: number };
  /** Accept the origin's certificate unchecked (a test's self-signed one); default false. */
  ignoreHTTPSErrors?: boolean;
}

/**
 * A page that records what the console must never do: log a console error, throw an uncaught
 * error, or request anything from another origin (refused before it leaves the browser).
 * Playwright cannot fail a test on its own events, so the test calls `assertClean()` (after each
 * step it cares about, and at the end).
 */
export interface GuardedPage {
  readonly page: Page;
  readonly context: BrowserContext;
  /** Everything wrong so far, in order: console errors, page errors, refused requests. */
  readonly problems: readonly string[];
  /** The third-party URLs refused so far. */
  readonly refused: readonly string[];
  /**
   * Tolerates one console error matching `pattern`, from now on. Chromium logs a failed response
   * ("Failed to load resource: ... 403") as a console error even when the page handles it, so a
   * test expecting a refusal (a denied reveal) names it instead of ignoring console errors.
   */
  expectConsoleError(pattern: RegExp): void;
  /** Throws, listing every problem, unless there is none. */
  assertClean(): void;
  close(): Promise<void>;
}

/** Opens a page in a fresh context (its own storage) at 1280x800, guarded as described above. */
export async function openGuardedPage(options: OpenGuardedPageOptions): Promise<GuardedPage> {
  const context = await options.browser.newContext({
    viewport: options.viewport ?? defaultViewport,
    // A service worker could fetch behind the routes' back.
    serviceWorkers: 'block',
    ignoreHTTPSErrors: options.ignoreHTTPSErrors ?? false,
  });
  const problems: string[] = [];
  const refused: string[] = [];
  const allowances: RegExp[] = [];

  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (isFirstParty(url, options.origin)) return route.continue();
    refused.push(url);
    problems.push(`third-party request refused: ${route.request().method()} ${url}`);
    return route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = message.text();
    const allowance = allowances.findIndex((pattern) => pattern.test(text));
    if (allowance >= 0) {
      allowances.splice(allowance, 1);
      return;
    }
    const { url, lineNumber } = message.location();
    problems.push(`console error: ${text}${url ? ` (${url}:${lineNumber})` : ''}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('crash', () => problems.push('page crashed'));

  return {
    page,
    context,
    problems,
    refused,
    expectConsoleError(pattern) {
      allowances.push(pattern);
    },
    assertClean() {
      if (problems.length > 0)
        throw new Error(`the page was not clean:\n${problems.map((problem) => `- ${problem}`).join('\n')}`);
    },
    close: () => context.close(),
  };
}
