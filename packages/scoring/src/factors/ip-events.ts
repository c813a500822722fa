import type { EnrichedItem, IpCaptureEvent, Report } from '@triage/schemas';

/** An IP capture event of the report or of one of its files, with the field it sits in. */
export interface LocatedIpEvent {
  readonly event: IpCaptureEvent;
  readonly field: string;
}

/** Every IP capture event: reported persons', peer-to-peer incidents', and each file's upload event. */
export function ipEventsOf(report: Report, items: readonly EnrichedItem[]): LocatedIpEvent[] {
  const events: LocatedIpEvent[] = [];
  report.personsReported.forEach((person, at) => {
    person.ipCaptureEvents.forEach((event, index) => {
      events.push({ event, field: `report.personsReported[${at}].ipCaptureEvents[${index}]` });
    });
  });
  report.internetDetails.forEach((detail, at) => {
    detail.ipCaptureEvents.forEach((event, index) => {
      events.push({ event, field: `report.internetDetails[${at}].ipCaptureEvents[${index}]` });
    });
  });
  for (const each of items) {
    if (each.item.uploadIpEvent !== null)
      events.push({
        event: each.item.uploadIpEvent,
        field: `items[${each.item.itemIndex}].item.uploadIpEvent`,
      });
  }
  return events;
}

const reportEvent = /^report\.(personsReported|internetDetails)\[(\d+)\]\.ipCaptureEvents\[(\d+)\]$/;

/**
 * The capture event an enrichment's `origin` names (`report.personsReported[0].ipCaptureEvents[1]`,
 * `item.uploadIpEvent`), so the partner's proxy flag is honoured even if the enrichment lacks it.
 */
export function eventAtOrigin(
  origin: string,
  report: Report,
  item: EnrichedItem | null,
): IpCaptureEvent | null {
  const match = reportEvent.exec(origin);
  if (match) {
    const [, list, at, index] = match;
    const owner =
      list === 'personsReported' ? report.personsReported[Number(at)] : report.internetDetails[Number(at)];
    return owner?.ipCaptureEvents[Number(index)] ?? null;
  }
  if (item !== null && /(^|\.)uploadIpEvent$/.test(origin)) return item.item.uploadIpEvent;
  return null;
}

/** Origins of a suspect's or uploader's address (not URL hosts, which say where content is hosted). */
export const ipEventOrigin = /(ipCaptureEvents\[\d+\]|uploadIpEvent)$/;
