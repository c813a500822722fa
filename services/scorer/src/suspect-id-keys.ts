// The secret the repeat-suspect table is keyed with (ADR 0007, amendment of 2026-12-05). Every
// scorer instance and every replay must use the same one, or reports stop linking.
import { readFileSync } from 'node:fs';
import { TriageError } from '@triage/errors';
import type { SuspectIdKey } from '@triage/scoring';
import { z } from 'zod';

const keyId = z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, '1-32 letters, digits, _ or -');

/** Shortest secret taken: 32 characters (a 256-bit key written as hex or base64 is longer). */
const minSecretLength = 32;

/** The documented development key: public, so the tables it keys can be enumerated. Never outside development. */
export const developmentSuspectIdKey: SuspectIdKey = {
  id: 'dev',
  secret: Buffer.from('triage-development-suspect-id-key-not-a-secret', 'utf8'),
};

export const suspectIdKeyEnv = {
  SUSPECT_ID_HMAC_KEY: z
    .string()
    .min(minSecretLength)
    .optional()
    .describe(
      'Secret (32+ characters, e.g. `openssl rand -hex 32`) repeat-suspect identifiers are keyed with (HMAC-SHA256); the same on every scorer instance and replay. Or SUSPECT_ID_HMAC_KEY_FILE',
    ),
  SUSPECT_ID_HMAC_KEY_FILE: z
    .string()
    .min(1)
    .optional()
    .describe('File holding the secret instead of SUSPECT_ID_HMAC_KEY (trailing newline ignored)'),
  SUSPECT_ID_HMAC_KEY_ID: keyId
    .default('k1')
    .describe(
      'Id of the key, written into every row key of scorer.suspect-identifiers.v1; a new key needs a new id',
    ),
  SUSPECT_ID_HMAC_SECOND_KEY: z
    .string()
    .min(minSecretLength)
    .optional()
    .describe(
      'Rotation only: a second secret every row is also written under (never read), so the table fills under it before the keys swap. Or SUSPECT_ID_HMAC_SECOND_KEY_FILE',
    ),
  SUSPECT_ID_HMAC_SECOND_KEY_FILE: z
    .string()
    .min(1)
    .optional()
    .describe('File holding the second secret instead of SUSPECT_ID_HMAC_SECOND_KEY'),
  SUSPECT_ID_HMAC_SECOND_KEY_ID: keyId
    .optional()
    .describe('Id of the second key (required with it, different from SUSPECT_ID_HMAC_KEY_ID)'),
  SUSPECT_ID_HMAC_DEVELOPMENT_KEY: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true')
    .describe(
      'Development only: with no key set, use the public development key (id `dev`) instead of refusing to start',
    ),
} as const;

type SuspectIdKeyConfig = {
  readonly [K in keyof typeof suspectIdKeyEnv]: z.output<(typeof suspectIdKeyEnv)[K]>;
};

/** The key and, in a rotation, the second key; refuses to start without a key unless development is explicit. */
export function suspectIdKeys(config: SuspectIdKeyConfig): { key: SuspectIdKey; secondKey?: SuspectIdKey } {
  const key = secretOf(config.SUSPECT_ID_HMAC_KEY, config.SUSPECT_ID_HMAC_KEY_FILE, 'SUSPECT_ID_HMAC_KEY');
  const second = secretOf(
    config.SUSPECT_ID_HMAC_SECOND_KEY,
    config.SUSPECT_ID_HMAC_SECOND_KEY_FILE,
    'SUSPECT_ID_HMAC_SECOND_KEY',
  );
  if (key === null) {
    if (second !== null) invalid('SUSPECT_ID_HMAC_SECOND_KEY is set without SUSPECT_ID_HMAC_KEY');
    if (!config.SUSPECT_ID_HMAC_DEVELOPMENT_KEY) {
      invalid(
        'set SUSPECT_ID_HMAC_KEY or SUSPECT_ID_HMAC_KEY_FILE (the secret repeat-suspect identifiers are keyed with); SUSPECT_ID_HMAC_DEVELOPMENT_KEY=true uses the public development key',
      );
    }
    return { key: developmentSuspectIdKey };
  }
  const primary = { id: config.SUSPECT_ID_HMAC_KEY_ID, secret: key };
  if (second === null) return { key: primary };
  const secondId = config.SUSPECT_ID_HMAC_SECOND_KEY_ID;
  if (secondId === undefined || secondId === primary.id) {
    invalid('SUSPECT_ID_HMAC_SECOND_KEY needs its own SUSPECT_ID_HMAC_SECOND_KEY_ID');
  }
  return { key: primary, secondKey: { id: secondId, secret: second } };
}

function secretOf(value: string | undefined, file: string | undefined, name: string): Buffer | null {
  if (value !== undefined && file !== undefined) invalid(`set ${name} or ${name}_FILE, not both`);
  if (value !== undefined) return Buffer.from(value, 'utf8');
  if (file === undefined) return null;
  let text: string;
  try {
    text = readFileSync(file, 'utf8').replace(/\r?\n$/, '');
  } catch (error) {
    throw new TriageError('TRIAGE_CONFIG_INVALID', `${name}_FILE ${file}: cannot be read`, { cause: error });
  }
  if (text.length < minSecretLength)
    invalid(`${name}_FILE ${file}: the secret must have ${minSecretLength}+ characters`);
  return Buffer.from(text, 'utf8');
}

function invalid(message: string): never {
  throw new TriageError('TRIAGE_CONFIG_INVALID', message);
}
