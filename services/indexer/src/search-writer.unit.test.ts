import type { SearchClient } from '@triage/search';
import { describe, expect, it } from 'vitest';
import { SearchWriter, type WriteOp } from './search-writer.ts';

type Item = { status: number; error?: { type: string; reason: string } };

/** A stand-in for the client's `bulk` and `mget`: answers from scripted item statuses and a document store. */
function stubClient(options: { bulkAnswers?: Item[][]; failBulk?: Error }) {
  const bulks: Record<string, unknown>[][] = [];
  const stored = new Map<string, { source: object; seqNo: number }>();
  const answers = [...(options.bulkAnswers ?? [])];
  const client = {
    async bulk({ operations }: { operations: Record<string, unknown>[] }) {
      if (options.failBulk) throw options.failBulk;
      bulks.push(operations);
      const actions = operations.filter((_, index) => index % 2 === 0);
      const scripted = answers.shift();
      return {
        errors: false,
        items: actions.map((action, index) => {
          const [kind, meta] = Object.entries(action)[0] as [string, { _id: string; if_seq_no?: number }];
          const answer = scripted?.[index] ?? { status: 200 };
          if (answer.status < 300) {
            const seqNo = (stored.get(meta._id)?.seqNo ?? -1) + 1;
            stored.set(meta._id, { source: operations[index * 2 + 1]!, seqNo });
          }
          return { [kind]: answer };
        }),
      };
    },
    async mget({ ids }: { ids: string[] }) {
      return {
        docs: ids.map((id) => {
          const doc = stored.get(id);
          return doc
            ? { _id: id, found: true, _source: doc.source, _seq_no: doc.seqNo, _primary_term: 1 }
            : { _id: id, found: false };
        }),
      };
    },
  };
  return { client: client as unknown as SearchClient, bulks };
}

const op = (id: string): WriteOp => ({ index: 'i', id, action: 'index', document: { id } });

describe('SearchWriter.write', () => {
  it('sends again what Elasticsearch could not take now (429, 5xx), and only that', async () => {
    const { client, bulks } = stubClient({
      bulkAnswers: [
        [{ status: 201 }, { status: 429 }, { status: 503 }],
        [{ status: 201 }, { status: 201 }],
      ],
    });
    const writer = new SearchWriter({ client, backoffMs: 1 });
    expect(await writer.write([op('a'), op('b'), op('c')], () => false)).toEqual(new Map());
    expect(bulks.map((operations) => operations.length / 2)).toEqual([3, 2]);
    expect(writer.counters).toMatchObject({ written: 3, retriedItems: 2 });
  });

  it('returns what Elasticsearch refuses for good, with its reason, and writes the rest', async () => {
    const refused = { status: 400, error: { type: 'document_parsing_exception', reason: 'bad field' } };
    const { client } = stubClient({ bulkAnswers: [[{ status: 201 }, refused]] });
    const writer = new SearchWriter({ client, backoffMs: 1 });
    expect(await writer.write([op('a'), op('b')], () => false)).toEqual(
      new Map([['i/b', 'document_parsing_exception: bad field']]),
    );
  });

  it('gives up after its rounds with a retryable TRIAGE_ELASTICSEARCH_UNAVAILABLE', async () => {
    const busy = [{ status: 429 }];
    const { client } = stubClient({ bulkAnswers: [busy, busy, busy] });
    const writer = new SearchWriter({ client, backoffMs: 1, attempts: 3 });
    await expect(writer.write([op('a')], () => false)).rejects.toMatchObject({
      code: 'TRIAGE_ELASTICSEARCH_UNAVAILABLE',
      retryable: true,
    });
  });

  it('turns an unreachable Elasticsearch into a retryable TRIAGE_ELASTICSEARCH_UNAVAILABLE', async () => {
    const { client } = stubClient({
      failBulk: Object.assign(new Error('connect ECONNREFUSED'), { name: 'ConnectionError' }),
    });
    await expect(new SearchWriter({ client }).write([op('a')], () => false)).rejects.toMatchObject({
      code: 'TRIAGE_ELASTICSEARCH_UNAVAILABLE',
      retryable: true,
    });
  });
});

describe('SearchWriter.merge', () => {
  it('creates a missing document, guards an existing one by its sequence number, and merges again after a conflict', async () => {
    const { client, bulks } = stubClient({
      bulkAnswers: [
        [{ status: 201 }],
        [{ status: 409, error: { type: 'version_conflict_engine_exception', reason: 'x' } }],
        [{ status: 200 }],
      ],
    });
    const writer = new SearchWriter({ client, backoffMs: 1 });
    const plans: (object | null)[] = [];
    const merge = () =>
      writer.merge<{ count: number }>({
        index: 'i',
        ids: ['a'],
        plan: (_, current) => {
          plans.push(current);
          return { action: 'index', document: { count: (current?.count ?? 0) + 1 } };
        },
      });
    await merge();
    await merge();
    expect(bulks[0]![0]).toEqual({ create: { _index: 'i', _id: 'a' } });
    expect(bulks[1]![0]).toEqual({ index: { _index: 'i', _id: 'a', if_seq_no: 0, if_primary_term: 1 } });
    // The conflict sent it back to the read: planned three times in all.
    expect(plans).toEqual([null, { count: 1 }, { count: 1 }]);
    expect(writer.counters.conflicts).toBe(1);
  });
});
