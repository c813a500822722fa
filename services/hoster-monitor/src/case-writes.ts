import {
  type Attribute,
  type CaseChange,
  caseChangeOf,
  type NoticeCase,
  type Reappearance,
} from '@triage/hoster-figures';
import type { TakedownEvent } from '@triage/schemas';
import { documentId } from '@triage/search';

/** One document write: a case's fields merged in (upserted), or a reappearance written whole. */
export type CaseWrite =
  | { action: 'update'; index: 'cases'; id: string; fields: Partial<NoticeCase> }
  | { action: 'index'; index: 'reappearances'; id: string; document: Reappearance };

/**
 * A batch's events as document writes: each case's changes merged into one partial document, in
 * event order, and each reappearance once. The changes are idempotent and commute (ADR 0017), so
 * a batch delivered again, or split differently after a restart, writes the same documents.
 */
export function caseWrites(events: readonly TakedownEvent[], attribute: Attribute): CaseWrite[] {
  const cases = new Map<string, Partial<NoticeCase>>();
  const reappearances = new Map<string, Reappearance>();
  for (const event of events) {
    const change: CaseChange | null = caseChangeOf(event, attribute);
    if (change === null) continue;
    if (change.kind === 'reappearance') reappearances.set(change.key, change.reappearance);
    else {
      const known = cases.get(change.key);
      cases.set(change.key, known === undefined ? change.fields : mergeFields(known, change.fields));
    }
  }
  return [
    ...[...cases].map(
      ([key, fields]): CaseWrite => ({ action: 'update', index: 'cases', id: documentId(key), fields }),
    ),
    ...[...reappearances].map(
      ([key, document]): CaseWrite => ({
        action: 'index',
        index: 'reappearances',
        id: documentId(key),
        document,
      }),
    ),
  ];
}

/** Two partial cases as one: what Elasticsearch's merge of the second onto the first gives. */
function mergeFields(first: Partial<NoticeCase>, second: Partial<NoticeCase>): Partial<NoticeCase> {
  const merged: Partial<NoticeCase> = { ...first, ...second };
  if (first.renotices !== undefined && second.renotices !== undefined) {
    merged.renotices = { ...first.renotices, ...second.renotices };
  }
  return merged;
}
