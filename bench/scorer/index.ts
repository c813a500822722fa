import { NetworkEnricher } from '@triage/enrichment';
import { createLogger } from '@triage/logging';
import {
  allTopics,
  bootstrapTopics,
  createRecordProducer,
  deployedTopic,
  type KafkaConnection,
  type OutboundRecord,
  PartitionReader,
  pipelineTopics,
} from '@triage/messaging';
import { deletePrefixedTopics } from '@triage/messaging/testing';
import { type Case, createCodec, type EnrichedItem, type Report } from '@triage/schemas';
import { scorerBatchRecords as batchRecords, createScorerService } from '@triage/scorer/service';
import {
  createScorerStage,
  inbound,
  makeItem,
  makeReport,
  memoryState,
  suspect,
  testIdentifierKeys,
} from '@triage/scorer/testing';
import { buildCase, loadRules, scoreReport } from '@triage/scoring';
import { formatFixed, formatInt, formatRatio, median } from '../lib/stats.ts';
import type { Suite, SuiteContext, SuiteResult } from '../lib/suite.ts';

const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const codec = createCodec();
const rules = loadRules();
const logger = createLogger({ name: 'bench-scorer', level: 'warn' });
const repetitions = 3;

interface Workload {
  reports: Report[];
  itemsOf: Map<string, EnrichedItem[]>;
  items: number;
}

/** Report sizes like a tipline's mix: most carry a few files, some tens, a few a hundred. */
function workload(reportCount: number, offset: number): Workload {
  const reports: Report[] = [];
  const itemsOf = new Map<string, EnrichedItem[]>();
  let items = 0;
  for (let n = 0; n < reportCount; n++) {
    const size = n % 50 === 0 ? 100 : n % 10 === 0 ? 20 : n % 3 === 0 ? 5 : 2;
    // Every fifth pair of reports shares a suspect's e-mail: links go through the identifier table.
    const shared =
      n % 10 < 2 ? [suspect({ emails: [`repeat-${Math.floor(n / 10)}@example.com`] })] : undefined;
    const report = makeReport(
      codec,
      String(offset + n),
      size,
      shared === undefined ? {} : { personsReported: shared },
    );
    const list = Array.from({ length: size }, (_, index) => makeItem(codec, report, index));
    reports.push(report);
    itemsOf.set(report.reportId, list);
    items += size;
  }
  return { reports, itemsOf, items };
}

/** Baseline: the pure decision per report (enrich the report, score, build and encode the case). */
async function pureScoring(work: Workload): Promise<number> {
  const enricher = await NetworkEnricher.open({ reloadIntervalMs: 0 });
  try {
    const started = performance.now();
    for (const report of work.reports) {
      const evidence = {
        report,
        items: work.itemsOf.get(report.reportId)!,
        reportEnrichment: enricher.enrichReport(report, { lookedUpAt: report.receivedAt }),
        links: [],
        now: report.receivedAt,
      };
      codec.encode(
        'Case',
        buildCase(evidence, scoreReport(evidence, rules), { provisional: false, updatedAt: 0 }),
      );
    }
    return (performance.now() - started) / 1000;
  } finally {
    await enricher.close();
  }
}

/** The stage without Kafka: decode, aggregate in memory, flush one case per report per batch, encode. */
async function stageInMemory(work: Workload): Promise<{ seconds: number; cases: number }> {
  const enricher = await NetworkEnricher.open({ reloadIntervalMs: 0 });
  const topics = { reports: 'reports', itemsEnriched: 'items', cases: 'cases', suspectIdentifiers: 'ids' };
  const stage = createScorerStage({
    codec,
    state: memoryState([0]),
    rules,
    enricher,
    logger,
    topics,
    provisionalEvery: 200,
    quietMs: 60_000,
    identifiers: { phoneRegion: rules.homeCountry, ...testIdentifierKeys },
    clock: Date.now,
  });
  const records = work.reports.flatMap((report) => [
    inbound(topics.reports, 0, 0, report.reportId, codec.encode('Report', report)),
    ...work.itemsOf
      .get(report.reportId)!
      .map((item) =>
        inbound(topics.itemsEnriched, 0, 0, report.reportId, codec.encode('EnrichedItem', item)),
      ),
  ]);
  const context = { attempt: 1, signal: new AbortController().signal };
  let cases = 0;
  try {
    const started = performance.now();
    for (let from = 0; from < records.length; from += batchRecords) {
      for (const record of records.slice(from, from + batchRecords)) await stage.handle(record, context);
      cases += stage.flush().outputs.filter((output: OutboundRecord) => output.topic === topics.cases).length;
    }
    return { seconds: (performance.now() - started) / 1000, cases };
  } finally {
    await enricher.close();
  }
}

interface EndToEnd {
  /** From start() to the last final case read. */
  seconds: number;
  /** From the first case read to the last final case read (start-up left out). */
  steadySeconds: number;
  /** From start() to the first case read: table load, group join, first fetch. */
  firstCaseSeconds: number;
  cases: number;
  provisional: number;
}

/** The deployable on the broker: pre-filled inputs, a fresh group, until every report's final case is read. */
async function endToEnd(connection: KafkaConnection, work: Workload, group: string): Promise<EndToEnd> {
  const enricher = await NetworkEnricher.open({ reloadIntervalMs: 0 });
  const reader = new PartitionReader({
    connection,
    topic: deployedTopic(connection, pipelineTopics.cases.name),
    name: `bench-cases-${group}`,
  });
  const from = await reader.endOffsets();
  const pending = new Set(work.reports.map((report) => report.reportId));
  const service = createScorerService({
    connection,
    codec,
    logger,
    groupId: group,
    rules,
    enricher,
    identifierKeys: testIdentifierKeys,
    provisionalEvery: 200,
    quietMs: 60_000,
    // In memory: the figures in docs/benchmarks.md; the state bench compares it with the disk.
    stateDir: null,
  });
  let cases = 0;
  let provisional = 0;
  let firstCaseAt = 0;
  try {
    const started = performance.now();
    await service.start();
    for await (const record of reader.follow(from)) {
      if (record.value === null) continue;
      const value: Case = codec.decode('Case', record.value);
      firstCaseAt ||= performance.now();
      cases += 1;
      if (value.provisional) provisional += 1;
      else pending.delete(value.reportId);
      if (pending.size === 0) break;
    }
    const done = performance.now();
    return {
      seconds: (done - started) / 1000,
      steadySeconds: (done - firstCaseAt) / 1000,
      firstCaseSeconds: (firstCaseAt - started) / 1000,
      cases,
      provisional,
    };
  } finally {
    await reader.close();
    await service.stop();
    await enricher.close();
  }
}

async function fill(connection: KafkaConnection, work: Workload): Promise<void> {
  const producer = createRecordProducer(connection, 'bench-scorer-fill');
  try {
    const records: OutboundRecord[] = [];
    for (const report of work.reports) {
      records.push({
        topic: deployedTopic(connection, pipelineTopics.reports.name),
        key: report.reportId,
        value: codec.encode('Report', report),
      });
      for (const item of work.itemsOf.get(report.reportId)!) {
        records.push({
          topic: deployedTopic(connection, pipelineTopics.itemsEnriched.name),
          key: report.reportId,
          value: codec.encode('EnrichedItem', item),
        });
      }
    }
    for (let from = 0; from < records.length; from += 500)
      await producer.send(records.slice(from, from + 500));
  } finally {
    await producer.close();
  }
}

/**
 * Cases per second through the scorer: end to end on the broker (one instance, a fresh group over
 * pre-filled inputs) against the pure per-report decision in-process (the named baseline), with
 * the stage's in-memory glue in between, and the time a viral report takes to its final case.
 */
export const scorerSuite: Suite = {
  name: 'scorer',
  title: 'Scorer: cases/s through the stage on Kafka vs pure scoring in-process',
  async run(ctx: SuiteContext): Promise<SuiteResult> {
    const reportCount = Math.max(50, Math.round(1_000 * ctx.scale));
    const viralItems = Math.max(200, Math.round(2_000 * ctx.scale));
    const work = workload(reportCount, 100_000);
    const viral = workload(1, 900_000);
    const viralReport = makeReport(codec, '990001', viralItems, { batched: true, victims: [] });
    viral.reports[0] = viralReport;
    viral.itemsOf = new Map([
      [
        viralReport.reportId,
        Array.from({ length: viralItems }, (_, index) => makeItem(codec, viralReport, index)),
      ],
    ]);
    const run = `${process.pid}-${Date.now().toString(36)}`;
    const pure: number[] = [];
    const memory: number[] = [];
    const kafka: EndToEnd[] = [];
    const viralRuns: EndToEnd[] = [];
    for (let repetition = 1; repetition <= repetitions; repetition++) {
      ctx.log(`repetition ${repetition}: pure scoring of ${reportCount} reports`);
      pure.push(await pureScoring(work));
      ctx.log(`repetition ${repetition}: stage in memory`);
      memory.push((await stageInMemory(work)).seconds);
      // A fresh deployment per run: empty state and identifier table, inputs produced beforehand.
      const connection: KafkaConnection = {
        brokers,
        clientId: 'bench-scorer',
        topicPrefix: `bench-scorer-${run}-${repetition}.`,
      };
      const viralConnection: KafkaConnection = {
        ...connection,
        topicPrefix: `bench-scorer-viral-${run}-${repetition}.`,
      };
      try {
        for (const target of [connection, viralConnection]) {
          await bootstrapTopics({ connection: target, topics: allTopics, replicationFactor: 1 });
        }
        await fill(connection, work);
        await fill(viralConnection, viral);
        ctx.log(`repetition ${repetition}: end to end on Kafka (${formatInt(work.items)} items)`);
        kafka.push(await endToEnd(connection, work, 'bench-scorer'));
        ctx.log(`repetition ${repetition}: a viral report of ${viralItems} items`);
        viralRuns.push(await endToEnd(viralConnection, viral, 'bench-scorer'));
      } finally {
        await deletePrefixedTopics(connection, 'bench-scorer-cleanup').catch((error: unknown) =>
          ctx.log(`cleanup: ${String(error)}`),
        );
        await deletePrefixedTopics(viralConnection, 'bench-scorer-cleanup').catch((error: unknown) =>
          ctx.log(`cleanup: ${String(error)}`),
        );
      }
    }
    const rate = (seconds: number) => reportCount / seconds;
    const pureRate = median(pure.map(rate));
    const memoryRate = median(memory.map(rate));
    const kafkaRate = median(kafka.map((entry) => rate(entry.seconds)));
    const steadyRate = median(kafka.map((entry) => rate(entry.steadySeconds)));
    const itemRate = median(kafka.map((entry) => work.items / entry.steadySeconds));
    const row = (what: string, cases: number, extra: string) =>
      `| ${what} | ${formatInt(cases)} | ${formatRatio(cases, pureRate)} | ${extra} |`;
    const median3 = (values: number[]) => formatFixed(median(values), 2);
    const markdown = [
      `${formatInt(reportCount)} reports, ${formatInt(work.items)} enriched items (2, 5, 20 or 100 per report; every fifth pair`,
      'of reports shares a suspect e-mail). Rates are final cases per second, the median of',
      `${repetitions} repetitions; ratios against the baseline, **pure scoring in-process**: per report`,
      "`NetworkEnricher.enrichReport` (bundled ip-location-db data), `scoreReport`, `buildCase` and the Case's",
      'Avro encoding, with the items already in memory.',
      '',
      '| Path | Cases/s | vs pure scoring | Notes |',
      '| --- | ---: | ---: | --- |',
      row('Pure scoring in-process (baseline)', pureRate, 'no Kafka, no state'),
      row(
        'Scorer stage in memory',
        memoryRate,
        `records decoded, aggregated in maps, one case per report per batch of ${batchRecords}; no Kafka`,
      ),
      row(
        'End to end on Kafka, steady',
        steadyRate,
        `first case to last final case; ${formatInt(itemRate)} items/s; ${formatInt(median(kafka.map((entry) => entry.cases)))} cases written`,
      ),
      row(
        'End to end on Kafka, with start-up',
        kafkaRate,
        `from \`start()\` to the last final case; the first case came ${median3(kafka.map((entry) => entry.firstCaseSeconds))} s after \`start()\` (group join, first fetch)`,
      ),
      '',
      `A viral report of ${formatInt(viralItems)} items, pre-filled, through a fresh group: ${median3(viralRuns.map((entry) => entry.steadySeconds))} s from`,
      `its first case to its final one (${formatInt(median(viralRuns.map((entry) => entry.provisional)))} provisional cases before it with`,
      '`SCORER_PROVISIONAL_EVERY=200`), the stage writing each item to the item changelog and scoring',
      'the whole report at each provisional and the final case.',
      '',
      '**Method.** One scorer instance in the suite process against the local broker (RF 1). Each repetition',
      'runs on a fresh deployment (topics under a new prefix, deleted afterwards: empty state and identifier',
      'table) whose inputs are produced before the scorer starts. Cases are read back from `cases.v1` by a',
      'reader in the same process. The end-to-end rate includes the acks=all writes of cases, item and report',
      'changelogs and identifier rows, and the offset commits; the broker runs on the same two cores.',
      'Kafka 4 holds each offset commit ~5 ms (`group.coordinator.append.linger.ms`), so the runner',
      "leaves a batch's commit running while it handles the next one, and the scorer takes",
      `${batchRecords} records a batch.`,
    ].join('\n');
    return {
      markdown,
      facts: [
        { name: 'Kafka', value: `${brokers.join(',')}, RF 1, topics under a fresh prefix` },
        { name: 'Rules', value: `packages/scoring/rules/default.json (${rules.ruleVersion})` },
      ],
    };
  },
};
