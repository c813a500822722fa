import { defaultBundleLimits } from '@triage/bundles';
import { describe, expect, it } from 'vitest';
import { bundleLimitsFromConfig, loadIntakeConfig } from './config.ts';

describe('intake config', () => {
  it('given an empty env, then port 8080 and the shared default limits', () => {
    const config = loadIntakeConfig({});
    expect(config.INTAKE_PORT).toBe(8080);
    expect(bundleLimitsFromConfig(config)).toEqual(defaultBundleLimits);
  });

  it('given INTAKE_MAX_* variables, then each sets its limit', () => {
    const limits = bundleLimitsFromConfig(
      loadIntakeConfig({
        INTAKE_MAX_FILE_BYTES: '1000',
        INTAKE_MAX_UNCOMPRESSED_BYTES: '5000',
        INTAKE_MAX_FILES_PER_REPORT: '7',
      }),
    );
    expect(limits).toMatchObject({ maxFileBytes: 1000, maxUncompressedBytes: 5000, maxFilesPerReport: 7 });
  });

  it('given a bad limit, then the error names the variable', () => {
    expect(() => loadIntakeConfig({ INTAKE_MAX_ENTRIES: '-3' })).toThrow(/INTAKE_MAX_ENTRIES/);
  });

  it('given a content-store write key id without keys, then the error names it', () => {
    expect(() => loadIntakeConfig({ CONTENT_STORE_WRITE_KEY_ID: 'k1' })).toThrow(
      /CONTENT_STORE_WRITE_KEY_ID/,
    );
  });

  it('given a reclaim grace shorter than the lookup plus the longest commit-to-publish wait, then the error names it', () => {
    // 60 s lookup + (4 + 1) x 2 x 20 s = 260 s.
    const env = { INTAKE_RECLAIM_SCAN_TIMEOUT_MS: '60000' };
    expect(() => loadIntakeConfig({ ...env, INTAKE_RECLAIM_GRACE_MS: '260000' })).toThrow(
      /INTAKE_RECLAIM_GRACE_MS.*260000/,
    );
    expect(loadIntakeConfig({ ...env, INTAKE_RECLAIM_GRACE_MS: '260001' }).INTAKE_RECLAIM_GRACE_MS).toBe(
      260_001,
    );
  });
});
