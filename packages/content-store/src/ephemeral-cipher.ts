import { createSecretKey, type KeyObject, randomBytes } from 'node:crypto';
import type { Transform } from 'node:stream';
import { createEncryptor } from './encrypted-format.ts';
import { SealedFileReader } from './sealed-file-reader.ts';

const ephemeralKeyId = 'ephemeral';

/**
 * Encryption for one temporary file (intake's ZIP spool) under a key that exists only in this
 * object: nothing on disk or in the configuration can decrypt it, so a crash leaves unreadable
 * bytes for the sweep to remove. The file is in the store's segment format (version 1: it has no
 * content address to bind), so it is read back at random offsets (`SealedFileReader.range`).
 */
export class EphemeralCipher {
  readonly #key: KeyObject = createSecretKey(randomBytes(32));

  /** Plaintext in, the encrypted file's bytes out. */
  encryptor(): Transform {
    return createEncryptor(this.#key, ephemeralKeyId);
  }

  /** Opens a file this cipher wrote, for reading any range of its plaintext. */
  open(file: string): Promise<SealedFileReader> {
    return SealedFileReader.openFile(file, ephemeralKeyId, this.#key);
  }
}
