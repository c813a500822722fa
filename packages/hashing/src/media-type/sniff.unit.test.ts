import { describe, expect, it } from 'vitest';
import { sniffMediaType } from './sniff.ts';

const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(
    parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'latin1') : Buffer.from(part))),
  );

/** An ISO BMFF `ftyp` box: size, 'ftyp', major brand, minor version, compatible brands. */
const ftyp = (major: string, ...compatible: string[]) => {
  const size = 16 + 4 * compatible.length;
  return bytes([0, 0, 0, size], 'ftyp', major, [0, 0, 0, 0], ...compatible);
};

describe('sniffMediaType', () => {
  it.each([
    ['JPEG', bytes([0xff, 0xd8, 0xff, 0xe0]), 'image/jpeg', 'decodable'],
    ['PNG', bytes([0x89], 'PNG\r\n\x1a\n'), 'image/png', 'decodable'],
    ['GIF', bytes('GIF89a'), 'image/gif', 'decodable'],
    ['WebP', bytes('RIFF', [0, 0, 0, 0], 'WEBPVP8 '), 'image/webp', 'decodable'],
    ['TIFF little-endian', bytes('II*\0'), 'image/tiff', 'decodable'],
    ['TIFF big-endian', bytes('MM\0*'), 'image/tiff', 'decodable'],
    ['AVIF', ftyp('avif', 'mif1', 'miaf'), 'image/avif', 'decodable'],
    ['HEIC', ftyp('heic', 'mif1'), 'image/heic', 'unsupported'],
    ['BMP', bytes('BM', [0x36, 0, 0, 0, 0, 0, 0, 0, 0x36, 0, 0, 0]), 'image/bmp', 'unsupported'],
    ['JPEG XL', bytes([0xff, 0x0a]), 'image/jxl', 'unsupported'],
    ['PSD', bytes('8BPS'), 'image/vnd.adobe.photoshop', 'unsupported'],
    ['MP4', ftyp('isom', 'iso2', 'mp41'), 'video/mp4', null],
    ['QuickTime', ftyp('qt  '), 'video/quicktime', null],
    ['3GP', ftyp('3gp4'), 'video/3gpp', null],
    ['WebM', bytes([0x1a, 0x45, 0xdf, 0xa3], 'B\x82\x84webm'), 'video/webm', null],
    ['AVI', bytes('RIFF', [0, 0, 0, 0], 'AVI LIST'), 'video/x-msvideo', null],
    ['FLV', bytes('FLV\x01'), 'video/x-flv', null],
    ['MPEG-PS', bytes([0, 0, 1, 0xba]), 'video/mpeg', null],
    ['PDF', bytes('%PDF-1.7'), 'application/pdf', null],
    ['ZIP', bytes('PK\x03\x04'), 'application/zip', null],
    [
      'SVG (text, never rendered)',
      bytes('<svg xmlns="http://www.w3.org/2000/svg"/>'),
      'application/octet-stream',
      null,
    ],
    ['empty', bytes(), 'application/octet-stream', null],
  ])('%s', (_name, head, mediaType, image) => {
    expect(sniffMediaType(head)).toEqual({ mediaType, image });
  });

  it('recognises MPEG-TS by its sync bytes 188 apart', () => {
    const ts = Buffer.alloc(200);
    ts[0] = 0x47;
    ts[188] = 0x47;
    expect(sniffMediaType(ts).mediaType).toBe('video/mp2t');
  });

  it('ignores the file name: a JPEG signature is a JPEG whatever it was called', () => {
    expect(sniffMediaType(bytes([0xff, 0xd8, 0xff, 0xdb])).mediaType).toBe('image/jpeg');
  });
});
