// Test helpers of the hoster monitor for other workspaces (the hoster routes' tests): takedown events
// built as intake records them, sent to a test's own takedowns topic, and the stage run over them.
// Import from '@triage/hoster-monitor/testing' in tests only.
import { NetworkEnricher } from '@triage/enrichment';
import { createLogger } from '@triage/logging';
import { createRecordProducer, deployedTopic, type KafkaConnection, pipelineTopics } from '@triage/messaging';
import { type Codec, recordExamples, type TakedownEvent } from '@triage/schemas';
import type { SearchClient } from '@triage/search';
import { createHosterMonitorService, type HosterMonitorService } from '../hoster-monitor-service.ts';

/** A takedown event with intake's fields filled and nothing optional set unless given. */
export function takedownEvent(
  facts: Partial<TakedownEvent> & Pick<TakedownEvent, 'eventId' | 'type' | 'url' | 'at'>,
): TakedownEvent {
  return {
    ...recordExamples.TakedownEvent,
    partnerId: 'hotline-a',
    host: new URL(facts.url).hostname,
    ip: null,
    sha256: null,
    itemId: null,
    noticeId: null,
    hosterContact: null,
    hosterHint: null,
    newUrl: null,
    newHost: null,
    newIp: null,
    receivedAt: facts.at,
    ...facts,
  };
}

/** Sends events to the connection's takedowns.v1, keyed by URL as intake does. */
export async function sendTakedowns(
  connection: KafkaConnection,
  codec: Codec,
  events: readonly TakedownEvent[],
): Promise<void> {
  const producer = createRecordProducer(connection, 'test-takedowns');
  const topic = deployedTopic(connection, pipelineTopics.takedowns.name);
  try {
    await producer.send(
      events.map((event) => ({ topic, key: event.url, value: codec.encode('TakedownEvent', event) })),
    );
  } finally {
    await producer.close();
  }
}

export interface RunningHosterMonitor {
  service: HosterMonitorService;
  /** Resolves once the stage has consumed this many records (and written their batch). */
  consumed(count: number, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/** The hoster monitor stage on the test's topics and indices, with the bundled offline databases. */
export async function startHosterMonitor(options: {
  connection: KafkaConnection;
  codec: Codec;
  client: SearchClient;
  groupId: string;
}): Promise<RunningHosterMonitor> {
  const enricher = await NetworkEnricher.open({ reloadIntervalMs: 0 });
  const service = createHosterMonitorService({
    ...options,
    logger: createLogger({ name: 'hoster-monitor-test', level: 'silent' }),
    enricher,
    replicas: 0,
  });
  await service.start();
  return {
    service,
    async consumed(count, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      // A batch is counted consumed after its bulk is written.
      while (service.metrics().consumed < count) {
        if (Date.now() > deadline)
          throw new Error(`hoster monitor consumed ${service.metrics().consumed} of ${count}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async stop() {
      await service.stop();
      await enricher.close();
    },
  };
}
