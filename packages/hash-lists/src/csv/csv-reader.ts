import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { TriageError } from '@triage/errors';
import type { HashType } from '@triage/schemas';
import { type CsvError, type Info, parse } from 'csv-parse';
import { hashTypeFromName, hexLengths, isAbsent, normaliseHash, parseCategory } from '../normalise.ts';
import { replayed } from '../replayed.ts';
import type { HashEntry, HashListItem, InvalidReason } from '../types.ts';
import type { ReaderItem } from '../vics/vics-reader.ts';

export interface CsvReaderOptions {
  /** Label for a category when the row has no label column, or null. */
  labelFor: (category: number) => string | null;
}

/** A column's role: one of the long-format roles, or a hash type (wide format: one column per type). */
type Role = 'hash' | 'type' | 'category' | 'label' | HashType;

const roleNames: Record<string, Role> = {
  hash: 'hash',
  hashvalue: 'hash',
  value: 'hash',
  type: 'type',
  hashtype: 'type',
  algorithm: 'type',
  hashname: 'type',
  category: 'category',
  cat: 'category',
  vicscategory: 'category',
  label: 'label',
  categorylabel: 'label',
  categoryname: 'label',
};

/** Columns of a file without header: hash, type, category, label (type and the rest optional). */
const headerlessRoles: readonly Role[] = ['hash', 'type', 'category', 'label'];

function roleOf(cell: string): Role | undefined {
  const name = cell.toLowerCase().replace(/[^a-z0-9]/g, '');
  return roleNames[name] ?? hashTypeFromName(name);
}

/** Delimiters a hash list may use. */
const delimiters = [',', ';', '\t'] as const;

/**
 * Picks the delimiter from the first row that is not blank or a comment: the most frequent of
 * `,` `;` tab (`,` when none). (csv-parse's own `delimiter_auto` fails on non-ASCII text in its
 * sample, such as a BOM or accented labels.) Reads at most 64 KB ahead and replays it.
 */
async function sniffDelimiter(
  chunks: AsyncIterable<Uint8Array>,
): Promise<{ delimiter: string; chunks: AsyncIterable<Uint8Array> }> {
  const source = chunks[Symbol.asyncIterator]();
  const head: Uint8Array[] = [];
  let size = 0;
  let firstRow: string | undefined;
  while (firstRow === undefined && size < 65_536) {
    const next = await source.next();
    if (next.done) break;
    head.push(next.value);
    size += next.value.byteLength;
    const lines = new TextDecoder().decode(Buffer.concat(head)).split(/\r?\n/);
    // The last line may still be incomplete unless the source has ended.
    firstRow = lines.slice(0, -1).find((line) => line.trim() !== '' && !line.trimStart().startsWith('#'));
  }
  if (firstRow === undefined) {
    const text = new TextDecoder().decode(Buffer.concat(head));
    firstRow = text.split(/\r?\n/).find((line) => line.trim() !== '' && !line.trimStart().startsWith('#'));
  }
  let delimiter: string = ',';
  let most = 0;
  for (const candidate of delimiters) {
    const count = firstRow?.split(candidate).length ?? 1;
    if (count - 1 > most) {
      most = count - 1;
      delimiter = candidate;
    }
  }
  return { delimiter, chunks: replayed(head, source) };
}

/**
 * Streams a CSV hash list (`hash,type,category[,label]`, with or without a header row, or a header
 * with one column per hash type such as `md5,sha1,category`). `,`, `;` and tab delimiters, a BOM,
 * `#` comment lines and blank lines are accepted. Yields the detected format first; a row that
 * cannot be used is an invalid item with its line number.
 */
export async function* readCsvItems(
  chunks: AsyncIterable<Uint8Array>,
  options: CsvReaderOptions,
): AsyncGenerator<ReaderItem> {
  const skipped: HashListItem[] = [];
  const { delimiter, chunks: replay } = await sniffDelimiter(chunks);
  const parser = parse({
    bom: true,
    delimiter,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    trim: true,
    comment: '#',
    comment_no_infix: true,
    info: true,
    skip_records_with_error: true,
    on_skip: (error: CsvError | undefined) => {
      const line = typeof error?.lines === 'number' ? error.lines : undefined;
      skipped.push(
        invalid(
          line === undefined ? 'line ?' : `line ${line}`,
          'row-malformed',
          error?.message ?? 'unreadable row',
        ),
      );
      return undefined;
    },
  });
  const feeding = pipeline(Readable.from(replay), parser);
  // The pipeline's own rejection is re-thrown by the iteration below; this only keeps it handled.
  feeding.catch(() => undefined);

  let roles: readonly (Role | undefined)[] | undefined;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: Info }>) {
      const line = `line ${info.lines}`;
      if (roles === undefined) {
        roles = detectColumns(record);
        const header = roles !== headerlessRoles;
        yield {
          kind: 'format',
          info: { format: 'csv', header, columns: roles.map((role) => role ?? '') },
        };
        if (header) continue;
      }
      if (skipped.length > 0) yield* skipped.splice(0);
      yield { kind: 'record' };
      yield* csvRowItems(record, roles, line, options);
    }
    await feeding;
  } catch (cause) {
    if (cause instanceof TriageError) throw cause;
    // Records parsed before a fatal error can be lost with the stream, so count on the parser.
    if (roles === undefined && parser.info.records === 0) {
      throw new TriageError(
        'TRIAGE_HASHLIST_FORMAT_UNKNOWN',
        `The file is neither VICS JSON nor a readable CSV: ${(cause as Error).message}`,
        { cause },
      );
    }
    throw new TriageError(
      'TRIAGE_HASHLIST_MALFORMED',
      `The CSV file cannot be read past line ${parser.info.lines}: ${(cause as Error).message}`,
      { cause, details: { line: parser.info.lines } },
    );
  }
  if (roles === undefined) {
    throw new TriageError('TRIAGE_HASHLIST_FORMAT_UNKNOWN', 'The file has no rows: not a hash list');
  }
  if (skipped.length > 0) yield* skipped.splice(0);
}

/** The first row decides: a header naming a hash column, or a first data row that looks like a hash. */
function detectColumns(first: readonly string[]): readonly (Role | undefined)[] {
  const named = first.map(roleOf);
  const hashColumns = named.filter(
    (role) => role !== undefined && role !== 'type' && role !== 'category' && role !== 'label',
  );
  const looksLikeHash = /^[0-9a-fA-F]{32}$|^[0-9a-fA-F]{40}$|^[0-9a-fA-F]{64}$/.test(first[0] ?? '');
  if (!looksLikeHash && hashColumns.length > 0) {
    if (
      named.includes('hash') &&
      named.some((role) => role !== undefined && hexLengths[role as HashType] !== undefined)
    ) {
      throw new TriageError(
        'TRIAGE_HASHLIST_FORMAT_UNKNOWN',
        'The CSV header has both a hash column and per-type hash columns; use one or the other',
      );
    }
    return named;
  }
  const typed = first[1] !== undefined && hashTypeFromName(first[1]) !== undefined;
  if (looksLikeHash || typed) return headerlessRoles;
  throw new TriageError(
    'TRIAGE_HASHLIST_FORMAT_UNKNOWN',
    'The file is neither VICS JSON nor a CSV of hashes: its first row is no header naming a hash column (hash, type, category, label or md5, sha1...) and does not start with a hash',
  );
}

function* csvRowItems(
  record: readonly string[],
  roles: readonly (Role | undefined)[],
  line: string,
  options: CsvReaderOptions,
): Generator<HashListItem> {
  const cell = (role: Role): string | undefined => {
    const index = roles.indexOf(role);
    return index === -1 ? undefined : record[index];
  };
  const category = parseCategory(cell('category'));
  if (!category.ok) {
    yield invalid(line, 'category-invalid', category.message);
    return;
  }
  const label = cell('label');
  const base: Omit<HashEntry, 'hashType' | 'value'> = {
    category: category.category,
    categoryLabel: isAbsent(label)
      ? category.category === null
        ? null
        : options.labelFor(category.category)
      : label!,
    source: 'csv',
    mediaId: null,
    mediaSize: null,
    series: null,
    tags: [],
    victimIdentified: null,
    offenderIdentified: null,
    isDistributed: null,
    photoDnaVerbatim: null,
    position: line,
  };

  if (roles.includes('hash')) {
    const raw = cell('hash');
    if (isAbsent(raw)) {
      yield invalid(line, 'no-hash', 'The row has no hash');
      return;
    }
    const hashType = typeOfRow(raw!, cell('type'));
    if (!hashType.ok) {
      yield invalid(line, hashType.reason, hashType.message);
      return;
    }
    const hash = normaliseHash(hashType.hashType, raw);
    if (!hash.ok) {
      yield invalid(line, 'hash-malformed', hash.message);
      return;
    }
    const photoDna = hashType.hashType === 'PHOTODNA' ? hash.value : null;
    yield {
      kind: 'entry',
      entry: { ...base, photoDnaVerbatim: photoDna, hashType: hashType.hashType, value: hash.value },
    };
    return;
  }

  // Wide format: one column per hash type.
  let found = 0;
  const photoDnaCell = cell('PHOTODNA');
  for (let index = 0; index < roles.length; index++) {
    const role = roles[index];
    if (role === undefined || role === 'hash' || role === 'type' || role === 'category' || role === 'label') {
      continue;
    }
    const raw = record[index];
    if (isAbsent(raw)) continue;
    found++;
    const hash = normaliseHash(role, raw);
    if (hash.ok) {
      yield {
        kind: 'entry',
        entry: {
          ...base,
          tags: [],
          photoDnaVerbatim: isAbsent(photoDnaCell) ? null : photoDnaCell!,
          hashType: role,
          value: hash.value,
        },
      };
    } else yield invalid(line, 'hash-malformed', hash.message);
  }
  if (found === 0) yield invalid(line, 'no-hash', 'The row has no hash');
}

type TypeCheck = { ok: true; hashType: HashType } | { ok: false; reason: InvalidReason; message: string };

/** The row's type column, or the type its hex length tells (32 MD5, 40 SHA1; 64 could be SHA256 or PDQ). */
function typeOfRow(raw: string, typeCell: string | undefined): TypeCheck {
  if (!isAbsent(typeCell)) {
    const hashType = hashTypeFromName(typeCell!);
    if (hashType === undefined) {
      return {
        ok: false,
        reason: 'hash-type-unknown',
        message: `Unknown hash type ${JSON.stringify(typeCell!.slice(0, 40))}`,
      };
    }
    return { ok: true, hashType };
  }
  const hex = raw.trim();
  if (/^[0-9a-fA-F]{32}$/.test(hex)) return { ok: true, hashType: 'MD5' };
  if (/^[0-9a-fA-F]{40}$/.test(hex)) return { ok: true, hashType: 'SHA1' };
  if (/^[0-9a-fA-F]{64}$/.test(hex)) {
    return {
      ok: false,
      reason: 'hash-type-ambiguous',
      message: '64 hex digits without a type could be SHA256 or PDQ: give the type column',
    };
  }
  return {
    ok: false,
    reason: 'hash-malformed',
    message: `Without a type the hash must be 32 (MD5) or 40 (SHA1) hex digits, got ${hex.length} characters`,
  };
}

function invalid(position: string, reason: InvalidReason, message: string): HashListItem {
  return { kind: 'invalid', row: { position, reason, message } };
}
