/** One item of a bulk response, as Elasticsearch returns it (whatever the operation). */
export interface BulkItemResult {
  status: number;
  error?: { type?: string; reason?: string | null } | undefined;
}

/**
 * What to do with one document after a bulk:
 * - `ok`: written (or, for an immutable document, already there);
 * - `conflict`: someone wrote it since it was read (optimistic concurrency): read and merge again;
 * - `retry`: Elasticsearch could not take it now (429, 5xx): send it again;
 * - `reject`: Elasticsearch refuses it for good (mapping, too large a term): a dead letter.
 */
export type BulkItemOutcome =
  | { kind: 'ok' }
  | { kind: 'conflict' }
  | { kind: 'retry'; reason: string }
  | { kind: 'reject'; reason: string };

export function classifyBulkItem(result: BulkItemResult, options: { immutable: boolean }): BulkItemOutcome {
  const { status } = result;
  if (status >= 200 && status < 300) return { kind: 'ok' };
  // An immutable document (an event, an action) written with `create` is simply there already.
  if (status === 409) return options.immutable ? { kind: 'ok' } : { kind: 'conflict' };
  const reason = describe(result);
  if (status === 429 || status >= 500) return { kind: 'retry', reason };
  return { kind: 'reject', reason };
}

/** Type and reason, bounded: a reason can quote a field's value, so it goes to the dead letter, never a log. */
function describe(result: BulkItemResult): string {
  const type = result.error?.type ?? 'error';
  const reason = result.error?.reason ?? `status ${result.status}`;
  return `${type}: ${reason}`.slice(0, 500);
}
