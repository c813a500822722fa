import { recordExamples, type TakedownEvent } from '@triage/schemas';
import { describe, expect, it } from 'vitest';
import { caseWrites } from './case-writes.ts';

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
  at,
  receivedAt: at,
  ...facts,
});
const attribute = () => ({ asn: 64500, asOrganisation: 'Example Hosting', country: 'NL' });

describe('caseWrites', () => {
  it('given a case’s events in one batch, then one upsert of their merged fields; a reappearance its own document', () => {
    const writes = caseWrites(
      [
        event({ eventId: 'e1', type: 'notice_sent', ip: '192.0.2.1' }),
        event({ eventId: 'e2', type: 'renotice_sent', at: at + 1 }),
        event({ eventId: 'e3', type: 'renotice_sent', at: at + 2 }),
        event({ eventId: 'e4', type: 'removed_confirmed', at: at + 3 }),
        event({ eventId: 'e5', type: 'report_received', noticeId: null }),
        event({ eventId: 'e6', type: 'reappeared', noticeId: null, ip: '192.0.2.1', sha256: 'ab' }),
      ],
      attribute,
    );
    expect(writes).toEqual([
      {
        action: 'update',
        index: 'cases',
        id: 'hotline-a:n1',
        fields: {
          partnerId: 'hotline-a',
          noticeId: 'n1',
          noticeEventId: 'e1',
          noticeAt: at,
          url: 'https://files.example.invalid/1',
          sha256: null,
          itemId: null,
          asn: 64500,
          asOrganisation: 'Example Hosting',
          country: 'NL',
          renotices: { e2: at + 1, e3: at + 2 },
          removedEventId: 'e4',
          removedAt: at + 3,
        },
      },
      {
        action: 'index',
        index: 'reappearances',
        id: 'hotline-a:e6',
        document: expect.objectContaining({ eventId: 'e6', asn: 64500, sha256: 'ab', at }),
      },
    ]);
  });

  it('given the batch twice over, then the same writes', () => {
    const batch = [
      event({ eventId: 'e1', type: 'notice_sent', ip: '192.0.2.1' }),
      event({ eventId: 'e2', type: 'renotice_sent', at: at + 1 }),
    ];
    expect(caseWrites([...batch, ...batch], attribute)).toEqual(caseWrites(batch, attribute));
  });
});
