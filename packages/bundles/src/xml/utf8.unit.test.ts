import { describe, expect, it } from 'vitest';
import { decodeUtf8Document, firstInvalidUtf8Offset } from './utf8.ts';

const fatal = new TextDecoder('utf-8', { fatal: true });
const isValid = (bytes: Uint8Array) => {
  try {
    fatal.decode(bytes);
    return true;
  } catch {
    return false;
  }
};

describe('firstInvalidUtf8Offset', () => {
  it.each([
    ['ASCII', [0x61, 0x62], -1],
    ['two-byte é', [0x61, 0xc3, 0xa9], -1],
    ['four-byte emoji', [0xf0, 0x9f, 0x98, 0x80], -1],
    ['lone continuation byte', [0x61, 0x80], 1],
    ['overlong slash', [0x61, 0x62, 0xc0, 0xaf], 2],
    ['overlong three-byte', [0xe0, 0x80, 0xaf], 0],
    ['UTF-16 surrogate', [0x61, 0xed, 0xa0, 0x80], 1],
    ['above U+10FFFF', [0xf4, 0x90, 0x80, 0x80], 0],
    ['truncated sequence at the end', [0x61, 0xe2, 0x82], 1],
    ['Latin-1 é', [0x63, 0x61, 0x66, 0xe9], 3],
  ])(
    'Given %s, when scanned, then the first bad byte is at %s, as the fatal decoder agrees',
    (_name, bytes, offset) => {
      const array = Uint8Array.from(bytes as number[]);

      expect(firstInvalidUtf8Offset(array)).toBe(offset);
      expect(isValid(array)).toBe(offset === -1);
    },
  );

  it('Given 2000 random byte strings, when scanned, then the scan and the fatal decoder agree on validity', () => {
    let seed = 42;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed;
    };
    for (let i = 0; i < 2000; i += 1) {
      const bytes = Uint8Array.from({ length: 1 + (next() % 6) }, () => next() % 256);
      expect(firstInvalidUtf8Offset(bytes) === -1).toBe(isValid(bytes));
    }
  });
});

describe('decodeUtf8Document', () => {
  it('Given a BOM, when decoded, then it is dropped', () => {
    expect(decodeUtf8Document(Uint8Array.from([0xef, 0xbb, 0xbf, 0x3c, 0x61, 0x2f, 0x3e]), 'a.xml')).toBe(
      '<a/>',
    );
  });
});
