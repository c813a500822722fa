import { TriageError } from '@triage/errors';
import { compactKey } from './compact-key.ts';
import { readCsvItems } from './csv/csv-reader.ts';
import { usCategoryLabels } from './normalise.ts';
import { replayed } from './replayed.ts';
import type { HashListFormatInfo, HashListItem } from './types.ts';
import { type ReaderItem, readVicsItems } from './vics/vics-reader.ts';

export type HashListFormatOption = 'auto' | 'vics' | 'csv';

export interface ReadHashListOptions {
  /** `auto` (default) tells VICS JSON from CSV by the first non-blank character. */
  format?: HashListFormatOption;
  /**
   * A VICS case export (`#Cases`) is the media of one case, not a hash set: by default it is
   * refused (TRIAGE_HASHLIST_CASE_EXPORT). `categorised` imports the Media entries that carry a
   * Category (0 included) and skips the uncategorised ones.
   */
  caseExport?: 'reject' | 'categorised';
  /**
   * Labels for categories that the file does not label itself. Default: the US VICS labels, used
   * for VICS US and v1.x documents and for CSV rows without a label column. Other VICS regions get
   * no default label (their categories mean other things).
   */
  categoryLabels?: Readonly<Record<number, string>> | null;
  /** Drop repeated (hashType, value) pairs (yielded as `duplicate`). Default true. */
  dedupe?: boolean;
}

export interface HashListReader {
  readonly info: HashListFormatInfo;
  /** The items in file order; iterate once. */
  readonly items: AsyncIterable<HashListItem>;
}

const utf8Bom = [0xef, 0xbb, 0xbf];

/**
 * Opens a hash list from its bytes: detects the format (reading only as far as needed), then
 * streams normalised entries, duplicates, invalid and skipped rows. Memory: one record at a time,
 * plus one small map entry per distinct hash for de-duplication.
 *
 * A file that is no hash list at all is TRIAGE_HASHLIST_FORMAT_UNKNOWN (or
 * TRIAGE_HASHLIST_CASE_EXPORT for a refused case export), thrown before any item.
 */
export async function readHashList(
  chunks: AsyncIterable<Uint8Array>,
  options: ReadHashListOptions = {},
): Promise<HashListReader> {
  const source = chunks[Symbol.asyncIterator]();
  const head: Uint8Array[] = [];
  let first: number | undefined;
  let index = 0;
  let inBom = true;
  // Read until the first byte that is not part of a UTF-8 BOM or whitespace.
  while (first === undefined) {
    const next = await source.next();
    if (next.done) break;
    head.push(next.value);
    for (const byte of next.value) {
      const at = index++;
      if (inBom && at < 3 && byte === utf8Bom[at]) continue;
      inBom = false;
      if (byte === 0) {
        await source.return?.();
        throw unknown('The file holds binary data (NUL bytes), not a hash list');
      }
      if (byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d) continue;
      first = byte;
      break;
    }
  }
  if (first === undefined || first === 0xff || first === 0xfe) {
    await source.return?.();
    throw unknown(
      first === undefined
        ? 'The file is empty'
        : 'The file looks UTF-16 encoded; hash lists are read as UTF-8 (save it as UTF-8)',
    );
  }
  const format = options.format ?? 'auto';
  const json = first === 0x7b || first === 0x5b; // { or [
  const replay = replayed(head, source);
  const labels = options.categoryLabels === undefined ? usCategoryLabels : options.categoryLabels;
  const labelOf = (category: number) => labels?.[category] ?? null;

  let stream: AsyncGenerator<ReaderItem>;
  if (format === 'vics' || (format === 'auto' && json)) {
    if (!json) {
      await source.return?.();
      throw unknown('Expected VICS JSON, but the file does not start with a JSON object');
    }
    stream = readVicsItems(replay, {
      caseExport: options.caseExport ?? 'reject',
      labelFor: (category, region) =>
        region === null || region.toUpperCase() === 'US' || options.categoryLabels !== undefined
          ? labelOf(category)
          : null,
    });
  } else {
    stream = readCsvItems(replay, { labelFor: labelOf });
  }

  let opening: IteratorResult<ReaderItem>;
  try {
    opening = await stream.next();
  } catch (error) {
    await stream.return(undefined);
    throw error;
  }
  if (opening.done || opening.value.kind !== 'format') {
    await stream.return(undefined);
    throw unknown('The file ends before its format can be told');
  }
  const info = opening.value.info;
  const rest = stream as AsyncGenerator<HashListItem>;
  return { info, items: options.dedupe === false ? rest : deduplicated(rest) };
}

/**
 * Drops repeated (hashType, value) pairs within one list: the first occurrence wins and later ones
 * are yielded as `duplicate` (with `conflict` when their category differs).
 */
export async function* deduplicated(items: AsyncIterable<HashListItem>): AsyncGenerator<HashListItem> {
  const seen = new Map<string, number | null>();
  for await (const item of items) {
    if (item.kind !== 'entry') {
      yield item;
      continue;
    }
    const key = compactKey(item.entry.hashType, item.entry.value);
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, item.entry.category);
      yield item;
    } else {
      yield {
        kind: 'duplicate',
        entry: item.entry,
        firstCategory: first,
        conflict: first !== item.entry.category,
      };
    }
  }
}

function unknown(message: string): TriageError {
  return new TriageError('TRIAGE_HASHLIST_FORMAT_UNKNOWN', message);
}
