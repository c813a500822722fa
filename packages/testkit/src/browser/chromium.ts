import { type Browser, chromium } from 'playwright-core';

/**
 * Debian's chromium (scripts/system-deps.sh installs it): playwright-core drives it and never
 * downloads a browser of its own. CHROMIUM_PATH points elsewhere (another distribution's build).
 */
const defaultChromiumPath = '/usr/bin/chromium';

/**
 * Headless, no sandbox (CI runs as root, where Chromium refuses its sandbox), no GPU, and no
 * background networking: the browser itself makes no request the tests did not ask for, so a
 * third-party request seen by a guarded page is the page's.
 */
export const chromiumArgs: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
];

export interface LaunchChromiumOptions {
  /** The executable; default CHROMIUM_PATH, else /usr/bin/chromium. */
  executablePath?: string;
}

/** Launches Debian's chromium headless with the project's flags. */
export function launchChromium(options: LaunchChromiumOptions = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: options.executablePath ?? (process.env.CHROMIUM_PATH || defaultChromiumPath),
    args: [...chromiumArgs],
  });
}
