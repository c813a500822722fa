import { TriageError } from '@triage/errors';
import { isUserRole, type UserRole, userRoles } from './roles.ts';

/** Longest lifetime `triage token` signs: a working day, so a leaked token does not live on. */
export const maxTokenTtlSeconds = 12 * 60 * 60;

const unitSeconds = { s: 1, m: 60, h: 3600 } as const;

/** `90s`, `15m`, `8h` -> seconds; TRIAGE_TOKEN_OPTION_INVALID for anything else or over the maximum. */
export function parseTtl(text: string, maxSeconds = maxTokenTtlSeconds): number {
  const match = /^([1-9][0-9]*)([smh])$/.exec(text.trim());
  if (!match) {
    throw new TriageError(
      'TRIAGE_TOKEN_OPTION_INVALID',
      `--ttl ${text}: use a number and s, m or h, e.g. 15m or 8h`,
    );
  }
  const seconds = Number(match[1]) * unitSeconds[match[2] as keyof typeof unitSeconds];
  if (seconds > maxSeconds) {
    throw new TriageError(
      'TRIAGE_TOKEN_OPTION_INVALID',
      `--ttl ${text} is longer than the maximum of ${maxSeconds / 3600} h`,
    );
  }
  return seconds;
}

export interface TokenRequest {
  role: UserRole;
  sub: string;
  ttlSeconds: number;
}

/** Checks the flags of `triage token` into a request the local issuer signs. */
export function tokenRequest(flags: { role: string; sub: string; ttl: string }): TokenRequest {
  if (!isUserRole(flags.role)) {
    throw new TriageError(
      'TRIAGE_TOKEN_OPTION_INVALID',
      `--role ${flags.role} is not a role (one of ${userRoles.join(', ')})`,
    );
  }
  // The subject lands in audit events and logs: a short id, not a name or an e-mail address.
  if (!/^[A-Za-z0-9._:-]{1,64}$/.test(flags.sub)) {
    throw new TriageError('TRIAGE_TOKEN_OPTION_INVALID', '--sub must be 1-64 letters, digits or . _ : -');
  }
  return { role: flags.role, sub: flags.sub, ttlSeconds: parseTtl(flags.ttl) };
}
