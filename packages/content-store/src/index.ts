export {
  type ContentStoreConfig,
  checkContentStoreConfig,
  contentStoreEnv,
  contentStoreOptionsFromConfig,
} from './config.ts';
export { ContentStore } from './content-store.ts';
export type { ContentStoreEncryption, ContentStoreOptions } from './options.ts';
export type { StagedContent, StoredContent } from './types.ts';
