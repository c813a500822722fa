import { defaultBundleLimits } from '@triage/bundles';
import { TriageError } from '@triage/errors';
import { describe, expect, it } from 'vitest';
import { bundleFormatOf, checkDeclaredLength, readDocument } from './request-body.ts';

async function* chunks(...parts: string[]) {
  for (const part of parts) yield Buffer.from(part);
}

async function refusal(promise: Promise<unknown>): Promise<TriageError> {
  try {
    await promise;
  } catch (error) {
    return error as TriageError;
  }
  throw new Error('expected a refusal');
}

describe('request bodies', () => {
  it('given chunks under the limit, when read, then they are joined', async () => {
    expect((await readDocument(chunks('{"a"', ':1}'), defaultBundleLimits, '/body')).toString()).toBe(
      '{"a":1}',
    );
  });

  it('given a document over maxDocumentBytes, then TRIAGE_BUNDLE_DOCUMENT_TOO_LARGE', async () => {
    const limits = { ...defaultBundleLimits, maxDocumentBytes: 5 };
    const error = await refusal(readDocument(chunks('abc', 'def'), limits, '/body'));
    expect(error.code).toBe('TRIAGE_BUNDLE_DOCUMENT_TOO_LARGE');
    expect(error.pointer).toBe('/body');
  });

  it('given a bundle limit tighter than the document limit, then TRIAGE_BUNDLE_TOO_LARGE', async () => {
    const limits = { ...defaultBundleLimits, maxBundleBytes: 4 };
    expect((await refusal(readDocument(chunks('abcdef'), limits, '/body'))).code).toBe(
      'TRIAGE_BUNDLE_TOO_LARGE',
    );
  });

  it('given a declared length over the bundle limit, then it is refused before reading', () => {
    const limits = { ...defaultBundleLimits, maxBundleBytes: 100 };
    expect(() => checkDeclaredLength('101', limits)).toThrow(TriageError);
    expect(() => checkDeclaredLength('100', limits)).not.toThrow();
    expect(() => checkDeclaredLength(undefined, limits)).not.toThrow();
  });

  it.each([
    ['application/json; charset=utf-8', 'json'],
    ['text/xml', 'xml'],
    ['application/XML', 'xml'],
    ['application/zip', 'zip'],
    ['multipart/form-data; boundary=x', 'multipart'],
    ['application/x-tar', null],
    [undefined, null],
  ])('given content type %s, then format %s', (contentType, format) => {
    expect(bundleFormatOf(contentType)).toBe(format);
  });
});
