import { createSecretKey, type KeyObject } from 'node:crypto';
import { TriageError } from '@triage/errors';
import { keyIdPattern } from './encrypted-format.ts';

/** Encryption at rest: every key the store may meet in a file header, and the one it writes with. */
export interface ContentStoreEncryption {
  /** Key id -> 32-byte AES-256 key. Old keys stay here after a rotation so older files stay readable. */
  keys: ReadonlyMap<string, Uint8Array>;
  /** The key id new files are written with; must be in `keys`. */
  writeKeyId: string;
}

export interface ContentStoreOptions {
  /** Root folder; files live under `<root>/sha256/<aa>/<bb>/<sha256>`, staged files under `<root>/tmp`. */
  root: string;
  /** When set, files are stored encrypted (AES-256-GCM in segments); absent: stored as they are. */
  encryption?: ContentStoreEncryption;
}

/** The validated keys as KeyObjects, which never print their bytes. */
export interface KeyRing {
  readonly keys: ReadonlyMap<string, KeyObject>;
  readonly writeKeyId: string;
  readonly writeKey: KeyObject;
}

export const keyLength = 32;

/** Checks the encryption options; messages name key ids, never key bytes. */
export function resolveKeyRing(encryption: ContentStoreEncryption | undefined): KeyRing | null {
  if (encryption === undefined) return null;
  const keys = new Map<string, KeyObject>();
  for (const [keyId, key] of encryption.keys) {
    if (!keyIdPattern.test(keyId)) {
      throw new TriageError('TRIAGE_CONFIG_INVALID', 'content store key ids are 1-64 of A-Z a-z 0-9 . _ -', {
        details: { keyIdLength: keyId.length },
      });
    }
    if (key.byteLength !== keyLength) {
      throw new TriageError(
        'TRIAGE_CONFIG_INVALID',
        `content store key "${keyId}" has ${key.byteLength} bytes; AES-256 needs ${keyLength}`,
      );
    }
    keys.set(keyId, createSecretKey(key));
  }
  const writeKey = keys.get(encryption.writeKeyId);
  if (writeKey === undefined) {
    throw new TriageError(
      'TRIAGE_CONFIG_INVALID',
      `content store write key id "${encryption.writeKeyId}" is not one of the configured keys`,
    );
  }
  return { keys, writeKeyId: encryption.writeKeyId, writeKey };
}
