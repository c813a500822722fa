import { TriageError } from '@triage/errors';
import type { KafkaConnection } from '@triage/messaging';
import type { Codec } from '@triage/schemas';
import { listNamePattern } from '../known-hash.ts';
import type { HashListFormatOption } from '../read-hash-list.ts';

/**
 * `replace` (default): the file is the whole new version of the list; entries of the list that
 * are on the topic but not in the file are removed with tombstones once the file has been read
 * to its end. `merge`: the file only adds or updates entries; nothing is removed.
 */
export type ImportMode = 'replace' | 'merge';

export interface ImportProgress {
  phase: 'reading-current' | 'publishing' | 'removing' | 'done';
  bytesRead: number;
  totalBytes: number;
  /** Distinct entries read from the file so far. */
  entries: number;
  /** Live entries of the list found on the topic (replace mode; 0 until read). */
  current: number;
  /** Tombstones written so far. */
  removed: number;
}

export interface ImportHashListOptions {
  /** Path of the VICS JSON or CSV file. */
  file: string;
  /** List name, the first part of every key: letters, digits, `.`, `_`, `-` (no `:`). */
  list: string;
  /** List version written on every entry. Default: the import time, ISO 8601 (UTC). */
  version?: string;
  /** Read and count only; no Kafka connection is made. Default false. */
  dryRun?: boolean;
  /** Required unless `dryRun`. */
  connection?: KafkaConnection;
  /** Default `replace`. */
  mode?: ImportMode;
  /** Default `auto`. */
  format?: HashListFormatOption;
  /** Default `reject`: a VICS case export is refused unless `categorised`. */
  caseExport?: 'reject' | 'categorised';
  /** Labels for unlabelled categories (default: US VICS labels; null for none). */
  categoryLabels?: Readonly<Record<number, string>> | null;
  /** Records per produce request; memory stays at about one batch. Default 1000. */
  batchSize?: number;
  /** Example invalid / skipped rows kept in the result (all are counted). Default 1000. */
  maxRowsKept?: number;
  /** Epoch ms; default Date.now. */
  clock?: () => number;
  /** Default: the codec of this build's schemas. */
  codec?: Codec;
  /** Called after each batch and at each phase change. */
  onProgress?: (progress: ImportProgress) => void;
}

export interface ResolvedImportOptions {
  file: string;
  list: string;
  version: string;
  dryRun: boolean;
  connection: KafkaConnection | undefined;
  mode: ImportMode;
  format: HashListFormatOption;
  caseExport: 'reject' | 'categorised';
  categoryLabels: Readonly<Record<number, string>> | null | undefined;
  batchSize: number;
  maxRowsKept: number;
  importedAt: number;
}

/** Checks the options and fills in defaults; a bad option is TRIAGE_HASHLIST_OPTION_INVALID naming it. */
export function resolveImportOptions(options: ImportHashListOptions): ResolvedImportOptions {
  const importedAt = (options.clock ?? Date.now)();
  if (!listNamePattern.test(options.list)) {
    throw invalidOption(
      'list',
      `List name ${JSON.stringify(options.list)} must be 1-200 letters, digits, ".", "_" or "-" (it is part of the key <list>:<hashType>:<value>)`,
    );
  }
  const version = options.version ?? new Date(importedAt).toISOString();
  if (version.trim() === '' || version.length > 200 || /[\r\n]/.test(version)) {
    throw invalidOption('version', 'The list version must be 1-200 characters on one line');
  }
  const batchSize = options.batchSize ?? 1000;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 100_000) {
    throw invalidOption('batchSize', `The batch size must be an integer from 1 to 100000, got ${batchSize}`);
  }
  const format = options.format ?? 'auto';
  if (!['auto', 'vics', 'csv'].includes(format)) {
    throw invalidOption('format', `The format must be auto, vics or csv, got ${JSON.stringify(format)}`);
  }
  const mode = options.mode ?? 'replace';
  if (mode !== 'replace' && mode !== 'merge') {
    throw invalidOption('mode', `The mode must be replace or merge, got ${JSON.stringify(mode)}`);
  }
  const dryRun = options.dryRun ?? false;
  if (!dryRun && options.connection === undefined) {
    throw invalidOption('connection', 'A Kafka connection is needed unless this is a dry run');
  }
  return {
    file: options.file,
    list: options.list,
    version,
    dryRun,
    connection: options.connection,
    mode,
    format,
    caseExport: options.caseExport ?? 'reject',
    categoryLabels: options.categoryLabels,
    batchSize,
    maxRowsKept: options.maxRowsKept ?? 1000,
    importedAt,
  };
}

function invalidOption(option: string, message: string): TriageError {
  return new TriageError('TRIAGE_HASHLIST_OPTION_INVALID', message, { details: { option } });
}
