import { createLogger } from '@triage/logging';
import { compactedTopic, jsonRows, kafkaTest } from '@triage/messaging/testing/fixtures';
import { describe, expect } from 'vitest';
import { createRecordProducer } from '../producer/record-producer.ts';
import { GlobalTable } from './global-table.ts';
import { KeyedStateStore } from './keyed-state-store.ts';

const logger = createLogger({ name: 'state-test', level: 'warn' });
const json = jsonRows;
const table = compactedTopic('contract.table.v1', 'global table contract test');

describe('global table', () => {
  kafkaTest(
    'materialises every partition, applies tombstones, and follows later writes',
    async ({ kafka }) => {
      await kafka.createTopics([table]);
      const producer = createRecordProducer(kafka.connection, 'table-writer');
      const topic = kafka.topic(table.name);
      await producer.send([
        ...Array.from({ length: 30 }, (_, index) => ({
          topic,
          key: `row-${index}`,
          value: json.encode({ index }),
        })),
        { topic, key: 'row-7', value: null },
        { topic, key: 'row-8', value: json.encode({ index: 80 }) },
      ]);
      const changes: string[] = [];
      const rows = new GlobalTable<{ index: number }>({
        name: 'contract-table',
        connection: kafka.connection,
        topic,
        codec: json,
        logger,
        onChange: (key, value) => changes.push(`${key}=${value === null ? 'deleted' : value.index}`),
      });
      try {
        await rows.start();
        expect(rows.size).toBe(29);
        expect(rows.get('row-7')).toBeUndefined();
        expect(rows.get('row-8')).toEqual({ index: 80 });
        expect(changes).toContain('row-7=deleted');

        await producer.send([{ topic, key: 'row-99', value: json.encode({ index: 99 }) }]);
        const deadline = Date.now() + 20_000;
        while (!rows.get('row-99') && Date.now() < deadline)
          await new Promise((resolve) => setTimeout(resolve, 100));
        expect(rows.get('row-99')).toEqual({ index: 99 });
      } finally {
        await rows.close();
        await producer.close();
      }
    },
  );

  kafkaTest('skips a row it cannot decode and keeps following', async ({ kafka }) => {
    await kafka.createTopics([table]);
    const producer = createRecordProducer(kafka.connection, 'table-writer');
    const topic = kafka.topic(table.name);
    await producer.send([
      { topic, key: 'good-1', value: json.encode({ index: 1 }) },
      { topic, key: 'bad', value: Buffer.from('{not json') },
      { topic, key: 'good-2', value: json.encode({ index: 2 }) },
    ]);
    const rows = new GlobalTable<{ index: number }>({
      name: 'poison-row',
      connection: kafka.connection,
      topic,
      codec: json,
      logger,
    });
    try {
      await rows.start();
      expect(rows.size).toBe(2);
      expect(rows.skipped).toBe(1);
      await producer.send([{ topic, key: 'good-3', value: json.encode({ index: 3 }) }]);
      const deadline = Date.now() + 20_000;
      while (!rows.get('good-3') && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 100));
      expect(rows.get('good-3')).toEqual({ index: 3 });
    } finally {
      await rows.close();
      await producer.close();
    }
  });

  kafkaTest(
    'with keepRows false, hands every change to onChange and keeps nothing itself',
    async ({ kafka }) => {
      await kafka.createTopics([table]);
      const producer = createRecordProducer(kafka.connection, 'table-writer');
      const topic = kafka.topic(table.name);
      await producer.send([
        { topic, key: 'a', value: json.encode({ index: 1 }) },
        { topic, key: 'a', value: null },
        { topic, key: 'b', value: json.encode({ index: 2 }) },
      ]);
      const seen: string[] = [];
      const rows = new GlobalTable<{ index: number }>({
        name: 'no-rows',
        connection: kafka.connection,
        topic,
        codec: json,
        logger,
        keepRows: false,
        onChange: (key, value) => seen.push(`${key}=${value === null ? 'deleted' : value.index}`),
      });
      try {
        await rows.start();
        expect(rows.size).toBe(0);
        expect(rows.get('b')).toBeUndefined();
        expect(seen.sort()).toEqual(['a=1', 'a=deleted', 'b=2']);
      } finally {
        await rows.close();
        await producer.close();
      }
    },
  );

  kafkaTest('an empty topic is ready at once', async ({ kafka }) => {
    await kafka.createTopics([table]);
    const rows = new GlobalTable({
      name: 'empty',
      connection: kafka.connection,
      topic: kafka.topic(table.name),
      codec: json,
      logger,
    });
    try {
      await rows.start();
      expect(rows.size).toBe(0);
    } finally {
      await rows.close();
    }
  });
});

describe('keyed state store', () => {
  kafkaTest(
    'restores only its assigned partition from the changelog, tombstones included',
    async ({ kafka }) => {
      const changelog = { ...table, name: 'contract.store.changelog.v1' };
      await kafka.createTopics([changelog]);
      const options = {
        name: 'contract.store',
        connection: kafka.connection,
        changelogTopic: kafka.topic(changelog.name),
        codec: json,
        logger,
      };
      const writer = new KeyedStateStore<number>(options);
      writer.assign([0, 1]);
      await writer.ensureRestored(0);
      await writer.ensureRestored(1);
      writer.put(0, 'a', 1);
      writer.put(0, 'b', 2);
      writer.put(1, 'c', 3);
      writer.delete(0, 'b');
      const producer = createRecordProducer(kafka.connection, 'store-writer');
      await producer.send(writer.drainWrites());
      await producer.close();

      const reader = new KeyedStateStore<number>(options);
      reader.assign([0]);
      await reader.ensureRestored(0);
      expect(reader.get(0, 'a')).toBe(1);
      expect(reader.get(0, 'b')).toBeUndefined();
      expect(reader.size(0)).toBe(1);
      expect(() => reader.get(1, 'c')).toThrow(/before it was restored/);

      // A partition above 0 holds its own keys only, none of the partitions below it.
      const second = new KeyedStateStore<number>(options);
      second.assign([1]);
      await second.ensureRestored(1);
      expect([...second.entries(1)]).toEqual([['c', 3]]);
    },
  );

  kafkaTest(
    'keeps its groups in step with puts and deletes, and rebuilds them on restore',
    async ({ kafka }) => {
      const changelog = { ...table, name: 'contract.grouped.changelog.v1' };
      await kafka.createTopics([changelog]);
      const options = {
        name: 'contract.grouped',
        connection: kafka.connection,
        changelogTopic: kafka.topic(changelog.name),
        codec: json,
        logger,
        // Items keyed by id, grouped by the report they belong to.
        groupOf: (_key: string, value: { report: string }) => value.report,
      };
      const writer = new KeyedStateStore<{ report: string }>(options);
      writer.assign([2]);
      await writer.ensureRestored(2);
      writer.put(2, 'r1/a', { report: 'r1' });
      writer.put(2, 'r1/b', { report: 'r1' });
      writer.put(2, 'r2/a', { report: 'r2' });
      writer.delete(2, 'r1/a');
      writer.delete(2, 'r2/a');
      expect([...writer.group(2, 'r1').keys()]).toEqual(['r1/b']);
      expect(writer.group(2, 'r2').size).toBe(0);
      // The keys and the count alone, as the group has them.
      expect([...writer.groupKeys(2, 'r1')]).toEqual(['r1/b']);
      expect([writer.groupSize(2, 'r1'), writer.groupSize(2, 'r2'), writer.groupSize(2, 'r9')]).toEqual([
        1, 0, 0,
      ]);
      const producer = createRecordProducer(kafka.connection, 'grouped-writer');
      await producer.send(writer.drainWrites());
      await producer.close();

      const reader = new KeyedStateStore<{ report: string }>(options);
      reader.assign([2]);
      expect(reader.assigned).toEqual([2]);
      expect(reader.held).toEqual([]);
      await reader.ensureRestored(2);
      expect(reader.held).toEqual([2]);
      expect([...reader.group(2, 'r1').keys()]).toEqual(['r1/b']);
      expect(reader.group(2, 'r2').size).toBe(0);
      expect([...reader.groupKeys(2, 'r1')]).toEqual(['r1/b']);
      expect(reader.groupSize(2, 'r1')).toBe(1);
      expect([...reader.entries(2)].map(([key]) => key)).toEqual(['r1/b']);
      // Moving the partition away drops its groups with its keys.
      reader.assign([]);
      expect(reader.held).toEqual([]);
      expect(() => reader.group(2, 'r1')).toThrow(/before it was restored/);
    },
  );
});
