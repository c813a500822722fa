import { TriageError } from '@triage/errors';
import { describe, expect, it } from 'vitest';
import { asTriageError } from './problem-handler.ts';

describe('asTriageError', () => {
  it('given a Fastify validation error, then TRIAGE_REQUEST_INVALID points at the parameter', () => {
    const error = Object.assign(new Error('querystring/reportId must match pattern'), {
      validation: [{ instancePath: '/reportId', message: 'must match pattern', params: {} }],
      validationContext: 'querystring',
    });
    const mapped = asTriageError(error);
    expect(mapped.code).toBe('TRIAGE_REQUEST_INVALID');
    expect(mapped.pointer).toBe('/querystring/reportId');
  });

  it('given a missing required header, then the pointer names it', () => {
    const error = Object.assign(new Error('x'), {
      validation: [
        {
          instancePath: '',
          message: "must have required property 'idempotency-key'",
          params: { missingProperty: 'idempotency-key' },
        },
      ],
      validationContext: 'headers',
    });
    expect(asTriageError(error).pointer).toBe('/headers/idempotency-key');
  });

  it.each([
    ['FST_ERR_CTP_INVALID_MEDIA_TYPE', 'TRIAGE_BUNDLE_CONTENT_TYPE'],
    ['FST_ERR_CTP_BODY_TOO_LARGE', 'TRIAGE_BUNDLE_TOO_LARGE'],
    ['FST_REQ_FILE_TOO_LARGE', 'TRIAGE_BUNDLE_FILE_TOO_LARGE'],
    ['FST_FILES_LIMIT', 'TRIAGE_BUNDLE_TOO_MANY_ENTRIES'],
  ])('given Fastify error %s, then %s', (code, expected) => {
    expect(asTriageError(Object.assign(new Error('x'), { code, statusCode: 400 })).code).toBe(expected);
  });

  it('given an unexpected fault, then TRIAGE_INTERNAL without its message', () => {
    const mapped = asTriageError(new Error('ENOENT /srv/secret/path'));
    expect(mapped.code).toBe('TRIAGE_INTERNAL');
    expect(mapped.message).not.toContain('/srv/secret/path');
  });

  it('given a TriageError, then it is kept as it is', () => {
    const error = new TriageError('TRIAGE_BUNDLE_XML_SCHEMA', 'bad', { pointer: '/report/x' });
    expect(asTriageError(error)).toBe(error);
  });
});
