// `triage feed generate` with its takedown month, and `triage feed push` sending it, as an operator
// runs them (separate processes) against a small Fastify stub of intake's two routes.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type GroundTruth, generateFeed, type HosterTruth, type TakedownEventRequest } from '@triage/feed';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { triage } from '../testing/run-cli.ts';

let scratch: string;
let feed: string;
let keysFile: string;
let hotlineKeysFile: string;
beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'cli-feed-push-'));
  feed = path.join(scratch, 'feed');
  await generateFeed({ seed: 8, reports: 3, maxFiles: 2, format: 'zip', out: feed, takedowns: 40 });
  const truth = JSON.parse(await readFile(path.join(feed, 'ground-truth.json'), 'utf8')) as GroundTruth;
  const hosters = JSON.parse(await readFile(path.join(feed, 'truth/hosters.json'), 'utf8')) as HosterTruth;
  keysFile = path.join(scratch, 'keys.json');
  hotlineKeysFile = path.join(scratch, 'hotline-keys.json');
  await writeFile(
    keysFile,
    JSON.stringify(Object.fromEntries(truth.partners.map((p) => [p.partnerId, `bundle-${p.partnerId}`]))),
  );
  await writeFile(
    hotlineKeysFile,
    JSON.stringify(Object.fromEntries(hosters.partners.map((p) => [p.partnerId, `hotline-${p.partnerId}`]))),
  );
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

const servers: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** Accepts every bundle; records takedown events per hotline key (or has no takedown route). */
async function intakeStub(withTakedowns: boolean) {
  const app = Fastify();
  servers.push(app);
  const bundles: string[] = [];
  const takedowns = new Map<string, TakedownEventRequest[]>();
  app.addContentTypeParser('application/zip', (_request, payload, done) => {
    payload.resume();
    payload.on('end', () => done(null, undefined));
  });
  app.post('/v1/bundles', async (request, reply) => {
    bundles.push(String(request.headers.authorization));
    return reply.code(201).send({ files: 1 });
  });
  if (withTakedowns) {
    app.post<{ Body: { events: TakedownEventRequest[] } }>('/v1/takedowns', async (request, reply) => {
      const partnerId = /^Bearer hotline-(.+)$/.exec(request.headers.authorization ?? '')?.[1];
      if (!partnerId)
        return reply
          .code(403)
          .send({ status: 403, code: 'TRIAGE_AUTH_FORBIDDEN', detail: 'no hotline scope' });
      takedowns.set(partnerId, [...(takedowns.get(partnerId) ?? []), ...request.body.events]);
      return { recorded: request.body.events.length, duplicates: 0 };
    });
  }
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { url, bundles, takedowns };
}

async function eventsOf(partnerId: string): Promise<TakedownEventRequest[]> {
  const text = await readFile(path.join(feed, `takedowns/${partnerId}.jsonl`), 'utf8');
  return text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as TakedownEventRequest);
}

/** `triage feed generate` of a small feed with `takedowns` notices. */
const generateSmall = (takedowns: number, out: string) =>
  triage(
    'feed',
    'generate',
    '--seed',
    '4',
    '--reports',
    '2',
    '--max-files',
    '2',
    '--takedowns',
    String(takedowns),
    '--out',
    out,
  );

describe('triage feed generate: the takedown month', () => {
  it('given --takedowns 25, when run, then each hotline has an events file and truth/hosters.json its figures; --takedowns 0 writes none', async () => {
    const out = path.join(scratch, 'generated');
    const run = await generateSmall(25, out);
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(
      /^takedowns: \d+ notice cases, \d+ events; hoster figures: .*truth\/hosters\.json$/m,
    );
    const hosters = JSON.parse(await readFile(path.join(out, 'truth/hosters.json'), 'utf8')) as HosterTruth;
    expect(hosters.partners.map((partner) => partner.partnerId)).toEqual(['hotline-nl', 'hotline-de']);
    const notices = hosters.hosters.reduce((sum, row) => sum + row.notices, 0);
    expect(notices).toBe(hosters.counts.cases);
    expect(notices).toBeGreaterThanOrEqual(25);
    for (const partner of hosters.partners) {
      const lines = (await readFile(path.join(out, partner.events), 'utf8')).trim().split('\n');
      expect(lines).toHaveLength(partner.eventCount);
    }
    const none = path.join(scratch, 'no-takedowns');
    const bare = await generateSmall(0, none);
    expect(bare.code).toBe(0);
    expect(existsSync(path.join(none, 'takedowns'))).toBe(false);
    expect(existsSync(path.join(none, 'truth'))).toBe(false);
  });
});

/** `triage feed push` of the feed with its bundle keys to the stub, plus `flags`. */
const push = (url: string, ...flags: string[]) =>
  triage('feed', 'push', feed, '--keys', keysFile, ...flags, '--url', url);

describe('triage feed push: the takedown events', () => {
  it('given hotline keys, when pushed, then the packages and then every hotline event arrive, in order, with its hotline key', async () => {
    const stub = await intakeStub(true);
    const run = await push(stub.url, '--hotline-keys', hotlineKeysFile);
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout.trim().split('\n').pop()!);
    const nl = await eventsOf('hotline-nl');
    const de = await eventsOf('hotline-de');
    expect(summary.takedowns).toEqual({
      sent: nl.length + de.length,
      recorded: nl.length + de.length,
      duplicates: 0,
      refused: 0,
    });
    expect(stub.takedowns.get('hotline-nl')).toEqual(nl);
    expect(stub.takedowns.get('hotline-de')).toEqual(de);
    expect(stub.bundles.length).toBe(summary.accepted);
    expect(stub.bundles.every((key) => key.startsWith('Bearer bundle-'))).toBe(true);
  });

  it('given a feed with takedowns and no --hotline-keys, when pushed, then it fails before sending anything and says what to give', async () => {
    const stub = await intakeStub(true);
    const run = await push(stub.url);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('TRIAGE_CONFIG_INVALID');
    expect(run.stderr).toContain('--hotline-keys');
    expect(stub.bundles).toEqual([]);
  });

  it('given an intake without the takedown route, when pushed, then the packages go, the refusal is named on stderr and the exit code is 1', async () => {
    const stub = await intakeStub(false);
    const run = await push(stub.url, '--hotline-keys', hotlineKeysFile);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /takedowns of hotline-nl: intake refused batch 1 .*: 404 .*intake has no POST \/v1\/takedowns/,
    );
    const summary = JSON.parse(run.stdout.trim().split('\n').pop()!);
    expect(summary).toMatchObject({ refused: 0, takedowns: { sent: 0, refused: 2 } });
    expect(stub.bundles.length).toBeGreaterThan(0);
  });

  it('given --no-takedowns, when pushed, then only the packages go', async () => {
    const stub = await intakeStub(true);
    const run = await push(stub.url, '--no-takedowns');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout.trim().split('\n').pop()!).takedowns).toBeNull();
    expect(stub.takedowns.size).toBe(0);
  });
});
