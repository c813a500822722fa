import { createReadStream } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { KnownHash } from '@triage/schemas';
import { describe, expect, it } from 'vitest';
import { noMediaFacts, toKnownHash } from '../known-hash.ts';
import { readHashList } from '../read-hash-list.ts';
import { textChunks } from '../testing/chunks.ts';
import type { HashEntry } from '../types.ts';
import { checkExportRequest, listCsv, vicsDocument } from './export-list.ts';

const samples = fileURLToPath(new URL('../../../../../shared/data/vics/', import.meta.url));
const stamp = { listName: 'police-test', listVersion: '3', importedAt: 1_700_000_000_000 };

async function entriesOf(chunks: AsyncIterable<Uint8Array>): Promise<HashEntry[]> {
  const reader = await readHashList(chunks);
  const entries: HashEntry[] = [];
  for await (const item of reader.items) {
    if (item.kind === 'entry') entries.push(item.entry);
    else if (item.kind !== 'record') throw new Error(`unexpected ${item.kind}: ${JSON.stringify(item)}`);
  }
  return entries;
}

/** What an entry says, without where it sat in its file or which format it came from. */
const meaning = (entry: HashEntry | KnownHash) => {
  const {
    position: _position,
    source: _source,
    listName: _list,
    listVersion: _version,
    importedAt: _at,
    ...rest
  } = entry as Partial<HashEntry & KnownHash>;
  return rest;
};
const byKey = (a: { hashType: string; value: string }, b: { hashType: string; value: string }) =>
  `${a.hashType}:${a.value}` < `${b.hashType}:${b.value}` ? -1 : 1;

describe('vicsDocument and listCsv round trips', () => {
  it('given the 40-record VICS 2.0 sample as a list, then its VICS export reads back to identical entries', async () => {
    const imported = await entriesOf(createReadStream(`${samples}gleapp-vics-hashset-40.json`));
    const list = imported.map((entry) => toKnownHash(entry, stamp) as KnownHash).sort(byKey);
    expect(list.length).toBeGreaterThan(40);
    const document = vicsDocument(list);
    expect(JSON.parse(document)['@odata.context']).toMatch(/DataModels\/2\.0\.xml\/US\/\$metadata#Media$/);
    const again = (await entriesOf(textChunks(document, 4096))).sort(byKey);
    expect(again.map(meaning)).toEqual(list.map(meaning));
  });

  it('given confirmed entries (MD5, SHA-1, SHA-256, PDQ of one file), then one Media record that reads back to them', async () => {
    const file = 'c'.repeat(64);
    const base = {
      ...stamp,
      category: 1,
      categoryLabel: 'child abuse material',
      source: 'triage-confirmed',
      mediaId: file,
      ...noMediaFacts,
      tags: [],
    };
    const list: KnownHash[] = [
      { ...base, hashType: 'MD5', value: 'a'.repeat(32) },
      { ...base, hashType: 'PDQ', value: 'd'.repeat(64) },
      { ...base, hashType: 'SHA1', value: 'b'.repeat(40) },
      { ...base, hashType: 'SHA256', value: file },
    ];
    const document = JSON.parse(vicsDocument(list));
    expect(document.value).toEqual([
      {
        MediaID: file,
        Category: 1,
        MD5: 'a'.repeat(32),
        PDQ: 'd'.repeat(64),
        SHA1: 'b'.repeat(40),
        SHA256: file,
      },
    ]);
    const again = (await entriesOf(textChunks(JSON.stringify(document)))).sort(byKey);
    expect(again.map(meaning)).toEqual(list.map(meaning));
  });

  it('given a list, then a CSV with a header row that reads back to the same hashes, types, categories and labels', async () => {
    const imported = await entriesOf(createReadStream(`${samples}gleapp-vics-hashset-40.json`));
    const list = imported
      .filter((entry) => entry.hashType !== 'PHOTODNA')
      .map((entry) => toKnownHash(entry, stamp) as KnownHash)
      .sort(byKey);
    const csv = listCsv(list);
    expect(csv.split('\n')[0]).toBe('hash,type,category,label');
    const again = (await entriesOf(textChunks(csv))).sort(byKey);
    const core = (entry: {
      hashType: string;
      value: string;
      category: number | null;
      categoryLabel: string | null;
    }) => ({
      hashType: entry.hashType,
      value: entry.value,
      category: entry.category,
      categoryLabel: entry.categoryLabel,
    });
    expect(again.map(core)).toEqual(list.map(core));
  });

  it('given a bad list name or format, then TRIAGE_HASHLIST_EXPORT_INVALID naming the option', () => {
    expect(() => checkExportRequest('a:b', 'vics')).toThrow(
      expect.objectContaining({ code: 'TRIAGE_HASHLIST_EXPORT_INVALID', details: { option: 'list' } }),
    );
    expect(() => checkExportRequest('police-confirmed', 'xml')).toThrow(
      expect.objectContaining({ code: 'TRIAGE_HASHLIST_EXPORT_INVALID', details: { option: 'format' } }),
    );
    expect(() => checkExportRequest('police-confirmed', 'csv')).not.toThrow();
  });
});
