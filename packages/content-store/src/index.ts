export {
  type ContentStoreConfig,
  checkContentStoreConfig,
  contentStoreEnv,
  contentStoreOptionsFromConfig,
} from './config.ts';
export { ContentStore, type RewriteOutcome, type WithdrawnContent } from './content-store.ts';
export { type EncryptExistingCounts, encryptExisting } from './encrypt-existing.ts';
export { EphemeralCipher } from './ephemeral-cipher.ts';
export type { ContentStoreEncryption, ContentStoreOptions } from './options.ts';
export { createPrivateFile, makePrivateDir, removeStaleFiles, writePrivateFile } from './private-files.ts';
export type { SealedFileReader } from './sealed-file-reader.ts';
export type { StagedContent, StoredContent } from './types.ts';
