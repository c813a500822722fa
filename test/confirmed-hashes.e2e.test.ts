// Issue 13's "Done when", end to end: a generated feed through the whole pipeline; an analyst
// categorises one of its images over HTTP, a second analyst confirms it (the first may not); the
// confirmed list's one writer puts the item's four hashes on hashsets.v1; a new bundle carrying a
// resized copy of that image matches the list in the hasher; a hoster's `triage hash-check` on a
// folder holding a copy reports it and nothing else; and the list's VICS export imports back to
// identical entries.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ContentStore } from '@triage/content-store';
import { startHashCheck } from '@triage/hash-check/testing';
import { ConfirmedListWriter, readListEntries } from '@triage/hash-lists';
import { createHosterKey, withHosterKey, writeHostersFile } from '@triage/hosters';
import { createLogger } from '@triage/logging';
import { kafkaTest } from '@triage/messaging/testing/fixtures';
import { type ItemDocument, indexNames, searchIndices } from '@triage/search';
import { makeZip, nearDuplicateEdits, syntheticImage } from '@triage/testkit';
import { expect } from 'vitest';
import { withFedQueue } from './support/fed-queue.ts';
import { runTriage } from './support/triage-cli.ts';

const logger = createLogger({ name: 'confirmed-hashes-e2e', level: 'warn' });
const list = 'police-confirmed';

async function bytesOf(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await sleep(500);
  }
}

kafkaTest(
  'given a feed through the pipeline, when two analysts confirm an image, then the list has its hashes, a resized copy matches in a new bundle and at a hoster, and the export round-trips',
  async ({ kafka }) => {
    await withFedQueue(kafka, { seed: 228, reports: 8, maxFiles: 6, format: 'json' }, async (fed) => {
      const items = indexNames(fed.prefix, searchIndices.items).alias;
      // An image no list matches yet.
      const found = await fed.client.search<ItemDocument>({
        index: items,
        size: 200,
        query: { bool: { filter: [{ exists: { field: 'pdq' } }] } },
      });
      const image = found.hits.hits.map((hit) => hit._source!).find((item) => item.matches.length === 0);
      expect(image, 'an unmatched image in the feed').toBeDefined();
      const item = image!;

      const act = async (role: 'analyst' | 'supervisor', sub: string, body: object) => {
        const response = await fetch(
          `${fed.api.url}/v1/cases/${encodeURIComponent(item.reportId)}/items/${encodeURIComponent(item.itemId)}/category`,
          {
            method: 'POST',
            headers: { authorization: await fed.api.bearer(role, sub), 'content-type': 'application/json' },
            body: JSON.stringify(body),
          },
        );
        return { status: response.status, body: (await response.json()) as { code?: string } };
      };
      expect((await act('analyst', 'analyst-1', { action: 'set', category: 1 })).status).toBe(202);
      const own = await act('analyst', 'analyst-1', { action: 'confirm', category: 1 });
      expect({ status: own.status, code: own.body.code }).toEqual({
        status: 403,
        code: 'TRIAGE_CATEGORY_SELF_CONFIRMATION',
      });
      expect((await act('analyst', 'analyst-2', { action: 'confirm', category: 1 })).status).toBe(202);

      // The one writer: the confirmed item's four hashes on the list.
      const writer = new ConfirmedListWriter({ connection: kafka.connection, logger });
      await writer.start();
      try {
        const entries = await until('the confirmed item on the list', async () => {
          const current = await readListEntries(kafka.connection, list);
          return current.length === 4 ? current : undefined;
        });
        expect(new Set(entries.map((entry) => entry.hashType))).toEqual(
          new Set(['MD5', 'SHA1', 'SHA256', 'PDQ']),
        );
        expect(new Set(entries.map((entry) => entry.value))).toEqual(
          new Set([item.md5, item.sha1, item.sha256, item.pdq]),
        );
      } finally {
        await writer.close();
      }

      // A new bundle carrying a resized copy: the hasher matches it on the list by PDQ.
      const original = await bytesOf(
        await new ContentStore({ root: fed.intake.contentRoot }).open(item.sha256!),
      );
      const resized = await nearDuplicateEdits.resize(original);
      const partnerId = item.partnerId;
      const zip = await makeZip([
        {
          name: 'bundle.json',
          data: Buffer.from(
            JSON.stringify({
              bundleRef: 'e2e-confirmed-copy',
              reports: [
                {
                  reportId: 'e2e-confirmed-copy-1',
                  incidentType: 'Child Pornography (possession, manufacture, and distribution)',
                  incidentDateTime: '2026-11-30T10:00:00Z',
                  reporter: { companyName: 'Example Photos', espService: 'Photos' },
                  files: [{ fileId: 'f-1', name: 'media/copy.png', fileName: 'copy.png' }],
                },
              ],
            }),
          ),
        },
        { name: 'media/copy.png', data: resized, compress: false },
      ]);
      const upload = await fetch(`${fed.intake.url}/v1/bundles`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${fed.intake.keys.get(partnerId)!}`,
          'content-type': 'application/zip',
        },
        body: new Uint8Array(zip),
      });
      expect(upload.status, await upload.clone().text()).toBe(202);
      const copy = await until('the copy indexed with its match', async () => {
        await fed.client.indices.refresh({ index: items });
        const hits = await fed.client.search<ItemDocument>({
          index: items,
          query: { term: { reportId: `${partnerId}:e2e-confirmed-copy-1` } },
        });
        const document = hits.hits.hits[0]?._source;
        return document?.matches.some((match) => match.listName === list) ? document : undefined;
      });
      expect(copy.sha256).not.toBe(item.sha256);
      expect(copy.matches.filter((match) => match.listName === list).map((match) => match.hashType)).toEqual([
        'PDQ',
      ]);

      // A hoster's folder: a copy of the image, the resized copy's sibling and unrelated files.
      const scratch = await mkdtemp(path.join(tmpdir(), 'e2e-hoster-'));
      const hashCheck = { close: async () => undefined, url: '' };
      try {
        const folder = path.join(scratch, 'server');
        await mkdir(path.join(folder, 'uploads'), { recursive: true });
        const copyPath = path.join(folder, 'uploads', 'holiday.png');
        await writeFile(copyPath, original);
        await writeFile(path.join(folder, 'uploads', 'unrelated.png'), await syntheticImage(4242));
        await writeFile(path.join(folder, 'readme.txt'), 'an invented note\n');
        const key = createHosterKey();
        const hostersFile = path.join(scratch, 'hosters.json');
        await writeHostersFile(
          hostersFile,
          withHosterKey(
            { hosters: [] },
            'host-e2e',
            { id: 'k1', sha256: key.sha256 },
            { lists: [list], pdqMaxDistance: 31 },
          ),
        );
        const keyFile = path.join(scratch, 'host.key');
        await writeFile(keyFile, `${key.key}\n`, { mode: 0o600 });
        Object.assign(hashCheck, await startHashCheck({ connection: kafka.connection, hostersFile }));
        const run = await runTriage(['hash-check', folder, '--url', hashCheck.url, '--key', keyFile]);
        expect(run.code, run.stderr).toBe(1);
        const lines = run.stdout
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line) as { path: string });
        expect(lines.map((line) => line.path)).toEqual([copyPath]);

        // The export, imported back under another name: the same entries.
        const env = { KAFKA_TOPIC_PREFIX: kafka.connection.topicPrefix ?? '' };
        const exported = path.join(scratch, 'confirmed.vics.json');
        const exportRun = await runTriage(
          ['hashes', 'export', '--list', list, '--format', 'vics', '--out', exported],
          env,
        );
        expect(exportRun.code, exportRun.stderr).toBe(0);
        const importRun = await runTriage(['hashes', 'import', exported, '--list', 'confirmed-copy'], env);
        expect(importRun.code, importRun.stderr).toBe(0);
        const key4 = (entries: { hashType: string; value: string; category: number | null }[]) =>
          entries.map((entry) => `${entry.hashType}:${entry.value}:${entry.category}`).sort();
        expect(key4(await readListEntries(kafka.connection, 'confirmed-copy'))).toEqual(
          key4(await readListEntries(kafka.connection, list)),
        );
      } finally {
        await hashCheck.close();
        await rm(scratch, { recursive: true, force: true });
      }
    });
  },
  600_000,
);
