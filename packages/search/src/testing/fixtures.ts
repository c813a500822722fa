// Test helpers on the real Elasticsearch: import from '@triage/search/testing/fixtures' in tests only.
import { indexNames, indexPrefix, type SearchIndexId, searchIndices } from '../index-catalogue.ts';
import { createSearchClient, type SearchClient } from '../search-client.ts';

export const elasticsearchUrl = process.env.ELASTICSEARCH_URL ?? 'http://127.0.0.1:9200';

export interface SearchFixture {
  client: SearchClient;
  /** The index prefix of this test (the Kafka topic prefix, lower-cased). */
  prefix: string;
  /** The alias of an index under this test's prefix. */
  alias(id: SearchIndexId): string;
}

/**
 * For a vitest fixture: a client and this test's prefix, and afterwards every index and template
 * under the prefix deleted. Extend a Kafka fixture with it, so topics and indices share a prefix:
 * `kafkaTest.extend({ search: ({ kafka }, use) => useSearchFixture(kafka.connection.topicPrefix!, use) })`.
 */
export async function useSearchFixture(
  topicPrefix: string,
  use: (fixture: SearchFixture) => Promise<void>,
): Promise<void> {
  const prefix = indexPrefix(topicPrefix);
  const client = createSearchClient({ url: elasticsearchUrl });
  try {
    await use({ client, prefix, alias: (id) => indexNames(prefix, searchIndices[id]).alias });
  } finally {
    await deletePrefixedIndices(client, prefix);
    await client.close();
  }
}

/** Deletes every index and index template under `prefix` (refuses an empty prefix). */
export async function deletePrefixedIndices(client: SearchClient, prefix: string): Promise<void> {
  if (prefix === '') throw new Error('refusing to delete indices without a prefix');
  await client.indices.delete({ index: `${prefix}*`, ignore_unavailable: true, allow_no_indices: true });
  await client.indices.deleteIndexTemplate({ name: `${prefix}*` }).catch(() => undefined);
}
