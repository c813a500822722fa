import { Reader } from 'mmdb-lib';
import { describe, expect, it } from 'vitest';
import { writeMmdb } from './mmdb-writer.ts';

describe('writeMmdb', () => {
  const bytes = writeMmdb({
    databaseType: 'Test-City',
    buildEpoch: 1_780_000_000,
    networks: [
      { cidr: '192.0.2.0/24', record: { country: { iso_code: 'NL' }, city: { names: { en: 'Amsterdam' } } } },
      { cidr: '198.51.100.0/24', record: { country_code: 'DE', latitude: 52.52, ok: true, list: ['a', 1] } },
      { cidr: '198.51.100.128/25', record: { country_code: 'FR' } },
      {
        cidr: '2001:db8::/32',
        record: { autonomous_system_number: 70_000, autonomous_system_organization: 'x'.repeat(300) },
      },
    ],
  });
  const reader = new Reader(bytes);

  it('given networks and records, when read back with mmdb-lib, then each address finds its record', () => {
    expect(reader.get('192.0.2.77')).toEqual({
      country: { iso_code: 'NL' },
      city: { names: { en: 'Amsterdam' } },
    });
    expect(reader.get('198.51.100.1')).toEqual({
      country_code: 'DE',
      latitude: 52.52,
      ok: true,
      list: ['a', 1],
    });
    expect(reader.get('2001:db8:ffff::1')).toEqual({
      autonomous_system_number: 70_000,
      autonomous_system_organization: 'x'.repeat(300),
    });
  });

  it('given a more specific network after a wider one, when read back, then it wins inside and the wider one keeps the rest', () => {
    expect(reader.get('198.51.100.200')).toEqual({ country_code: 'FR' });
    expect(reader.get('198.51.100.127')).toMatchObject({ country_code: 'DE' });
  });

  it('given addresses outside every network, when read back, then nothing', () => {
    expect(reader.get('192.0.3.1')).toBeNull();
    expect(reader.get('2001:db9::1')).toBeNull();
  });

  it('given the options, when the metadata is read, then type, build time and IPv6 tree', () => {
    expect(reader.metadata).toMatchObject({
      databaseType: 'Test-City',
      buildEpoch: new Date(1_780_000_000_000),
      ipVersion: 6,
      recordSize: 24,
      binaryFormatMajorVersion: 2,
    });
  });
});
