import { createHash } from 'node:crypto';
import { createCodec, type SuspectIdentifier } from '@triage/schemas';
import { describe, expect, it } from 'vitest';
import {
  type IdentifierKeying,
  identifierRows,
  maxLinkedReports,
  parseRowKey,
  reportIdentifiers,
  rowKey,
  SuspectLinkIndex,
} from './suspect-links.ts';
import { ipEvent, person, report } from './testing/evidence-builder.ts';

const identifier = `email:k1:${'ab'.repeat(32)}`;
const row = (reportId: string, version = 1): SuspectIdentifier => ({
  identifierType: 'email',
  identifierHash: 'ab'.repeat(32),
  reportId,
  reportVersion: version,
  receivedAt: 0,
});

/**
 * The index in both forms: holding the pairs itself, or over the table's rows (kept in a sorted
 * map here, as the table on disk keeps them in key order), told each row's previous value.
 */
function linkIndexes(keyId: string) {
  const table = new Map<string, SuspectIdentifier>();
  const overRows = new SuspectLinkIndex({
    keyId,
    rows: { keys: (prefix) => [...table.keys()].filter((key) => key.startsWith(prefix)).sort() },
  });
  return [
    ['held', new SuspectLinkIndex({ keyId })],
    [
      'over rows',
      {
        apply(key: string, value: SuspectIdentifier | null) {
          const previous = table.get(key);
          if (value === null) table.delete(key);
          else table.set(key, value);
          return overRows.apply(key, value, previous);
        },
        members: (id: string) => overRows.members(id),
        linksOf: (reportId: string, ids: Parameters<SuspectLinkIndex['linksOf']>[1]) =>
          overRows.linksOf(reportId, ids),
      },
    ],
  ] as const;
}

describe('suspect link index', () => {
  it('given a report id with a bar in it, when its row key is parsed, then the first bar splits it off whole', () => {
    expect(parseRowKey(rowKey(identifier, 'partner:a|b'))).toEqual({ identifier, reportId: 'partner:a|b' });
    expect(parseRowKey('no-bar-here')).toBeNull();
  });

  for (const [form, index] of linkIndexes('k1')) {
    it(`given rows added, re-published and removed, when applied (${form}), then only changes of who carries the identifier are reported`, () => {
      expect(index.apply(rowKey(identifier, 'r1'), row('r1'))).toBe(identifier);
      expect(index.apply(rowKey(identifier, 'r1'), row('r1', 2))).toBeNull();
      expect(index.apply(rowKey(identifier, 'r2'), row('r2'))).toBe(identifier);
      expect(index.apply(`email:k2:${'ab'.repeat(32)}|r3`, row('r3'))).toBeNull();
      expect([...index.members(identifier).keys()]).toEqual(['r1', 'r2']);
      expect(index.apply(rowKey(identifier, 'r1'), null)).toBe(identifier);
      expect(index.apply(rowKey(identifier, 'r1'), null)).toBeNull();
      expect([...index.members(identifier).keys()]).toEqual(['r2']);
    });
  }

  for (const [form, index] of linkIndexes('k1')) {
    it(`given an identifier shared by more reports than the cap, when links are listed (${form}), then the lowest report ids up to the cap are`, () => {
      const ids = Array.from({ length: maxLinkedReports + 10 }, (_, n) => `r${String(n).padStart(4, '0')}`);
      for (const id of [...ids].reverse()) index.apply(rowKey(identifier, id), row(id));
      const links = index.linksOf('r0000', [{ key: identifier, type: 'email', hash: 'ab'.repeat(32) }]);
      expect(links).toHaveLength(maxLinkedReports);
      expect(links[0]).toEqual({ reportId: 'r0001', identifierType: 'email' });
      expect(links.at(-1)?.reportId).toBe(ids[maxLinkedReports]);
    });
  }
});

describe('keyed identifiers', () => {
  const k1 = { id: 'k1', secret: Buffer.from('first-shared-secret-of-32-characters!') };
  const k2 = { id: 'k2', secret: Buffer.from('second-shared-secret-of-32-characters') };
  const keying: IdentifierKeying = { phoneRegion: 'NL', key: k1 };
  const reported = report({
    reportId: 'p:1',
    personsReported: [person({ phones: ['+31 6 12345678'], ipCaptureEvents: [ipEvent('192.0.2.10')] })],
  });
  const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

  it('given an IPv4 address and a phone number, when keyed, then neither their bare sha256 nor their text is in a row', () => {
    const rows = identifierRows(reported, undefined, keying);
    const text = JSON.stringify(rows);
    expect(rows.map((row) => row.key.split(':').slice(0, 2).join(':'))).toEqual(['phone:k1', 'ip:k1']);
    for (const value of ['+31612345678', '192.0.2.10']) {
      expect(text).not.toContain(value);
      expect(text).not.toContain(sha256(value));
    }
    // Another secret gives other keys: without the secret, candidates cannot be hashed and compared.
    const other = identifierRows(reported, undefined, { ...keying, key: { id: 'k1', secret: k2.secret } });
    expect(other.map((row) => row.key)).not.toEqual(rows.map((row) => row.key));
  });

  it('given one key, when a report is replayed, then its rows are byte-identical', () => {
    const codec = createCodec();
    const encode = (rows: ReturnType<typeof identifierRows>) =>
      rows.map((row) => [row.key, row.value === null ? null : codec.encode('SuspectIdentifier', row.value)]);
    expect(encode(identifierRows(reported, undefined, keying))).toEqual(
      encode(identifierRows(structuredClone(reported), undefined, { phoneRegion: 'NL', key: { ...k1 } })),
    );
  });

  it('given a rotation, when rows are written, then each is under both keys, and links are read under the key only', () => {
    const rotating: IdentifierKeying = { ...keying, secondKey: k2 };
    const rows = identifierRows(reported, undefined, rotating);
    expect(rows.map((row) => row.key.split(':')[1])).toEqual(['k1', 'k1', 'k2', 'k2']);
    const index = new SuspectLinkIndex({ keyId: 'k1' });
    const twin = { ...reported, reportId: 'p:2' };
    for (const row of [...rows, ...identifierRows(twin, undefined, rotating)])
      index.apply(row.key, row.value);
    expect(index.linksOf('p:1', reportIdentifiers(reported, keying))).toEqual([
      { reportId: 'p:2', identifierType: 'ip' },
      { reportId: 'p:2', identifierType: 'phone' },
    ]);
    // A revision that drops the phone removes it under both keys.
    const revised = {
      ...reported,
      version: 2,
      personsReported: [person({ ipCaptureEvents: [ipEvent('192.0.2.10')] })],
    };
    const removed = identifierRows(revised, reported, rotating).filter((row) => row.value === null);
    expect(removed.map((row) => row.key.split(':').slice(0, 2).join(':'))).toEqual(['phone:k1', 'phone:k2']);
    // After the swap (k2 read), the rows written during the rotation link the same reports.
    const swapped = new SuspectLinkIndex({ keyId: 'k2' });
    for (const row of [...rows, ...identifierRows(twin, undefined, rotating)])
      swapped.apply(row.key, row.value);
    expect(swapped.linksOf('p:1', reportIdentifiers(reported, { ...keying, key: k2 }))).toHaveLength(2);
  });
});
