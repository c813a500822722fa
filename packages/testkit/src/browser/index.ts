// The browser-test harness (`@triage/testkit/browser`): Debian's chromium through playwright-core,
// pages that refuse third-party requests and record console errors, axe-core checks, screenshots.
// Apart from `@triage/testkit` so that tests without a browser never load playwright-core.

// The playwright types the tests use, so that they need no dependency of their own on playwright-core.
export type { Browser, Locator, Page, Response } from 'playwright-core';
export {
  type AccessibilityReport,
  assertAccessible,
  checkAccessibility,
} from './accessibility.ts';
export { type AxeViolation, formatViolations } from './accessibility-report.ts';
export { chromiumArgs, launchChromium } from './chromium.ts';
export { defaultViewport, type GuardedPage, openGuardedPage } from './guarded-page.ts';
export { settle } from './settle.ts';
