/**
 * Loads the corpus into a benchmark deployment whose indices come from the real catalogue
 * (`ensureSearchIndices`: the production templates and mappings), or finds it already loaded by the
 * same generator version and seed and reuses it. A marker document, written last, says a load
 * completed; a load that died half-way has none and is rebuilt.
 */
import {
  ensureSearchIndices,
  indexNames,
  type SearchClient,
  type SearchIndexId,
  searchIndices,
} from '@triage/search';
import { CorpusGenerator, type CorpusOptions, corpusVersion } from './corpus.ts';

/** The fields of the marker that must match for a reuse. */
export interface CorpusMarker {
  version: number;
  seed: number;
  cases: number;
  itemsPerCase: number;
}

export interface LoadedCorpus {
  reused: boolean;
  /** Generation and bulk load, refresh included (0 when reused). */
  seconds: number;
  documents: number;
}

export interface LoadCorpusOptions {
  client: SearchClient;
  /** The benchmark deployment's index prefix (never a real deployment's). */
  prefix: string;
  corpus: CorpusOptions;
  /** Reuse a complete corpus of the same marker instead of rebuilding. */
  reuse: boolean;
  log: (message: string) => void;
}

const corpusIndices: readonly SearchIndexId[] = ['cases', 'items', 'media'];
/** Documents per `_bulk` (about 3 MB of items) and requests in flight: enough to keep two cores busy. */
const bulkDocuments = 2_000;
const inFlight = 2;

const markerIndex = (prefix: string) => `${prefix}bench-corpus`;

export function corpusMarker(corpus: CorpusOptions): CorpusMarker {
  return {
    version: corpusVersion,
    seed: corpus.seed,
    cases: corpus.cases,
    itemsPerCase: corpus.itemsPerCase,
  };
}

/** True when the stored marker is this corpus's (a reuse also needs the counts to match). */
export function sameCorpus(stored: Partial<CorpusMarker> | undefined, wanted: CorpusMarker): boolean {
  return (
    stored !== undefined &&
    stored.version === wanted.version &&
    stored.seed === wanted.seed &&
    stored.cases === wanted.cases &&
    stored.itemsPerCase === wanted.itemsPerCase
  );
}

export async function loadCorpus(options: LoadCorpusOptions): Promise<LoadedCorpus> {
  const { client, prefix, corpus, log } = options;
  const wanted = corpusMarker(corpus);
  if (options.reuse && (await reusable(client, prefix, wanted))) {
    log(`reusing the corpus under ${prefix} (seed ${corpus.seed}, version ${corpusVersion})`);
    return { reused: true, seconds: 0, documents: 0 };
  }
  log(
    `building the corpus under ${prefix}: ${corpus.cases} cases, ${corpus.cases * corpus.itemsPerCase} items`,
  );
  await deleteCorpus(client, prefix);
  const started = performance.now();
  await ensureSearchIndices({ client, prefix, replicas: 0 });
  const index = (id: SearchIndexId) => indexNames(prefix, searchIndices[id]).index;
  const indices = corpusIndices.map(index);
  // Bulk-loading practice: no refresh while loading (the templates' own settings come back after).
  await client.indices.putSettings({ index: indices, settings: { index: { refresh_interval: '-1' } } });

  const generator = new CorpusGenerator(corpus);
  const pending = new Set<Promise<void>>();
  let operations: object[] = [];
  let documents = 0;
  let lastLog = performance.now();
  const flush = async () => {
    if (operations.length === 0) return;
    const body = operations;
    operations = [];
    const sending = bulk(client, body).finally(() => pending.delete(sending));
    pending.add(sending);
    if (pending.size >= inFlight) await Promise.race(pending);
  };
  const add = async (id: SearchIndexId, docId: string, document: object) => {
    operations.push({ index: { _index: index(id), _id: docId } }, document);
    documents += 1;
    if (operations.length >= bulkDocuments * 2) await flush();
  };
  for (let n = 0; n < corpus.cases; n++) {
    const report = generator.report(n);
    await add('cases', report.reportId, report.caseDocument);
    for (const item of report.items) await add('items', item.id, item.document);
    for (const media of report.media) await add('media', media.sha256, media);
    if (performance.now() - lastLog > 15_000) {
      lastLog = performance.now();
      const rate = documents / ((lastLog - started) / 1000);
      log(`loaded ${n + 1} / ${corpus.cases} cases (${documents} documents, ${Math.round(rate)} docs/s)`);
    }
  }
  for (const media of generator.sharedMedia()) await add('media', media.sha256, media);
  await flush();
  await Promise.all(pending);
  // null puts the setting back to the template's (which sets none: Elasticsearch's default).
  const templateRefresh = null as unknown as string;
  await client.indices.putSettings({
    index: indices,
    settings: { index: { refresh_interval: templateRefresh } },
  });
  await client.indices.refresh({ index: indices });
  const seconds = (performance.now() - started) / 1000;
  await client.indices.create({
    index: markerIndex(prefix),
    settings: { number_of_shards: 1, number_of_replicas: 0 },
  });
  await client.index({
    index: markerIndex(prefix),
    id: 'corpus',
    document: { ...wanted, documents, seconds },
    refresh: true,
  });
  log(`loaded ${documents} documents in ${seconds.toFixed(0)} s`);
  return { reused: false, seconds, documents };
}

async function bulk(client: SearchClient, operations: object[]): Promise<void> {
  const response = await client.bulk({ operations });
  if (response.errors) {
    const failed = response.items.find((item) => Object.values(item)[0]?.error);
    throw new Error(`corpus bulk load: ${JSON.stringify(Object.values(failed ?? {})[0]?.error)}`);
  }
}

async function reusable(client: SearchClient, prefix: string, wanted: CorpusMarker): Promise<boolean> {
  const stored = await client
    .get<Partial<CorpusMarker>>({ index: markerIndex(prefix), id: 'corpus' })
    .then((hit) => hit._source)
    .catch(() => undefined);
  if (!sameCorpus(stored, wanted)) return false;
  const count = async (id: SearchIndexId) =>
    (await client.count({ index: indexNames(prefix, searchIndices[id]).alias })).count;
  return (
    (await count('cases')) === wanted.cases && (await count('items')) === wanted.cases * wanted.itemsPerCase
  );
}

/** Waits until no merge runs on the deployment's indices (a fresh load merges for a while), at most 10 minutes. */
export async function settleMerges(
  client: SearchClient,
  prefix: string,
  log: (message: string) => void,
): Promise<void> {
  const until = performance.now() + 600_000;
  while (performance.now() < until) {
    const stats = await client.indices.stats({ index: `${prefix}triage-*`, metric: ['merge'] });
    const running = stats._all?.primaries?.merges?.current ?? 0;
    if (running === 0) return;
    log(`waiting for ${running} background merge(s) to finish`);
    await new Promise((resolve) => setTimeout(resolve, 5_000));
  }
}

/** Deletes the deployment's indices, templates and marker (only names under the benchmark prefix). */
export async function deleteCorpus(client: SearchClient, prefix: string): Promise<void> {
  if (!/^bench-/.test(prefix))
    throw new Error(`refusing to delete indices under "${prefix}": not a bench prefix`);
  await client.indices.delete({ index: `${prefix}*`, ignore_unavailable: true, allow_no_indices: true });
  await client.indices.deleteIndexTemplate({ name: `${prefix}*` }).catch(() => undefined);
}
