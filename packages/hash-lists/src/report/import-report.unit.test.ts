import { describe, expect, it } from 'vitest';
import type { ImportHashListResult } from '../import/import-hash-list.ts';
import { usCategoryLabels } from '../normalise.ts';
import { HashListTally } from '../tally.ts';
import type { HashEntry, HashListItem } from '../types.ts';
import { countsTable, formatImportReport } from './import-report.ts';

const entry = (hashType: HashEntry['hashType'], category: number | null, value: string): HashListItem => ({
  kind: 'entry',
  entry: {
    hashType,
    value,
    category,
    categoryLabel: null,
    source: 'vics-json',
    mediaId: null,
    mediaSize: null,
    series: null,
    tags: [],
    victimIdentified: null,
    offenderIdentified: null,
    isDistributed: null,
    photoDnaVerbatim: null,
    position: '/value/0',
  },
});

function result(items: HashListItem[], fields: Partial<ImportHashListResult> = {}): ImportHashListResult {
  const tally = new HashListTally();
  for (const item of items) tally.add(item);
  return {
    file: 'list.json',
    list: 'police-nl',
    version: 'v7',
    dryRun: false,
    mode: 'replace',
    format: { format: 'vics', vicsVersion: '2.0', region: 'US', kind: 'hashset', context: 'x' },
    counts: tally.counts,
    topic: 'hashsets.v1',
    published: 4,
    previous: 6,
    removed: 2,
    removalSkipped: null,
    ...fields,
  };
}

describe('import report', () => {
  const items: HashListItem[] = [
    entry('MD5', 0, 'a'),
    entry('MD5', 1, 'b'),
    entry('SHA1', null, 'c'),
    entry('PHOTODNA', 1, 'd'),
    {
      kind: 'invalid',
      row: { position: '/value/3/MD5', reason: 'hash-malformed', message: 'MD5 must be 32 hex digits' },
    },
  ];

  it('tabulates entries by hash type and category, uncategorised last, with totals', () => {
    expect(countsTable(result(items).counts)).toEqual([
      'hash type  cat 0  cat 1  uncategorised  total',
      'MD5            1      1              0      2',
      'PHOTODNA       0      1              0      1',
      'SHA1           0      0              1      1',
      'total          1      2              1      4',
    ]);
  });

  it('says what was published and removed, names the labels, PhotoDNA and each invalid row', () => {
    const text = formatImportReport(result(items), { categoryLabels: usCategoryLabels });
    expect(text).toContain('list.json: VICS 2.0 US hash set');
    expect(text).toContain('records 0, entries 4, duplicates 0, invalid 1, skipped 0');
    expect(text).toContain('published 4 to hashsets.v1; removed 2, 6 live before (replace)');
    expect(text).toContain('categories: 0 non-pertinent; 1 child abuse material');
    expect(text).toContain('PhotoDNA: 1 value(s) stored verbatim');
    expect(text).toContain(
      'invalid (hash-malformed 1); all 1:\n  /value/3/MD5  hash-malformed  MD5 must be 32 hex digits',
    );
  });

  it('says a dry run published nothing and shows only the first rows of many', () => {
    const many: HashListItem[] = Array.from({ length: 30 }, (_, index) => ({
      kind: 'invalid',
      row: { position: `line ${index + 2}`, reason: 'no-hash', message: 'The row has no hash' },
    }));
    const text = formatImportReport(result(many, { dryRun: true }), { maxRows: 5 });
    expect(text).toContain('(dry run: nothing published)');
    expect(text).not.toContain('published 4');
    expect(text).toContain('invalid (no-hash 30); first 5 of 30:');
    expect(text).toContain('line 6 ');
    expect(text).not.toContain('line 7 ');
  });
});
