import { createReadStream } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type ReadHashListOptions, readHashList } from '../read-hash-list.ts';
import { HashListTally } from '../tally.ts';
import { textChunks, vicsDocument } from '../testing/chunks.ts';
import type { HashEntry, HashListItem } from '../types.ts';

/** The synthetic VICS samples shared by the project (docs/test-data.md). */
const samples = fileURLToPath(new URL('../../../../../shared/data/vics/', import.meta.url));

async function readAll(chunks: AsyncIterable<Uint8Array>, options: ReadHashListOptions = {}) {
  const reader = await readHashList(chunks, options);
  const items: HashListItem[] = [];
  const tally = new HashListTally();
  for await (const item of reader.items) {
    items.push(item);
    tally.add(item);
  }
  const entries = items.flatMap((item) => (item.kind === 'entry' ? [item.entry] : []));
  return { info: reader.info, items, entries, counts: tally.counts };
}

const readSample = (name: string, options?: ReadHashListOptions) =>
  readAll(createReadStream(`${samples}${name}`, { highWaterMark: 1024 }), options);

const readText = (text: string, options?: ReadHashListOptions) => readAll(textChunks(text, 37), options);

describe('VICS hash set samples', () => {
  it('reads the 40-record v2.0 hash set: 40 MD5, 32 SHA1, 14 PhotoDNA, categories 0-3 with 0 kept', async () => {
    const { info, counts } = await readSample('gleapp-vics-hashset-40.json');
    expect(info).toMatchObject({ format: 'vics', vicsVersion: '2.0', region: 'US', kind: 'hashset' });
    expect(counts.records).toBe(40);
    expect(counts.entries).toBe(86);
    expect(counts.byHashType).toEqual({ MD5: 40, SHA1: 32, PHOTODNA: 14 });
    expect(counts.byCategory).toEqual({ '0': 22, '1': 21, '2': 21, '3': 22 });
    expect(counts.byHashTypeAndCategory).toEqual({
      MD5: { '0': 10, '1': 10, '2': 10, '3': 10 },
      SHA1: { '0': 8, '1': 8, '2': 8, '3': 8 },
      PHOTODNA: { '0': 4, '1': 3, '2': 3, '3': 4 },
    });
    expect(counts.invalid).toBe(0);
    expect(counts.duplicates).toBe(0);
    expect(counts.skipped).toBe(0);
  });

  it('normalises a record: lower-case hex, string flags as booleans, PhotoDNA verbatim, labels', async () => {
    const { entries } = await readSample('gleapp-vics-hashset-40.json');
    const record1000 = entries.filter((entry) => entry.mediaId === '1000');
    // MediaID 1000 has no SHA1: one MD5 and one PhotoDNA entry.
    expect(record1000.map((entry) => entry.hashType)).toEqual(['MD5', 'PHOTODNA']);
    const [md5, photoDna] = record1000 as [HashEntry, HashEntry];
    expect(md5).toMatchObject({
      value: 'cd613e30d8f16adf91b7584a2265b1f5',
      category: 0,
      categoryLabel: 'non-pertinent',
      source: 'vics-json',
      mediaSize: 12814012,
      series: 'Synthetic ] } " , series ✓ 日本',
      tags: ['tag, with ] brackets'],
      victimIdentified: true,
      offenderIdentified: false,
      isDistributed: true,
      position: '/value/0',
    });
    expect(photoDna.value).toMatch(/^0cQnEDw0TEGJ6y8ee9XU[A-Za-z0-9+/=]{172}$/);
    expect(md5.photoDnaVerbatim).toBe(photoDna.value);
    const sha1 = entries.find((entry) => entry.mediaId === '1001' && entry.hashType === 'SHA1');
    expect(sha1).toMatchObject({ value: '6c0fd4f5f8130c4237730edfafbd67f9619699cf', category: 1 });
    expect(sha1?.categoryLabel).toBe('child abuse material');
    // Flags the record does not carry stay null rather than false.
    expect(sha1).toMatchObject({ victimIdentified: null, offenderIdentified: null, series: null, tags: [] });
    expect(entries.every((entry) => entry.hashType === 'PHOTODNA' || /^[0-9a-f]+$/.test(entry.value))).toBe(
      true,
    );
  });

  it('reads the pretty-printed copy with a BOM to exactly the same entries', async () => {
    const plain = await readSample('gleapp-vics-hashset-40.json');
    const bom = await readSample('gleapp-vics-hashset-40-indent-bom.json');
    expect(bom.info).toEqual(plain.info);
    expect(bom.entries).toEqual(plain.entries);
    expect(bom.counts).toEqual(plain.counts);
  });
});

describe('VICS case exports', () => {
  const caseExports = [
    'gleapp-vics-case-export-minimal.json',
    'gleapp-vics-case-export-shared-file.json',
    'gleapp-vics-case-export-isprecategorized.json',
    'gleapp-vics-case-export-exifs.json',
  ];

  it.each(caseExports)('refuses %s as a hash set by default', async (name) => {
    await expect(readSample(name)).rejects.toMatchObject({ code: 'TRIAGE_HASHLIST_CASE_EXPORT' });
  });

  it('imports only categorised media of a case export when asked: the minimal one has one, Category 0', async () => {
    const { info, entries, counts } = await readSample('gleapp-vics-case-export-minimal.json', {
      caseExport: 'categorised',
    });
    expect(info).toMatchObject({ format: 'vics', kind: 'case-export', vicsVersion: '2.0' });
    expect(counts).toMatchObject({ records: 1, entries: 1, skipped: 0, invalid: 0 });
    expect(entries[0]).toMatchObject({
      hashType: 'MD5',
      value: 'a'.repeat(32),
      category: 0,
      mediaId: '1',
      position: '/value/0/Media/0',
    });
  });

  it('skips the three uncategorised entries of the shared-file export (empty SHA1 is no hash, not an error)', async () => {
    const { counts } = await readSample('gleapp-vics-case-export-shared-file.json', {
      caseExport: 'categorised',
    });
    expect(counts).toMatchObject({ records: 3, entries: 0, invalid: 0, skipped: 3 });
    expect(counts.skippedByReason).toEqual({ 'uncategorised-case-media': 3 });
    expect(counts.skippedRows.map((row) => row.position)).toEqual([
      '/value/0/Media/0',
      '/value/0/Media/1',
      '/value/0/Media/2',
    ]);
  });

  it('goes by Category, not IsPrecategorized, when the two disagree', async () => {
    const { entries, counts } = await readSample('gleapp-vics-case-export-isprecategorized.json', {
      caseExport: 'categorised',
    });
    expect(counts).toMatchObject({ records: 2, entries: 1, skipped: 1 });
    expect(entries).toEqual([
      expect.objectContaining({
        hashType: 'MD5',
        value: '1'.repeat(32),
        category: 4,
        categoryLabel: 'comparison images',
        mediaId: '2',
      }),
    ]);
  });

  it('skips the Exifs export (both entries uncategorised) without tripping on its nested rows', async () => {
    const { counts } = await readSample('gleapp-vics-case-export-exifs.json', { caseExport: 'categorised' });
    expect(counts).toMatchObject({ records: 2, entries: 0, invalid: 0, skipped: 2 });
  });
});

describe('VICS v1.x and tolerance', () => {
  it('reads a v1.3 hash set with PhotoDNA and other hashes in AlternativeHashes', async () => {
    const v1 = JSON.stringify({
      'odata.metadata': 'http://github.com/ICMEC/ProjectVic/DataModels/1.3.xml#Media',
      value: [
        {
          MediaID: 7,
          Category: '2',
          MD5: 'AB'.repeat(16),
          SHA1: 'cd'.repeat(20),
          VictimIdentified: 'True',
          AlternativeHashes: [
            { HashName: 'PhotoDNA', HashValue: 'c3ludGhldGlj+/==' },
            { HashName: 'SHA-256', HashValue: 'EF'.repeat(32) },
            { HashName: 'PDQ', HashValue: '0f'.repeat(32) },
            { HashName: 'SomeVendorHash', HashValue: 'x1' },
          ],
        },
      ],
    });
    const { info, entries, counts } = await readText(v1);
    expect(info).toMatchObject({ format: 'vics', vicsVersion: '1.3', region: null, kind: 'hashset' });
    expect(entries.map((entry) => [entry.hashType, entry.value])).toEqual([
      ['MD5', 'ab'.repeat(16)],
      ['SHA1', 'cd'.repeat(20)],
      ['PHOTODNA', 'c3ludGhldGlj+/=='],
      ['SHA256', 'ef'.repeat(32)],
      ['PDQ', '0f'.repeat(32)],
    ]);
    expect(entries.every((entry) => entry.photoDnaVerbatim === 'c3ludGhldGlj+/==')).toBe(true);
    expect(entries[0]).toMatchObject({ category: 2, categoryLabel: 'child exploitive / age difficult' });
    expect(entries[0]?.victimIdentified).toBe(true);
    expect(counts.skippedRows).toEqual([
      {
        position: '/value/0/AlternativeHashes/3',
        reason: 'unsupported-hash-type',
        detail: 'HashName "SomeVendorHash"',
      },
    ]);
  });

  it('counts invalid records with their position and keeps reading', async () => {
    const text = vicsDocument([
      { MediaID: 1, Category: 1, MD5: 'a'.repeat(32) },
      { MediaID: 2, Category: 1, MD5: 'a'.repeat(31), SHA1: 'b'.repeat(40) },
      { MediaID: 3, Category: 'one', MD5: 'c'.repeat(32) },
      { MediaID: 4, Category: 1, MD5: 'g'.repeat(32) },
      { MediaID: 5, Category: 1 },
      'not a record',
      { MediaID: 6, Category: -1, MD5: 'd'.repeat(32) },
      { MediaID: 7, Category: null, MD5: 'E'.repeat(32) },
    ]);
    const { entries, counts } = await readText(text);
    expect(entries.map((entry) => [entry.mediaId, entry.hashType, entry.category])).toEqual([
      ['1', 'MD5', 1],
      ['2', 'SHA1', 1],
      ['7', 'MD5', null],
    ]);
    expect(entries[2]?.categoryLabel).toBeNull();
    expect(counts.records).toBe(8);
    expect(counts.invalid).toBe(6);
    expect(counts.invalidRows.map((row) => [row.position, row.reason])).toEqual([
      ['/value/1/MD5', 'hash-malformed'],
      ['/value/2/Category', 'category-invalid'],
      ['/value/3/MD5', 'hash-malformed'],
      ['/value/4', 'no-hash'],
      ['/value/5', 'not-an-object'],
      ['/value/6/Category', 'category-invalid'],
    ]);
    expect(counts.invalidRows[0]?.message).toBe('MD5 must be 32 hex digits, got 31 hex digits');
  });

  it('keeps one entry per (hashType, value) and reports category conflicts', async () => {
    const text = vicsDocument([
      { MediaID: 1, Category: 1, MD5: 'A'.repeat(32), SHA1: 'b'.repeat(40) },
      { MediaID: 2, Category: 1, MD5: 'a'.repeat(32) },
      { MediaID: 3, Category: 0, MD5: 'a'.repeat(32) },
    ]);
    const { entries, counts } = await readText(text);
    expect(entries.map((entry) => entry.mediaId)).toEqual(['1', '1']);
    expect(counts).toMatchObject({ entries: 2, duplicates: 2, conflicts: 1 });
    expect(counts.conflictRows).toEqual([
      { position: '/value/2', hashType: 'MD5', category: 0, firstCategory: 1 },
    ]);
  });

  it('skips unknown top-level and case-level properties, whatever their position', async () => {
    const text = JSON.stringify({
      'odata.count': 2,
      '@odata.context': 'http://example.invalid/ProjectVic/DataModels/2.0.xml/UK/$metadata#Cases',
      extra: { value: [{ MD5: 'f'.repeat(32), Category: 1 }] },
      value: [
        {
          CaseID: 'c1',
          Notes: { Media: [{ MD5: 'e'.repeat(32), Category: 1 }] },
          Media: [{ MD5: 'd'.repeat(32), Category: 2 }],
          Trailer: [[1, 2], { a: [] }],
        },
        { CaseID: 'c2', Media: [] },
        { CaseID: 'c3', Media: [{ MD5: 'c'.repeat(32), Category: 3 }, 42] },
      ],
      'odata.nextLink': null,
    });
    const { info, entries, counts } = await readText(text, { caseExport: 'categorised' });
    expect(info).toMatchObject({ kind: 'case-export', region: 'UK' });
    expect(entries.map((entry) => [entry.value[0], entry.position])).toEqual([
      ['d', '/value/0/Media/0'],
      ['c', '/value/2/Media/0'],
    ]);
    // UK categories mean other things: no US label by default.
    expect(entries[0]?.categoryLabel).toBeNull();
    expect(counts.invalidRows).toEqual([
      expect.objectContaining({ position: '/value/2/Media/1', reason: 'not-an-object' }),
    ]);
  });
});

describe('not a VICS hash set', () => {
  it.each([
    ['an empty file', '', 'TRIAGE_HASHLIST_FORMAT_UNKNOWN'],
    ['blank lines', ' \n\n', 'TRIAGE_HASHLIST_FORMAT_UNKNOWN'],
    ['a JSON array', '[{"MD5":"aa"}]', 'TRIAGE_HASHLIST_FORMAT_UNKNOWN'],
    ['JSON without context', '{"value":[{"MD5":"aa"}]}', 'TRIAGE_HASHLIST_FORMAT_UNKNOWN'],
    [
      'another OData entity set',
      vicsDocument([], 'Media').replace('#Media', '#People'),
      'TRIAGE_HASHLIST_FORMAT_UNKNOWN',
    ],
    [
      'another data model',
      '{"@odata.context":"http://example.invalid/$metadata#Media","value":[]}',
      'TRIAGE_HASHLIST_FORMAT_UNKNOWN',
    ],
    ['broken JSON before the context', '{"@odata.context" "x"}', 'TRIAGE_HASHLIST_FORMAT_UNKNOWN'],
    ['binary data', '\u0000\u0001PNG', 'TRIAGE_HASHLIST_FORMAT_UNKNOWN'],
    ['prose', 'Dear analyst,\nplease find the list attached.\n', 'TRIAGE_HASHLIST_FORMAT_UNKNOWN'],
  ])('%s is refused with a clear code', async (_what, text, code) => {
    await expect(readText(text)).rejects.toMatchObject({ code });
  });

  it('a document that breaks off is TRIAGE_HASHLIST_MALFORMED after the entries before the break', async () => {
    const whole = vicsDocument([
      { Category: 1, MD5: 'a'.repeat(32) },
      { Category: 1, MD5: 'b'.repeat(32) },
    ]);
    const reader = await readHashList(textChunks(whole.slice(0, whole.length - 30), 16));
    const seen: string[] = [];
    const reading = (async () => {
      for await (const item of reader.items) if (item.kind === 'entry') seen.push(item.entry.value);
    })();
    await expect(reading).rejects.toMatchObject({ code: 'TRIAGE_HASHLIST_MALFORMED' });
    expect(seen).toEqual(['a'.repeat(32)]);
  });

  it('forcing the CSV format on VICS JSON does not read it as hashes', async () => {
    await expect(readSample('gleapp-vics-hashset-40.json', { format: 'csv' })).rejects.toMatchObject({
      code: 'TRIAGE_HASHLIST_FORMAT_UNKNOWN',
    });
  });
});
