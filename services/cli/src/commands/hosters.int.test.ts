// `triage hosters` as an operator runs it: the key is printed once, only its hash is stored, and the
// policy given on creation stays through rotation and revocation.
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { triage } from '../testing/run-cli.ts';

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'cli-hosters-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('triage hosters', () => {
  it('given a new hoster with a policy, when a second key is created and the first revoked, then the file holds the policy and only the hash in force', async () => {
    const file = path.join(scratch, 'hosters.json');
    const create = ['hosters', 'key-create', '--hoster', 'host-nl', '--file', file];
    const first = await triage(
      ...create,
      '--key-id',
      'k1',
      '--list',
      'police-confirmed',
      '--pdq-max-distance',
      '20',
    );
    expect(first.code).toBe(0);
    const key = first.stdout.trim();
    expect(key).toMatch(/^thk_[A-Za-z0-9_-]{43}$/);
    const second = await triage(...create, '--key-id', 'k2');
    expect(second.code).toBe(0);
    expect(
      (await triage('hosters', 'key-revoke', '--hoster', 'host-nl', '--key-id', 'k1', '--file', file)).code,
    ).toBe(0);

    const text = await readFile(file, 'utf8');
    expect(text).not.toContain(key);
    const content = JSON.parse(text);
    expect(content.hosters[0]).toMatchObject({
      hosterId: 'host-nl',
      lists: ['police-confirmed'],
      pdqMaxDistance: 20,
      category: false,
    });
    expect(content.hosters[0].keys).toEqual([
      { id: 'k2', sha256: createHash('sha256').update(second.stdout.trim()).digest('hex') },
    ]);
    const listed = await triage('hosters', 'list', '--file', file);
    expect(listed.stdout.trim()).toBe('host-nl\tlists=police-confirmed pdq<=20 category=false\tk2');
    const again = await triage(
      'hosters',
      'key-revoke',
      '--hoster',
      'host-nl',
      '--key-id',
      'k1',
      '--file',
      file,
    );
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('TRIAGE_CONFIG_INVALID');
  });
});
