/**
 * The search indices: one versioned index per document kind, read through an alias. A mapping
 * change is a new version: a new index (from its own template) that the indexer fills by replaying
 * its topics under a new consumer group, after which the alias moves (Elasticsearch here has no
 * `_reindex`, `_update_by_query` or painless, so replay is the only way to refill).
 */

/** A string searched as a whole (ids, hashes, codes); long values are kept but not indexed. */
const keyword = { type: 'keyword', ignore_above: 1024 } as const;
/** Identifiers: never truncated, so a lookup by id always finds its document. */
const id = { type: 'keyword' } as const;
const epochMillis = { type: 'date', format: 'epoch_millis' } as const;

/** Strings not named in a mapping become keywords (never analysed text, never a date guess). */
const commonMappings = {
  date_detection: false,
  numeric_detection: false,
  dynamic_templates: [{ strings: { match_mapping_type: 'string', mapping: keyword } }],
} as const;

export interface IndexSpec {
  /** Base name; the deployed alias is `<prefix><name>`, the index `<prefix><name>-v<version>`. */
  readonly name: string;
  /** Bumped on every mapping change: the indexer then replays into a new index. */
  readonly version: number;
  readonly description: string;
  readonly mappings: Readonly<Record<string, unknown>>;
}

export const searchIndices = {
  cases: {
    name: 'triage-cases',
    // v2: `queueTier` (the override, else the scored tier) that the queue filters and sorts on.
    version: 2,
    description:
      'One document per report: the newest case, the report text for full-text search and the analysts\u2019 state (status, assignee, disposition).',
    mappings: {
      ...commonMappings,
      properties: {
        reportId: id,
        hasCase: { type: 'boolean' },
        version: { type: 'integer' },
        score: { type: 'float' },
        tier: keyword,
        queueTier: keyword,
        provisional: { type: 'boolean' },
        itemsExpected: { type: 'integer' },
        itemsSeen: { type: 'integer' },
        updatedAt: epochMillis,
        report: {
          properties: {
            receivedAt: epochMillis,
            incidentDateTime: epochMillis,
            ncmecPriority: { type: 'integer' },
          },
        },
        items: { properties: { nearestDistance: { type: 'integer' }, categories: { type: 'integer' } } },
        reasons: { type: 'object', enabled: false },
        reportText: {
          properties: { version: { type: 'integer' }, text: { type: 'text' } },
        },
        triage: {
          properties: {
            lastActionAt: epochMillis,
            actionCount: { type: 'integer' },
          },
        },
      },
    },
  },
  items: {
    name: 'triage-items',
    version: 1,
    description: 'One document per item: its hashes, list matches, dedupe facts and network enrichment.',
    mappings: {
      ...commonMappings,
      properties: {
        itemId: id,
        reportId: id,
        sha256: id,
        md5: id,
        sha1: id,
        pdq: id,
        receivedAt: epochMillis,
        reportVersion: { type: 'integer' },
        matches: {
          type: 'nested',
          properties: { distance: { type: 'integer' }, category: { type: 'integer' } },
        },
        dedupe: { properties: { firstSeenAt: epochMillis, reportCount: { type: 'integer' } } },
      },
    },
  },
  media: {
    name: 'triage-media',
    // v2: `pdqSegments`, the PDQ hash as 16 keyword segments (near search by multi-index hashing).
    version: 2,
    description:
      'One document per distinct file (sha256): every hash, its near-duplicate cluster, first sighting, sighting count and the reports that carry it.',
    mappings: {
      ...commonMappings,
      properties: {
        sha256: id,
        md5: id,
        sha1: id,
        pdq: id,
        pdqSegments: id,
        clusterId: id,
        firstSeenAt: epochMillis,
        sightings: { type: 'integer' },
        reportIds: id,
      },
    },
  },
  actions: {
    name: 'triage-actions',
    version: 1,
    description: 'One document per analyst action: the history of a case.',
    mappings: {
      ...commonMappings,
      properties: { actionId: id, reportId: id, at: epochMillis, payload: { type: 'flattened' } },
    },
  },
  audit: {
    name: 'triage-audit',
    version: 1,
    description: 'One document per audit event (who read or changed what, when, with what outcome).',
    mappings: {
      ...commonMappings,
      properties: {
        eventId: id,
        at: epochMillis,
        resultCount: { type: 'integer' },
        query: { type: 'text' },
        // AuditEvent v2's hash-chain link: one chain per writer, ordered by sequence.
        chain: { properties: { chainId: id, sequence: { type: 'long' }, previousHash: id, hash: id } },
      },
    },
  },
} as const satisfies Record<string, IndexSpec>;

export type SearchIndexId = keyof typeof searchIndices;

export interface IndexNames {
  /** What readers query (and the API's only name for it). */
  alias: string;
  /** The concrete index of this spec's version: what the indexer writes. */
  index: string;
  /** The index template that gives the index its settings and mappings. */
  template: string;
}

/**
 * Names under a deployment prefix (the Kafka topic prefix, lower-cased: index names must be), so
 * tests and tenants sharing a cluster never see each other's indices.
 */
export function indexNames(prefix: string, spec: IndexSpec, lane?: string): IndexNames {
  const base = `${indexPrefix(prefix)}${spec.name}`;
  const version = `${base}-v${spec.version}`;
  // A rebuild lane fills a copy of the version beside the live one: `<name>-v<version>.<lane>`.
  return { alias: base, index: lane === undefined ? version : `${version}.${lane}`, template: version };
}

export function indexPrefix(topicPrefix: string): string {
  return topicPrefix.toLowerCase();
}

export interface TemplateOptions {
  /** Replicas per shard: 0 on a single node (local stack, tests), 1 or more in production. */
  replicas: number;
}

/** The body of `PUT _index_template/<template>` for one spec's version. */
export function indexTemplate(prefix: string, spec: IndexSpec, options: TemplateOptions) {
  const names = indexNames(prefix, spec);
  return {
    name: names.template,
    // The version's index and every rebuild lane's copy of it.
    index_patterns: [names.template, `${names.template}.*`],
    // Above the built-in templates' 100, so no stock pattern wins over ours.
    priority: 200,
    template: {
      settings: { number_of_shards: 1, number_of_replicas: options.replicas },
      mappings: spec.mappings,
    },
    _meta: { description: spec.description, version: spec.version },
  };
}
