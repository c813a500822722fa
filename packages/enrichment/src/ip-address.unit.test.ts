import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import { canonicalIp, formatIpv4, parseDottedQuad, parseIp, parseIpv6Into } from './ip-address.ts';

describe('parseIp', () => {
  it('given an IPv4 address with blanks, when parsed, then the dotted quad and its 32-bit value', () => {
    expect(parseIp(' 192.0.2.10 ')).toEqual({ family: 4, text: '192.0.2.10', words: [0xc000020a] });
  });

  it('given IPv6 in any spelling, when parsed, then the RFC 5952 form and four words', () => {
    expect(parseIp('2001:0DB8:0000:0000:0000:0000:0000:0001')).toEqual({
      family: 6,
      text: '2001:db8::1',
      words: [0x20010db8, 0, 0, 1],
    });
    expect(parseIp('[2001:db8::1]')?.text).toBe('2001:db8::1');
  });

  it('given an IPv4-mapped IPv6 address, when parsed, then it is the IPv4 address', () => {
    expect(parseIp('::ffff:198.51.100.7')).toEqual({ family: 4, text: '198.51.100.7', words: [0xc6336407] });
  });

  it('given a link-local address with a zone, when parsed, then the zone is dropped', () => {
    expect(parseIp('fe80::1%eth0')?.text).toBe('fe80::1');
  });

  it.each([
    '',
    'nope',
    '256.1.1.1',
    '1.2.3',
    '127.1',
    '0x7f.0.0.1',
    '1.2.3.4.5',
    '2001:db8::1::2',
    'example.com',
  ])('given %j, when parsed, then it is no address', (input) => {
    expect(parseIp(input)).toBeNull();
    expect(canonicalIp(input)).toBeNull();
  });
});

describe('parseDottedQuad', () => {
  it('given a quad inside a longer text, when parsed by range, then only that range counts', () => {
    expect(parseDottedQuad('x,10.1.2.3,y', 2, 10)).toBe(0x0a010203);
  });

  it.each(['1..2.3', '1.2.3.', '.1.2.3', '1.2.3.256', '1.2.3.4.', '01234.1.1.1', '1.2.3.4x'])(
    'given %j, when parsed, then null',
    (input) => {
      expect(parseDottedQuad(input)).toBeNull();
    },
  );

  it('given the extremes, when parsed and formatted, then they round-trip', () => {
    expect(formatIpv4(parseDottedQuad('0.0.0.0')!)).toBe('0.0.0.0');
    expect(parseDottedQuad('255.255.255.255')).toBe(0xffffffff);
  });
});

describe('parseIpv6Into', () => {
  const words = (text: string) => {
    const out = new Uint32Array(4);
    return parseIpv6Into(text, 0, text.length, out) ? [...out] : null;
  };
  const reference = (text: string) => {
    const parts = ipaddr.IPv6.parse(text).parts;
    return [0, 2, 4, 6].map((index) => ((parts[index]! << 16) | parts[index + 1]!) >>> 0);
  };

  it('given 2,000 seeded addresses in full, compressed and mixed-case spellings, when parsed, then ipaddr.js agrees', () => {
    let seed = 7;
    const next = () => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed >>> 16;
    };
    for (let round = 0; round < 2000; round++) {
      // Runs of zero groups make `::` appear in different places.
      const parts = Array.from({ length: 8 }, () => (next() % 3 === 0 ? 0 : next()));
      const address = new ipaddr.IPv6(parts);
      for (const text of [
        address.toNormalizedString(),
        address.toRFC5952String(),
        parts.map((part) => part.toString(16).padStart(4, '0').toUpperCase()).join(':'),
      ]) {
        expect(words(text), text).toEqual(reference(text));
      }
    }
  });

  it('given edge forms, when parsed, then they match ipaddr.js', () => {
    for (const text of [
      '::',
      '::1',
      '1::',
      '1:2:3:4:5:6:7::',
      '::2:3:4:5:6:7:8',
      '::ffff:192.0.2.1',
      '64:ff9b::198.51.100.1',
    ]) {
      expect(words(text), text).toEqual(reference(text));
    }
  });

  it.each([
    ':',
    ':::',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4:5:6:7',
    '12345::',
    '1::2::3',
    '1:',
    'g::',
    '1.2.3.4',
    '::1%eth0',
    '1:2:3:4:5:6:7:1.2.3.4',
  ])('given %j, when parsed, then it is refused', (text) => {
    expect(words(text)).toBeNull();
  });
});
