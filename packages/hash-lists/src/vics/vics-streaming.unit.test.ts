import { createHash } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { readHashList } from '../read-hash-list.ts';
import { HashListTally } from '../tally.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const records = 200_000;
/** Generous: the machine has two cores shared with other test files. */
const timeout = 120_000;

/**
 * A synthetic VICS hash set of `records` Media records, made block by block as it is read, so the
 * whole document never exists in memory: what the reader keeps is all that grows.
 */
function syntheticHashSet(progress: { bytes: number }): AsyncIterable<Uint8Array> {
  return (async function* () {
    const head =
      '{"@odata.context":"http://example.invalid/ProjectVic/DataModels/2.0.xml/US/$metadata#Media","value":[';
    let block = head;
    for (let index = 0; index < records; index++) {
      const md5 = createHash('md5').update(`synthetic ${index}`).digest('hex').toUpperCase();
      const sha1 = createHash('sha1').update(`synthetic ${index}`).digest('hex').toUpperCase();
      block += `${index ? ',' : ''}{"MediaID":${index},"Category":${index % 5},"MD5":"${md5}","SHA1":"${sha1}","MediaSize":${1000 + index},"IsPrecategorized":"false","VictimIdentified":"false","Series":"Synthetic series ${index % 17}","Exifs":[{"PropertyName":"Make","PropertyValue":"Synthetic"}]}`;
      if (block.length >= 64 * 1024) {
        const bytes = Buffer.from(block);
        progress.bytes += bytes.byteLength;
        yield bytes;
        block = '';
      }
    }
    const tail = Buffer.from(`${block}]}`);
    progress.bytes += tail.byteLength;
    yield tail;
  })();
}

describe('a large VICS hash set', () => {
  it(
    'streams 200k Media records with flat memory: entries come before the file is read, the heap does not grow with it',
    async () => {
      const progress = { bytes: 0 };
      gc();
      const baseline = process.memoryUsage().heapUsed;
      // Without de-duplication only the reader itself holds memory.
      const reader = await readHashList(syntheticHashSet(progress), { dedupe: false });
      const tally = new HashListTally();
      let bytesAtFirstEntry: number | undefined;
      let peakGrowth = 0;
      let seen = 0;
      for await (const item of reader.items) {
        tally.add(item);
        if (item.kind !== 'entry') continue;
        bytesAtFirstEntry ??= progress.bytes;
        if (++seen % 50_000 === 0) {
          gc();
          peakGrowth = Math.max(peakGrowth, process.memoryUsage().heapUsed - baseline);
        }
      }
      const total = progress.bytes;
      expect(tally.counts.records).toBe(records);
      expect(tally.counts.entries).toBe(2 * records);
      expect(tally.counts.byHashType).toEqual({ MD5: records, SHA1: records });
      expect(tally.counts.byCategory).toEqual({
        '0': 80_000,
        '1': 80_000,
        '2': 80_000,
        '3': 80_000,
        '4': 80_000,
      });
      expect(total).toBeGreaterThan(50 * 1024 * 1024);
      // The first entry came after one 64 KB block, not after the whole ~58 MB document.
      expect(bytesAtFirstEntry).toBeLessThan(256 * 1024);
      // What stays on the heap is far below the document's size.
      expect(peakGrowth).toBeLessThan(16 * 1024 * 1024);
    },
    timeout,
  );

  it(
    'de-duplication costs one small map entry per distinct hash, not the records',
    async () => {
      const progress = { bytes: 0 };
      gc();
      const baseline = process.memoryUsage().heapUsed;
      const reader = await readHashList(syntheticHashSet(progress));
      const tally = new HashListTally();
      let peakGrowth = 0;
      let seen = 0;
      for await (const item of reader.items) {
        tally.add(item);
        if (item.kind === 'entry' && ++seen % 100_000 === 0) {
          gc();
          peakGrowth = Math.max(peakGrowth, process.memoryUsage().heapUsed - baseline);
        }
      }
      expect(tally.counts.entries).toBe(2 * records);
      expect(tally.counts.duplicates).toBe(0);
      console.warn('PEAK2', peakGrowth);
      // 400k compact keys (~110 bytes each on V8): under 150 bytes each, and below the ~58 MB document.
      expect(peakGrowth).toBeLessThan(400_000 * 150);
    },
    timeout,
  );
});
