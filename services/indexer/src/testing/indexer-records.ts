// Invented records for the indexer's tests: no real report, person or file.
import { createHash } from 'node:crypto';
import type {
  AuditEvent,
  Case,
  Codec,
  EnrichedItem,
  Media,
  Report,
  TriageAction,
  TriageActionInput,
} from '@triage/schemas';

const receivedAt = Date.UTC(2026, 10, 20, 9);

export function makeCase(
  codec: Codec,
  reportId: string,
  overrides: Partial<
    Pick<Case, 'version' | 'provisional' | 'itemsSeen' | 'updatedAt' | 'score' | 'tier'>
  > = {},
): Case {
  return codec.decode(
    'Case',
    codec.encode('Case', {
      reportId,
      version: 1,
      report: {
        partnerId: 'tipline-test',
        partnerReportId: reportId,
        bundleId: `bundle-${reportId}`,
        receivedAt,
      },
      enrichment: {},
      score: 40,
      tier: 'P3',
      ruleVersion: 'test-1',
      provisional: false,
      itemsExpected: 4,
      itemsSeen: 4,
      updatedAt: receivedAt + 60_000,
      ...overrides,
    }),
  );
}

export function makeReport(codec: Codec, reportId: string, additionalInfo: string): Report {
  return codec.decode(
    'Report',
    codec.encode('Report', {
      reportId,
      partnerId: 'tipline-test',
      partnerReportId: reportId,
      version: 1,
      bundleId: `bundle-${reportId}`,
      receivedAt,
      additionalInfo,
      itemCount: 4,
    }),
  );
}

export function makeAction(codec: Codec, input: Omit<TriageActionInput, 'actor' | 'role'>): TriageAction {
  return codec.decode(
    'TriageAction',
    codec.encode('TriageAction', { actor: 'analyst-1', role: 'analyst', ...input }),
  );
}

export const sha256Of = (text: string) => createHash('sha256').update(text).digest('hex');

/** An enriched file item of `reportId` carrying the file `file` (a name the hashes are derived from). */
export function makeItem(
  codec: Codec,
  reportId: string,
  index: number,
  file: string,
  reportCount: number,
): EnrichedItem {
  const sha256 = sha256Of(file);
  return codec.decode(
    'EnrichedItem',
    codec.encode('EnrichedItem', {
      item: {
        itemId: `${reportId}/file-${index}`,
        reportId,
        reportVersion: 1,
        partnerId: 'tipline-test',
        bundleId: `bundle-${reportId}`,
        receivedAt,
        kind: 'file',
        itemIndex: index,
        itemCount: 1,
        sha256,
      },
      hashes: {
        md5: createHash('md5').update(file).digest('hex'),
        sha1: createHash('sha1').update(file).digest('hex'),
        sha256,
      },
      dedupe: { firstSeenReportId: 'tipline-test:first', firstSeenAt: receivedAt - 86_400_000, reportCount },
    }),
  );
}

export function makeMedia(codec: Codec, file: string, clusterId: string): Media {
  return codec.decode(
    'Media',
    codec.encode('Media', {
      sha256: sha256Of(file),
      pdq: 'f'.repeat(64),
      pdqQuality: 90,
      firstSeenReportId: 'tipline-test:first',
      firstSeenItemId: 'tipline-test:first/file-0',
      firstSeenAt: receivedAt - 86_400_000,
      clusterId,
    }),
  );
}

export function makeAuditEvent(codec: Codec, eventId: string): AuditEvent {
  return codec.decode(
    'AuditEvent',
    codec.encode('AuditEvent', {
      eventId,
      actor: 'auditor-1',
      role: 'auditor',
      action: 'search',
      target: { type: 'query' },
      query: 'tier:P1',
      resultCount: 3,
      outcome: 'allowed',
      at: receivedAt,
    }),
  );
}
