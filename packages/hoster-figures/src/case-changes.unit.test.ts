import { recordExamples, type TakedownEvent } from '@triage/schemas';
import { describe, expect, it } from 'vitest';
import { applyCaseChange, type CaseChange, caseChangeOf } from './case-changes.ts';
import type { NoticeCase } from './types.ts';

const at = Date.UTC(2026, 2, 1);
const event = (facts: Partial<TakedownEvent> & Pick<TakedownEvent, 'eventId' | 'type'>): TakedownEvent => ({
  ...recordExamples.TakedownEvent,
  partnerId: 'hotline-a',
  url: 'https://files.example.invalid/1',
  host: 'files.example.invalid',
  noticeId: 'n1',
  ip: null,
  sha256: null,
  itemId: null,
  newUrl: null,
  newHost: null,
  newIp: null,
  at,
  receivedAt: at,
  ...facts,
});

const attribute = (ip: string) =>
  ip === '192.0.2.1'
    ? { asn: 64500, asOrganisation: 'Example Hosting', country: 'NL' }
    : { asn: null, asOrganisation: null, country: null };

function fold(events: TakedownEvent[]): Map<string, NoticeCase> {
  const cases = new Map<string, NoticeCase>();
  for (const item of events) {
    const change = caseChangeOf(item, attribute) as Extract<CaseChange, { kind: 'case' }> | null;
    if (change?.kind === 'case') cases.set(change.key, applyCaseChange(cases.get(change.key), change.fields));
  }
  return cases;
}

const history = [
  event({ eventId: 'e1', type: 'notice_sent', ip: '192.0.2.1', sha256: 'ab'.repeat(32) }),
  event({ eventId: 'e2', type: 'renotice_sent', at: at + 1_000 }),
  event({ eventId: 'e3', type: 'renotice_sent', at: at + 2_000 }),
  event({ eventId: 'e4', type: 'removed_confirmed', at: at + 3_000 }),
];

describe('caseChangeOf', () => {
  it('given a notice, re-notices and a removal, then the case has its attribution and every time', () => {
    expect(fold(history).get('hotline-a:n1')).toEqual({
      partnerId: 'hotline-a',
      noticeId: 'n1',
      noticeEventId: 'e1',
      noticeAt: at,
      url: 'https://files.example.invalid/1',
      sha256: 'ab'.repeat(32),
      itemId: null,
      asn: 64500,
      asOrganisation: 'Example Hosting',
      country: 'NL',
      renotices: { e2: at + 1_000, e3: at + 2_000 },
      removedEventId: 'e4',
      removedAt: at + 3_000,
      movedEventId: null,
      movedAt: null,
    });
  });

  it('given the history replayed, twice over and reversed, then the case is the same (a re-notice counts once)', () => {
    const once = fold(history);
    expect(fold([...history, ...history])).toEqual(once);
    expect(fold([...history].reverse())).toEqual(once);
  });

  it('given an IP no database knows, then the case is AS0 without a country', () => {
    const cases = fold([event({ eventId: 'e1', type: 'notice_sent', ip: '198.51.100.7' })]);
    expect(cases.get('hotline-a:n1')).toMatchObject({ asn: 0, asOrganisation: null, country: null });
  });

  it('given a move, then the case records it; a reappearance is its own record attributed by its IP', () => {
    expect(
      fold([event({ eventId: 'm', type: 'content_moved', newUrl: 'https://x.invalid/' })]).get(
        'hotline-a:n1',
      ),
    ).toMatchObject({ movedEventId: 'm', movedAt: at });
    expect(
      caseChangeOf(
        event({ eventId: 'r', type: 'reappeared', noticeId: null, ip: '192.0.2.1', sha256: 'cd' }),
        attribute,
      ),
    ).toEqual({
      kind: 'reappearance',
      key: 'hotline-a:r',
      reappearance: {
        partnerId: 'hotline-a',
        eventId: 'r',
        at,
        sha256: 'cd',
        url: 'https://files.example.invalid/1',
        asn: 64500,
        asOrganisation: 'Example Hosting',
        country: 'NL',
      },
    });
  });

  it('given a report received, an unknown type or no notice id, then nothing changes', () => {
    expect(
      caseChangeOf(event({ eventId: 'a', type: 'report_received', noticeId: null }), attribute),
    ).toBeNull();
    expect(caseChangeOf(event({ eventId: 'b', type: 'unknown' }), attribute)).toBeNull();
    expect(
      caseChangeOf(event({ eventId: 'c', type: 'renotice_sent', noticeId: null }), attribute),
    ).toBeNull();
  });
});
