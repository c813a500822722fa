import { Readable } from 'node:stream';
import { documentKind } from '../assembly/document-kind.ts';
import type { PackageCollector } from '../assembly/package-collector.ts';

/**
 * Hands a document candidate of a ZIP or directory to the collector: a manifest or CyberTipline
 * document as a document, any other well-formed XML (an SVG image, say) as media. The chunks
 * come already bounded by maxDocumentBytes.
 */
export async function readPackageDocument(
  name: string,
  chunks: AsyncIterable<Buffer>,
  collector: PackageCollector,
): Promise<void> {
  const parts: Buffer[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  const bytes = Buffer.concat(parts);
  if (documentKind(name, bytes) === 'other') await collector.addMedia(name, Readable.from([bytes]));
  else collector.addDocument(name, bytes);
}
