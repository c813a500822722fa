import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchKafkaMetadata, type StackUpResult, stackDown, stackUp } from './index.ts';

/**
 * The shared local stack, as every integration test gets it: `stackUp` reuses servers that run
 * and starts the missing ones. This file stops only what it started itself.
 */

let first: StackUpResult;

beforeAll(async () => {
  first = await stackUp({ onProgress: (event) => console.info(`[${event.server}] ${event.message}`) });
});

afterAll(async () => {
  if (!first) return;
  const servers = [...(first.kafka?.servers ?? []), ...(first.elasticsearch?.servers ?? [])];
  const startedHere = servers.filter((server) => !server.reused).map((server) => server.name);
  if (startedHere.length === 0) return;
  await stackDown({
    kafka: startedHere.some((name) => name.startsWith('kafka-')),
    elasticsearch: startedHere.includes('elasticsearch'),
  });
});

describe('local stack', () => {
  it('serves Kafka: every broker lists every broker of the one cluster', async () => {
    const kafka = first.kafka!;
    expect(kafka.brokers).toHaveLength(kafka.nodes);
    for (const address of kafka.brokers) {
      const [host, port] = address.split(':');
      const metadata = await fetchKafkaMetadata({ host: host!, port: Number(port) }, []);
      expect(metadata.clusterId).toBe(kafka.clusterId);
      expect(metadata.brokers.map((broker) => `${broker.host}:${broker.port}`).sort()).toEqual(
        [...kafka.brokers].sort(),
      );
    }
  });

  it('serves Elasticsearch: cluster health is green or yellow', async () => {
    const response = await fetch(`${first.elasticsearch!.url}/_cluster/health`);
    expect(response.status).toBe(200);
    const health = (await response.json()) as { status: string; number_of_nodes: number };
    expect(['green', 'yellow']).toContain(health.status);
    expect(health.number_of_nodes).toBe(1);
  });

  it('has the Elasticsearch APIs the project relies on: index, bulk, search, partial update and upsert', async () => {
    const index = `local-stack-probe-${process.pid}-${Date.now()}`;
    const base = `${first.elasticsearch!.url}/${index}`;
    const json = { 'content-type': 'application/json' };
    try {
      const created = await fetch(base, {
        method: 'PUT',
        headers: json,
        body: JSON.stringify({
          settings: { number_of_replicas: 0 },
          mappings: { properties: { queue: { type: 'keyword' }, score: { type: 'integer' } } },
        }),
      });
      expect(created.status).toBe(200);
      const bulk = await fetch(`${base}/_bulk?refresh=true`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-ndjson' },
        body: [
          { index: { _id: 'a' } },
          { queue: 'urgent', score: 90 },
          { index: { _id: 'b' } },
          { queue: 'routine', score: 10 },
        ]
          .map((line) => JSON.stringify(line))
          .join('\n')
          .concat('\n'),
      });
      expect(((await bulk.json()) as { errors: boolean }).errors).toBe(false);
      const upsert = await fetch(`${base}/_update/c?refresh=true`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ doc: { queue: 'urgent', score: 70 }, doc_as_upsert: true }),
      });
      expect(((await upsert.json()) as { result: string }).result).toBe('created');
      const partial = await fetch(`${base}/_update/b?refresh=true`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ doc: { queue: 'urgent' } }),
      });
      expect(((await partial.json()) as { result: string }).result).toBe('updated');
      const search = await fetch(`${base}/_search`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({
          query: { term: { queue: 'urgent' } },
          sort: [{ score: 'desc' }],
          aggs: { queues: { terms: { field: 'queue' } } },
        }),
      });
      const result = (await search.json()) as {
        hits: { hits: Array<{ _id: string }> };
        aggregations: { queues: { buckets: Array<{ key: string; doc_count: number }> } };
      };
      expect(result.hits.hits.map((hit) => hit._id)).toEqual(['a', 'c', 'b']);
      expect(result.aggregations.queues.buckets).toEqual([{ key: 'urgent', doc_count: 3 }]);
    } finally {
      await fetch(base, { method: 'DELETE' });
    }
  });

  it('reuses running servers on a second up: same pids, nothing started, quick', async () => {
    const again = await stackUp();
    const before = [...first.kafka!.servers, ...first.elasticsearch!.servers];
    const after = [...again.kafka!.servers, ...again.elasticsearch!.servers];
    expect(after.map((server) => server.pid)).toEqual(before.map((server) => server.pid));
    expect(after.every((server) => server.reused)).toBe(true);
    expect(again.totalMs - again.lockWaitMs).toBeLessThan(5000);
  });
});
