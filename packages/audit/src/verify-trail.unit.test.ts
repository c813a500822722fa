import type { TableRecord } from '@triage/messaging';
import { type AuditEvent, createCodec } from '@triage/schemas';
import { describe, expect, test } from 'vitest';
import { auditEntryOf } from './audit-entry.ts';
import { sealEvent } from './chain-hash.ts';
import { cleanChain } from './testing/memory-trail.ts';
import { verifyAuditTrail } from './verify-trail.ts';

const codec = createCodec();

const verify = (records: readonly TableRecord[]) =>
  verifyAuditTrail(records.map((record) => auditEntryOf(codec, record)));

/** Records renumbered as stored one after another (what a rewritten topic would hold). */
const restored = (records: readonly TableRecord[]) =>
  records.map((record, index) => ({ ...record, offset: BigInt(index) }));

const decoded = (record: TableRecord) =>
  codec.decode('AuditEvent', record.value!) as AuditEvent & { chain: NonNullable<AuditEvent['chain']> };

describe('verifyAuditTrail', () => {
  test('given a clean chain, when verified, then there is no finding and the chain is summarised', async () => {
    const records = await cleanChain(5);
    const result = verify(records);
    expect(result.findings).toEqual([]);
    expect(result.records).toBe(5);
    expect(result.chains).toEqual([
      expect.objectContaining({
        events: 5,
        lastSequence: 4,
        lastHash: decoded(records[4]!).chain.hash,
        partition: 0,
      }),
    ]);
  });

  test('given two writers interleaved on two partitions, when verified, then both chains are clean', async () => {
    const one = await cleanChain(3, 'api-0');
    const two = (await cleanChain(3, 'api-1')).map((record) => ({ ...record, partition: 1 }));
    const result = verify([one[0]!, two[0]!, two[1]!, one[1]!, one[2]!, two[2]!]);
    expect(result.findings).toEqual([]);
    expect(result.chains.map((chain) => [chain.chainId.split('/')[0], chain.events])).toEqual([
      ['api-0', 3],
      ['api-1', 3],
    ]);
  });

  test('given an event whose bytes were edited, when verified, then it is reported edited at its sequence and offset', async () => {
    const records = await cleanChain(4);
    const event = decoded(records[2]!);
    // The result count changed in place: the link (and its own hash) left as written.
    const edited = codec.encode('AuditEvent', { ...event, resultCount: 999 });
    records[2] = { ...records[2]!, value: edited };
    const { findings } = verify(records);
    expect(findings).toEqual([
      expect.objectContaining({
        kind: 'edited',
        chainId: event.chain.chainId,
        sequence: 2,
        partition: 0,
        offset: 2n,
      }),
    ]);
  });

  test('given an event edited and re-hashed, when verified, then the next event names it as edited', async () => {
    const records = await cleanChain(4);
    const event = decoded(records[1]!);
    const { bytes } = sealEvent(codec, { ...event, resultCount: 0 });
    records[1] = { ...records[1]!, value: bytes };
    const { findings } = verify(records);
    expect(findings).toEqual([expect.objectContaining({ kind: 'edited', sequence: 1, offset: 2n })]);
    expect(findings[0]!.detail).toContain('edited and re-hashed, or replaced');
  });

  test('given an event removed from the middle, when verified, then the gap is reported removed where it shows', async () => {
    const records = await cleanChain(5);
    const { findings } = verify(restored([...records.slice(0, 2), ...records.slice(3)]));
    expect(findings).toEqual([expect.objectContaining({ kind: 'removed', sequence: 2, offset: 2n })]);
    expect(findings[0]!.detail).toBe('sequence 2 missing (the gap shows at this record)');
  });

  test('given the first events removed, when verified, then the head is reported removed', async () => {
    const records = await cleanChain(4);
    const { findings } = verify(restored(records.slice(2)));
    expect(findings).toEqual([expect.objectContaining({ kind: 'removed', sequence: 0, offset: 0n })]);
    expect(findings[0]!.detail).toContain('sequences 0-1 missing');
  });

  test('given two events swapped, when verified, then the later-stored one is reported reordered, nothing removed', async () => {
    const records = await cleanChain(5);
    const { findings } = verify(restored([records[0]!, records[1]!, records[3]!, records[2]!, records[4]!]));
    expect(findings).toEqual([expect.objectContaining({ kind: 'reordered', sequence: 2, offset: 3n })]);
  });

  test('given a forged first event, when verified, then its anchor does not match the genesis value', async () => {
    const records = await cleanChain(2);
    const event = decoded(records[0]!);
    const { bytes } = sealEvent(codec, { ...event, chain: { ...event.chain, previousHash: '0'.repeat(64) } });
    records[0] = { ...records[0]!, value: bytes };
    const { findings } = verify(records);
    expect(findings.map((finding) => [finding.kind, finding.sequence])).toEqual([
      // Its anchor is not the genesis value, and the next event does not name its new hash.
      ['edited', 0],
      ['edited', 0],
    ]);
  });

  test('given an exact duplicate of an event, when verified, then it is counted, not reported', async () => {
    const records = await cleanChain(3);
    const result = verify(restored([...records.slice(0, 2), records[1]!, records[2]!]));
    expect(result.findings).toEqual([]);
    expect(result.duplicates).toBe(1);
  });

  test('given a different event with a used sequence, when verified, then it is a conflict', async () => {
    const records = await cleanChain(3);
    const event = decoded(records[1]!);
    const { bytes } = sealEvent(codec, { ...event, actor: 'someone-else' });
    const result = verify(restored([...records, { ...records[1]!, value: bytes }]));
    expect(result.findings).toEqual([expect.objectContaining({ kind: 'conflict', sequence: 1, offset: 3n })]);
  });

  test('given an event under another key or partition, when verified, then it is misplaced', async () => {
    const records = await cleanChain(2);
    const result = verify([records[0]!, { ...records[1]!, key: 'analyst-1' }]);
    expect(result.findings).toEqual([expect.objectContaining({ kind: 'misplaced', sequence: 1 })]);
  });

  test('given an unchained event, a tombstone and foreign bytes, when verified, then each is reported', async () => {
    const [chained] = await cleanChain(1);
    const unchained = codec.encode('AuditEvent', { ...decoded(chained!), chain: null });
    const result = verify(
      restored([
        { ...chained!, value: unchained },
        { ...chained!, value: null },
        { ...chained!, value: Buffer.from('not avro') },
      ]),
    );
    expect(result.findings.map((finding) => [finding.kind, finding.offset])).toEqual([
      ['unchained', 0n],
      ['undecodable', 1n],
      ['undecodable', 2n],
    ]);
  });
});
