import { deployedTopic, type OutboundRecord, pipelineTopics, type RecordProducer } from '@triage/messaging';
import { createCodec } from '@triage/schemas';
import { compactKey } from '../compact-key.ts';
import { openHashListFile } from '../file-source.ts';
import { knownHashKey, toKnownHash } from '../known-hash.ts';
import { readHashList } from '../read-hash-list.ts';
import { type HashListCounts, HashListTally } from '../tally.ts';
import type { HashListFormatInfo } from '../types.ts';
import { listProducer } from '../writer/list-producer.ts';
import { assertTopicExists, currentListKeys, topicKeyOf } from './current-list-keys.ts';
import {
  type ImportHashListOptions,
  type ImportMode,
  type ImportProgress,
  resolveImportOptions,
} from './import-options.ts';

export interface ImportHashListResult {
  file: string;
  list: string;
  version: string;
  dryRun: boolean;
  mode: ImportMode;
  format: HashListFormatInfo;
  counts: HashListCounts;
  /** Deployed topic written to; null on a dry run. */
  topic: string | null;
  /** KnownHash records written (one per distinct entry); 0 on a dry run. */
  published: number;
  /** Live entries of the list on the topic before the import (replace mode); null if not read. */
  previous: number | null;
  /** Tombstones written for entries that are no longer in the list. */
  removed: number;
  /** Why removal was left out although the mode is `replace`, e.g. a file without valid entries. */
  removalSkipped: string | null;
}

/**
 * Imports a hash list into the compacted hashsets topic.
 *
 * 1. Opens the file and detects its format (fails before touching Kafka if it is no hash list).
 * 2. `replace` mode: reads the list's live keys from the topic.
 * 3. Streams the entries: each becomes a KnownHash record under `<list>:<hashType>:<value>`,
 *    produced in batches of `batchSize` (acks=all, idempotent), so memory stays flat.
 * 4. `replace` mode, once the whole file was read: a tombstone for every live key of the list
 *    that the file no longer has. A file that breaks off throws before this step, so a partial
 *    file never removes anything; re-running the import finishes the job (it is idempotent).
 *
 * `dryRun` only reads and counts; it needs no connection.
 */
export async function importHashList(options: ImportHashListOptions): Promise<ImportHashListResult> {
  const resolved = resolveImportOptions(options);
  const codec = options.codec ?? createCodec();
  const file = await openHashListFile(resolved.file);
  const reader = await readHashList(file.chunks, {
    format: resolved.format,
    caseExport: resolved.caseExport,
    ...(resolved.categoryLabels === undefined ? {} : { categoryLabels: resolved.categoryLabels }),
  });
  const tally = new HashListTally(resolved.maxRowsKept);
  const progress: ImportProgress = {
    phase: 'reading-current',
    bytesRead: 0,
    totalBytes: file.size,
    entries: 0,
    current: 0,
    removed: 0,
  };
  const report = (phase: ImportProgress['phase']) => {
    progress.phase = phase;
    progress.bytesRead = file.bytesRead();
    progress.entries = tally.counts.entries;
    options.onProgress?.({ ...progress });
  };
  const result = (fields: Partial<ImportHashListResult>): ImportHashListResult => ({
    file: resolved.file,
    list: resolved.list,
    version: resolved.version,
    dryRun: resolved.dryRun,
    mode: resolved.mode,
    format: reader.info,
    counts: tally.counts,
    topic: null,
    published: 0,
    previous: null,
    removed: 0,
    removalSkipped: null,
    ...fields,
  });

  if (resolved.dryRun || resolved.connection === undefined) {
    report('publishing');
    let sinceReport = 0;
    for await (const item of reader.items) {
      tally.add(item);
      if (item.kind === 'entry' && ++sinceReport >= resolved.batchSize) {
        sinceReport = 0;
        report('publishing');
      }
    }
    report('done');
    return result({});
  }

  const connection = resolved.connection;
  const topic = deployedTopic(connection, pipelineTopics.hashsets.name);
  let previous: Set<string> | null = null;
  if (resolved.mode === 'replace') {
    report('reading-current');
    previous = await currentListKeys(connection, topic, resolved.list, (_read, live) => {
      progress.current = live;
      report('reading-current');
    });
    progress.current = previous.size;
  } else {
    await assertTopicExists(connection, topic);
  }
  const previousCount = previous?.size ?? null;

  // The list's one writer: an import fences any other writer of the list (list-producer.ts).
  const producer = listProducer(connection, resolved.list);
  let published = 0;
  let removed = 0;
  let removalSkipped: string | null = null;
  try {
    const stamp = { listName: resolved.list, listVersion: resolved.version, importedAt: resolved.importedAt };
    let batch: OutboundRecord[] = [];
    report('publishing');
    for await (const item of reader.items) {
      tally.add(item);
      if (item.kind !== 'entry') continue;
      const key = knownHashKey(resolved.list, item.entry.hashType, item.entry.value);
      previous?.delete(compactKey(item.entry.hashType, item.entry.value));
      batch.push({ topic, key, value: codec.encode('KnownHash', toKnownHash(item.entry, stamp)) });
      if (batch.length >= resolved.batchSize) {
        published += await send(producer, batch);
        batch = [];
        report('publishing');
      }
    }
    published += await send(producer, batch);
    batch = [];

    if (previous !== null && previous.size > 0) {
      if (tally.counts.entries === 0) {
        // Guard: a file that yields nothing (all rows invalid, say) must not wipe the list.
        removalSkipped = `the file has no valid entries; the ${previous.size} live entries of the list were kept`;
      } else {
        report('removing');
        for (const key of previous) {
          batch.push({ topic, key: topicKeyOf(resolved.list, key), value: null });
          if (batch.length >= resolved.batchSize) {
            removed += await send(producer, batch);
            batch = [];
            progress.removed = removed;
            report('removing');
          }
        }
        removed += await send(producer, batch);
        progress.removed = removed;
      }
    }
  } finally {
    await producer.close();
  }
  report('done');
  return result({ topic, published, previous: previousCount, removed, removalSkipped });
}

async function send(producer: RecordProducer, batch: readonly OutboundRecord[]): Promise<number> {
  await producer.send(batch);
  return batch.length;
}
