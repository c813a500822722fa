import { createReadStream } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';
import { TriageError } from '@triage/errors';
import { isDocumentCandidate } from '../assembly/document-kind.ts';
import type { PackageCollector } from '../assembly/package-collector.ts';
import type { BundleLimits } from '../limits.ts';
import { assertSafeEntryName, isNoiseEntry } from './entry-name.ts';
import { readPackageDocument } from './package-document.ts';

interface DirectoryEntry {
  /** Relative path with `/` separators: what a manifest names. */
  readonly name: string;
  readonly file: string;
  readonly isDocument: boolean;
}

/**
 * Reads a directory laid out like a ZIP package (`triage bundle validate` only). Symbolic links
 * and other non-regular files are refused (PATH_UNSAFE: they could point outside the folder);
 * OS noise is skipped as in a ZIP. Documents are read first, then media is streamed.
 */
export async function readDirectoryPackage(
  dir: string,
  collector: PackageCollector,
  limits: BundleLimits,
): Promise<void> {
  const entries: DirectoryEntry[] = [];
  let total = 0;

  async function walk(folder: string, prefix: string): Promise<void> {
    const names = (await readdir(folder)).sort();
    for (const base of names) {
      const name = `${prefix}${base}`;
      assertSafeEntryName(name);
      if (isNoiseEntry(name)) continue;
      const file = path.join(folder, base);
      const info = await lstat(file);
      if (info.isDirectory()) {
        await walk(file, `${name}/`);
        continue;
      }
      if (!info.isFile()) {
        throw new TriageError(
          'TRIAGE_BUNDLE_PATH_UNSAFE',
          `${name} is not a regular file (a link or device)`,
          {
            pointer: name,
          },
        );
      }
      if (entries.length >= limits.maxEntries) {
        throw new TriageError(
          'TRIAGE_BUNDLE_TOO_MANY_ENTRIES',
          `More than ${limits.maxEntries} files in the package folder`,
          { pointer: name, details: { limit: limits.maxEntries } },
        );
      }
      total += info.size;
      if (total > limits.maxBundleBytes) {
        throw new TriageError(
          'TRIAGE_BUNDLE_TOO_LARGE',
          `The package folder holds more than the ${limits.maxBundleBytes} bytes a bundle may have`,
          { pointer: name, details: { limit: limits.maxBundleBytes } },
        );
      }
      entries.push({ name, file, isDocument: isDocumentCandidate(name) });
    }
  }

  await walk(dir, '');
  for (const entry of entries.filter((e) => e.isDocument)) {
    await readPackageDocument(entry.name, boundedRead(entry, limits.maxDocumentBytes), collector);
  }
  for (const entry of entries.filter((e) => !e.isDocument)) {
    await collector.addMedia(entry.name, createReadStream(entry.file));
  }
}

async function* boundedRead(entry: DirectoryEntry, limit: number): AsyncGenerator<Buffer> {
  let size = 0;
  for await (const chunk of createReadStream(entry.file)) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      throw new TriageError(
        'TRIAGE_BUNDLE_DOCUMENT_TOO_LARGE',
        `${entry.name} is larger than the ${limit} bytes a document may have`,
        { pointer: entry.name, details: { limit } },
      );
    }
    yield chunk as Buffer;
  }
}
