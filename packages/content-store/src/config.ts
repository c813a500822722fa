// Environment of a service that opens the content store (hasher, intake): spread
// `contentStoreEnv` into its shape and pass `checkContentStoreConfig` to `loadConfig`.
import { TriageError } from '@triage/errors';
import { z } from 'zod';
import { keyIdPattern } from './encrypted-format.ts';
import { type ContentStoreOptions, keyLength } from './options.ts';

const base64Pattern = /^[A-Za-z0-9+/]+={0,2}$/;

/** `keyId:base64,keyId:base64` -> key id -> 32 bytes. Messages never quote a key. */
function parseKeys(value: string, context: z.RefinementCtx<string>): ReadonlyMap<string, Buffer> | undefined {
  const keys = new Map<string, Buffer>();
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  for (const [index, entry] of entries.entries()) {
    const colon = entry.indexOf(':');
    const keyId = colon < 0 ? '' : entry.slice(0, colon);
    const encoded = colon < 0 ? '' : entry.slice(colon + 1);
    const bytes = Buffer.from(encoded, 'base64');
    const problem = !keyIdPattern.test(keyId)
      ? 'expected keyId:base64, key id 1-64 of A-Z a-z 0-9 . _ -'
      : keys.has(keyId)
        ? `key id "${keyId}" is listed twice`
        : !base64Pattern.test(encoded) || encoded.length % 4 !== 0 || bytes.length !== keyLength
          ? `key "${keyId}" is not the base64 of ${keyLength} bytes`
          : null;
    if (problem === null) keys.set(keyId, bytes);
    // The input is a secret: the issue carries neither it nor any part of a key.
    else context.addIssue({ code: 'custom', message: `entry ${index + 1}: ${problem}`, input: '(secret)' });
  }
  return keys.size === 0 ? undefined : keys;
}

export const contentStoreEnv = {
  CONTENT_STORE_ROOT: z
    .string()
    .min(1)
    .default('.data/content')
    .describe('Folder of the content store (media by sha256)'),
  CONTENT_STORE_KEYS: z
    .string()
    .transform(parseKeys)
    .optional()
    .describe(
      'SECRET. Encryption at rest: comma-separated keyId:base64 of 32 random bytes (e.g. `openssl rand -base64 32`); keep old keys after a rotation so older files stay readable. Unset = files stored unencrypted',
    ),
  CONTENT_STORE_WRITE_KEY_ID: z
    .string()
    .regex(keyIdPattern, 'a key id: 1-64 of A-Z a-z 0-9 . _ -')
    .optional()
    .describe('Key id of CONTENT_STORE_KEYS that new files are encrypted with (required when keys are set)'),
} as const;

/** The part of a service's config that `contentStoreEnv` produces. */
export interface ContentStoreConfig {
  readonly CONTENT_STORE_ROOT: string;
  readonly CONTENT_STORE_KEYS?: ReadonlyMap<string, Buffer> | undefined;
  readonly CONTENT_STORE_WRITE_KEY_ID?: string | undefined;
}

/** Cross-field rules for `loadConfig`; each message names the variable to fix. */
export function checkContentStoreConfig(config: ContentStoreConfig): string[] {
  const keys = config.CONTENT_STORE_KEYS;
  const writeKeyId = config.CONTENT_STORE_WRITE_KEY_ID;
  if (keys === undefined) {
    return writeKeyId === undefined
      ? []
      : ['CONTENT_STORE_WRITE_KEY_ID: set, but CONTENT_STORE_KEYS configures no key'];
  }
  if (writeKeyId === undefined) {
    return ['CONTENT_STORE_WRITE_KEY_ID: required when CONTENT_STORE_KEYS is set (the key id new files use)'];
  }
  if (!keys.has(writeKeyId)) {
    return [
      `CONTENT_STORE_WRITE_KEY_ID: "${writeKeyId}" is not a key id in CONTENT_STORE_KEYS (configured: ${[...keys.keys()].join(', ')})`,
    ];
  }
  return [];
}

/** The store's options from a loaded config. */
export function contentStoreOptionsFromConfig(config: ContentStoreConfig): ContentStoreOptions {
  const problems = checkContentStoreConfig(config);
  if (problems.length > 0) {
    throw new TriageError('TRIAGE_CONFIG_INVALID', `invalid configuration: ${problems.join(' | ')}`);
  }
  const keys = config.CONTENT_STORE_KEYS;
  const writeKeyId = config.CONTENT_STORE_WRITE_KEY_ID;
  if (keys === undefined || writeKeyId === undefined) return { root: config.CONTENT_STORE_ROOT };
  return { root: config.CONTENT_STORE_ROOT, encryption: { keys, writeKeyId } };
}
