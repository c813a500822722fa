import { type Admin, ListOffsetTimestamps } from '@platformatic/kafka';
import {
  allTopics,
  consumerLag,
  deadLetterHeaders,
  deadLetterSpec,
  deployedTopic,
  type KafkaConnection,
  PartitionReader,
  stateTopics,
  topicOffsets,
  topicPartitions,
  withDeadLetterTopics,
} from '@triage/messaging';
import { indexNames, type SearchClient, searchIndices } from '@triage/search';
import { stageInputs } from './stage-groups.ts';
import {
  type DeadLetterTopicStatus,
  type ElasticsearchStatus,
  type IndexStatus,
  type KafkaStatus,
  type Section,
  type ServiceReadiness,
  type StageSample,
  type StageStatus,
  type StateStoreStatus,
  type StatusReport,
  statusProblems,
  withTrend,
} from './status-report.ts';

/** Everything `collectStatus` reads from; the command builds it once per run. */
export interface StatusDeps {
  /** An admin client with short timeouts: a dead broker must show within one collection. */
  admin: Admin;
  connection: KafkaConnection;
  search: SearchClient;
  /** Base URLs of the HTTP services whose `/readyz` is asked. */
  services: readonly { name: string; url: string }[];
  /** Where the stages' group ids come from (the services' `*_GROUP_ID` variables). */
  env: NodeJS.ProcessEnv;
  /** Dead letters counted over this window back from now (one hour). */
  deadLetterWindowMs: number;
  /** Per HTTP readiness probe. */
  httpTimeoutMs: number;
  now: () => number;
}

/** Each stage's group state, members, lag and position; rates against `previous` when given. */
export async function sampleStages(deps: StatusDeps, previous?: StageSample): Promise<StageSample> {
  const rows = stageInputs(deps.connection, deps.env).map(({ stage, groupId, topic }) => ({
    stage,
    groupId,
    topic,
  }));
  const groups = await deps.admin
    .describeGroups({ groups: [...new Set(rows.map((row) => row.groupId))] })
    .catch(() => undefined);
  const at = deps.now();
  const seconds = previous ? (at - previous.at) / 1000 : null;
  const stages = await Promise.all(
    rows.map(async (row): Promise<StageStatus> => {
      const group = groups?.get(row.groupId);
      const base = {
        ...row,
        state: group?.state ?? null,
        members: group ? group.members.size : null,
        rate: null,
        pendingChange: null,
      };
      try {
        const lag = await consumerLag(deps.admin, row.groupId, row.topic);
        return withTrend({ ...base, pending: lag.pending, position: lag.position }, previous, seconds);
      } catch (error) {
        return { ...base, pending: null, position: null, error: messageOf(error) };
      }
    }),
  );
  return { at, stages };
}

/**
 * One status report. Every part fails soft: a part that cannot be read says why in its section,
 * and the rest is still collected. The stage sample is returned for the next collection's rates.
 */
export async function collectStatus(
  deps: StatusDeps,
  previous?: StageSample,
): Promise<{ report: StatusReport; sample: StageSample }> {
  const takenAt = new Date(deps.now()).toISOString();
  const [kafkaParts, searchParts, services] = await Promise.all([
    collectKafka(deps, previous),
    collectSearch(deps),
    Promise.all(deps.services.map((service) => readiness(service, deps.httpTimeoutMs))),
  ]);
  const { sample, ...kafka } = kafkaParts;
  const body = {
    takenAt,
    topicPrefix: deps.connection.topicPrefix ?? '',
    sampleSeconds: previous && sample ? (sample.at - previous.at) / 1000 : null,
    deadLetterWindowMinutes: Math.round(deps.deadLetterWindowMs / 60_000),
    ...kafka,
    ...searchParts,
    services,
  };
  const problems = statusProblems(body);
  return {
    report: { ...body, problems, healthy: problems.length === 0 },
    // Kafka down: the next rates are taken against the last sample that was read.
    sample: sample ?? previous ?? { at: deps.now(), stages: [] },
  };
}

/** The Kafka parts; when the cluster does not answer, the parts that need it are not tried. */
async function collectKafka(deps: StatusDeps, previous: StageSample | undefined) {
  const kafka = await section(() => kafkaStatus(deps));
  if (!kafka.ok) {
    const skipped = { ok: false, error: 'not collected: Kafka unreachable' } as const;
    return { kafka, stages: skipped, deadLetters: skipped, stateStores: skipped, sample: undefined };
  }
  const [sample, deadLetters, stateStores] = await Promise.all([
    sampleStages(deps, previous),
    section(() => deadLetterStatus(deps)),
    section(() => stateStoreStatus(deps)),
  ]);
  const stages: Section<StageStatus[]> = { ok: true, data: [...sample.stages] };
  return { kafka, stages, deadLetters, stateStores, sample };
}

/** Elasticsearch's health, then the index aliases unless it does not answer. */
async function collectSearch(deps: StatusDeps) {
  const elasticsearch = await section(() => elasticsearchStatus(deps.search));
  const indices: Section<IndexStatus[]> = elasticsearch.ok
    ? await section(() => indexStatus(deps))
    : { ok: false, error: 'not collected: Elasticsearch unreachable' };
  return { elasticsearch, indices };
}

async function section<T>(collect: () => Promise<T>): Promise<Section<T>> {
  try {
    return { ok: true, data: await collect() };
  } catch (error) {
    return { ok: false, error: messageOf(error) };
  }
}

/**
 * The error's message and, when the client wrapped it ("metadata failed 2 times"), the innermost
 * cause (`connect ECONNREFUSED ...`), which is what an operator acts on.
 */
function messageOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  let root: unknown = error;
  for (let depth = 0; depth < 10; depth += 1) {
    const inner =
      (root as { errors?: unknown[] } | null)?.errors?.[0] ?? (root as { cause?: unknown } | null)?.cause;
    if (inner === undefined || inner === null || inner === root) break;
    root = inner;
  }
  const cause = root === error ? '' : ` (${root instanceof Error ? root.message : String(root)})`;
  return `${message}${cause}`.slice(0, 300);
}

/** Brokers, controller, and the catalogue topics' presence and replication. */
async function kafkaStatus(deps: StatusDeps): Promise<KafkaStatus> {
  const wanted = withDeadLetterTopics(allTopics).map((spec) => deployedTopic(deps.connection, spec.name));
  const existing = new Set(await deps.admin.listTopics({ includeInternals: false }));
  const present = wanted.filter((topic) => existing.has(topic));
  const metadata = await deps.admin.metadata({ topics: present });
  let underReplicated = 0;
  let offline = 0;
  for (const topic of present) {
    for (const partition of metadata.topics.get(topic)?.partitions ?? []) {
      if (partition.isr.length < partition.replicas.length) underReplicated += 1;
      if (partition.leader < 0) offline += 1;
    }
  }
  return {
    brokers: [...metadata.brokers].map(([id, broker]) => ({ id, host: broker.host, port: broker.port })),
    controllerId: metadata.controllerId,
    topics: present.length,
    missingTopics: wanted.filter((topic) => !existing.has(topic)),
    underReplicated,
    offline,
  };
}

/** Per dead-letter topic: how many arrived in the window, by stage and code, read from the headers. */
async function deadLetterStatus(deps: StatusDeps): Promise<DeadLetterTopicStatus[]> {
  const since = BigInt(deps.now() - deps.deadLetterWindowMs);
  const topics = allTopics
    .filter((spec) => spec.deadLetter)
    .map((spec) => deployedTopic(deps.connection, deadLetterSpec(spec).name));
  return Promise.all(
    topics.map(async (topic): Promise<DeadLetterTopicStatus> => {
      try {
        const partitions = await topicPartitions(deps.admin, topic);
        if (partitions.length === 0) throw new Error(`${topic} does not exist`);
        const [from, ends, starts] = await Promise.all([
          topicOffsets(deps.admin, topic, partitions, since),
          topicOffsets(deps.admin, topic, partitions, ListOffsetTimestamps.LATEST),
          topicOffsets(deps.admin, topic, partitions, ListOffsetTimestamps.EARLIEST),
        ]);
        const retained = sum(partitions.map((p) => (ends.get(p) ?? 0n) - (starts.get(p) ?? 0n)));
        const inWindow = sum(partitions.map((p) => (ends.get(p) ?? 0n) - (from.get(p) ?? 0n)));
        // Read only when something arrived: a reader joins a group of its own, which takes a moment.
        const counts = inWindow > 0 ? await countByHeaders(deps.connection, topic, from, ends) : new Map();
        const byCode = [...counts]
          .map(([key, count]) => {
            const [stage = '', code = ''] = key.split('\u0000');
            return { stage, code, count };
          })
          .sort(
            (a, b) => b.count - a.count || a.stage.localeCompare(b.stage) || a.code.localeCompare(b.code),
          );
        return { topic, recent: byCode.reduce((total, entry) => total + entry.count, 0), retained, byCode };
      } catch (error) {
        return { topic, recent: 0, retained: 0, byCode: [], error: messageOf(error) };
      }
    }),
  );
}

/**
 * Reads a dead-letter topic from `from` up to `ends` with a throwaway reader and counts by stage
 * and code, values left encoded (records written meanwhile are left for the next collection).
 */
async function countByHeaders(
  connection: KafkaConnection,
  topic: string,
  from: ReadonlyMap<number, bigint>,
  ends: ReadonlyMap<number, bigint>,
): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const reader = new PartitionReader({ connection, topic, name: 'status-dlq' });
  try {
    await reader.readToEnd((record) => {
      if (record.offset >= (ends.get(record.partition) ?? 0n)) return;
      const stage = record.headers?.[deadLetterHeaders.stage] ?? '?';
      const code = record.headers?.[deadLetterHeaders.errorCode] ?? '?';
      const key = `${stage}\u0000${code}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }, from);
  } finally {
    await reader.close();
  }
  return counts;
}

/** Each state topic's partitions, approximate records and bytes on disk. */
async function stateStoreStatus(deps: StatusDeps): Promise<StateStoreStatus[]> {
  const topics = Object.values(stateTopics).map((spec) => deployedTopic(deps.connection, spec.name));
  const partitionsOf = new Map(
    await Promise.all(
      topics.map(async (topic) => [topic, await topicPartitions(deps.admin, topic)] as const),
    ),
  );
  const present = topics.filter((topic) => (partitionsOf.get(topic)?.length ?? 0) > 0);
  const bytes = await deps.admin
    .describeLogDirs({
      topics: present.map((name) => ({ name, partitions: partitionsOf.get(name) ?? [] })),
    })
    .then((brokers) => {
      const sizes = new Map<string, number>();
      for (const broker of brokers)
        for (const dir of broker.results)
          for (const topic of dir.topics)
            for (const partition of topic.partitions)
              sizes.set(topic.name, (sizes.get(topic.name) ?? 0) + Number(partition.partitionSize));
      return sizes;
    })
    .catch(() => undefined);
  return Promise.all(
    topics.map(async (topic): Promise<StateStoreStatus> => {
      const partitions = partitionsOf.get(topic) ?? [];
      if (partitions.length === 0)
        return { topic, partitions: 0, approxRecords: 0, bytes: null, error: `${topic} does not exist` };
      try {
        const [ends, starts] = await Promise.all([
          topicOffsets(deps.admin, topic, partitions, ListOffsetTimestamps.LATEST),
          topicOffsets(deps.admin, topic, partitions, ListOffsetTimestamps.EARLIEST),
        ]);
        const approxRecords = sum(partitions.map((p) => (ends.get(p) ?? 0n) - (starts.get(p) ?? 0n)));
        return { topic, partitions: partitions.length, approxRecords, bytes: bytes?.get(topic) ?? null };
      } catch (error) {
        return {
          topic,
          partitions: partitions.length,
          approxRecords: 0,
          bytes: null,
          error: messageOf(error),
        };
      }
    }),
  );
}

async function elasticsearchStatus(search: SearchClient): Promise<ElasticsearchStatus> {
  const health = await search.cluster.health();
  return { clusterName: health.cluster_name, status: String(health.status), nodes: health.number_of_nodes };
}

/** For each catalogue index: where its alias points, and every version that exists with its documents. */
async function indexStatus(deps: StatusDeps): Promise<IndexStatus[]> {
  const prefix = deps.connection.topicPrefix ?? '';
  return Promise.all(
    Object.entries(searchIndices).map(async ([id, spec]): Promise<IndexStatus> => {
      const { alias } = indexNames(prefix, spec);
      const found = await deps.search.indices.get({
        index: `${alias}-v*`,
        allow_no_indices: true,
        ignore_unavailable: true,
      });
      // `<alias>-v<version>`, or a rebuild lane's copy `<alias>-v<version>.<lane>`.
      const pattern = new RegExp(`^${escapeRegExp(alias)}-v(\\d+)(?:\\.([a-z0-9-]+))?$`);
      const versions = Object.entries(found)
        .flatMap(([index, state]) => {
          const match = pattern.exec(index);
          if (!match) return [];
          const aliased = alias in (state.aliases ?? {});
          return [{ index, version: Number(match[1]), lane: match[2] ?? null, aliased }];
        })
        .sort((a, b) => a.version - b.version || (a.lane ?? '').localeCompare(b.lane ?? ''));
      const counted = await Promise.all(
        versions.map(async ({ index, version, lane, aliased }) => ({
          version,
          lane,
          aliased,
          index,
          docs: await deps.search
            .count({ index })
            .then((answer) => answer.count)
            .catch(() => null),
        })),
      );
      return {
        id,
        alias,
        catalogueVersion: spec.version,
        aliasVersions: versions.filter((version) => version.aliased).map((version) => version.version),
        versions: counted,
      };
    }),
  );
}

/** GET <url>/readyz: reachable, ready (2xx), and the service's own account of its dependencies. */
async function readiness(
  service: { name: string; url: string },
  timeoutMs: number,
): Promise<ServiceReadiness> {
  const url = `${service.url.replace(/\/+$/, '')}/readyz`;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    const text = await response.text();
    let detail: unknown = text.slice(0, 300);
    try {
      detail = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return {
      name: service.name,
      url,
      reachable: true,
      ready: response.ok,
      httpStatus: response.status,
      detail,
    };
  } catch (error) {
    return {
      name: service.name,
      url,
      reachable: false,
      ready: false,
      httpStatus: null,
      detail: messageOf(error),
    };
  }
}

function sum(values: readonly bigint[]): number {
  return Number(values.reduce((total, value) => total + value, 0n));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
