// Reading cases.v1 back in the e2e tests: the latest case per report once a run has settled, and
// copying a deployment's scorer inputs to another one (a replay with empty state).
import { setTimeout as sleep } from 'node:timers/promises';
import type { GroundTruth } from '@triage/feed';
import {
  createRecordProducer,
  deployedTopic,
  type KafkaConnection,
  PartitionReader,
  pipelineTopics,
  type TopicSpec,
} from '@triage/messaging';
import { readTopic } from '@triage/messaging/testing';
import type { Case } from '@triage/schemas';
import { codec } from './pipeline.ts';

/** The next offset of each partition of a topic: what is written later comes at or after it. */
export async function topicEnd(connection: KafkaConnection, spec: TopicSpec): Promise<Map<number, bigint>> {
  const reader = new PartitionReader({
    connection,
    topic: deployedTopic(connection, spec.name),
    name: 'e2e-ends',
  });
  try {
    return await reader.endOffsets();
  } finally {
    await reader.close();
  }
}

const total = (ends: ReadonlyMap<number, bigint>, from: ReadonlyMap<number, bigint>) =>
  [...ends].reduce((sum, [partition, end]) => sum + Number(end - (from.get(partition) ?? 0n)), 0);

/**
 * The cases written at or after `from` (next offsets per partition, see `topicEnd`), latest per
 * report, once `settled` holds for them and cases.v1 then took no new record for `quietMs`
 * (links re-emit cases after a report's final case). Gives up after `timeoutMs` and returns
 * what there is, for the assertions to show.
 */
export async function settledCases(
  connection: KafkaConnection,
  settled: (latest: ReadonlyMap<string, Case>) => boolean,
  options: { from?: ReadonlyMap<number, bigint>; timeoutMs?: number; quietMs?: number } = {},
): Promise<Map<string, Case>> {
  const from = options.from ?? new Map<number, bigint>();
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  const quietMs = options.quietMs ?? 1_500;
  const read = async (until: (latest: ReadonlyMap<string, Case>, count: number) => boolean) => {
    const latest = new Map<string, Case>();
    let count = 0;
    await readTopic(
      connection,
      deployedTopic(connection, pipelineTopics.cases.name),
      (records) => {
        const record = records.at(-1);
        if (record?.value && record.offset >= (from.get(record.partition) ?? 0n)) {
          latest.set(record.key, codec.decode('Case', record.value));
          count += 1;
        }
        return until(latest, count);
      },
      Math.max(deadline - Date.now(), 1_000),
    );
    return { latest, count };
  };
  // First until the condition holds, then until the topic stays still.
  await read((latest) => settled(latest));
  let seen = total(await topicEnd(connection, pipelineTopics.cases), from);
  for (;;) {
    await sleep(quietMs);
    const now = total(await topicEnd(connection, pipelineTopics.cases), from);
    if (now === seen || Date.now() > deadline) break;
    seen = now;
  }
  return (await read((_, count) => count >= seen)).latest;
}

/** Copies every record of `specs` from one deployment to another, partition by partition, in order. */
export async function copyTopics(
  source: KafkaConnection,
  target: KafkaConnection,
  specs: readonly TopicSpec[],
): Promise<number> {
  const producer = createRecordProducer(target, 'e2e-copy');
  let copied = 0;
  try {
    for (const spec of specs) {
      const count = total(await topicEnd(source, spec), new Map());
      const records = await readTopic(source, deployedTopic(source, spec.name), count);
      await producer.send(
        records.map((record) => ({
          topic: deployedTopic(target, spec.name),
          key: record.key,
          value: record.value,
          partition: record.partition,
          headers: record.headers,
        })),
      );
      copied += records.length;
    }
  } finally {
    await producer.close();
  }
  return copied;
}

/**
 * The ground truth's link kinds as the scorer's identifier types. `priorCTReport` links (a report
 * naming another report of the feed as an earlier CyberTipline report) are no shared identifier:
 * the naming report shows them as `prior_reports`.
 */
const identifierTypes: Record<string, string | undefined> = {
  email: 'email',
  screenName: 'screenName',
  espIdentifier: 'espIdentifier',
  deviceId: 'deviceId',
  ipAddress: 'ip',
};

/** Every (report, linked report, identifier type) the ground truth expects on the cases. */
export function expectedLinks(truth: GroundTruth): { reportId: string; linked: string; type: string }[] {
  return truth.repeatSuspectLinks.flatMap((link) => {
    const type = identifierTypes[link.kind];
    if (type === undefined) return [];
    return link.reportIds.flatMap((reportId) =>
      link.reportIds.filter((other) => other !== reportId).map((linked) => ({ reportId, linked, type })),
    );
  });
}

/** Every report has a final case with the ground truth's links (and, if given, this rule version). */
export function settledFor(truth: GroundTruth, ruleVersion?: string) {
  const links = expectedLinks(truth);
  return (latest: ReadonlyMap<string, Case>) =>
    truth.reports.every((report) => {
      const value = latest.get(report.reportId);
      return (
        value !== undefined &&
        !value.provisional &&
        (ruleVersion === undefined || value.ruleVersion === ruleVersion)
      );
    }) &&
    links.every(({ reportId, linked, type }) =>
      latest
        .get(reportId)!
        .linkedReports.some((link) => link.reportId === linked && link.identifierType === type),
    );
}
