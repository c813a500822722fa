import { TriageError } from '@triage/errors';

export type SortValue = string | number | boolean | null;

/**
 * An opaque paging cursor: the sort values of the last hit of a page, with the sort they belong
 * to, base64url JSON. Clients pass it back as `cursor`; it is not a stable format.
 */
export function encodeCursor(sort: string, values: readonly SortValue[]): string {
  return Buffer.from(JSON.stringify({ s: sort, v: values }), 'utf8').toString('base64url');
}

/** The `search_after` values of a cursor, refused (400) when it is not one of `sort`'s cursors. */
export function decodeCursor(cursor: string, sort: string, length: number): SortValue[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor('is not a cursor of this API');
  }
  const { s, v } = (parsed ?? {}) as { s?: unknown; v?: unknown };
  if (s !== sort) throw invalidCursor('belongs to another sort order');
  if (
    !Array.isArray(v) ||
    v.length !== length ||
    !v.every((value) => value === null || ['string', 'number', 'boolean'].includes(typeof value))
  ) {
    throw invalidCursor('is not a cursor of this API');
  }
  return v as SortValue[];
}

function invalidCursor(why: string): TriageError {
  return new TriageError('TRIAGE_REQUEST_INVALID', `/querystring/cursor ${why}`);
}
