import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLogger } from '@triage/logging';
import { expect, test } from 'vitest';
import { PartnerDirectory } from './partner-directory.ts';

test('given no partners file, when intake opens the directory, then the start fails instead of revoking every key', async () => {
  const root = await mkdtemp(path.join(tmpdir(), 'partners-missing-'));
  try {
    const opening = PartnerDirectory.open({
      file: path.join(root, 'partners.json'),
      logger: createLogger({ name: 'partners-test', level: 'silent' }),
      pollIntervalMs: 0,
    });
    await expect(opening).rejects.toMatchObject({ code: 'TRIAGE_CONFIG_INVALID' });
    await expect(opening).rejects.toThrow(/does not exist/);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
