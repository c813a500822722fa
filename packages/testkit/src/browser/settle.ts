import type { Page } from 'playwright-core';

/**
 * Resolves after the page painted twice and ran its pending tasks: a UI library applies state and
 * effects (Preact runs `useEffect` after paint) between a key and the next, as it does for a person
 * typing. A test pressing keys faster than any person would otherwise find handlers of the state
 * before.
 */
export function settle(page: Page): Promise<void> {
  return page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        const frame = (globalThis as unknown as { requestAnimationFrame(callback: () => void): number })
          .requestAnimationFrame;
        frame(() => frame(() => setTimeout(resolve, 0)));
      }),
  );
}
