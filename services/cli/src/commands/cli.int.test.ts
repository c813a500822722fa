// The operator CLI as an operator runs it: a separate process, its output and exit code.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { triage } from '../testing/run-cli.ts';

const shared = fileURLToPath(new URL('../../../../../shared/data/', import.meta.url));

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'cli-test-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('triage hash', () => {
  it("prints one JSON line per file with Meta's published PDQ for the bridge photo", async () => {
    const notImage = path.join(scratch, 'notes.txt');
    await writeFile(notImage, 'plain text');
    const { stdout, code } = await triage(
      'hash',
      path.join(shared, 'pdq/bridge-mods/aaa-orig.jpg'),
      notImage,
    );
    expect(code).toBe(0);
    const [photo, text] = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(photo).toMatchObject({
      pdq: 'f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22',
      pdqQuality: 100,
    });
    expect(photo.pdqDihedral).toHaveLength(8);
    expect(photo.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(text).toMatchObject({ size: 10, pdq: null });
  });

  it('fails with a clear line, not a stack trace, for a file that is not there', async () => {
    const { stdout, stderr, code } = await triage('hash', path.join(scratch, 'missing.jpg'));
    expect(code).not.toBe(0);
    expect(`${stdout}${stderr}`).toContain('TRIAGE_MEDIA_MISSING');
    expect(`${stdout}${stderr}`).not.toMatch(/\n\s+at /);
  });
});

describe('triage hashes import --dry-run', () => {
  it('counts a VICS hash set by hash type and category without publishing', async () => {
    const { stdout, code } = await triage(
      'hashes',
      'import',
      path.join(shared, 'vics/gleapp-vics-hashset-40.json'),
      '--list',
      'demo',
      '--dry-run',
    );
    expect(code).toBe(0);
    expect(stdout).toContain('records 40, entries 86');
    expect(stdout).toMatch(/MD5\s+10\s+10\s+10\s+10\s+40/);
    expect(stdout).toMatch(/SHA1\s+8\s+8\s+8\s+8\s+32/);
    expect(stdout).toContain('nothing published');
  });

  it('refuses a case export unless asked, with the error code', async () => {
    const { stderr, code } = await triage(
      'hashes',
      'import',
      path.join(shared, 'vics/gleapp-vics-case-export-minimal.json'),
      '--list',
      'demo',
      '--dry-run',
    );
    expect(code).toBe(1);
    expect(stderr).toContain('TRIAGE_HASHLIST_CASE_EXPORT');
  });
});
