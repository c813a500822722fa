import type { AuditVerification } from '@triage/audit';
import { describe, expect, it } from 'vitest';
import { chainStatusOf, maxChainFindings } from './chain-status.ts';

const chain = {
  chainId: 'triage-api-0/1',
  partition: 0,
  events: 3,
  lastSequence: 2,
  lastHash: 'ab'.repeat(32),
  firstAt: 1_000,
  lastAt: 3_000,
};
const verification = (overrides: Partial<AuditVerification>): AuditVerification => ({
  records: 3,
  chains: [chain],
  duplicates: 0,
  findings: [],
  ...overrides,
});
const finding = (sequence: number) => ({
  kind: 'edited' as const,
  chainId: chain.chainId,
  sequence,
  partition: 0,
  offset: BigInt(sequence),
  detail: 'the record\u2019s bytes hash to another value',
});

describe('chainStatusOf', () => {
  it('given chains without findings, then verified, the chain heads without Kafka places', () => {
    const { partition: _partition, ...head } = chain;
    expect(chainStatusOf(verification({}), { complete: true, checkedAt: 5 })).toEqual({
      status: 'verified',
      complete: true,
      checkedAt: 5,
      records: 3,
      duplicates: 0,
      chains: [head],
      findingCount: 0,
      findings: [],
    });
  });

  it('given no records, then empty', () => {
    expect(
      chainStatusOf(verification({ records: 0, chains: [] }), { complete: true, checkedAt: 5 }).status,
    ).toBe('empty');
  });

  it('given findings, then broken, each with its position as a number, at most the cap listed', () => {
    const findings = Array.from({ length: maxChainFindings + 5 }, (_, n) => finding(n));
    const status = chainStatusOf(verification({ findings }), { complete: false, checkedAt: 5 });
    expect(status.status).toBe('broken');
    expect(status.complete).toBe(false);
    expect(status.findingCount).toBe(maxChainFindings + 5);
    expect(status.findings).toHaveLength(maxChainFindings);
    expect(status.findings[7]).toEqual({
      kind: 'edited',
      chainId: chain.chainId,
      sequence: 7,
      position: 7,
      detail: finding(7).detail,
    });
  });
});
