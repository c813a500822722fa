import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { errorCatalogue, errorCodes, TriageError, toProblem, toTriageError } from './index.ts';

const docPath = new URL('../../../docs/errors.md', import.meta.url);

function documentedRows(): Map<string, { status: number; retryable: boolean }> {
  const rows = new Map<string, { status: number; retryable: boolean }>();
  for (const line of readFileSync(docPath, 'utf8').split('\n')) {
    const match = /^\|\s*(TRIAGE_[A-Z_]+)\s*\|\s*(\d{3})\s*\|\s*(yes|no)\s*\|/.exec(line);
    if (match) rows.set(match[1]!, { status: Number(match[2]), retryable: match[3] === 'yes' });
  }
  return rows;
}

describe('error catalogue', () => {
  it('documents every code with its status and retryability, and nothing else', () => {
    const documented = documentedRows();
    expect([...documented.keys()].sort()).toEqual([...errorCodes].sort());
    for (const code of errorCodes) {
      const entry = errorCatalogue[code];
      expect(documented.get(code), code).toEqual({ status: entry.status, retryable: entry.retryable });
    }
  });
});

describe('TriageError', () => {
  it('takes status and retryability from the catalogue unless overridden', () => {
    const error = new TriageError('TRIAGE_KAFKA_UNAVAILABLE', 'broker gone');
    expect(error.status).toBe(503);
    expect(error.retryable).toBe(true);
    expect(new TriageError('TRIAGE_KAFKA_UNAVAILABLE', 'x', { retryable: false }).retryable).toBe(false);
  });

  it('serialises code, message and pointer but never the stack', () => {
    const error = new TriageError('TRIAGE_RECORD_INVALID', 'bad key', { pointer: '/reports/0/id' });
    const json = JSON.parse(JSON.stringify(error));
    expect(json).toEqual({
      name: 'TriageError',
      code: 'TRIAGE_RECORD_INVALID',
      message: 'bad key',
      retryable: false,
      pointer: '/reports/0/id',
    });
  });

  it('wraps foreign errors and keeps the cause', () => {
    const cause = new Error('socket hang up');
    const wrapped = toTriageError(cause, 'TRIAGE_DEPENDENCY_TIMEOUT');
    expect(wrapped.code).toBe('TRIAGE_DEPENDENCY_TIMEOUT');
    expect(wrapped.cause).toBe(cause);
    expect(toTriageError(wrapped)).toBe(wrapped);
  });
});

describe('toProblem', () => {
  it('gives an RFC 9457 document with the code and no stack', () => {
    const problem = toProblem(
      new TriageError('TRIAGE_SCHEMA_UNKNOWN', 'fingerprint 00ff unknown'),
      '/bundles/1',
    );
    expect(problem).toEqual({
      type: 'urn:triage:problem:TRIAGE_SCHEMA_UNKNOWN',
      title: 'Record written with an unknown schema',
      status: 422,
      code: 'TRIAGE_SCHEMA_UNKNOWN',
      detail: 'fingerprint 00ff unknown',
      instance: '/bundles/1',
    });
  });
});
