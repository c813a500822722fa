// The splitter deployable on the real broker: bundles in, reports, items and split statuses out,
// a replay in a second group, and a poison record that does not hold up the bundles after it.
import { createHash } from 'node:crypto';
import { bundleContentDigest } from '@triage/bundles';
import { createLogger } from '@triage/logging';
import { createRecordProducer, deadLetterTopicName, pipelineTopics } from '@triage/messaging';
import { type KafkaFixture, kafkaTest, type ReadRecord } from '@triage/messaging/testing/fixtures';
import {
  type Bundle,
  type BundledReport,
  type BundleStatus,
  createCodec,
  type Report,
  type ReportFile,
  recordExamples,
} from '@triage/schemas';
import { expect } from 'vitest';
import { createSplitterService } from './splitter-service.ts';

const codec = createCodec();
const logger = createLogger({ name: 'splitter-test', level: 'warn' });
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const topics = [
  pipelineTopics.bundles,
  pipelineTopics.reports,
  pipelineTopics.items,
  pipelineTopics.bundleStatus,
  pipelineTopics.erasures,
];

const example = recordExamples.Bundle;
const exampleReport = example.reports[0]!.report;
const exampleFile = example.reports[0]!.files[0]!;

function file(fileId: string, overrides: Partial<ReportFile> = {}): ReportFile {
  return { ...exampleFile, fileId, sha256: sha256(fileId), partnerHashChecks: [], ...overrides };
}

function bundled(
  bundleId: string,
  partnerReportId: string,
  files: ReportFile[],
  urls: string[],
): BundledReport {
  const report: Report = {
    ...exampleReport,
    reportId: `partner-a:${partnerReportId}`,
    partnerReportId,
    version: 1,
    bundleId,
    internetDetails: urls.length > 0 ? [{ ...exampleReport.internetDetails[0]!, urls }] : [],
    itemCount: files.length + new Set(urls).size,
    fileIds: files.map((each) => each.fileId),
    driftNotes: [],
  };
  return { report, files };
}

/** Three reports: files with a hash mismatch and a repeated URL, an empty report, and a viral one. */
function mixedBundle(): Bundle {
  const bundleId = 'bndl-mixed0000000000000000';
  const mismatching = file('m-1', {
    partnerHashes: [{ hashType: 'MD5', value: 'aa'.repeat(16) }],
    partnerHashChecks: [
      { hashType: 'MD5', partnerValue: 'aa'.repeat(16), computedValue: 'bb'.repeat(16), status: 'mismatch' },
    ],
  });
  // ~800 bytes an item (a long EXIF comment): 2 000 of them on one partition are more than the
  // topic's 1 MiB record batch, so the splitter must produce them in chunks.
  const comment = { type: 'EXIF' as const, name: 'UserComment', value: 'synthetic '.repeat(30) };
  const viral = bundled(
    bundleId,
    'R-viral',
    Array.from({ length: 2000 }, (_, index) => file(`v-${index}`, { details: [comment] })),
    [],
  );
  viral.report.batched = true;
  return {
    ...example,
    bundleId,
    partnerBundleRef: 'batch-mixed',
    format: 'json',
    reports: [
      bundled(
        bundleId,
        'R-1',
        [file('a-1'), mismatching],
        ['https://one.example.invalid/a', 'https://two.example.invalid/b', 'https://one.example.invalid/a'],
      ),
      bundled(bundleId, 'R-empty', [], []),
      viral,
    ],
  };
}

/** A bundle sent after the poison record, on the same partition (same key). */
function lateBundle(key: string): Bundle {
  return {
    ...example,
    bundleId: key,
    partnerBundleRef: 'batch-late',
    reports: [bundled(key, 'R-late', [file('late-1')], [])],
  };
}

interface Expected {
  reports: number;
  items: number;
  statuses: number;
}

async function readAll(kafka: KafkaFixture, expected: Expected) {
  const [reports, items, statuses, dead] = await Promise.all([
    kafka.readTopic(pipelineTopics.reports.name, expected.reports, 60_000),
    kafka.readTopic(pipelineTopics.items.name, expected.items, 60_000),
    kafka.readTopic(pipelineTopics.bundleStatus.name, expected.statuses, 60_000),
    kafka.readTopic(deadLetterTopicName(pipelineTopics.bundles.name), 1, 60_000),
  ]);
  return { reports, items, statuses, dead };
}

async function runSplitter(kafka: KafkaFixture, groupId: string, expected: Expected) {
  const service = createSplitterService({ connection: kafka.connection, codec, logger, groupId });
  await service.start();
  try {
    return await readAll(kafka, expected);
  } finally {
    await service.stop();
  }
}

const decodeStatus = (record: ReadRecord): BundleStatus =>
  codec.decode('BundleStatus', record.value ?? Buffer.alloc(0));

kafkaTest(
  'splits bundles into reports, items and split statuses; a poison record is dead-lettered; a replay gives the same records',
  async ({ kafka }) => {
    await kafka.createTopics(topics);
    const mixed = mixedBundle();
    const lateKey = 'bndl-late00000000000000000';
    const late = lateBundle(lateKey);
    const bundles = [example, mixed, late];
    const producer = createRecordProducer(kafka.connection, 'test-intake');
    try {
      await producer.send([
        {
          topic: kafka.topic(pipelineTopics.bundles.name),
          key: example.bundleId,
          value: codec.encode('Bundle', example),
        },
        {
          topic: kafka.topic(pipelineTopics.bundles.name),
          key: mixed.bundleId,
          value: codec.encode('Bundle', mixed),
        },
        // Poison, then a good bundle behind it on the same partition.
        {
          topic: kafka.topic(pipelineTopics.bundles.name),
          key: lateKey,
          value: Buffer.from('not an avro bundle'),
        },
        {
          topic: kafka.topic(pipelineTopics.bundles.name),
          key: lateKey,
          value: codec.encode('Bundle', late),
        },
      ]);
    } finally {
      await producer.close();
    }
    const expected: Expected = { reports: 5, items: 2 + 4 + 2000 + 1, statuses: 3 };

    const first = await runSplitter(kafka, 'splitter-one', expected);

    // Reports: one per bundled report, keyed by report id, itemCount as split.
    const reports = first.reports.map((record) => codec.decode('Report', record.value ?? Buffer.alloc(0)));
    expect(first.reports.map((record) => record.key).sort()).toEqual(
      [
        'partner-a:CT-000123',
        'partner-a:R-1',
        'partner-a:R-empty',
        'partner-a:R-viral',
        'partner-a:R-late',
      ].sort(),
    );
    expect(first.reports.every((record, index) => record.key === reports[index]!.reportId)).toBe(true);
    const reportById = new Map(reports.map((report) => [report.reportId, report]));
    expect(reportById.get('partner-a:R-1')).toMatchObject({ itemCount: 4, fileIds: ['a-1', 'm-1'] });
    expect(reportById.get('partner-a:R-empty')).toMatchObject({ itemCount: 0, fileIds: [] });
    expect(reportById.get('partner-a:R-viral')).toMatchObject({ itemCount: 2000, batched: true });

    // Items: deterministic ids, keyed by report id, every field of the file on the item.
    expect(first.items).toHaveLength(expected.items);
    const items = first.items.map((record) => codec.decode('Item', record.value ?? Buffer.alloc(0)));
    expect(first.items.every((record, index) => record.key === items[index]!.reportId)).toBe(true);
    const itemById = new Map(items.map((item) => [item.itemId, item]));
    expect(itemById.size).toBe(expected.items);
    // The example bundle's file item is exactly the schema's example Item.
    expect(itemById.get('partner-a:CT-000123/f-1')).toEqual(recordExamples.Item);
    expect(itemById.get('partner-a:CT-000123/url:0')).toMatchObject({
      kind: 'url',
      url: 'https://files.example.invalid/share/abc123',
      itemIndex: 1,
      itemCount: 2,
    });
    expect(
      items
        .filter((item) => item.reportId === 'partner-a:R-1')
        .sort((a, b) => a.itemIndex - b.itemIndex)
        .map((item) => [item.itemId, item.itemIndex, item.kind]),
    ).toEqual([
      ['partner-a:R-1/a-1', 0, 'file'],
      ['partner-a:R-1/m-1', 1, 'file'],
      ['partner-a:R-1/url:0', 2, 'url'],
      ['partner-a:R-1/url:1', 3, 'url'],
    ]);
    const viral = items.filter((item) => item.reportId === 'partner-a:R-viral');
    expect(new Set(viral.map((item) => item.itemIndex)).size).toBe(2000);
    expect(viral.every((item) => item.itemCount === 2000 && item.sha256 === sha256(item.fileId!))).toBe(true);
    expect(itemById.get('partner-a:R-1/m-1')?.partnerHashChecks[0]?.status).toBe('mismatch');

    // Every record of a report, on both topics, is on one partition.
    const partitionsOf = new Map<string, Set<number>>();
    for (const record of [...first.reports, ...first.items]) {
      const seen = partitionsOf.get(record.key) ?? new Set<number>();
      seen.add(record.partition);
      partitionsOf.set(record.key, seen);
    }
    expect(partitionsOf.size).toBe(5);
    for (const [reportId, partitions] of partitionsOf) expect([...partitions], reportId).toHaveLength(1);

    // Split statuses: own key, stage split, the bundle's facts, per-report counts and issues.
    const statusByKey = new Map(first.statuses.map((record) => [record.key, decodeStatus(record)]));
    expect([...statusByKey.keys()].sort()).toEqual(
      bundles.map((bundle) => `${bundle.bundleId}#split`).sort(),
    );
    const mixedStatus = statusByKey.get(`${mixed.bundleId}#split`)!;
    expect(mixedStatus).toMatchObject({
      bundleId: mixed.bundleId,
      partnerId: mixed.partnerId,
      partnerBundleRef: 'batch-mixed',
      receivedAt: mixed.receivedAt,
      contentDigest: bundleContentDigest(mixed),
      format: 'json',
      stage: 'split',
      fileCount: 2002,
      newFileCount: 0,
      byteCount: 2002 * exampleFile.size!,
    });
    expect(
      mixedStatus.reports.map((report) => [report.reportId, report.fileCount, report.itemCount]),
    ).toEqual([
      ['partner-a:R-1', 2, 4],
      ['partner-a:R-empty', 0, 0],
      ['partner-a:R-viral', 2000, 2000],
    ]);
    expect(mixedStatus.reports[0]?.errors).toEqual([
      {
        code: 'partner_hash_mismatch',
        pointer: '/reports/0/files/1/hashes/0',
        message: 'MD5 given for file m-1 differs from the stored bytes',
      },
    ]);
    expect(
      statusByKey.get(`${example.bundleId}#split`)?.reports[0]?.errors.map((issue) => issue.code),
    ).toEqual(['schema_drift']);

    // The poison record went to the DLQ, and the bundle behind it was split all the same.
    expect(first.dead).toHaveLength(1);
    const letter = codec.decode('DeadLetter', first.dead[0]!.value ?? Buffer.alloc(0));
    expect(letter).toMatchObject({ stage: 'splitter', errorCode: 'TRIAGE_SCHEMA_DECODE_FAILED' });
    expect(letter.value?.toString()).toBe('not an avro bundle');
    expect(itemById.get('partner-a:R-late/late-1')?.bundleId).toBe(lateKey);
    expect(statusByKey.get(`${lateKey}#split`)?.stage).toBe('split');

    // A replay (a new group from the start) writes the very same records again.
    const doubled = {
      reports: expected.reports * 2,
      items: expected.items * 2,
      statuses: expected.statuses * 2,
    };
    const replay = await runSplitter(kafka, 'splitter-replay', doubled);
    for (const name of ['reports', 'items'] as const) {
      const byValue = new Map<string, number>();
      for (const record of replay[name]) {
        const id = `${record.key}|${record.partition}|${record.value?.toString('base64')}`;
        byValue.set(id, (byValue.get(id) ?? 0) + 1);
      }
      expect(replay[name]).toHaveLength(doubled[name]);
      expect(
        [...byValue.values()].every((count) => count === 2),
        name,
      ).toBe(true);
    }
    // Statuses differ only in when they were written.
    const statusesByKey = new Map<string, BundleStatus[]>();
    for (const record of replay.statuses) {
      statusesByKey.set(record.key, [
        ...(statusesByKey.get(record.key) ?? []),
        { ...decodeStatus(record), updatedAt: 0 },
      ]);
    }
    expect(statusesByKey.size).toBe(expected.statuses);
    for (const [key, [one, two]] of statusesByKey) expect(two, key).toEqual(one);
  },
);
