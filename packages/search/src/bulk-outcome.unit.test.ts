import { describe, expect, it } from 'vitest';
import { classifyBulkItem } from './bulk-outcome.ts';

describe('classifyBulkItem', () => {
  const mutable = { immutable: false };
  it.each([
    [201, undefined, mutable, 'ok'],
    [200, undefined, mutable, 'ok'],
    [409, { type: 'version_conflict_engine_exception' }, mutable, 'conflict'],
    [409, { type: 'version_conflict_engine_exception' }, { immutable: true }, 'ok'],
    [429, { type: 'es_rejected_execution_exception' }, mutable, 'retry'],
    [503, { type: 'unavailable_shards_exception' }, mutable, 'retry'],
    [400, { type: 'document_parsing_exception', reason: 'failed to parse field [x]' }, mutable, 'reject'],
    [404, { type: 'index_not_found_exception' }, mutable, 'reject'],
  ] as const)('status %i (%o) -> %s', (status, error, options, kind) => {
    expect(classifyBulkItem({ status, error }, options).kind).toBe(kind);
  });

  it('keeps the type and reason, bounded, for the dead letter', () => {
    const outcome = classifyBulkItem(
      { status: 400, error: { type: 'document_parsing_exception', reason: 'x'.repeat(2_000) } },
      { immutable: false },
    );
    expect(outcome).toMatchObject({ kind: 'reject' });
    const reason = (outcome as { reason: string }).reason;
    expect(reason.startsWith('document_parsing_exception: xxx')).toBe(true);
    expect(reason).toHaveLength(500);
  });
});
