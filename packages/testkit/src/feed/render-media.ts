// Draws the planned media with sharp: shapes, gradients, noise and caption text. Nothing real.
import sharp from 'sharp';
import { nearDuplicateEdits, syntheticImage } from '../synthetic-images.ts';
import type { MediaSpec } from './types.ts';

function escapeXml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** A meme-style caption: white text with a dark outline across the top. */
function captionSvg(caption: string, width: number, height: number): Buffer {
  const size = Math.max(10, Math.floor(width / (caption.length * 0.62)));
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
      `<text x="50%" y="${size + 4}" font-family="DejaVu Sans, sans-serif" font-weight="bold" font-size="${size}" ` +
      `text-anchor="middle" fill="white" stroke="black" stroke-width="1">${escapeXml(caption)}</text></svg>`,
  );
}

/**
 * Bytes of one planned media file. `resolve` gives the bytes of another planned file (the
 * original a variant is made from), which the caller renders first.
 */
export async function renderMedia(spec: MediaSpec, resolve: (key: string) => Buffer): Promise<Buffer> {
  switch (spec.kind) {
    case 'text':
      return Buffer.from(spec.text, 'utf8');
    case 'variant':
      return nearDuplicateEdits[spec.edit](resolve(spec.of));
    case 'shapes': {
      let image = await syntheticImage(spec.seed, spec.width, spec.height);
      if (spec.caption !== null) {
        image = await sharp(image)
          .composite([{ input: captionSvg(spec.caption, spec.width, spec.height), top: 0, left: 0 }])
          .png()
          .toBuffer();
      }
      return spec.format === 'jpeg' ? sharp(image).jpeg({ quality: 82 }).toBuffer() : image;
    }
  }
}
