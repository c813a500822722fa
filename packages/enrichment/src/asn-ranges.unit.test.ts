import { TriageError } from '@triage/errors';
import { describe, expect, it } from 'vitest';
import { AsnRangeTable } from './asn-ranges.ts';
import { parseIp } from './ip-address.ts';

const lookup = (table: AsnRangeTable, ip: string) => table.lookup(parseIp(ip)!);

const ipv4Csv = [
  '192.0.2.0,192.0.2.127,64500,Example Hosting B.V.',
  '192.0.2.128,192.0.2.255,64501,"Example Cloud, Inc."',
  '198.51.100.0,198.51.100.255,64502,"The ""Quoted"" Host"',
  '203.0.113.0,203.0.113.255,64503,',
].join('\n');
const ipv6Csv = [
  '2001:db8::,2001:db8:0:ffff:ffff:ffff:ffff:ffff,64510,Example V6 Host',
  '2001:db8:1::,2001:db8:1::ff,64511,Tiny',
].join('\r\n');

describe('AsnRangeTable', () => {
  const table = AsnRangeTable.fromCsv([ipv4Csv, `${ipv6Csv}\r\n`], 'test.csv');

  it("given addresses at a range's first and last address, when looked up, then that range answers", () => {
    expect(lookup(table, '192.0.2.0')).toEqual({ asn: 64500, organization: 'Example Hosting B.V.' });
    expect(lookup(table, '192.0.2.127')).toEqual({ asn: 64500, organization: 'Example Hosting B.V.' });
    expect(lookup(table, '192.0.2.128')?.asn).toBe(64501);
  });

  it('given quoted organisations, when looked up, then commas and doubled quotes come out as written', () => {
    expect(lookup(table, '192.0.2.200')?.organization).toBe('Example Cloud, Inc.');
    expect(lookup(table, '198.51.100.1')?.organization).toBe('The "Quoted" Host');
  });

  it('given a range without an organisation, when looked up, then the ASN and a null organisation', () => {
    expect(lookup(table, '203.0.113.9')).toEqual({ asn: 64503, organization: null });
  });

  it('given addresses between and outside the ranges, when looked up, then nothing', () => {
    expect(lookup(table, '192.0.1.255')).toBeNull();
    expect(lookup(table, '198.51.99.255')).toBeNull();
    expect(lookup(table, '0.0.0.0')).toBeNull();
    expect(lookup(table, '255.255.255.255')).toBeNull();
  });

  it('given IPv6 rows with CRLF line ends, when looked up, then the 128-bit ranges answer', () => {
    expect(lookup(table, '2001:db8::1')?.asn).toBe(64510);
    expect(lookup(table, '2001:db8:0:ffff:ffff:ffff:ffff:ffff')?.asn).toBe(64510);
    expect(lookup(table, '2001:db8:1::ff')?.organization).toBe('Tiny');
    expect(lookup(table, '2001:db8:1::100')).toBeNull();
    expect(lookup(table, '2001:db7:ffff:ffff:ffff:ffff:ffff:ffff')).toBeNull();
  });

  it('given the table, when its stats are read, then counts, shared organisations and bytes', () => {
    expect(table.stats()).toEqual({
      ipv4Ranges: 4,
      ipv6Ranges: 2,
      organizations: 5,
      rangeBytes: 4 * 16 + 2 * 40,
      overlaps: 0,
    });
  });

  it('given rows out of order and a header, when built, then lookups still find them', () => {
    const shuffled = AsnRangeTable.fromCsv(
      [
        'ip_range_start,ip_range_end,autonomous_system_number,autonomous_system_organization\n10.0.2.0,10.0.2.255,2,B\n10.0.1.0,10.0.1.255,1,A\n10.0.0.0,10.0.0.255,0,Z',
      ],
      'x',
    );
    expect(['10.0.0.1', '10.0.1.1', '10.0.2.1'].map((ip) => lookup(shuffled, ip)?.asn)).toEqual([0, 1, 2]);
  });

  it('given a row that starts inside the previous one, when looked up, then the later row answers where they overlap, and the count says so', () => {
    const overlapping = AsnRangeTable.fromCsv(
      [
        '10.0.0.0,10.0.1.255,1,Wide\n10.0.1.0,10.0.2.255,2,Next\n2001:db8::,2001:db8::1:0:0,3,V6\n2001:db8::1:0:0,2001:db8::2:0:0,4,V6b',
      ],
      'x',
    );
    expect(lookup(overlapping, '10.0.0.255')?.asn).toBe(1);
    expect(lookup(overlapping, '10.0.1.0')?.asn).toBe(2);
    expect(lookup(overlapping, '10.0.2.255')?.asn).toBe(2);
    expect(lookup(overlapping, '2001:db8::ffff:ffff')?.asn).toBe(3);
    expect(lookup(overlapping, '2001:db8::1:0:0')?.asn).toBe(4);
    expect(overlapping.stats().overlaps).toBe(2);
  });

  it.each([
    ['a broken address', '10.0.0.0,10.0.0.256,1,X'],
    ['an end before its start', '10.0.0.9,10.0.0.1,1,X'],
    ['a missing field', '10.0.0.0,10.0.0.255'],
    ['a non-numeric ASN', '10.0.0.0,10.0.0.255,AS1,X'],
    ['an unterminated quote', '10.0.0.0,10.0.0.255,1,"X'],
    ['mixed families', '10.0.0.0,2001:db8::,1,X'],
  ])('given %s on line 2, when built, then the table is unreadable and the line is named', (_, line) => {
    let error: unknown;
    try {
      AsnRangeTable.fromCsv([`10.1.0.0,10.1.0.255,5,Fine\n${line}`], 'bad.csv');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(TriageError);
    expect(error).toMatchObject({ code: 'TRIAGE_ENRICH_DATABASE_UNREADABLE', details: { line: 2 } });
  });
});
