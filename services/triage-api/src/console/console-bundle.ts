// The web console's built bundle (apps/console, `pnpm console:build`), read once at start into
// memory: the HTML shell and the content-hashed assets. Small (tens of kB), so serving from memory
// keeps every answer's headers in one place and needs no file-system access per request.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

interface ConsoleAsset {
  body: Buffer;
  contentType: string;
}

export interface ConsoleBundle {
  /** index.html: the page of every console route. */
  shell: Buffer;
  /** dist/assets/<name> by name (names carry their content hash). */
  assets: ReadonlyMap<string, ConsoleAsset>;
}

/**
 * The console's Content-Security-Policy (issue 17, THE SHARED CONTRACT): only this origin, images
 * also from blob: URLs (previews fetched with the bearer header), no inline script or style, never framed.
 */
export const consoleContentSecurityPolicy =
  "default-src 'self'; img-src 'self' blob:; style-src 'self'; script-src 'self'; connect-src 'self'; " +
  "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

const contentTypes: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.map': 'application/json; charset=utf-8',
};

/** Reads the bundle in `dir`; null when it has no index.html (the console was not built). */
export async function readConsoleBundle(dir: string): Promise<ConsoleBundle | null> {
  let shell: Buffer;
  try {
    shell = await readFile(path.join(dir, 'index.html'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const assets = new Map<string, ConsoleAsset>();
  const assetDir = path.join(dir, 'assets');
  for (const name of await readdir(assetDir)) {
    const contentType = contentTypes[path.extname(name)];
    if (contentType === undefined) continue;
    assets.set(name, { body: await readFile(path.join(assetDir, name)), contentType });
  }
  return { shell, assets };
}
