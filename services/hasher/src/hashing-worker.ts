// A hashing worker thread (see createPooledMediaHasher): one content store per thread.
import { workerData } from 'node:worker_threads';
import { ContentStore } from '@triage/content-store';
import { type HashJobResult, hashStoredMedia } from './media-hasher.ts';

const { contentStoreRoot, maxPixels } = workerData as { contentStoreRoot: string; maxPixels: number };
const store = new ContentStore({ root: contentStoreRoot });

export default function hashJob(sha256: string): Promise<HashJobResult> {
  return hashStoredMedia(store, sha256, maxPixels);
}
