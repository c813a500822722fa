// A hashing worker thread (see createPooledMediaHasher): one content store per thread, opened
// with the same options (and keys) as the parent's, so an encrypted store hashes the same.
import { workerData } from 'node:worker_threads';
import { ContentStore } from '@triage/content-store';
import { type HashingWorkerData, type HashJobResult, hashStoredMedia } from './media-hasher.ts';

const { contentStore, maxPixels } = workerData as HashingWorkerData;
const store = new ContentStore(contentStore);

export default function hashJob(sha256: string): Promise<HashJobResult> {
  return hashStoredMedia(store, sha256, maxPixels);
}
