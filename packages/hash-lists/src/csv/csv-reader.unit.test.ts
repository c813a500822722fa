import { describe, expect, it } from 'vitest';
import { type ReadHashListOptions, readHashList } from '../read-hash-list.ts';
import { HashListTally } from '../tally.ts';
import { textChunks } from '../testing/chunks.ts';
import type { HashListItem } from '../types.ts';

async function readCsv(text: string, options: ReadHashListOptions = {}) {
  const reader = await readHashList(textChunks(text, 23), options);
  const tally = new HashListTally();
  const items: HashListItem[] = [];
  for await (const item of reader.items) {
    items.push(item);
    tally.add(item);
  }
  const entries = items.flatMap((item) => (item.kind === 'entry' ? [item.entry] : []));
  return { info: reader.info, entries, counts: tally.counts };
}

const md5 = (c: string) => c.repeat(32);
const sha1 = (c: string) => c.repeat(40);

describe('CSV hash lists', () => {
  it('reads hash,type,category,label with a header, a BOM, CRLF, comments and blank lines', async () => {
    const text = [
      '\uFEFFHash,Type,Category,Label',
      '# exported by a synthetic tool',
      `${md5('A')},MD5,1,Cat 1 (local)`,
      '',
      `${sha1('b')},SHA-1,0,`,
      `${'C'.repeat(64)},sha256,,`,
      `${'d'.repeat(64)},PDQ,3`,
      'c3ludGhldGlj+/==,PhotoDNA,2',
    ].join('\r\n');
    const { info, entries, counts } = await readCsv(text);
    expect(info).toEqual({ format: 'csv', header: true, columns: ['hash', 'type', 'category', 'label'] });
    expect(
      entries.map((entry) => [entry.hashType, entry.value, entry.category, entry.categoryLabel]),
    ).toEqual([
      ['MD5', md5('a'), 1, 'Cat 1 (local)'],
      ['SHA1', sha1('b'), 0, 'non-pertinent'],
      ['SHA256', 'c'.repeat(64), null, null],
      ['PDQ', 'd'.repeat(64), 3, 'CGI / animation'],
      ['PHOTODNA', 'c3ludGhldGlj+/==', 2, 'child exploitive / age difficult'],
    ]);
    expect(entries[4]?.photoDnaVerbatim).toBe('c3ludGhldGlj+/==');
    expect(entries.every((entry) => entry.source === 'csv')).toBe(true);
    expect(entries.map((entry) => entry.position)).toEqual([
      'line 3',
      'line 5',
      'line 6',
      'line 7',
      'line 8',
    ]);
    expect(counts).toMatchObject({ records: 5, entries: 5, invalid: 0 });
  });

  it('reads rows without header: hash, type, category', async () => {
    const text = `${md5('1')},md5,1\n${sha1('2')},sha1,2\n${md5('3')},,0\n`;
    const { info, entries } = await readCsv(text);
    expect(info).toMatchObject({ format: 'csv', header: false });
    expect(entries.map((entry) => [entry.hashType, entry.category])).toEqual([
      ['MD5', 1],
      ['SHA1', 2],
      ['MD5', 0],
    ]);
  });

  it('reads a bare list of hashes, telling MD5 from SHA1 by length; 64 hex digits need a type', async () => {
    const text = `${md5('e')}\n${sha1('f')}\n${'0'.repeat(64)}\n${'1'.repeat(33)}\n`;
    const { entries, counts } = await readCsv(text);
    expect(entries.map((entry) => [entry.hashType, entry.category])).toEqual([
      ['MD5', null],
      ['SHA1', null],
    ]);
    expect(counts.invalidRows.map((row) => [row.position, row.reason])).toEqual([
      ['line 3', 'hash-type-ambiguous'],
      ['line 4', 'hash-malformed'],
    ]);
  });

  it.each([
    ['semicolons', ';'],
    ['tabs', '\t'],
  ])('detects %s as the delimiter', async (_name, delimiter) => {
    const text = [
      ['hash', 'type', 'category'],
      [md5('a'), 'MD5', '2'],
      [sha1('b'), 'SHA1', '4'],
    ]
      .map((row) => row.join(delimiter))
      .join('\n');
    const { entries } = await readCsv(text);
    expect(entries.map((entry) => [entry.hashType, entry.category])).toEqual([
      ['MD5', 2],
      ['SHA1', 4],
    ]);
  });

  it('reads one column per hash type (md5,sha1,category)', async () => {
    const text = `MD5,SHA1,Category\n${md5('a')},${sha1('b')},1\n${md5('c')},,2\n,,3\n`;
    const { info, entries, counts } = await readCsv(text);
    expect(info).toMatchObject({ header: true, columns: ['MD5', 'SHA1', 'category'] });
    expect(entries.map((entry) => [entry.hashType, entry.value[0], entry.category])).toEqual([
      ['MD5', 'a', 1],
      ['SHA1', 'b', 1],
      ['MD5', 'c', 2],
    ]);
    expect(counts.invalidRows).toEqual([
      { position: 'line 4', reason: 'no-hash', message: 'The row has no hash' },
    ]);
  });

  it('reports invalid rows with their line and goes on', async () => {
    const text = [
      'hash,type,category,label',
      `${md5('a')},MD5,1`,
      `${md5('b')},WHIRLPOOL,1`,
      `${md5('c')},MD5,high`,
      `${md5('x').slice(0, 30)}zz,MD5,1`,
      `${md5('e')},MD5,1,"label with ""quotes"" and, a comma"`,
      `,MD5,1`,
      `${md5('f')},MD5,1,5" display`,
    ].join('\n');
    const { entries, counts } = await readCsv(text);
    expect(entries.map((entry) => [entry.value[0], entry.categoryLabel])).toEqual([
      ['a', 'child abuse material'],
      ['e', 'label with "quotes" and, a comma'],
      ['f', '5" display'],
    ]);
    expect(counts.invalidRows.map((row) => [row.position, row.reason])).toEqual([
      ['line 3', 'hash-type-unknown'],
      ['line 4', 'category-invalid'],
      ['line 5', 'hash-malformed'],
      ['line 7', 'no-hash'],
    ]);
    expect(counts.invalid).toBe(4);
    expect(counts.records).toBe(7);
  });

  it('reports a quote that is never closed as one malformed row (it swallows the rest of the file)', async () => {
    const text = `${md5('a')},MD5,1\n"${md5('b')},MD5,1\n${md5('c')},MD5,1\n`;
    const { entries, counts } = await readCsv(text);
    expect(entries.map((entry) => entry.value[0])).toEqual(['a']);
    expect(counts.invalidRows).toEqual([
      expect.objectContaining({
        position: 'line 3',
        reason: 'row-malformed',
        message: expect.stringMatching(/quote/i),
      }),
    ]);
  });

  it('reads non-ASCII labels (the delimiter sniffing copes with them)', async () => {
    const { entries } = await readCsv(`hash;type;category;label\n${md5('a')};MD5;2;Catégorie 2 ✓\n`);
    expect(entries[0]).toMatchObject({ category: 2, categoryLabel: 'Catégorie 2 ✓' });
  });

  it('drops repeated hashes of one list and flags a different category', async () => {
    const text = `${md5('A')},MD5,1\n${md5('a')},MD5,1\n${md5('a')},MD5,2\n`;
    const { entries, counts } = await readCsv(text);
    expect(entries).toHaveLength(1);
    expect(counts).toMatchObject({ duplicates: 2, conflicts: 1 });
    expect(counts.conflictRows).toEqual([
      { position: 'line 3', hashType: 'MD5', category: 2, firstCategory: 1 },
    ]);
  });

  it('uses no default label when told so', async () => {
    const { entries } = await readCsv(`${md5('a')},MD5,1\n`, { categoryLabels: null });
    expect(entries[0]?.categoryLabel).toBeNull();
  });

  it('refuses a text file that has no hash in its first row', async () => {
    await expect(readCsv('name,address\nJane,Somewhere\n')).rejects.toMatchObject({
      code: 'TRIAGE_HASHLIST_FORMAT_UNKNOWN',
    });
  });

  it('refuses a CSV file where VICS was asked for', async () => {
    await expect(readCsv(`${md5('a')},MD5,1\n`, { format: 'vics' })).rejects.toMatchObject({
      code: 'TRIAGE_HASHLIST_FORMAT_UNKNOWN',
    });
  });
});
