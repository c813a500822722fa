// The scorer deployable on the real broker (issue 5): aggregation in any order, provisional and
// final cases, revisions, repeat-suspect links across partitions and instances, quiet reports,
// replays (fresh group and empty state) and a second rules file.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { NetworkEnricher } from '@triage/enrichment';
import { createLogger } from '@triage/logging';
import {
  allTopics,
  bootstrapTopics,
  DiskKeyedStateStore,
  deployedTopic,
  type KafkaConnection,
  PartitionReader,
  pipelineTopics,
  stateTopics,
} from '@triage/messaging';
import { kafkaTest, type ReadRecord, readTopic } from '@triage/messaging/testing/fixtures';
import { loggedOpsUrl, sampleValue } from '@triage/metrics/testing';
import { type Case, createCodec, type EnrichedItem, type Report } from '@triage/schemas';
import { defaultRulesPath, loadRules, type ScoringRules } from '@triage/scoring';
import { afterAll, describe, expect } from 'vitest';
import { createScorerService, type ScorerService } from './scorer-service.ts';
import { produceScorerInputs, testIdentifierKeys } from './testing/index.ts';
import { makeItem, makeReport, suspect } from './testing/scorer-fixtures.ts';

const codec = createCodec();
const logger = createLogger({ name: 'scorer-test', level: 'warn' });
const rules = loadRules();
const enricher = NetworkEnricher.open({ homeCountry: 'NL', reloadIntervalMs: 0 });
interface RunOptions {
  group: string;
  rules?: ScoringRules;
  provisionalEvery?: number;
  quietMs?: number;
  maxBatchRecords?: number;
  openWindowMs?: number;
  stateCacheEntries?: number;
  /** Default: a folder of its own (two instances of a group never share one). */
  stateDir?: string | null;
}

/** Every instance's state folder is under this one, removed after the file's tests. */
const stateRoot = mkdtempSync(path.join(tmpdir(), 'scorer-int-'));
afterAll(() => rm(stateRoot, { recursive: true, force: true }));

async function startScorer(connection: KafkaConnection, options: RunOptions): Promise<ScorerService> {
  const service = createScorerService({
    connection,
    codec,
    logger,
    groupId: options.group,
    rules: options.rules ?? rules,
    enricher: await enricher,
    identifierKeys: testIdentifierKeys,
    provisionalEvery: options.provisionalEvery ?? 200,
    quietMs: options.quietMs ?? 60_000,
    stateDir:
      options.stateDir === undefined
        ? mkdtempSync(path.join(stateRoot, `${options.group}-`))
        : options.stateDir,
    ...(options.maxBatchRecords === undefined ? {} : { maxBatchRecords: options.maxBatchRecords }),
    ...(options.openWindowMs === undefined ? {} : { openWindowMs: options.openWindowMs }),
    ...(options.stateCacheEntries === undefined ? {} : { stateCacheEntries: options.stateCacheEntries }),
  });
  await service.start();
  return service;
}

const produce = (connection: KafkaConnection, records: readonly (Report | EnrichedItem)[]) =>
  produceScorerInputs(connection, codec, records);

const decodeCases = (records: readonly ReadRecord[]) =>
  records.map((record) => ({
    partition: record.partition,
    offset: record.offset,
    value: codec.decode('Case', record.value!),
  }));

/**
 * Reads cases.v1 until `done` holds for the cases read so far (in offset order per partition),
 * leaving out those before `from` (next offset per partition, see `casesEnd`).
 */
async function readCases(
  connection: KafkaConnection,
  done: (cases: readonly Case[]) => boolean,
  from: ReadonlyMap<number, bigint> = new Map(),
): Promise<Case[]> {
  const after = (read: readonly ReadRecord[]) =>
    decodeCases(read)
      .filter((entry) => entry.offset >= (from.get(entry.partition) ?? 0n))
      .map((entry) => entry.value);
  const records = await readTopic(
    connection,
    deployedTopic(connection, pipelineTopics.cases.name),
    (read) => done(after(read)),
    90_000,
  );
  return after(records);
}

/** The next offset of each cases.v1 partition: what a later run writes comes after it. */
async function casesEnd(connection: KafkaConnection): Promise<Map<number, bigint>> {
  const reader = new PartitionReader({
    connection,
    topic: deployedTopic(connection, pipelineTopics.cases.name),
    name: 'scorer-test-ends',
  });
  try {
    return await reader.endOffsets();
  } finally {
    await reader.close();
  }
}

/** The latest case per report. */
const latest = (cases: readonly Case[]) => new Map(cases.map((value) => [value.reportId, value]));

/** A case without its emission time: what a replay must reproduce. */
const content = ({ updatedAt: _updatedAt, ...rest }: Case) => rest;

const finalFor =
  (reportIds: readonly string[], check: (value: Case) => boolean = () => true) =>
  (cases: readonly Case[]) => {
    const last = latest(cases);
    return reportIds.every((id) => {
      const value = last.get(id);
      return value !== undefined && !value.provisional && check(value);
    });
  };

const items = (report: Report) =>
  Array.from({ length: report.itemCount }, (_, index) => makeItem(codec, report, index));

/** Reports of the replay tests: two share a suspect's e-mail, one is a revision, one is large. */
function replayFeed(): (Report | EnrichedItem)[] {
  const a = makeReport(codec, '7001', 3, {
    personsReported: [suspect({ emails: ['repeat.suspect@example.com'] })],
  });
  const b = makeReport(codec, '7002', 2, {
    personsReported: [suspect({ emails: ['Repeat.Suspect+x@example.com'] })],
  });
  const c1 = makeReport(codec, '7003', 2);
  const c2 = makeReport(codec, '7003', 1, {
    version: 2,
    bundleId: 'bundle-7003-b',
    escalateToHighPriority: 'urgent',
  });
  const d = makeReport(codec, '7004', 25, {
    batched: true,
    batchedReason: 'VIRAL_POTENTIAL_MEME',
    victims: [],
  });
  return [a, ...items(a), b, ...items(b), c1, ...items(c1), c2, ...items(c2), d, ...items(d)];
}
const replayIds = ['7001', '7002', '7003', '7004'].map((id) => `tipline-test:${id}`);

describe('scorer on the real broker', () => {
  kafkaTest(
    'items in any order, a large report (provisional, then final) and a revision that supersedes',
    async ({ kafka }) => {
      await kafka.createTopics(allTopics);
      const scorer = await startScorer(kafka.connection, {
        group: 'order',
        provisionalEvery: 10,
        maxBatchRecords: 5,
      });
      try {
        // Items first, the report in the middle, the rest after it.
        const small = makeReport(codec, '6001', 4);
        const [i0, i1, i2, i3] = items(small);
        await produce(kafka.connection, [i3!, i1!]);
        await produce(kafka.connection, [small, i0!, i2!]);

        // The large report arrives before its items; its items come in batches of at most 5.
        const large = makeReport(codec, '6002', 30);
        await produce(kafka.connection, [large]);
        await readCases(kafka.connection, (cases) =>
          cases.some((value) => value.reportId === large.reportId),
        );
        await produce(kafka.connection, items(large));

        const cases = await readCases(kafka.connection, finalFor([small.reportId, large.reportId]));
        const last = latest(cases);
        expect(last.get(small.reportId)).toMatchObject({
          provisional: false,
          itemsSeen: 4,
          itemsExpected: 4,
          version: 1,
        });
        expect(last.get(small.reportId)!.items.map((item) => item.itemId)).toEqual(
          [i0!, i1!, i2!, i3!].map((item) => item.item.itemId),
        );
        const progress = cases
          .filter((value) => value.reportId === large.reportId)
          .map((value) => `${value.provisional ? 'p' : 'F'}${value.itemsSeen}`);
        expect(progress).toEqual(['p0', 'p10', 'p20', 'F30']);
        expect(last.get(large.reportId)!.ruleVersion).toBe(rules.ruleVersion);
        // Report-level enrichment reached the case: the suspect's login IP was looked up.
        expect(last.get(small.reportId)!.reasons.length).toBeGreaterThan(0);

        // A revision: version 2 with one item and an escalation supersedes the complete version 1.
        const revised = makeReport(codec, '6001', 1, {
          version: 2,
          bundleId: 'bundle-6001-b',
          escalateToHighPriority: 'child believed in danger',
        });
        await produce(kafka.connection, [revised, ...items(revised), i2!]);
        const after = latest(
          await readCases(
            kafka.connection,
            finalFor([small.reportId], (value) => value.version === 2),
          ),
        );
        expect(after.get(small.reportId)).toMatchObject({
          version: 2,
          provisional: false,
          itemsSeen: 1,
          itemsExpected: 1,
        });
        expect(after.get(small.reportId)!.report.bundleId).toBe('bundle-6001-b');
        expect(after.get(small.reportId)!.score).toBeGreaterThan(last.get(small.reportId)!.score);
        expect(scorer.metrics().deadLettered).toBe(0);
      } finally {
        await scorer.stop();
      }
    },
  );

  kafkaTest(
    'repeat suspects on different partitions and instances link both ways, whichever report comes first',
    async ({ kafka }) => {
      await kafka.createTopics(allTopics);
      const one = await startScorer(kafka.connection, { group: 'links' });
      const two = await startScorer(kafka.connection, { group: 'links' });
      try {
        // Wait until the group has split the partitions between the two instances.
        const deadline = Date.now() + 60_000;
        while (
          Date.now() < deadline &&
          !(
            one.metrics().scorer.partitions.length > 0 &&
            two.metrics().scorer.partitions.length > 0 &&
            one.metrics().scorer.partitions.length + two.metrics().scorer.partitions.length ===
              pipelineTopics.reports.partitions
          )
        ) {
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
        const ofOne = new Set(one.metrics().scorer.partitions);
        expect(ofOne.size).toBeGreaterThan(0);

        // Candidate reports; keep two pairs whose reports sit on partitions of different instances.
        const candidates = Array.from({ length: 12 }, (_, n) => makeReport(codec, String(8100 + n), 1));
        await produce(
          kafka.connection,
          candidates.map((report) => makeItem(codec, report, 0)),
        );
        const placed = await kafka.readTopic(pipelineTopics.itemsEnriched.name, candidates.length);
        const partitionOf = new Map(placed.map((record) => [record.key, record.partition]));
        const onOne = candidates.filter((report) => ofOne.has(partitionOf.get(report.reportId)!));
        const onTwo = candidates.filter((report) => !ofOne.has(partitionOf.get(report.reportId)!));
        expect(onOne.length).toBeGreaterThanOrEqual(2);
        expect(onTwo.length).toBeGreaterThanOrEqual(2);
        const withSuspect = (report: Report, person: Parameters<typeof suspect>[0]) =>
          makeReport(codec, report.partnerReportId, 1, { personsReported: [suspect(person)] });
        // Pair 1: the report on instance one comes first. Pair 2: the report on instance two does.
        const first1 = withSuspect(onOne[0]!, { screenName: 'Night_Owl_99' });
        const second1 = withSuspect(onTwo[0]!, { screenName: '@night_owl_99' });
        const first2 = withSuspect(onTwo[1]!, {
          deviceIds: [{ idType: 'IMEI', idValue: '35-209900-176148-1' }],
        });
        const second2 = withSuspect(onOne[1]!, {
          deviceIds: [{ idType: 'imei', idValue: '352099001761481' }],
        });
        await produce(kafka.connection, [first1, first2]);
        await readCases(kafka.connection, finalFor([first1.reportId, first2.reportId]));
        await produce(kafka.connection, [second1, second2]);

        const linked = (cases: ReadonlyMap<string, Case>, from: Report, to: Report, type: string) =>
          (cases.get(from.reportId)?.linkedReports ?? []).some(
            (link) => link.reportId === to.reportId && link.identifierType === type,
          );
        const cases = await readCases(kafka.connection, (read) => {
          const last = latest(read);
          return (
            linked(last, first1, second1, 'screenName') &&
            linked(last, second1, first1, 'screenName') &&
            linked(last, first2, second2, 'deviceId') &&
            linked(last, second2, first2, 'deviceId')
          );
        });
        const last = latest(cases);
        for (const id of [first1, second1, first2, second2].map((report) => report.reportId)) {
          expect(last.get(id)!.provisional, id).toBe(false);
          expect(last.get(id)!.linkedReports, id).toHaveLength(1);
          expect(
            last.get(id)!.reasons.map((reason) => reason.factor),
            id,
          ).toContain('linked_reports');
        }
        // The older reports were re-emitted by the instance that owns them.
        const relinked = one.metrics().scorer.cases.link + two.metrics().scorer.cases.link;
        expect(relinked).toBeGreaterThanOrEqual(2);
        expect(one.metrics().scorer.cases.link).toBeGreaterThanOrEqual(1);
        expect(two.metrics().scorer.cases.link).toBeGreaterThanOrEqual(1);
        // Only hashes in the table: neither the screen name nor the device id is in any key or row.
        const rows = await kafka.readTopic('scorer.suspect-identifiers.v1', 4);
        for (const row of rows) {
          const text = `${row.key} ${row.value?.toString('latin1')}`.toLowerCase();
          expect(text).not.toMatch(/night_owl|352099|example\.com/);
        }
      } finally {
        await Promise.all([one.stop(), two.stop()]);
      }
    },
  );

  kafkaTest(
    'a report whose last item never comes gets a provisional case after the quiet time',
    async ({ kafka }) => {
      await kafka.createTopics(allTopics);
      const scorer = await startScorer(kafka.connection, { group: 'quiet', quietMs: 1_500 });
      try {
        const report = makeReport(codec, '6101', 3);
        await produce(kafka.connection, [report]);
        await readCases(kafka.connection, (cases) =>
          cases.some((value) => value.reportId === report.reportId),
        );
        // Item 2 was dead-lettered upstream: only items 0 and 1 ever come.
        const [i0, i1] = items(report);
        await produce(kafka.connection, [i0!, i1!]);
        const cases = await readCases(kafka.connection, (read) =>
          read.some((value) => value.reportId === report.reportId && value.itemsSeen === 2),
        );
        expect(
          cases
            .filter((value) => value.reportId === report.reportId)
            .map((value) => [value.provisional, value.itemsSeen]),
        ).toEqual([
          [true, 0],
          [true, 2],
        ]);
        expect(scorer.metrics().scorer.cases.quiet).toBe(1);
      } finally {
        await scorer.stop();
      }
    },
  );

  kafkaTest(
    'replays give identical final cases (a fresh group, and an empty deployment fed in another order); a second rules file changes the score and records its version',
    async ({ kafka }) => {
      await kafka.createTopics(allTopics);
      const feed = replayFeed();
      await produce(kafka.connection, feed);
      /** Runs a scorer until what it writes (after the cases already there) satisfies `until`. */
      const run = async (
        connection: KafkaConnection,
        options: RunOptions,
        until: (cases: readonly Case[]) => boolean,
      ) => {
        const from = await casesEnd(connection);
        const scorer = await startScorer(connection, options);
        try {
          return latest(await readCases(connection, until, from));
        } finally {
          await scorer.stop();
        }
      };
      const settled = (cases: readonly Case[]) =>
        finalFor(replayIds)(cases) &&
        latest(cases).get('tipline-test:7003')?.version === 2 &&
        latest(cases).get('tipline-test:7001')!.linkedReports.length === 1 &&
        latest(cases).get('tipline-test:7002')!.linkedReports.length === 1;

      const first = await run(kafka.connection, { group: 'replay-1', provisionalEvery: 5 }, settled);
      expect(first.get('tipline-test:7001')!.linkedReports).toEqual([
        { reportId: 'tipline-test:7002', identifierType: 'email' },
      ]);
      expect(first.get('tipline-test:7003')).toMatchObject({ version: 2, itemsSeen: 1 });
      expect(first.get('tipline-test:7004')!.itemsSeen).toBe(25);

      // A fresh group over the same deployment: state restored from the changelogs, inputs re-read.
      const fresh = await run(kafka.connection, { group: 'replay-2', provisionalEvery: 5 }, settled);
      for (const id of replayIds) expect(content(fresh.get(id)!), id).toEqual(content(first.get(id)!));

      // An empty deployment (no state, no identifier table) fed the same records in another order.
      const empty: KafkaConnection = {
        ...kafka.connection,
        topicPrefix: `${kafka.connection.topicPrefix}empty.`,
      };
      await bootstrapTopics({ connection: empty, topics: allTopics, replicationFactor: 1 });
      await produce(empty, [...feed].reverse());
      const rebuilt = await run(
        empty,
        { group: 'replay-3', provisionalEvery: 7, maxBatchRecords: 4 },
        settled,
      );
      for (const id of replayIds) expect(content(rebuilt.get(id)!), id).toEqual(content(first.get(id)!));

      // A second rules file with one weight changed: a fresh group re-scores with it.
      const dir = await mkdtemp(path.join(tmpdir(), 'scorer-rules-'));
      try {
        const file = path.join(dir, 'rules.json');
        const json = JSON.parse(await readFile(defaultRulesPath, 'utf8'));
        json.weights.victimPresent += 30;
        await writeFile(file, JSON.stringify(json, null, 2));
        const second = loadRules(file);
        expect(second.ruleVersion).not.toBe(rules.ruleVersion);
        const rescored = await run(empty, { group: 'rules-2', rules: second }, (cases) =>
          finalFor(replayIds, (value) => value.ruleVersion === second.ruleVersion)(cases),
        );
        // Reports with a victim gain exactly the weight change; the viral report without one does not.
        expect(rescored.get('tipline-test:7001')!.score - first.get('tipline-test:7001')!.score).toBeCloseTo(
          30,
          6,
        );
        expect(rescored.get('tipline-test:7004')!.score).toBe(first.get('tipline-test:7004')!.score);
        for (const id of replayIds) expect(rescored.get(id)!.ruleVersion, id).toBe(second.ruleVersion);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  );

  kafkaTest(
    'main.ts: scores from its environment, logs no identifier, and exits 0 on SIGTERM',
    async ({ kafka }) => {
      await kafka.createTopics(allTopics);
      const stateDir = path.join(stateRoot, 'main-process');
      const child = spawn(process.execPath, [fileURLToPath(new URL('./main.ts', import.meta.url))], {
        env: {
          ...process.env,
          KAFKA_BROKERS: kafka.connection.brokers.join(','),
          KAFKA_TOPIC_PREFIX: kafka.connection.topicPrefix ?? '',
          SCORER_GROUP_ID: 'main-process',
          SUSPECT_ID_HMAC_KEY: 'scorer-main-test-key-'.padEnd(40, '0'),
          SCORER_OPS_PORT: '0',
          SCORER_STATE_DIR: stateDir,
          LOG_LEVEL: 'debug',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        output += String(chunk);
      });
      child.stderr?.on('data', (chunk: Buffer) => {
        output += String(chunk);
      });
      try {
        const report = makeReport(codec, '6201', 1, {
          personsReported: [
            suspect({
              emails: ['main.process.suspect@example.org'],
              ipCaptureEvents: [{ ipAddress: '192.0.2.55' }],
            }),
          ],
        });
        await produce(kafka.connection, [report, ...items(report)]);
        const cases = await readCases(kafka.connection, finalFor([report.reportId]));
        expect(latest(cases).get(report.reportId)).toMatchObject({
          provisional: false,
          ruleVersion: rules.ruleVersion,
        });
        // Its ops port (any free one): probes and the runner's metrics through a real socket.
        const ops = loggedOpsUrl(output)!;
        expect((await fetch(`${ops}/healthz`)).status).toBe(200);
        const ready = await fetch(`${ops}/readyz`);
        expect(ready.status).toBe(200);
        expect(await ready.json()).toMatchObject({
          status: 'ready',
          checks: { 'main-process': { stage: 'scorer', started: true, joined: true, stopping: false } },
        });
        const metrics = await (await fetch(`${ops}/metrics`)).text();
        const labels = { service: 'scorer', stage: 'scorer', group: 'main-process' };
        expect(sampleValue(metrics, 'triage_stage_records_in_total', labels)).toBeGreaterThanOrEqual(2);
        expect(sampleValue(metrics, 'triage_stage_records_out_total', labels)).toBeGreaterThan(0);
        expect(sampleValue(metrics, 'triage_stage_handling_seconds_count', labels)).toBeGreaterThanOrEqual(2);
        expect(
          sampleValue(metrics, 'triage_state_store_keys', { ...labels, store: 'scorer.reports' }),
        ).toBeGreaterThanOrEqual(1);
        expect(sampleValue(metrics, 'triage_stage_ready', labels)).toBe(1);
        expect(sampleValue(metrics, 'nodejs_heap_size_used_bytes', { service: 'scorer' })).toBeGreaterThan(0);
        child.kill('SIGTERM');
        const [code] = await once(child, 'exit');
        expect(code).toBe(0);
        // Its state on disk, in its own folder: the report's partition with its open reports saved at the stop.
        const reportsFolder = path.join(stateDir, kafka.topic(stateTopics.scorerReports.name));
        const saved = (await readdir(reportsFolder)).filter((partition) =>
          existsSync(path.join(reportsFolder, partition, 'open-reports.json')),
        );
        expect(saved.length).toBeGreaterThanOrEqual(1);
        expect(output).toContain('scorer started');
        expect(output).not.toMatch(/main\.process\.suspect|example\.org|192\.0\.2\.55/);
      } finally {
        if (child.exitCode === null) child.kill('SIGKILL');
      }
    },
  );
});

/** What each held partition's last restore read, per store (the stores are on disk). */
function restoresOf(scorer: ScorerService) {
  const { reports, items: itemStore } = scorer.stores;
  if (!(reports instanceof DiskKeyedStateStore) || !(itemStore instanceof DiskKeyedStateStore))
    throw new Error('the scorer state is not on disk');
  return reports.held.map((partition) => ({
    partition,
    reports: reports.restores.get(partition),
    items: itemStore.restores.get(partition),
  }));
}

async function until(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

describe('scorer state on disk (issue 16)', () => {
  kafkaTest(
    'restarted over its state folder, it resumes each partition from its checkpoint (nothing of the changelogs read) and finds its open reports saved at the stop',
    async ({ kafka }) => {
      await kafka.createTopics(allTopics);
      const stateDir = mkdtempSync(path.join(stateRoot, 'restart-'));
      const open = makeReport(codec, '6301', 3);
      const [i0, i1, i2] = items(open);
      const first = await startScorer(kafka.connection, { group: 'restart', stateDir, quietMs: 1_500 });
      try {
        await produce(kafka.connection, [open]);
        await readCases(kafka.connection, (cases) => cases.some((value) => value.reportId === open.reportId));
        await produce(kafka.connection, [i0!]);
        // Its quiet case shows the one item: what the save remembers.
        await readCases(kafka.connection, (cases) => cases.some((value) => value.itemsSeen === 1));
        expect(first.metrics().scorer.cases.quiet).toBe(1);
      } finally {
        await first.stop();
      }
      const from = await casesEnd(kafka.connection);
      const second = await startScorer(kafka.connection, { group: 'restart', stateDir, quietMs: 1_500 });
      try {
        // The same item again: the partition is restored and the report touched, nothing new to show.
        await produce(kafka.connection, [i0!]);
        await until(() => second.metrics().consumed >= 1 && second.isOpen(open.reportId), 'the item');
        const [restore] = restoresOf(second);
        expect(restore).toMatchObject({
          reports: { rebuiltBecause: null, recordsRead: 0 },
          items: { rebuiltBecause: null, recordsRead: 0 },
        });
        expect(restore!.reports!.fromOffset).toBeGreaterThan(0n);
        const saved = path.join(
          stateDir,
          kafka.topic(stateTopics.scorerReports.name),
          String(restore!.partition),
          'open-reports.json',
        );
        // Read once and removed: a crash later must not find an old save.
        expect(existsSync(saved)).toBe(false);
        // Two quiet times and more: the saved report showed one item already, so no second quiet case.
        await sleep(4_000);
        expect(second.metrics().scorer.cases.quiet).toBe(0);
        await produce(kafka.connection, [i1!, i2!]);
        const cases = await readCases(kafka.connection, finalFor([open.reportId]), from);
        expect(cases.map((value) => [value.provisional, value.itemsSeen])).toEqual([[false, 3]]);
      } finally {
        await second.stop();
      }
    },
  );

  kafkaTest(
    'its state folder deleted, it rebuilds the stores from the changelogs and writes the same cases',
    async ({ kafka }) => {
      await kafka.createTopics(allTopics);
      const stateDir = mkdtempSync(path.join(stateRoot, 'lost-'));
      const reports = ['6401', '6402', '6403'].map((id, index) => makeReport(codec, id, index + 1));
      const first = await startScorer(kafka.connection, { group: 'lost', stateDir });
      let before: Map<string, Case>;
      try {
        await produce(
          kafka.connection,
          reports.flatMap((report) => [report, ...items(report)]),
        );
        before = latest(
          await readCases(kafka.connection, finalFor(reports.map((report) => report.reportId))),
        );
      } finally {
        await first.stop();
      }
      await rm(stateDir, { recursive: true, force: true });
      const from = await casesEnd(kafka.connection);
      const second = await startScorer(kafka.connection, { group: 'lost', stateDir });
      try {
        // Each report's last item delivered again: its final case again, from the rebuilt state alone.
        await produce(
          kafka.connection,
          reports.map((report) => items(report).at(-1)!),
        );
        const after = latest(
          await readCases(kafka.connection, finalFor(reports.map((report) => report.reportId)), from),
        );
        for (const report of reports) {
          expect(content(after.get(report.reportId)!)).toEqual(content(before.get(report.reportId)!));
        }
        const restores = restoresOf(second);
        expect(restores.length).toBeGreaterThan(0);
        for (const restore of restores) {
          expect(restore).toMatchObject({
            reports: { rebuiltBecause: 'missing', fromOffset: 0n },
            items: { rebuiltBecause: 'missing', fromOffset: 0n },
          });
          expect(restore.reports!.recordsRead).toBeGreaterThan(0);
        }
      } finally {
        await second.stop();
      }
    },
  );

  kafkaTest(
    'reports final or shown quiet for the open window leave the heap, and come back right when a new item or a link touches them (no cache: every read from disk)',
    async ({ kafka }) => {
      await kafka.createTopics(allTopics);
      const scorer = await startScorer(kafka.connection, {
        group: 'open-window',
        quietMs: 1_000,
        openWindowMs: 2_000,
        stateCacheEntries: 0,
      });
      try {
        const email = 'open.window.suspect@example.org';
        const incomplete = makeReport(codec, '6501', 2);
        const linked = makeReport(codec, '6502', 1, { personsReported: [suspect({ emails: [email] })] });
        const later = makeReport(codec, '6503', 0, { personsReported: [suspect({ emails: [email] })] });
        await produce(kafka.connection, [incomplete, linked, ...items(linked)]);
        await readCases(kafka.connection, (cases) => finalFor([linked.reportId])(cases) && cases.length >= 2);
        await produce(kafka.connection, [items(incomplete)[0]!]);
        await readCases(kafka.connection, (cases) =>
          cases.some((value) => value.reportId === incomplete.reportId && value.itemsSeen === 1),
        );
        await until(
          () => !scorer.isOpen(incomplete.reportId) && !scorer.isOpen(linked.reportId),
          'both reports to leave the heap',
        );
        expect(scorer.metrics().scorer.openReports).toBe(0);

        const from = await casesEnd(kafka.connection);
        await produce(kafka.connection, [items(incomplete)[1]!, later]);
        const cases = latest(
          await readCases(
            kafka.connection,
            finalFor([incomplete.reportId, later.reportId, linked.reportId], (value) =>
              value.reportId === linked.reportId ? value.linkedReports.length === 1 : true,
            ),
            from,
          ),
        );
        expect(cases.get(incomplete.reportId)).toMatchObject({ provisional: false, itemsSeen: 2 });
        expect(cases.get(incomplete.reportId)!.items.map((item) => item.itemId)).toEqual(
          items(incomplete).map((item) => item.item.itemId),
        );
        expect(cases.get(linked.reportId)).toMatchObject({
          provisional: false,
          itemsSeen: 1,
          linkedReports: [{ reportId: later.reportId, identifierType: 'email' }],
        });
        expect(scorer.isOpen(incomplete.reportId)).toBe(true);
        expect(scorer.isOpen(linked.reportId)).toBe(true);
      } finally {
        await scorer.stop();
      }
    },
  );
});
