import { setTimeout as sleep } from 'node:timers/promises';
import type { TriageError } from '@triage/errors';
import { type IndexSpec, indexNames, indexTemplate, searchIndices } from './index-catalogue.ts';
import { type SearchClient, searchError } from './search-client.ts';

export interface IndexSetupOptions {
  client: SearchClient;
  /** Deployment prefix (the Kafka topic prefix). */
  prefix: string;
  /** Replicas per shard (0 on one node). */
  replicas: number;
  /** Which indices; default all of `searchIndices`. */
  specs?: readonly IndexSpec[];
  /** A rebuild lane's name: its copies of the indices are created (the aliases stay where they are). */
  lane?: string;
}

/**
 * Idempotently puts each spec's template, creates its versioned index, and points the alias at it
 * when the alias does not exist yet. An alias already on an older version is left where it is:
 * readers move to a new version once its replay has caught up (`promoteAlias`).
 */
export async function ensureSearchIndices(options: IndexSetupOptions): Promise<void> {
  const { client, prefix } = options;
  for (const spec of options.specs ?? Object.values(searchIndices)) {
    const names = indexNames(prefix, spec, options.lane);
    const { name, ...template } = indexTemplate(prefix, spec, { replicas: options.replicas });
    try {
      await client.indices.putIndexTemplate({ name, ...template });
      if (!(await client.indices.exists({ index: names.index }))) {
        await client.indices
          .create({ index: names.index })
          .catch((error: unknown) => (alreadyExists(error) ? undefined : Promise.reject(error)));
      }
      if (!(await client.indices.existsAlias({ name: names.alias }))) {
        await client.indices.putAlias({ index: names.index, name: names.alias });
      }
    } catch (error) {
      throw searchError(error, `set up index ${names.index}`);
    }
  }
}

/**
 * `ensureSearchIndices` for a stage's start: while Elasticsearch is unreachable (a retryable
 * failure), waits and tries again, with backoff up to 30 s, calling `onWait` on the first attempt
 * and every tenth; aborting `signal` (the stage stopping) ends the wait with the last failure.
 */
export async function ensureSearchIndicesWhenReachable(
  options: IndexSetupOptions & {
    signal: AbortSignal;
    onWait: (failure: TriageError, attempt: number) => void;
  },
): Promise<void> {
  const { signal, onWait, ...setup } = options;
  for (let attempt = 1; ; attempt++) {
    try {
      await ensureSearchIndices(setup);
      return;
    } catch (error) {
      const failure = searchError(error, 'set up indices');
      if (!failure.retryable || signal.aborted) throw failure;
      if (attempt === 1 || attempt % 10 === 0) onWait(failure, attempt);
      await sleep(Math.min(30_000, 500 * 2 ** (attempt - 1)), undefined, { signal }).catch(() => {
        throw failure;
      });
    }
  }
}

/**
 * Moves a spec's alias to this version's index (or a rebuild lane's copy of it) in one atomic
 * step, after a replay has filled it; the index it leaves stays as it is.
 */
export async function promoteAlias(
  client: SearchClient,
  prefix: string,
  spec: IndexSpec,
  lane?: string,
): Promise<void> {
  const names = indexNames(prefix, spec, lane);
  try {
    await client.indices.updateAliases({
      actions: [
        { remove: { index: `${names.alias}-v*`, alias: names.alias, must_exist: false } },
        { add: { index: names.index, alias: names.alias } },
      ],
    });
  } catch (error) {
    throw searchError(error, `promote ${names.index}`);
  }
}

function alreadyExists(error: unknown): boolean {
  const body = (error as { body?: { error?: { type?: string } } }).body;
  return body?.error?.type === 'resource_already_exists_exception';
}
