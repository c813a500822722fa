/** Test helpers: byte sources for the readers without touching the disk. */

/** Yields `text` as UTF-8 in blocks of `size` bytes (small blocks split tokens and characters). */
export async function* textChunks(text: string | Uint8Array, size = 64): AsyncGenerator<Uint8Array> {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  for (let start = 0; start < bytes.byteLength; start += size) yield bytes.subarray(start, start + size);
}

/** A VICS v2.0 US document around the given records. */
export function vicsDocument(records: readonly unknown[], entitySet: 'Media' | 'Cases' = 'Media'): string {
  return JSON.stringify({
    '@odata.context': `http://example.invalid/ProjectVic/DataModels/2.0.xml/US/$metadata#${entitySet}`,
    value: records,
  });
}
