import { describe, expect, it } from 'vitest';
import type { StoredMedia } from '../parsed-bundle.ts';
import { checkPartnerHashes } from './partner-hash-checks.ts';

const media: StoredMedia = {
  md5: '0cc175b9c0f1b6a831c399e269772661',
  sha1: '86f7e437faa5a7fce15d1ddcb9eaeaea377667b8',
  sha256: 'ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb',
  size: 1,
  mediaType: 'application/octet-stream',
};

describe('checkPartnerHashes', () => {
  it('Given MD5, SHA1 and SHA256 that agree with the bytes, When checked, Then each is a match', () => {
    const checks = checkPartnerHashes(
      [
        { hashType: 'MD5', value: media.md5.toUpperCase() },
        { hashType: 'SHA1', value: media.sha1 },
        { hashType: 'SHA-256', value: media.sha256 },
      ],
      media,
    );
    expect(checks.map((check) => check.status)).toEqual(['match', 'match', 'match']);
    expect(checks[2]).toEqual({
      hashType: 'SHA-256',
      partnerValue: media.sha256,
      computedValue: media.sha256,
      status: 'match',
    });
  });

  it('Given an MD5 that differs, When checked, Then it is a mismatch with both values recorded', () => {
    const [check] = checkPartnerHashes(
      [{ hashType: 'MD5', value: 'ffffffffffffffffffffffffffffffff' }],
      media,
    );
    expect(check).toEqual({
      hashType: 'MD5',
      partnerValue: 'ffffffffffffffffffffffffffffffff',
      computedValue: media.md5,
      status: 'mismatch',
    });
  });

  it('Given PDQ and PHOTODNA values, When checked, Then they are unchecked with no computed value', () => {
    const checks = checkPartnerHashes(
      [
        { hashType: 'PDQ', value: '00' },
        { hashType: 'PHOTODNA', value: 'xx' },
      ],
      media,
    );
    expect(checks.map(({ status, computedValue }) => ({ status, computedValue }))).toEqual([
      { status: 'unchecked', computedValue: null },
      { status: 'unchecked', computedValue: null },
    ]);
  });
});
