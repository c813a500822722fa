// `triage partners` as an operator runs it: the key is printed once, only its hash is stored.

import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { triage } from '../testing/run-cli.ts';

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'cli-partners-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

const keyCreate = (file: string, partner: string, keyId: string, ...more: string[]) =>
  triage('partners', 'key-create', '--partner', partner, '--file', file, '--key-id', keyId, ...more);

describe('triage partners', () => {
  it('given a new partner, when keys are created and one revoked, then the file holds only the hashes in force', async () => {
    const file = path.join(scratch, 'nested', 'partners.json');
    const first = await keyCreate(file, 'hotline-nl', 'k1');
    expect(first.code).toBe(0);
    const key = first.stdout.trim();
    expect(key).toMatch(/^tpk_[A-Za-z0-9_-]{43}$/);
    const second = await keyCreate(file, 'hotline-nl', 'k2', '--not-after', '2027-06-30T00:00:00Z');
    expect(second.code).toBe(0);

    const text = await readFile(file, 'utf8');
    expect(text).not.toContain(key);
    const content = JSON.parse(text);
    expect(content.partners[0].partnerId).toBe('hotline-nl');
    expect(content.partners[0].keys[0]).toEqual({
      id: 'k1',
      sha256: createHash('sha256').update(key).digest('hex'),
    });
    expect(content.partners[0].keys[1]).toMatchObject({ id: 'k2', notAfter: '2027-06-30T00:00:00Z' });

    const duplicate = await keyCreate(file, 'hotline-nl', 'k1');
    expect(duplicate.code).not.toBe(0);
    expect(duplicate.stderr).toContain('TRIAGE_CONFIG_INVALID');

    expect(
      (await triage('partners', 'key-revoke', '--partner', 'hotline-nl', '--key-id', 'k1', '--file', file))
        .code,
    ).toBe(0);
    const listed = await triage('partners', 'list', '--file', file);
    expect(listed.stdout).toContain('hotline-nl');
    expect(listed.stdout).toContain('k2 [bundles] (until 2027-06-30T00:00:00Z)');
    expect(listed.stdout).not.toContain('k1');
  });

  it('given --scope, when a key is created, then the file names its scopes and an unknown scope is refused', async () => {
    const file = path.join(scratch, 'scoped', 'partners.json');
    const created = await keyCreate(file, 'hotline-be', 'events', '--scope', 'hotline');
    expect(created.code).toBe(0);
    const both = await keyCreate(file, 'hotline-be', 'both', '--scope', 'bundles', 'hotline');
    expect(both.code).toBe(0);
    const content = JSON.parse(await readFile(file, 'utf8'));
    expect(content.partners[0].keys.map((key: { scopes: string[] }) => key.scopes)).toEqual([
      ['hotline'],
      ['bundles', 'hotline'],
    ]);

    const unknown = await keyCreate(file, 'hotline-be', 'admin', '--scope', 'admin');
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('TRIAGE_CONFIG_INVALID');
    expect(unknown.stderr).toContain('/scopes/0');
    const listed = await triage('partners', 'list', '--file', file);
    expect(listed.stdout).toContain('events [hotline]');
    expect(listed.stdout).toContain('both [bundles,hotline]');
    expect(listed.stdout).not.toContain('admin');
  });
});
