// `triage token` as a developer runs it: the printed token verifies with @triage/auth.
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { localIssuerVerifier } from '@triage/auth/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, triage } from '../testing/run-cli.ts';

/** The token's claims, read without verifying (the verifier checks them separately). */
const decodeJwt = (token: string): { exp: number; iat: number } =>
  JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'cli-token-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('triage token', () => {
  it('given a role, a subject and a TTL, then the printed token verifies and carries them', async () => {
    const dir = path.join(scratch, 'keys');
    const run = await triage('token', '--role', 'supervisor', '--sub', 'sup-7', '--ttl', '15m', '--dir', dir);
    expect(run.code).toBe(0);
    const token = run.stdout.trim();
    await expect((await localIssuerVerifier(dir))(token)).resolves.toMatchObject({
      sub: 'sup-7',
      role: 'supervisor',
    });
    const claims = decodeJwt(token);
    expect(claims.exp - claims.iat).toBe(900);
    expect((await stat(path.join(dir, 'issuer-private.jwk.json'))).mode & 0o777).toBe(0o600);
  });

  it('given only a role, then the key folder comes from TRIAGE_AUTH_LOCAL_DIR and the subject is local-<role>', async () => {
    const dir = path.join(scratch, 'from-env');
    const run = await runCli(['token', '--role', 'auditor'], {
      env: { ...process.env, TRIAGE_AUTH_LOCAL_DIR: dir },
    });
    expect(run.code).toBe(0);
    const principal = await (await localIssuerVerifier(dir))(run.stdout.trim());
    expect(principal).toMatchObject({ sub: 'local-auditor', role: 'auditor' });
    expect(decodeJwt(run.stdout.trim()).exp - decodeJwt(run.stdout.trim()).iat).toBe(8 * 3600);
  });

  it.each([
    [['--role', 'admin'], /TRIAGE_TOKEN_OPTION_INVALID: --role admin is not a role/],
    [
      ['--role', 'analyst', '--ttl', '13h'],
      /TRIAGE_TOKEN_OPTION_INVALID: --ttl 13h is longer than the maximum/,
    ],
    [['--role', 'analyst', '--ttl', '2d'], /TRIAGE_TOKEN_OPTION_INVALID: --ttl 2d/],
  ])('given %j, then it fails with the catalogue code and prints no token', async (args, message) => {
    const run = await triage('token', ...args, '--dir', path.join(scratch, 'refused'));
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(message);
  });
});
