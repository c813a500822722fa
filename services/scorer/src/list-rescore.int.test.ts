// The re-scoring trigger on the real broker: a case scored before its file was confirmed is
// written again once the confirmed list (hashsets.v1) holds the file, and again when the entry is
// tombstoned; other lists' changes re-score nothing.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { NetworkEnricher } from '@triage/enrichment';
import { knownHashKey } from '@triage/hash-lists';
import { createLogger } from '@triage/logging';
import { allTopics, createRecordProducer, deployedTopic, pipelineTopics } from '@triage/messaging';
import { kafkaTest } from '@triage/messaging/testing/fixtures';
import { type Case, createCodec, type KnownHashInput } from '@triage/schemas';
import { loadRules } from '@triage/scoring';
import { expect } from 'vitest';
import { createScorerService } from './scorer-service.ts';
import { testIdentifierKeys } from './testing/index.ts';
import { makeItem, makeReport } from './testing/scorer-fixtures.ts';

const codec = createCodec();
const logger = createLogger({ name: 'scorer-rescore-test', level: 'warn' });

const entry = (listName: string, md5: string): KnownHashInput => ({
  listName,
  listVersion: '1',
  hashType: 'MD5',
  value: md5,
  category: 1,
  categoryLabel: 'child abuse material',
  source: 'triage-confirmed',
  importedAt: 0,
});

kafkaTest(
  'given a scored case, when its file joins the confirmed list, then the case is re-scored as known; a tombstone re-scores it back',
  async ({ kafka }) => {
    await kafka.createTopics(allTopics);
    const producer = createRecordProducer(kafka.connection, 'rescore-test');
    const topic = (name: string) => deployedTopic(kafka.connection, name);
    const stateDir = await mkdtemp(path.join(tmpdir(), 'scorer-rescore-'));
    const service = createScorerService({
      connection: kafka.connection,
      codec,
      logger,
      groupId: 'scorer-rescore',
      rules: loadRules(),
      enricher: await NetworkEnricher.open({ homeCountry: 'NL', reloadIntervalMs: 0 }),
      identifierKeys: testIdentifierKeys,
      provisionalEvery: 200,
      quietMs: 60_000,
      stateDir,
    });
    /** The cases written so far (one partition: one report), once `done` holds for them. */
    const casesUntil = async (done: (cases: Case[]) => boolean) => {
      const decode = (records: readonly { value: Buffer | null }[]) =>
        records.map((record) => codec.decode('Case', record.value!));
      return decode(await kafka.readTopic(pipelineTopics.cases.name, (read) => done(decode(read)), 30_000));
    };
    const listed = (found: Case | undefined) =>
      found?.items[0]?.matchedLists.includes('police-confirmed') === true;
    try {
      await service.start();
      const report = makeReport(codec, '8001', 1);
      const item = makeItem(codec, report, 0);
      await producer.send([
        {
          topic: topic(pipelineTopics.reports.name),
          key: report.reportId,
          value: codec.encode('Report', report),
        },
        {
          topic: topic(pipelineTopics.itemsEnriched.name),
          key: report.reportId,
          value: codec.encode('EnrichedItem', item),
        },
      ]);
      const complete = (found: Case) => found.itemsSeen === 1;
      const scored = (await casesUntil((cases) => cases.some(complete))).find(complete)!;
      expect(scored.items[0]).toMatchObject({ matchedLists: [] });

      // Another list's entry for the file: not re-scored here (the hasher matches later items).
      const md5 = item.hashes!.md5;
      const send = (listName: string, value: Buffer | null) =>
        producer.send([
          { topic: topic(pipelineTopics.hashsets.name), key: knownHashKey(listName, 'MD5', md5), value },
        ]);
      await send('police-nl-vics', codec.encode('KnownHash', entry('police-nl-vics', md5)));
      await send('police-confirmed', codec.encode('KnownHash', entry('police-confirmed', md5)));
      const known = (await casesUntil((cases) => listed(cases.at(-1)))).at(-1)!;
      expect(known.items[0]).toMatchObject({ novelty: 'known', matchedLists: ['police-confirmed'] });

      await send('police-confirmed', null);
      const cases = await casesUntil((all) => all.findLastIndex(listed) < all.length - 1 && all.some(listed));
      expect(cases.at(-1)!.items[0]).toMatchObject({ matchedLists: [] });
      expect(cases.at(-1)!.score).toBe(scored.score);
      expect(service.metrics().scorer.cases.listMatch).toBe(2);
    } finally {
      await service.stop();
      await producer.close();
      await rm(stateDir, { recursive: true, force: true });
    }
  },
  90_000,
);
