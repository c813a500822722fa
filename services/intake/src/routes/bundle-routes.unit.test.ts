import type { BundleStatus } from '@triage/schemas';
import { describe, expect, it } from 'vitest';
import { ownStatus, partnerBundleRefOf, statusTableRefusal } from './bundle-routes.ts';

describe('statusTableRefusal', () => {
  it('Given the status table is still being read, when asked, then requests wait with a retry hint', () => {
    expect(statusTableRefusal({ ready: false })).toMatchObject({
      code: 'TRIAGE_PIPELINE_BEHIND',
      message: 'intake is still reading the bundle status table',
      details: { retryAfterSeconds: 5 },
    });
  });

  it('Given the status table is read, when asked, then nothing is refused', () => {
    expect(statusTableRefusal({ ready: true })).toBeNull();
  });
});

describe('partnerBundleRefOf', () => {
  it('Given a reference in the bundle and a header, when chosen, then the bundle’s own reference wins', () => {
    expect(partnerBundleRefOf('from-manifest', 'from-header')).toBe('from-manifest');
  });

  it('Given no reference in the bundle (XML), when chosen, then the Idempotency-Key header is the reference', () => {
    expect(partnerBundleRefOf(null, 'from-header')).toBe('from-header');
  });

  it.each([undefined, ''])(
    'Given no reference anywhere (header %j), when chosen, then the request is invalid at the header',
    (header) => {
      expect(() => partnerBundleRefOf(null, header)).toThrow(
        expect.objectContaining({ code: 'TRIAGE_REQUEST_INVALID', pointer: '/headers/idempotency-key' }),
      );
    },
  );
});

describe('ownStatus', () => {
  const status = (partnerId: string) => ({ bundleId: 'b-1', partnerId }) as BundleStatus;
  const book = (receipt?: BundleStatus, split?: BundleStatus) => ({
    receipt: (bundleId: string) => (bundleId === 'b-1' ? receipt : undefined),
    splitStatus: (bundleId: string) => (bundleId === 'b-1' ? split : undefined),
  });

  it('Given a bundle of the asking partner known only by its split status, when looked up, then both halves come back', () => {
    const split = status('hotline-a');

    expect(ownStatus(book(undefined, split), 'b-1', 'hotline-a')).toEqual({ receipt: undefined, split });
  });

  it.each([
    ['another partner’s bundle', book(status('hotline-b')), 'b-1'],
    ['an unknown bundle', book(), 'b-2'],
  ])('Given %s, when looked up, then it is not found', (_case, receipts, bundleId) => {
    expect(() => ownStatus(receipts, bundleId, 'hotline-a')).toThrow(
      expect.objectContaining({ code: 'TRIAGE_BUNDLE_NOT_FOUND', pointer: '/params/bundleId' }),
    );
  });
});
