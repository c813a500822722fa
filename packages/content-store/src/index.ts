export { ContentStore, type ContentStoreOptions, type StoredContent } from './content-store.ts';
