import { sniffMediaType } from '@triage/hashing';
import { describe, expect, it } from 'vitest';
import { type PlaceholderKind, placeholderFor, planFor } from './placeholder.ts';

const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(
    parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'latin1') : Buffer.from(part))),
  );

describe('planFor (placeholder choice by the sniffed media type)', () => {
  it.each<[string, Buffer, ReturnType<typeof planFor>]>([
    ['a JPEG', bytes([0xff, 0xd8, 0xff, 0xe0]), { render: 'image' }],
    ['a PNG', bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), { render: 'image' }],
    ['a WebP', bytes('RIFF', [0, 0, 0, 0], 'WEBPVP8 '), { render: 'image' }],
    [
      'a HEIC image (not decoded here)',
      bytes([0, 0, 0, 24], 'ftypheic', [0, 0, 0, 0], 'mif1heic'),
      { render: 'placeholder', kind: 'image' },
    ],
    [
      'a BMP image (not decoded here)',
      bytes('BM', [0x36, 0, 0, 0, 0, 0, 0, 0, 0x36, 0, 0, 0]),
      { render: 'placeholder', kind: 'image' },
    ],
    [
      'an MP4 video',
      bytes([0, 0, 0, 24], 'ftypisom', [0, 0, 0, 0], 'isomiso2'),
      { render: 'placeholder', kind: 'video' },
    ],
    ['a WebM video', bytes([0x1a, 0x45, 0xdf, 0xa3], 'webm'), { render: 'placeholder', kind: 'video' }],
    ['an MP3', bytes('ID3', [4, 0, 0]), { render: 'placeholder', kind: 'audio' }],
    ['a PDF', bytes('%PDF-1.7\n'), { render: 'placeholder', kind: 'document' }],
    ['a ZIP', bytes([0x50, 0x4b, 0x03, 0x04]), { render: 'placeholder', kind: 'document' }],
    ['plain text', bytes('synthetic text, not a picture'), { render: 'placeholder', kind: 'file' }],
    [
      'an SVG (text, never rendered from the bytes)',
      bytes('<svg xmlns="http://www.w3.org/2000/svg"/>'),
      { render: 'placeholder', kind: 'file' },
    ],
    ['nothing', bytes(), { render: 'placeholder', kind: 'file' }],
  ])('given %s, then %j', (_name, head, plan) => {
    expect(planFor(sniffMediaType(head))).toEqual(plan);
  });
});

describe('placeholderFor', () => {
  const kinds: PlaceholderKind[] = ['image', 'video', 'audio', 'document', 'file'];

  it.each(kinds)(
    'given %s, then an SVG saying "no preview" and the kind, with nothing active in it',
    (kind) => {
      const svg = placeholderFor(kind).toString('utf8');
      expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
      expect(svg).toContain('>no preview<');
      expect(svg).toContain(`>${kind}<`);
      expect(svg).not.toMatch(/<script|<style|<image|<foreignObject|href=|on\w+=/i);
    },
  );

  it('given a kind twice, then the same bytes: a placeholder depends on the kind only', () => {
    expect(placeholderFor('video').equals(placeholderFor('video'))).toBe(true);
    expect(new Set(kinds.map((kind) => placeholderFor(kind).toString('utf8'))).size).toBe(kinds.length);
  });
});
