import type { InboundRecord } from '@triage/messaging';
import { indexerGroupId, searchIndices } from '@triage/search';
import { describe, expect, it } from 'vitest';
import { Contributions, createIndexerStage, type IndexerBatch, recordValue } from './indexer-batch.ts';
import type { SearchWriter } from './search-writer.ts';

const record = (offset: number): InboundRecord => ({
  topic: 'items.enriched.v1',
  partition: 0,
  offset: BigInt(offset),
  key: 'r',
  value: Buffer.from('x'),
  headers: {},
  rawHeaders: [],
  timestamp: 0n,
});

describe('Contributions', () => {
  it('dead-letters every record behind a refused document, once, with the reason', () => {
    const [a, b, c] = [record(1), record(2), record(3)];
    const contributions = new Contributions();
    contributions.add('items/1', a);
    contributions.add('media/s', a);
    contributions.add('media/s', b);
    contributions.add('items/3', c);
    const failed = contributions.failed(
      new Map([['items/1', 'document_parsing_exception: x']]),
      new Map([['media/s', 'y']]),
    );
    expect(failed.map((entry) => entry.record)).toEqual([a, b]);
    expect(failed[0]!.error).toMatchObject({
      code: 'TRIAGE_ELASTICSEARCH_REJECTED',
      message: 'items/1: document_parsing_exception: x',
    });
  });

  it('refuses a record without a value (no index takes deletions)', () => {
    expect(() => recordValue({ ...record(1), value: null })).toThrow(/without a value/);
  });
});

describe('indexerGroupId', () => {
  it('names the inputs and every index version written, so a new version replays', () => {
    expect(
      indexerGroupId('indexer', { name: 'items', writes: [searchIndices.items, searchIndices.media] }),
    ).toBe('indexer.items.triage-items-v1.triage-media-v2');
  });
});

describe('createIndexerStage', () => {
  it('a flush that fails leaves nothing staged: the re-delivered batch starts afresh', async () => {
    const batches: InboundRecord[][] = [];
    let fail = true;
    const newBatch = (): IndexerBatch => {
      const staged: InboundRecord[] = [];
      batches.push(staged);
      return {
        add: (value) => {
          staged.push(value);
        },
        write: async () => {
          if (fail) throw new Error('Elasticsearch down');
          return [];
        },
      };
    };
    const stage = createIndexerStage({ writer: {} as SearchWriter, newBatch });
    stage.handle(record(1));
    await expect(stage.flush()).rejects.toThrow('Elasticsearch down');
    fail = false;
    stage.handle(record(1));
    expect(await stage.flush()).toEqual({ outputs: [], failed: [] });
    expect(batches.map((staged) => staged.length)).toEqual([1, 1, 0]);
  });
});
