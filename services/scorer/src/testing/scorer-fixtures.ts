// Invented reports and enriched items for the scorer's tests and benchmark. Addresses are from
// documentation ranges and example.com; nothing here is real.
import { createHash } from 'node:crypto';
import type { InboundRecord } from '@triage/messaging';
import type {
  Codec,
  EnrichedItem,
  EnrichedItemInput,
  PersonReportedInput,
  Report,
  ReportInput,
} from '@triage/schemas';
import type { ReportState } from '../report-state.ts';

const receivedAt = Date.UTC(2026, 10, 20, 9);

/** A report with `itemCount` files; defaults give an enticement report with a victim and a suspect. */
export function makeReport(
  codec: Codec,
  partnerReportId: string,
  itemCount: number,
  overrides: Partial<ReportInput> = {},
): Report {
  const input: ReportInput = {
    reportId: `tipline-test:${partnerReportId}`,
    partnerId: 'tipline-test',
    partnerReportId,
    version: 1,
    bundleId: `bundle-${partnerReportId}`,
    receivedAt,
    incidentType: 'ONLINE_ENTICEMENT',
    incidentDateTime: receivedAt - 3 * 86_400_000,
    reporter: { companyName: 'Example Social', espService: 'Example Chat' },
    victims: [{ age: 13 }],
    personsReported: [
      suspect({
        emails: [`suspect-${partnerReportId}@example.com`],
        ipCaptureEvents: [
          {
            // Documentation range, one address per report so default reports do not link.
            ipAddress: `198.51.100.${Number.parseInt(partnerReportId, 10) % 250}`,
            eventName: 'Login',
            dateTime: receivedAt - 86_400_000,
            possibleProxy: false,
          },
        ],
      }),
    ],
    itemCount,
    fileIds: Array.from({ length: itemCount }, (_, index) => `file-${index}`),
    ...overrides,
  };
  return codec.decode('Report', codec.encode('Report', input));
}

export function suspect(overrides: Partial<PersonReportedInput> = {}): PersonReportedInput {
  return {
    screenName: null,
    estimatedLocation: { countryCode: 'NL' },
    ...overrides,
  };
}

/** The `index`-th file of a report version, hashed and enriched as the upstream stages would. */
export function makeItem(
  codec: Codec,
  report: Report,
  index: number,
  overrides: Partial<EnrichedItemInput> = {},
): EnrichedItem {
  const sha256 = createHash('sha256').update(`${report.reportId}/${index}`).digest('hex');
  const input: EnrichedItemInput = {
    item: {
      itemId: `${report.reportId}/file-${index}`,
      reportId: report.reportId,
      reportVersion: report.version,
      partnerId: report.partnerId,
      bundleId: report.bundleId,
      receivedAt: report.receivedAt,
      kind: 'file',
      itemIndex: index,
      itemCount: report.itemCount,
      fileId: `file-${index}`,
      sha256,
      size: 1_000 + index,
      mediaType: 'image/png',
      fileAnnotations: index === 0 ? ['possibleSelfProduction'] : [],
    },
    hashes: {
      md5: createHash('md5').update(sha256).digest('hex'),
      sha1: createHash('sha1').update(sha256).digest('hex'),
      sha256,
      perceptualStatus: 'not_image',
    },
    dedupe: { firstSeenReportId: report.reportId, firstSeenAt: report.receivedAt, reportCount: 1 },
    ...overrides,
  };
  return codec.decode('EnrichedItem', codec.encode('EnrichedItem', input));
}

/** A consumed record as the runner hands it over. */
export function inbound(
  topic: string,
  partition: number,
  offset: number,
  key: string,
  value: Buffer,
): InboundRecord {
  return {
    topic,
    partition,
    offset: BigInt(offset),
    key,
    value,
    headers: {},
    rawHeaders: [],
    timestamp: BigInt(receivedAt),
  };
}

/** The scorer's state in plain maps: what the two stores hold, without Kafka. */
export function memoryState(partitions: readonly number[]): ReportState {
  const reports = new Map<number, Map<string, Report>>(partitions.map((p) => [p, new Map()]));
  const items = new Map<number, Map<string, Map<string, EnrichedItem>>>(
    partitions.map((p) => [p, new Map()]),
  );
  const held = (partition: number) => {
    const state = reports.get(partition);
    if (!state) throw new Error(`partition ${partition} not held`);
    return { reports: state, items: items.get(partition)! };
  };
  return {
    report: (partition, reportId) => held(partition).reports.get(reportId),
    putReport: (partition, report) => void held(partition).reports.set(report.reportId, report),
    deleteReport: (partition, reportId) => void held(partition).reports.delete(reportId),
    items: (partition, reportId) => held(partition).items.get(reportId) ?? new Map(),
    itemCount: (partition, reportId) => held(partition).items.get(reportId)?.size ?? 0,
    hasItem: (partition, reportId, itemId) => held(partition).items.get(reportId)?.has(itemId) ?? false,
    firstItem: (partition, reportId) => held(partition).items.get(reportId)?.values().next().value,
    itemIds: (partition, reportId) => [...(held(partition).items.get(reportId)?.keys() ?? [])],
    putItem: (partition, item) => {
      const groups = held(partition).items;
      const group = groups.get(item.item.reportId) ?? new Map<string, EnrichedItem>();
      group.set(item.item.itemId, item);
      groups.set(item.item.reportId, group);
    },
    deleteItem: (partition, itemId) => {
      for (const [reportId, group] of held(partition).items) {
        if (group.delete(itemId) && group.size === 0) held(partition).items.delete(reportId);
      }
    },
    reports: (partition) => held(partition).reports.values(),
    *allItems(partition) {
      for (const group of [...held(partition).items.values()]) yield* [...group.values()];
    },
    partitions: () => [...partitions],
    assigned: () => [...partitions],
  };
}
