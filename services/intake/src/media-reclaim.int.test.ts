// Issue 11, part 5 ("At rest"): media committed before a publish that failed is reclaimed, and only
// once the bundles topic proves no record names it. Uploads go through a listening app (real
// socket, `fetch`); publishes fail through an injected producer, Kafka itself stays up.
import { createHash } from 'node:crypto';
import { utimes } from 'node:fs/promises';
import path from 'node:path';
import {
  createRecordProducer,
  type OutboundRecord,
  pipelineTopics,
  type RecordProducer,
} from '@triage/messaging';
import { type KafkaFixture, kafkaTest } from '@triage/messaging/testing/fixtures';
import { makeZip, syntheticImage } from '@triage/testkit';
import { expect } from 'vitest';
import { bundlesTopicReferences, MediaReclaim, type ReferenceLookup } from './pipeline/media-reclaim.ts';
import { UnpublishedMedia } from './pipeline/unpublished-media.ts';
import {
  bearer,
  type IntakeHarness,
  jsonBundle,
  minimalReport,
  startIntake,
  testLogger,
} from './testing/intake-harness.ts';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const hour = 60 * 60_000;

/** Fails every send before anything reaches Kafka (the broker unreachable). */
const refusingProducer: RecordProducer = {
  send: async () => {
    throw new Error('injected: broker unreachable');
  },
  close: async () => undefined,
};

/** Writes the records, then reports a failure (the acknowledgement lost): the bundle IS published. */
function lyingProducer(real: RecordProducer): RecordProducer {
  return {
    send: async (records: readonly OutboundRecord[]) => {
      await real.send(records);
      throw new Error('injected: acknowledgement lost');
    },
    close: async () => undefined,
  };
}

async function setUp(kafka: KafkaFixture) {
  await kafka.createTopics([pipelineTopics.bundles, pipelineTopics.bundleStatus]);
  const intake = await startIntake(kafka.connection);
  const journal = new UnpublishedMedia({ dir: path.join(intake.root, 'reclaim') });
  const listening = async (producer?: RecordProducer) => {
    const app = await intake.variant({
      unpublished: journal,
      ...(producer === undefined ? {} : { producer }),
    });
    return app.listen({ port: 0, host: '127.0.0.1' });
  };
  const send = async (url: string, ref: string, images: readonly Buffer[]) => {
    const names = images.map((_, index) => `img-${index}.png`);
    const zip = await makeZip([
      {
        name: 'bundle.json',
        data: jsonBundle(ref, [
          minimalReport(`7${ref.length}${names.length}01`, {
            files: names.map((name, index) => ({ fileId: `f${index}`, name })),
          }),
        ]),
      },
      ...images.map((data, index) => ({ name: names[index]!, data, compress: false })),
    ]);
    const response = await fetch(`${url}/v1/bundles`, {
      method: 'POST',
      headers: { ...bearer(intake.keys.hotline), 'content-type': 'application/zip' },
      body: zip,
    });
    return { status: response.status, body: (await response.json()) as { code?: string } };
  };
  return { intake, journal, listening, send };
}

/** The sweep as if `hoursLater` hours had passed (journal entries and commits that much older). */
function reclaimLater(
  kafka: KafkaFixture,
  intake: IntakeHarness,
  journal: UnpublishedMedia,
  hoursLater: number,
  references?: ReferenceLookup,
) {
  return new MediaReclaim({
    store: intake.store,
    journal,
    references:
      references ??
      bundlesTopicReferences({
        connection: kafka.connection,
        topic: intake.topics.bundles,
        timeoutMs: 30_000,
      }),
    graceMs: hour,
    logger: testLogger,
    clock: () => Date.now() + hoursLater * hour,
  });
}

kafkaTest(
  'given publishes that failed, then the sweep reclaims only media no published bundle names, even when another upload of the same sha256 failed',
  async ({ kafka }) => {
    const { intake, journal, listening, send } = await setUp(kafka);
    const realProducer = createRecordProducer(kafka.connection, 'reclaim-test', { deliveryTimeoutMs: 5_000 });
    try {
      const [shared, lost, raced, acked] = await Promise.all(
        [701, 702, 703, 704].map((seed) => syntheticImage(seed, 48, 40)),
      );
      const ok = await listening();
      const down = await listening(refusingProducer);

      // `shared` accepted first, then sent again in a bundle whose publish fails (with `lost`).
      expect((await send(ok, 'accepted-first', [shared!])).status).toBe(202);
      const failed = await send(down, 'failed-second', [shared!, lost!]);
      expect(failed).toMatchObject({ status: 503, body: { code: 'TRIAGE_PIPELINE_BEHIND' } });
      // `raced`: the failed upload stores it first, an accepted one commits it after.
      expect((await send(down, 'failed-first', [raced!])).status).toBe(503);
      expect((await send(ok, 'accepted-second', [raced!])).status).toBe(202);
      // `acked`: the record reached Kafka though the producer reported a failure.
      const lying = await listening(lyingProducer(realProducer));
      expect((await send(lying, 'published-unacked', [acked!])).status).toBe(503);

      for (const image of [shared, lost, raced, acked])
        expect(await intake.store.has(sha256(image!))).toBe(true);
      expect((await journal.due(Number.POSITIVE_INFINITY)).length).toBe(3);

      // Within the grace nothing is touched: a publish may still be on its way.
      expect(await reclaimLater(kafka, intake, journal, 0).sweep()).toEqual({ reclaimed: 0, kept: 0 });
      expect(await intake.store.has(sha256(lost!))).toBe(true);

      // Kafka cannot be read: nothing is removed, the entries wait.
      const blind: ReferenceLookup = async () => {
        throw new Error('injected: bundles topic unreadable');
      };
      expect(await reclaimLater(kafka, intake, journal, 2, blind).sweep()).toEqual({ reclaimed: 0, kept: 0 });
      expect(await intake.store.has(sha256(lost!))).toBe(true);
      expect((await journal.due(Number.POSITIVE_INFINITY)).length).toBe(3);

      // Two hours on: only `lost` is named by no published record.
      expect(await reclaimLater(kafka, intake, journal, 2).sweep()).toEqual({ reclaimed: 1, kept: 3 });
      expect(await intake.store.has(sha256(lost!))).toBe(false);
      for (const image of [shared, raced, acked]) expect(await intake.store.has(sha256(image!))).toBe(true);
      expect(await journal.due(Number.POSITIVE_INFINITY)).toEqual([]);
      expect(await reclaimLater(kafka, intake, journal, 2).sweep()).toEqual({ reclaimed: 0, kept: 0 });

      // A file committed again (by an upload whose publish is still on its way) when the sweep
      // comes is put back, and its entry waits; once that commit is past the grace, it goes.
      const recommitted = (await syntheticImage(705, 48, 40))!;
      expect((await send(down, 'failed-recommitted', [recommitted])).status).toBe(503);
      const twoHoursOn = new Date(Date.now() + 2 * hour);
      await utimes(intake.store.pathOf(sha256(recommitted)), twoHoursOn, twoHoursOn);
      expect(await reclaimLater(kafka, intake, journal, 2).sweep()).toEqual({ reclaimed: 0, kept: 1 });
      expect(await intake.store.has(sha256(recommitted))).toBe(true);
      expect((await journal.due(Number.POSITIVE_INFINITY)).length).toBe(1);
      expect(await reclaimLater(kafka, intake, journal, 4).sweep()).toEqual({ reclaimed: 1, kept: 0 });
      expect(await intake.store.has(sha256(recommitted))).toBe(false);
    } finally {
      await realProducer.close();
      await intake.close();
    }
  },
);
