import { TriageError } from '@triage/errors';

/**
 * Refuses entry names that could escape a folder or mean different files on different systems:
 * empty, absolute (`/x`, `C:x`), `..` segments, backslashes, NUL and other control characters.
 * Names are compared as given afterwards; nothing is ever written to disk by its entry name.
 */
export function assertSafeEntryName(name: string): void {
  const reason = unsafeReason(name);
  if (reason !== null) {
    throw new TriageError(
      'TRIAGE_BUNDLE_PATH_UNSAFE',
      `Entry name ${JSON.stringify(name)} is unsafe: ${reason}`,
      {
        pointer: name,
        details: { reason },
      },
    );
  }
}

function unsafeReason(name: string): string | null {
  if (name.length === 0) return 'empty name';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'control character (NUL, newline...) in the name';
  if (name.includes('\\')) return 'backslash (use / separators)';
  if (name.startsWith('/')) return 'absolute path';
  if (/^[A-Za-z]:/.test(name)) return 'drive letter';
  if (name.split('/').includes('..')) return '".." segment';
  return null;
}

/**
 * Operating-system noise that archivers add and partners never mean: macOS resource forks
 * (`__MACOSX/`), Finder and Explorer metadata (`.DS_Store`, `Thumbs.db`, `desktop.ini`).
 * Skipped silently, after the name passed `assertSafeEntryName`.
 */
export function isNoiseEntry(name: string): boolean {
  if (name === '__MACOSX' || name.startsWith('__MACOSX/')) return true;
  const base = baseName(name);
  return base === '.DS_Store' || base === 'Thumbs.db' || base === 'desktop.ini';
}

export function baseName(name: string): string {
  return name.slice(name.lastIndexOf('/') + 1);
}
