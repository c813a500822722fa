// Closed-loop load: N clients, each sending its next request as soon as the previous answer is
// read. The same loop drives intake and the baselines, so their figures compare.
import { Readable } from 'node:stream';
import type { ContentStore } from '@triage/content-store';
import type { SmallRequest } from './small-bundles.ts';

export interface LoadResult {
  readonly requests: number;
  readonly seconds: number;
  /** Media bytes carried (the files, not the manifest or the framing). */
  readonly mediaBytes: number;
  /** Per request, in the order they finished. */
  readonly latenciesMs: readonly number[];
}

async function closedLoop(
  count: number,
  concurrency: number,
  one: (index: number) => Promise<number>,
): Promise<LoadResult> {
  const latenciesMs: number[] = [];
  let next = 0;
  let mediaBytes = 0;
  const started = performance.now();
  const client = async () => {
    for (let index = next++; index < count; index = next++) {
      const t = performance.now();
      // Awaited first: `x += await y` would read x before the await and lose other clients' bytes.
      const bytes = await one(index);
      mediaBytes += bytes;
      latenciesMs.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  return { requests: count, seconds: (performance.now() - started) / 1000, mediaBytes, latenciesMs };
}

/** POSTs every request to `url`; any answer but 202 stops the run with the answer's body. */
export function httpLoad(
  url: string,
  requests: readonly SmallRequest[],
  concurrency: number,
  keyFor: (index: number) => string | undefined,
): Promise<LoadResult> {
  return closedLoop(requests.length, concurrency, async (index) => {
    const request = requests[index]!;
    const key = keyFor(index);
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': request.contentType,
        ...(key === undefined ? {} : { authorization: `Bearer ${key}` }),
      },
      body: request.body,
    });
    const text = await response.text();
    if (response.status !== 202)
      throw new Error(`request ${index}: ${response.status} ${text.slice(0, 500)}`);
    return request.files.reduce((sum, file) => sum + file.length, 0);
  });
}

/** The storage baseline: each bundle's files put into the store one after the other, no HTTP. */
export function storeLoad(
  store: ContentStore,
  requests: readonly SmallRequest[],
  concurrency: number,
): Promise<LoadResult> {
  return closedLoop(requests.length, concurrency, async (index) => {
    let bytes = 0;
    for (const file of requests[index]!.files) {
      await store.put(Readable.from([file]));
      bytes += file.length;
    }
    return bytes;
  });
}
