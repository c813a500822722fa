// Shared by the e2e tests: record counts of a test's topics, intake's status route, small helpers.
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { createLogger } from '@triage/logging';
import { deployedTopic, type KafkaConnection, type TopicSpec } from '@triage/messaging';
import { committedRecordCount } from '@triage/messaging/testing';
import { createCodec } from '@triage/schemas';

export const codec = createCodec();
export const logger = createLogger({ name: 'e2e', level: 'warn' });

export const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');
export const md5 = (bytes: Buffer | string) => createHash('md5').update(bytes).digest('hex');
export const sha1 = (bytes: Buffer | string) => createHash('sha1').update(bytes).digest('hex');

/** The bundle model's id, computed here rather than imported so a change in intake shows. */
export const expectedBundleId = (partnerId: string, bundleRef: string) =>
  `bndl-${sha256(`${partnerId}\n${bundleRef}`).slice(0, 24)}`;

/**
 * How many records each topic holds, as readers see them (committed records), by catalogue name.
 * Offsets would also count the commit markers of intake's transactions (ADR 0016).
 */
export async function recordCounts(
  connection: KafkaConnection,
  specs: readonly TopicSpec[],
): Promise<Record<string, number>> {
  const counts = await Promise.all(
    specs.map(async (spec) => {
      const count = Number(await committedRecordCount(connection, deployedTopic(connection, spec.name)));
      return [spec.name, count] as const;
    }),
  );
  return Object.fromEntries(counts);
}

/** GET /v1/bundles/:id as the partner. */
export async function bundleStatus(
  intakeUrl: string,
  apiKey: string,
  bundleId: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(new URL(`/v1/bundles/${bundleId}`, intakeUrl), {
    headers: { authorization: `Bearer ${apiKey}` },
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Polls the status route until the bundle is `split` (or `timeoutMs` passed); returns the last answer. */
export async function statusWhenSplit(
  intakeUrl: string,
  apiKey: string,
  bundleId: string,
  timeoutMs = 30_000,
): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await bundleStatus(intakeUrl, apiKey, bundleId);
    if (body.stage === 'split' || Date.now() > deadline) return body;
    await sleep(250);
  }
}

/** Groups values by a key, keeping their order. */
export function groupBy<T>(values: readonly T[], keyOf: (value: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const value of values) groups.set(keyOf(value), [...(groups.get(keyOf(value)) ?? []), value]);
  return groups;
}
