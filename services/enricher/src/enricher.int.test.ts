// The enricher deployable on the real broker: hashed items in, enriched items out (bundled
// ip-location-db data), a poison record dead-lettered, and a replay in a fresh group that writes
// byte-identical records.
import { NetworkEnricher } from '@triage/enrichment';
import { createLogger } from '@triage/logging';
import { createRecordProducer, deadLetterTopicName, pipelineTopics } from '@triage/messaging';
import { kafkaTest } from '@triage/messaging/testing/fixtures';
import { createCodec, type EnrichedItem, type HashedItem, type Item, recordExamples } from '@triage/schemas';
import { expect } from 'vitest';
import { createEnricherService } from './enricher-service.ts';

const codec = createCodec();
const logger = createLogger({ name: 'enricher-test', level: 'warn' });
const receivedAt = Date.UTC(2026, 10, 20, 9);

function hashedItem(reportId: string, index: number, count: number, fields: Partial<Item>): HashedItem {
  const example = recordExamples.HashedItem;
  const item: Item = {
    ...example.item,
    itemId: `${reportId}/f-${index}`,
    reportId,
    itemIndex: index,
    itemCount: count,
    receivedAt: receivedAt + index,
    uploadIpEvent: null,
    locationOfFile: null,
    url: null,
    ...fields,
  };
  return item.kind === 'url' ? { item, hashes: null, matches: [], dedupe: null } : { ...example, item };
}

const upload = (ipAddress: string, possibleProxy: boolean | null = null) => ({
  ipAddress,
  eventName: 'Upload' as const,
  dateTime: receivedAt - 3_600_000,
  possibleProxy,
  port: null,
});

/** Two reports: uploads from NL, DE and a flagged NL proxy, a URL item, and unusable values. */
const items: HashedItem[] = [
  hashedItem('tipline-test:1', 0, 3, {
    uploadIpEvent: upload('95.211.4.4'),
    locationOfFile: 'https://cdn.example.co.uk/a.jpg',
  }),
  hashedItem('tipline-test:1', 1, 3, { uploadIpEvent: upload('2a01:4f8:10::1') }),
  hashedItem('tipline-test:1', 2, 3, { uploadIpEvent: upload('85.17.9.9', true) }),
  hashedItem('hotline-test:2', 0, 2, {
    kind: 'url',
    fileId: null,
    sha256: null,
    url: 'http://91.121.3.4/page',
  }),
  hashedItem('hotline-test:2', 1, 2, {
    uploadIpEvent: upload('999.0.0.1'),
    locationOfFile: 'mailto:someone@example.com',
  }),
];

async function runOnce(connection: Parameters<typeof createEnricherService>[0]['connection'], group: string) {
  const enricher = await NetworkEnricher.open({ homeCountry: 'NL', reloadIntervalMs: 0 });
  const service = createEnricherService({
    connection,
    codec,
    logger,
    groupId: `enricher-${group}`,
    enricher,
  });
  await service.start();
  return {
    async stop() {
      await service.stop();
      await enricher.close();
    },
  };
}

kafkaTest(
  'enriches hashed items with country, ASN and jurisdiction, dead-letters a poison record, and a replay writes identical records',
  async ({ kafka }) => {
    await kafka.createTopics([pipelineTopics.itemsHashed, pipelineTopics.itemsEnriched]);
    const producer = createRecordProducer(kafka.connection, 'test-feed');
    await producer.send([
      ...items.slice(0, 2).map((hashed) => ({
        topic: kafka.topic(pipelineTopics.itemsHashed.name),
        key: hashed.item.reportId,
        value: codec.encode('HashedItem', hashed),
      })),
      {
        topic: kafka.topic(pipelineTopics.itemsHashed.name),
        key: 'tipline-test:1',
        value: Buffer.from('not avro'),
      },
      ...items.slice(2).map((hashed) => ({
        topic: kafka.topic(pipelineTopics.itemsHashed.name),
        key: hashed.item.reportId,
        value: codec.encode('HashedItem', hashed),
      })),
    ]);
    await producer.close();

    const first = await runOnce(kafka.connection, 'one');
    let firstRecords: Awaited<ReturnType<typeof kafka.readTopic>>;
    try {
      firstRecords = await kafka.readTopic(pipelineTopics.itemsEnriched.name, items.length, 60_000);
      const deadLetters = await kafka.readTopic(
        deadLetterTopicName(pipelineTopics.itemsHashed.name),
        1,
        60_000,
      );
      expect(deadLetters).toHaveLength(1);
    } finally {
      await first.stop();
    }
    expect(firstRecords).toHaveLength(items.length);

    const byItem = new Map<string, EnrichedItem>();
    for (const record of firstRecords) {
      const enriched = codec.decode('EnrichedItem', record.value ?? Buffer.alloc(0));
      expect(record.key).toBe(enriched.item.reportId);
      byItem.set(enriched.item.itemId, enriched);
    }
    // The hashed item travels unchanged.
    for (const hashed of items) {
      const { enrichment, ...rest } = byItem.get(hashed.item.itemId)!;
      expect(rest).toEqual(hashed);
      expect(enrichment.length).toBeGreaterThan(0);
    }
    const facts = (itemId: string) =>
      byItem
        .get(itemId)!
        .enrichment.map(
          ({ origin, countryCode, asn, inJurisdiction, possibleProxy, host, registrableDomain, error }) => ({
            origin,
            countryCode,
            asn,
            inJurisdiction,
            possibleProxy,
            host,
            registrableDomain,
            error,
          }),
        );
    const none = { host: null, registrableDomain: null, error: null };
    expect(facts('tipline-test:1/f-0')).toEqual([
      {
        origin: 'item.uploadIpEvent',
        countryCode: 'NL',
        asn: 60781,
        inJurisdiction: true,
        possibleProxy: null,
        ...none,
      },
      {
        origin: 'item.locationOfFile',
        countryCode: null,
        asn: null,
        inJurisdiction: null,
        possibleProxy: null,
        host: 'cdn.example.co.uk',
        registrableDomain: 'example.co.uk',
        error: null,
      },
    ]);
    expect(facts('tipline-test:1/f-1')).toEqual([
      {
        origin: 'item.uploadIpEvent',
        countryCode: 'DE',
        asn: 24940,
        inJurisdiction: false,
        possibleProxy: null,
        ...none,
      },
    ]);
    expect(facts('tipline-test:1/f-2')).toEqual([
      {
        origin: 'item.uploadIpEvent',
        countryCode: 'NL',
        asn: 60781,
        inJurisdiction: false,
        possibleProxy: true,
        ...none,
      },
    ]);
    expect(facts('hotline-test:2/f-0')).toEqual([
      {
        origin: 'item.url',
        countryCode: 'FR',
        asn: 16276,
        inJurisdiction: false,
        possibleProxy: null,
        host: '91.121.3.4',
        registrableDomain: null,
        error: null,
      },
    ]);
    // Unusable values are flagged on the item, which still goes through.
    expect(facts('hotline-test:2/f-1').map(({ origin, error }) => ({ origin, error }))).toEqual([
      { origin: 'item.uploadIpEvent', error: 'TRIAGE_ENRICH_INPUT_INVALID' },
      { origin: 'item.locationOfFile', error: 'TRIAGE_ENRICH_INPUT_INVALID' },
    ]);
    // Every answer names its data and is stamped with the item's receipt time.
    const upload0 = byItem.get('tipline-test:1/f-0')!.enrichment[0]!;
    expect(upload0.sources).toEqual([
      { database: 'ip-location-db/geo-whois-asn-country', version: '2.3.2026061719', lookedUpAt: receivedAt },
      { database: 'ip-location-db/asn', version: '2.3.2026061719', lookedUpAt: receivedAt },
    ]);

    // Replay from the start in a fresh group: the same bytes for every item.
    const second = await runOnce(kafka.connection, 'two');
    try {
      const all = await kafka.readTopic(pipelineTopics.itemsEnriched.name, items.length * 2, 60_000);
      expect(all).toHaveLength(items.length * 2);
      const versions = new Map<string, string[]>();
      for (const record of all) {
        const itemId = codec.decode('EnrichedItem', record.value ?? Buffer.alloc(0)).item.itemId;
        versions.set(itemId, [...(versions.get(itemId) ?? []), record.value!.toString('base64')]);
      }
      for (const hashed of items) {
        const [once, again] = versions.get(hashed.item.itemId)!;
        expect(again, hashed.item.itemId).toBe(once);
      }
    } finally {
      await second.stop();
    }
  },
);
