import { describe, expect, it } from 'vitest';
import { loadIndexerConfig } from './config.ts';

describe('loadIndexerConfig', () => {
  it('defaults the group prefix, the replicas and the batch size', () => {
    const config = loadIndexerConfig({});
    expect(config.INDEXER_GROUP_ID).toBe('indexer');
    expect(config.INDEXER_ES_REPLICAS).toBe(0);
    expect(config.INDEXER_BATCH_RECORDS).toBe(500);
    expect(config.ELASTICSEARCH_URL).toBe('http://127.0.0.1:9200');
  });

  it('names a bad variable', () => {
    expect(() => loadIndexerConfig({ INDEXER_ES_REPLICAS: '-1' })).toThrow(/INDEXER_ES_REPLICAS/);
  });
});
