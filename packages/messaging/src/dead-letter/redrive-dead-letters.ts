import { TriageError } from '@triage/errors';
import type { Codec, DeadLetterRedrive } from '@triage/schemas';
import { deployedTopic, type KafkaConnection } from '../kafka/connection.ts';
import type { OutboundRecord, RecordProducer } from '../producer/record-producer.ts';
import { PartitionReader } from '../state/partition-reader.ts';
import { existingTopics, type StoredDeadLetter } from './read-dead-letters.ts';
import { readRedriveLedger, redriveLedgerRecord, redriveLedgerTopic } from './redrive-ledger.ts';
import { redriveHeader } from './redrive-marker.ts';

/**
 * What redrive does with a dead letter: send it back; leave it because the ledger says it was
 * redriven (or found superseded) before; or leave it because its compacted topic holds a newer
 * record under its key, which a resent old value would overwrite.
 */
export type RedriveAction = 'redrive' | 'already-redriven' | 'superseded';

export interface RedrivePlanEntry {
  letter: StoredDeadLetter;
  action: RedriveAction;
}

/** `<partition>|<key>` of a record: where a compacted topic keeps its latest value of a key. */
const placeOf = (partition: number, key: string) => `${partition}|${key}`;

const keyOf = (letter: StoredDeadLetter) => letter.deadLetter.key?.toString('utf8') ?? '';

/**
 * Decides each dead letter's action (pure). `latest` holds, per original compacted topic
 * (catalogue name), the offset of the latest record of each `<partition>|<key>` of interest.
 */
export function planRedrive(
  letters: readonly StoredDeadLetter[],
  ledger: ReadonlySet<string>,
  latest: ReadonlyMap<string, ReadonlyMap<string, bigint>>,
): RedrivePlanEntry[] {
  return letters.map((letter) => {
    if (ledger.has(letter.id)) return { letter, action: 'already-redriven' };
    if (letter.source.cleanupPolicy !== 'compact') return { letter, action: 'redrive' };
    const { partition, offset } = letter.deadLetter;
    const newest = latest.get(letter.source.name)?.get(placeOf(partition, keyOf(letter)));
    return { letter, action: newest === BigInt(offset) ? 'redrive' : 'superseded' };
  });
}

/**
 * The record that sends a dead letter back (pure): its original key, value and headers, onto its
 * original topic (same key, so the same partition), marked for the stage that failed it. Marker
 * headers of an earlier redrive are replaced; the first origin is kept.
 */
export function redriveCopy(letter: StoredDeadLetter, topic: string, now: number): OutboundRecord {
  const { deadLetter } = letter;
  const replaced = new Set<string>([redriveHeader.stage, redriveHeader.of, redriveHeader.at]);
  const headers: Record<string, string> = {};
  for (const { key, value } of deadLetter.headers) {
    if (!replaced.has(key)) headers[key] = value === null ? '' : value.toString('utf8');
  }
  headers[redriveHeader.origin] ??= `${letter.source.name}:${deadLetter.partition}:${deadLetter.offset}`;
  headers[redriveHeader.stage] = deadLetter.stage;
  headers[redriveHeader.of] = letter.id;
  headers[redriveHeader.at] = new Date(now).toISOString();
  return { topic, key: keyOf(letter), value: deadLetter.value, headers };
}

export interface RedriveOptions {
  connection: KafkaConnection;
  codec: Codec;
  producer: RecordProducer;
  /** The dead letters to redrive, in dead-letter topic order (as `readDeadLetters` returns them). */
  letters: readonly StoredDeadLetter[];
  /** Who runs it: on every ledger entry. */
  operator: string;
  /** Decide and report only: nothing is sent or written. */
  dryRun?: boolean;
  clock?: () => number;
  /** Copies per produce call; their ledger entries follow each call (default 500). */
  chunkSize?: number;
}

export interface RedriveResult {
  plan: RedrivePlanEntry[];
  counts: Record<RedriveAction, number>;
}

/**
 * Sends dead letters back to their original topics, each once: a copy is acknowledged (acks=all)
 * before its ledger entry is written, and a dead letter with a ledger entry is never sent again.
 * A crash between the two sends it once more on the next run, which the stages' idempotence absorbs.
 */
export async function redriveDeadLetters(options: RedriveOptions): Promise<RedriveResult> {
  const { connection, codec, producer, letters } = options;
  const clock = options.clock ?? Date.now;
  if (!options.dryRun && !(await existingTopics(connection)).has(redriveLedgerTopic(connection)))
    throw new TriageError(
      'TRIAGE_TOPIC_UNKNOWN',
      `${redriveLedgerTopic(connection)} does not exist: run pnpm triage topics bootstrap first`,
    );
  const ledger = await readRedriveLedger(connection, codec);
  const latest = await latestOffsets(
    connection,
    letters.filter((letter) => !ledger.has(letter.id)),
  );
  const plan = planRedrive(letters, new Set(ledger.keys()), latest);
  const counts: Record<RedriveAction, number> = { redrive: 0, 'already-redriven': 0, superseded: 0 };
  for (const entry of plan) counts[entry.action] += 1;
  if (options.dryRun) return { plan, counts };

  const entryOf = (letter: StoredDeadLetter, outcome: DeadLetterRedrive['outcome']) =>
    redriveLedgerRecord(connection, codec, {
      deadLetterId: letter.id,
      originalTopic: letter.source.name,
      stage: letter.deadLetter.stage,
      outcome,
      operator: options.operator,
      at: clock(),
    });
  const toSend = plan.filter((entry) => entry.action === 'redrive').map((entry) => entry.letter);
  const chunkSize = options.chunkSize ?? 500;
  for (let start = 0; start < toSend.length; start += chunkSize) {
    const chunk = toSend.slice(start, start + chunkSize);
    const now = clock();
    await producer.send(
      chunk.map((letter) => redriveCopy(letter, deployedTopic(connection, letter.source.name), now)),
    );
    await producer.send(chunk.map((letter) => entryOf(letter, 'redriven')));
  }
  const superseded = plan.filter((entry) => entry.action === 'superseded');
  if (superseded.length > 0)
    await producer.send(superseded.map((entry) => entryOf(entry.letter, 'superseded')));
  return { plan, counts };
}

/**
 * For the compacted topics among the letters' sources: the latest offset of each of their keys,
 * read from the partitions they are on (only the keys asked for are kept).
 */
async function latestOffsets(
  connection: KafkaConnection,
  letters: readonly StoredDeadLetter[],
): Promise<Map<string, Map<string, bigint>>> {
  const wanted = new Map<string, { partitions: Set<number>; places: Set<string> }>();
  for (const letter of letters) {
    if (letter.source.cleanupPolicy !== 'compact') continue;
    const topic = wanted.get(letter.source.name) ?? { partitions: new Set(), places: new Set() };
    topic.partitions.add(letter.deadLetter.partition);
    topic.places.add(placeOf(letter.deadLetter.partition, keyOf(letter)));
    wanted.set(letter.source.name, topic);
  }
  const latest = new Map<string, Map<string, bigint>>();
  for (const [name, { partitions, places }] of wanted) {
    const offsets = new Map<string, bigint>();
    const reader = new PartitionReader({
      connection,
      topic: deployedTopic(connection, name),
      partitions: [...partitions],
      name: 'dlq-latest',
    });
    try {
      await reader.readToEnd((record) => {
        const place = placeOf(record.partition, record.key);
        if (places.has(place)) offsets.set(place, record.offset);
      });
    } finally {
      await reader.close();
    }
    latest.set(name, offsets);
  }
  return latest;
}
