// The hash-check service on a live socket over a real (prefixed) hashsets topic, and the
// hoster-side client (`pnpm triage hash-check`) against it: what a hoster is told, and refused.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startHashCheck } from '@triage/hash-check/testing';
import { importHashList } from '@triage/hash-lists';
import { hashMedia } from '@triage/hashing';
import { createHosterKey, withHosterKey, writeHostersFile } from '@triage/hosters';
import { pipelineTopics } from '@triage/messaging';
import { kafkaTest } from '@triage/messaging/testing/fixtures';
import { createCodec } from '@triage/schemas';
import { nearDuplicateEdits, syntheticImage } from '@triage/testkit';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { runTriage } from './support/triage-cli.ts';

const codec = createCodec();
let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'hash-check-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** A folder of a listed synthetic image, its resized copy, an unrelated image and a text file. */
async function hosterFolder() {
  const folder = path.join(scratch, 'server');
  await mkdir(path.join(folder, 'uploads', 'nested'), { recursive: true });
  const listed = await syntheticImage(1301);
  const files = {
    listed: path.join(folder, 'uploads', 'listed.png'),
    resized: path.join(folder, 'uploads', 'nested', 'resized.png'),
    unrelated: path.join(folder, 'uploads', 'unrelated.png'),
    text: path.join(folder, 'notes.txt'),
  };
  await writeFile(files.listed, listed);
  await writeFile(files.resized, await nearDuplicateEdits.resize(listed));
  await writeFile(files.unrelated, await syntheticImage(1302));
  await writeFile(files.text, 'an invented note, on no list\n');
  return { folder, files, hashes: await hashMedia(listed) };
}

/** Keys of a hoster with rights, and of one without any list. */
async function hostersWithKeys() {
  const checker = createHosterKey();
  const idle = createHosterKey();
  let content = withHosterKey(
    { hosters: [] },
    'host-a',
    { id: 'k1', sha256: checker.sha256 },
    {
      lists: ['police-confirmed'],
      pdqMaxDistance: 31,
    },
  );
  content = withHosterKey(content, 'host-idle', { id: 'k1', sha256: idle.sha256 });
  const file = path.join(scratch, 'hosters.json');
  await writeHostersFile(file, content);
  const keyFile = path.join(scratch, 'host-a.key');
  await writeFile(keyFile, `${checker.key}\n`, { mode: 0o600 });
  return { file, keyFile, key: checker.key, idleKey: idle.key };
}

/** `hex` with its first `bits` bits flipped. */
function flipBits(hex: string, bits: number): string {
  const value = BigInt(`0x${hex}`) ^ ((1n << BigInt(bits)) - 1n);
  return value.toString(16).padStart(64, '0');
}

const post = (url: string, key: string | null, body: unknown) =>
  fetch(new URL('/v1/hash-check', url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('hash-check over a live socket', () => {
  kafkaTest(
    'the client reports the listed file and its resized copy and nothing else; every refusal has its code; each batch is audited',
    async ({ kafka }) => {
      await kafka.createTopics([pipelineTopics.hashsets, pipelineTopics.audit]);
      const { folder, files, hashes } = await hosterFolder();
      expect(hashes.pdq).not.toBeNull();
      // The list as `triage hashes import` publishes it: the listed image's MD5 and PDQ.
      const csv = path.join(scratch, 'list.csv');
      await writeFile(csv, `hash,type,category\n${hashes.md5},md5,1\n${hashes.pdq},pdq,1\n`);
      // A list the hoster may not check, holding the unrelated image: it must not count.
      const other = await hashMedia(files.unrelated);
      const otherCsv = path.join(scratch, 'other.csv');
      await writeFile(otherCsv, `hash,type,category\n${other.md5},md5,1\n`);
      await importHashList({
        file: csv,
        list: 'police-confirmed',
        version: 'v1',
        connection: kafka.connection,
      });
      await importHashList({
        file: otherCsv,
        list: 'not-for-hosters',
        version: 'v1',
        connection: kafka.connection,
      });
      const hosters = await hostersWithKeys();
      const service = await startHashCheck({
        connection: kafka.connection,
        hostersFile: hosters.file,
        settings: { HASH_CHECK_MAX_BATCH: 20, HASH_CHECK_ANSWER_FLOOR_MS: 20 },
      });
      try {
        const run = await runTriage([
          'hash-check',
          folder,
          '--url',
          service.url,
          '--key',
          hosters.keyFile,
          '--batch',
          '6',
        ]);
        expect(run.stderr).not.toMatch(/TRIAGE_/);
        expect(run.code).toBe(1);
        const lines = run.stdout
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line));
        expect(lines).toEqual([
          { path: files.listed, matched: ['md5', 'pdq'] },
          { path: files.resized, matched: ['pdq'] },
        ]);

        // A folder without listed files: exit 0, nothing printed.
        await rm(files.listed);
        await rm(files.resized);
        const clean = await runTriage(['hash-check', folder, '--url', service.url, '--key', hosters.keyFile]);
        expect({ code: clean.code, stdout: clean.stdout }).toEqual({ code: 0, stdout: '' });

        // A revoked or wrong key: the check cannot be done, exit 2 with the service's code.
        const wrongKey = path.join(scratch, 'wrong.key');
        await writeFile(wrongKey, `${createHosterKey().key}\n`);
        const refused = await runTriage(['hash-check', folder, '--url', service.url, '--key', wrongKey]);
        expect({ code: refused.code, stdout: refused.stdout }).toEqual({ code: 2, stdout: '' });
        expect(refused.stderr).toContain('TRIAGE_AUTH_REQUIRED');

        // Refusals, each with its code.
        const md5 = { type: 'md5', value: hashes.md5 };
        const refusals = [
          [await post(service.url, null, { hashes: [md5] }), 401, 'TRIAGE_AUTH_REQUIRED'],
          [await post(service.url, hosters.idleKey, { hashes: [md5] }), 403, 'TRIAGE_AUTH_FORBIDDEN'],
          [
            await post(service.url, hosters.key, { hashes: [md5], lists: ['not-for-hosters'] }),
            403,
            'TRIAGE_AUTH_FORBIDDEN',
          ],
          [
            await post(service.url, hosters.key, { hashes: [md5], labels: true }),
            403,
            'TRIAGE_HASH_CHECK_FIELD_REFUSED',
          ],
          [
            await post(service.url, hosters.key, { hashes: [md5], include: ['label'] }),
            403,
            'TRIAGE_HASH_CHECK_FIELD_REFUSED',
          ],
          [
            await post(service.url, hosters.key, { hashes: Array(21).fill(md5) }),
            413,
            'TRIAGE_HASH_CHECK_BATCH_TOO_LARGE',
          ],
          [
            await post(service.url, hosters.key, `{"hashes":[${'"x",'.repeat(2_000)}"x"]}`),
            413,
            'TRIAGE_HASH_CHECK_BATCH_TOO_LARGE',
          ],
          [
            await post(service.url, hosters.key, { hashes: [md5, { type: 'sha1', value: 'abc' }] }),
            422,
            'TRIAGE_HASH_CHECK_HASH_INVALID',
          ],
          [
            await post(service.url, hosters.key, {
              hashes: [{ type: 'pdq', value: hashes.pdq }],
              pdqDistance: 32,
            }),
            400,
            'TRIAGE_HASH_DISTANCE_TOO_LARGE',
          ],
        ] as const;
        for (const [response, status, code] of refusals) {
          expect({
            status: response.status,
            code: ((await response.json()) as { code: string }).code,
          }).toEqual({ status, code });
        }
        const bad = await post(service.url, hosters.key, { hashes: [md5, { type: 'sha1', value: 'abc' }] });
        expect(await bad.json()).toMatchObject({ pointer: '/body/hashes/1/value' });

        // An answer is match or no match: no label, list, distance or report id in it.
        const answered = await post(service.url, hosters.key, {
          hashes: [md5, { type: 'md5', value: other.md5 }],
        });
        expect(await answered.json()).toEqual({ answers: [{ match: true }, { match: false }] });

        // One audit event per batch, the hoster's, with counts and matches and never a hash.
        const events = (
          await kafka.readTopic(pipelineTopics.audit.name, (records) =>
            records.some((record) =>
              codec.decode('AuditEvent', record.value!).query?.startsWith('hashes=2&md5=2'),
            ),
          )
        ).map((record) => codec.decode('AuditEvent', record.value!));
        const allowed = events.filter((event) => event.outcome === 'allowed');
        expect(allowed.length).toBeGreaterThanOrEqual(3);
        expect(
          events.every((event) => event.action === 'lookup_hash' && event.target.type === 'hoster'),
        ).toBe(true);
        expect(allowed.at(-1)).toMatchObject({
          actor: 'host-a/k1',
          target: { type: 'hoster', id: 'host-a' },
          resultCount: 1,
          query: 'hashes=2&md5=2&sha1=0&sha256=0&pdq=0&pdqDistance=31&lists=police-confirmed&matches=1',
        });
        const denied = events.filter((event) => event.outcome === 'denied').map((event) => event.reason);
        expect(denied).toEqual(
          expect.arrayContaining([
            'TRIAGE_AUTH_FORBIDDEN',
            'TRIAGE_HASH_CHECK_FIELD_REFUSED',
            'TRIAGE_HASH_CHECK_HASH_INVALID',
          ]),
        );
        expect(JSON.stringify(events)).not.toContain(hashes.md5);
      } finally {
        await service.close();
      }
    },
  );
  kafkaTest(
    'a withdrawn entry (tombstone) stops matching; a probing walk, a used-up quota and a rate limit are refused with their codes',
    async ({ kafka }) => {
      await kafka.createTopics([pipelineTopics.hashsets, pipelineTopics.audit]);
      const image = await hashMedia(await syntheticImage(1303));
      const pdq = image.pdq!;
      const csv = path.join(scratch, 'list-v1.csv');
      await writeFile(csv, `hash,type,category\n${image.md5},md5,1\n${pdq},pdq,1\n`);
      await importHashList({
        file: csv,
        list: 'police-confirmed',
        version: 'v1',
        connection: kafka.connection,
      });
      const prober = createHosterKey();
      const small = createHosterKey();
      const policy = { lists: ['police-confirmed'], pdqMaxDistance: 31 };
      let content = withHosterKey({ hosters: [] }, 'host-p', { id: 'k1', sha256: prober.sha256 }, policy);
      content = withHosterKey(content, 'host-q', { id: 'k1', sha256: small.sha256 }, policy);
      const hasty = createHosterKey();
      content = withHosterKey(content, 'host-r', { id: 'k1', sha256: hasty.sha256 }, policy);
      content = {
        hosters: content.hosters.map((hoster) => {
          if (hoster.hosterId === 'host-q') return { ...hoster, quota: { hashesPerDay: 3 } };
          if (hoster.hosterId === 'host-r') return { ...hoster, rateLimit: { max: 1, timeWindow: 60_000 } };
          return hoster;
        }),
      };
      const file = path.join(scratch, 'hosters-2.json');
      await writeHostersFile(file, content);
      const service = await startHashCheck({ connection: kafka.connection, hostersFile: file });
      try {
        const md5 = { type: 'md5', value: image.md5 };
        expect(await (await post(service.url, small.key, { hashes: [md5, md5] })).json()).toEqual({
          answers: [{ match: true }, { match: true }],
        });
        const over = await post(service.url, small.key, { hashes: [md5, md5] });
        expect(over.status).toBe(429);
        expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(((await over.json()) as { code: string }).code).toBe('TRIAGE_HASH_CHECK_QUOTA');

        expect((await post(service.url, hasty.key, { hashes: [md5] })).status).toBe(200);
        const hurried = await post(service.url, hasty.key, { hashes: [md5] });
        expect({ status: hurried.status, code: ((await hurried.json()) as { code: string }).code }).toEqual({
          status: 429,
          code: 'TRIAGE_RATE_LIMITED',
        });

        // A version of the list without the MD5: its entry is tombstoned, and the service follows.
        const v2 = path.join(scratch, 'list-v2.csv');
        await writeFile(v2, `hash,type,category\n${pdq},pdq,1\n`);
        const replaced = await importHashList({
          file: v2,
          list: 'police-confirmed',
          version: 'v2',
          connection: kafka.connection,
        });
        expect(replaced.removed).toBe(1);
        let answer: unknown;
        for (let attempt = 0; attempt < 50; attempt++) {
          answer = await (await post(service.url, prober.key, { hashes: [md5] })).json();
          if (JSON.stringify(answer) === JSON.stringify({ answers: [{ match: false }] })) break;
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
        expect(answer).toEqual({ answers: [{ match: false }] });

        // Walking the listed PDQ one bit at a time across the threshold: throttled, and stays so.
        const walk = Array.from({ length: 41 }, (_, bits) => ({ type: 'pdq', value: flipBits(pdq, bits) }));
        const probed = await post(service.url, prober.key, { hashes: walk });
        expect(probed.status).toBe(429);
        expect(((await probed.json()) as { code: string }).code).toBe('TRIAGE_HASH_CHECK_PROBING');
        const after = await post(service.url, prober.key, { hashes: [md5] });
        expect(((await after.json()) as { code: string }).code).toBe('TRIAGE_HASH_CHECK_PROBING');
      } finally {
        await service.close();
      }
    },
  );
});
