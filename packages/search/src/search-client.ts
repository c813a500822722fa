import { Client, errors } from '@elastic/elasticsearch';
import { TriageError } from '@triage/errors';

export type SearchClient = Client;

export interface SearchClientOptions {
  /** Elasticsearch base URL (`ELASTICSEARCH_URL`). */
  url: string;
  /** Per request; a bulk of a batch takes well under a second here. Default 30 s. */
  requestTimeoutMs?: number;
}

/**
 * A client of the 8.x line (the server is 8.19: a 9.x client's compatibility header is refused).
 * It never retries by itself: the callers own retries (the indexer holds off its partitions).
 */
export function createSearchClient(options: SearchClientOptions): SearchClient {
  return new Client({
    node: options.url,
    maxRetries: 0,
    requestTimeout: options.requestTimeoutMs ?? 30_000,
  });
}

/**
 * A client failure as a TriageError: unreachable, timed out or a 5xx/429 answer is
 * `TRIAGE_ELASTICSEARCH_UNAVAILABLE` (retryable: wait for it to come back); any other answer
 * is `TRIAGE_ELASTICSEARCH_REJECTED`. The message names the action, never a document.
 */
export function searchError(error: unknown, action: string): TriageError {
  if (error instanceof TriageError) return error;
  if (error instanceof errors.ResponseError) {
    const status = error.statusCode ?? 0;
    const type = (error.body as { error?: { type?: string } } | undefined)?.error?.type ?? 'error';
    const code =
      status === 429 || status >= 500 ? 'TRIAGE_ELASTICSEARCH_UNAVAILABLE' : 'TRIAGE_ELASTICSEARCH_REJECTED';
    return new TriageError(code, `${action}: Elasticsearch answered ${status} (${type})`, { cause: error });
  }
  const name = error instanceof Error ? error.name : 'error';
  return new TriageError(
    'TRIAGE_ELASTICSEARCH_UNAVAILABLE',
    `${action}: Elasticsearch unreachable (${name})`,
    {
      cause: error,
    },
  );
}
