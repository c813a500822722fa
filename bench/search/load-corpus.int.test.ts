// The corpus loader on the real Elasticsearch, at a small size under a test's own prefix: the
// catalogue's indices filled, a complete corpus reused, another seed rebuilt, everything deleted.
import { randomUUID } from 'node:crypto';
import { createSearchClient, indexNames, searchIndices } from '@triage/search';
import { afterAll, describe, expect, it } from 'vitest';
import { CorpusGenerator } from './corpus.ts';
import { deleteCorpus, loadCorpus } from './load-corpus.ts';

const client = createSearchClient({ url: process.env.ELASTICSEARCH_URL ?? 'http://127.0.0.1:9200' });
const prefix = `bench-search-test-${randomUUID().slice(0, 8)}.`;
const corpus = { seed: 3, cases: 60, itemsPerCase: 10 };
const log = () => undefined;
const count = async (id: 'cases' | 'items' | 'media') =>
  (await client.count({ index: indexNames(prefix, searchIndices[id]).alias })).count;

afterAll(async () => {
  await deleteCorpus(client, prefix);
  await client.close();
});

describe('loadCorpus', () => {
  it('given no corpus, when loaded, then every case, item and distinct file is searchable through the aliases', async () => {
    const loaded = await loadCorpus({ client, prefix, corpus, reuse: true, log });
    expect(loaded.reused).toBe(false);
    const generator = new CorpusGenerator(corpus);
    const reports = Array.from({ length: corpus.cases }, (_, n) => generator.report(n));
    const files = new Set(reports.flatMap((report) => report.items.map((item) => item.document.sha256)));
    expect(await count('cases')).toBe(60);
    expect(await count('items')).toBe(600);
    expect(await count('media')).toBe(files.size);
    expect(loaded.documents).toBe(60 + 600 + files.size);
  });

  it('given the same corpus loaded, when loaded with reuse, then it is reused; without reuse or with another seed, rebuilt', async () => {
    expect((await loadCorpus({ client, prefix, corpus, reuse: true, log })).reused).toBe(true);
    expect((await loadCorpus({ client, prefix, corpus, reuse: false, log })).reused).toBe(false);
    const other = await loadCorpus({ client, prefix, corpus: { ...corpus, seed: 4 }, reuse: true, log });
    expect(other.reused).toBe(false);
    expect(await count('items')).toBe(600);
  });

  it('given a prefix that is not a bench prefix, when deleting, then it refuses', async () => {
    await expect(deleteCorpus(client, 'triage.')).rejects.toThrow(/not a bench prefix/);
  });
});
