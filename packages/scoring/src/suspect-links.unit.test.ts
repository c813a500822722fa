import type { SuspectIdentifier } from '@triage/schemas';
import { describe, expect, it } from 'vitest';
import { maxLinkedReports, parseRowKey, rowKey, SuspectLinkIndex } from './suspect-links.ts';

const identifier = `email:${'ab'.repeat(32)}`;
const row = (reportId: string, version = 1): SuspectIdentifier => ({
  identifierType: 'email',
  identifierHash: 'ab'.repeat(32),
  reportId,
  reportVersion: version,
  receivedAt: 0,
});

describe('suspect link index', () => {
  it('given a report id with a bar in it, when its row key is parsed, then the first bar splits it off whole', () => {
    expect(parseRowKey(rowKey(identifier, 'partner:a|b'))).toEqual({ identifier, reportId: 'partner:a|b' });
    expect(parseRowKey('no-bar-here')).toBeNull();
  });

  it('given rows added, re-published and removed, when applied, then only changes of who carries the identifier are reported', () => {
    const index = new SuspectLinkIndex();
    expect(index.apply(rowKey(identifier, 'r1'), row('r1'))).toBe(identifier);
    expect(index.apply(rowKey(identifier, 'r1'), row('r1', 2))).toBeNull();
    expect(index.apply(rowKey(identifier, 'r2'), row('r2'))).toBe(identifier);
    expect([...index.members(identifier).keys()]).toEqual(['r1', 'r2']);
    expect(index.apply(rowKey(identifier, 'r1'), null)).toBe(identifier);
    expect(index.apply(rowKey(identifier, 'r1'), null)).toBeNull();
    expect([...index.members(identifier).keys()]).toEqual(['r2']);
  });

  it('given an identifier shared by more reports than the cap, when links are listed, then the lowest report ids up to the cap are', () => {
    const index = new SuspectLinkIndex();
    const ids = Array.from({ length: maxLinkedReports + 10 }, (_, n) => `r${String(n).padStart(4, '0')}`);
    for (const id of [...ids].reverse()) index.apply(rowKey(identifier, id), row(id));
    const links = index.linksOf('r0000', [{ key: identifier, type: 'email', hash: 'ab'.repeat(32) }]);
    expect(links).toHaveLength(maxLinkedReports);
    expect(links[0]).toEqual({ reportId: 'r0001', identifierType: 'email' });
    expect(links.at(-1)?.reportId).toBe(ids[maxLinkedReports]);
  });
});
