// What `triage status` collects (collect-status.ts), renders (render-status.ts) and prints as
// JSON: one plain object, and the pure decisions of what in it is unhealthy.

/** A part of the report: its data, or why it could not be collected (status never throws). */
export type Section<T> = { ok: true; data: T } | { ok: false; error: string };

export interface KafkaStatus {
  brokers: { id: number; host: string; port: number }[];
  controllerId: number;
  /** Catalogue topics (dead-letter topics included) that exist under the prefix, and those missing. */
  topics: number;
  missingTopics: string[];
  /** Partitions of the catalogue topics with fewer in-sync replicas than replicas. */
  underReplicated: number;
  /** Partitions of the catalogue topics without a leader. */
  offline: number;
}

/** One row of the stage table: a consumer group on one topic it reads. */
export interface StageStatus {
  stage: string;
  groupId: string;
  /** Deployed topic name. */
  topic: string;
  /** The group's state (`Stable`, `Empty`, `Dead`, ...); null when it could not be described. */
  state: string | null;
  members: number | null;
  pending: number | null;
  /** The group's position summed over partitions (what the rate is computed from). */
  position: number | null;
  /** Records/s the group read between the previous sample and this one; null without one. */
  rate: number | null;
  /** Change of `pending` since the previous sample; null without one. */
  pendingChange: number | null;
  error?: string;
}

/** The positions of every stage at one moment, for the rate of the next collection. */
export interface StageSample {
  at: number;
  stages: readonly StageStatus[];
}

interface DeadLetterCount {
  stage: string;
  code: string;
  count: number;
}

export interface DeadLetterTopicStatus {
  /** Deployed dead-letter topic name. */
  topic: string;
  /** Dead letters written within the window (exact: read and counted by header). */
  recent: number;
  /** Dead letters still retained (end minus earliest offsets). */
  retained: number;
  /** `recent` by the `triage-stage` and `triage-error-code` headers, most first. */
  byCode: DeadLetterCount[];
  error?: string;
}

export interface StateStoreStatus {
  /** Deployed changelog or table topic name. */
  topic: string;
  partitions: number;
  /** End minus earliest offsets: approximate, compaction leaves gaps, so it is at most this. */
  approxRecords: number;
  /** Bytes on disk over every replica (describeLogDirs); null when the brokers would not say. */
  bytes: number | null;
  error?: string;
}

export interface ElasticsearchStatus {
  clusterName: string;
  status: string;
  nodes: number;
}

interface IndexVersionStatus {
  version: number;
  /** The rebuild lane whose copy this is; null for the live index (ADR 0014). */
  lane: string | null;
  index: string;
  /** Whether the alias points at this index. */
  aliased: boolean;
  /** Documents (top-level, as `_count` counts them); null when the count failed. */
  docs: number | null;
}

export interface IndexStatus {
  /** Catalogue id (`cases`, `items`, ...). */
  id: string;
  alias: string;
  catalogueVersion: number;
  /** Versions the alias points at (one, normally). */
  aliasVersions: number[];
  /** Every version of this index that exists, oldest first. */
  versions: IndexVersionStatus[];
}

export interface ServiceReadiness {
  name: string;
  /** The readiness URL asked. */
  url: string;
  reachable: boolean;
  ready: boolean;
  httpStatus: number | null;
  /** The service's answer (its dependencies), or why it could not be reached. */
  detail: unknown;
}

export interface StatusReport {
  takenAt: string;
  topicPrefix: string;
  /** Seconds between the two stage samples the rates come from; null without a previous sample. */
  sampleSeconds: number | null;
  /** The dead-letter window in minutes ("in the last hour"). */
  deadLetterWindowMinutes: number;
  kafka: Section<KafkaStatus>;
  stages: Section<StageStatus[]>;
  deadLetters: Section<DeadLetterTopicStatus[]>;
  stateStores: Section<StateStoreStatus[]>;
  elasticsearch: Section<ElasticsearchStatus>;
  indices: Section<IndexStatus[]>;
  services: ServiceReadiness[];
  /** Everything unhealthy, in screen order; empty when healthy (`statusProblems`). */
  problems: Problem[];
  healthy: boolean;
}

export interface Problem {
  section: 'kafka' | 'stages' | 'dead letters' | 'state stores' | 'elasticsearch' | 'indices' | 'services';
  subject: string;
  message: string;
}

/** A stage row with its rate and pending change against the previous sample of the same group and topic. */
export function withTrend(
  current: StageStatus,
  previous: StageSample | undefined,
  seconds: number | null,
): StageStatus {
  const before = previous?.stages.find(
    (row) => row.groupId === current.groupId && row.topic === current.topic,
  );
  if (!before || seconds === null || seconds <= 0) return current;
  const rate =
    before.position !== null && current.position !== null
      ? Math.max(0, current.position - before.position) / seconds
      : null;
  const pendingChange =
    before.pending !== null && current.pending !== null ? current.pending - before.pending : null;
  return { ...current, rate, pendingChange };
}

export function kafkaProblem(kafka: KafkaStatus): string | undefined {
  const parts: string[] = [];
  if (kafka.missingTopics.length > 0)
    parts.push(`${kafka.missingTopics.length} catalogue topic(s) missing (triage topics bootstrap)`);
  if (kafka.underReplicated > 0) parts.push(`${kafka.underReplicated} under-replicated partition(s)`);
  if (kafka.offline > 0) parts.push(`${kafka.offline} partition(s) without a leader`);
  return parts.length > 0 ? parts.join('; ') : undefined;
}

/** A stage is unhealthy when its lag grew since the last sample, or records wait and nobody reads. */
export function stageProblem(row: StageStatus): string | undefined {
  if (row.error !== undefined) return row.error;
  const parts: string[] = [];
  if (row.pendingChange !== null && row.pendingChange > 0) parts.push(`lag growing (+${row.pendingChange})`);
  if ((row.pending ?? 0) > 0 && row.members === 0) parts.push(`${row.pending} pending and no member reading`);
  return parts.length > 0 ? parts.join('; ') : undefined;
}

export function deadLetterProblem(row: DeadLetterTopicStatus, windowMinutes: number): string | undefined {
  if (row.error !== undefined) return row.error;
  return row.recent > 0 ? `${row.recent} dead letter(s) in the last ${windowMinutes} min` : undefined;
}

export function elasticsearchProblem(cluster: ElasticsearchStatus): string | undefined {
  return cluster.status === 'green' ? undefined : `cluster ${cluster.status}`;
}

export function indexProblem(index: IndexStatus): string | undefined {
  if (index.aliasVersions.length === 0) return 'alias missing';
  if (!index.versions.some((version) => version.version === index.catalogueVersion))
    return `no index of catalogue version v${index.catalogueVersion}`;
  if (index.aliasVersions.length !== 1 || index.aliasVersions[0] !== index.catalogueVersion) {
    const on = index.aliasVersions.map((version) => `v${version}`).join(', ');
    return `alias on ${on}, catalogue v${index.catalogueVersion} (promote once its replay caught up)`;
  }
  return undefined;
}

export function serviceProblem(service: ServiceReadiness): string | undefined {
  if (!service.reachable) return `unreachable at ${service.url} (${String(service.detail)})`;
  return service.ready ? undefined : `not ready (HTTP ${service.httpStatus})`;
}

/** Everything unhealthy in a report, in the order the screen shows it. */
export function statusProblems(report: Omit<StatusReport, 'problems' | 'healthy'>): Problem[] {
  const problems: Problem[] = [];
  const add = (section: Problem['section'], subject: string, message: string | undefined) => {
    if (message !== undefined) problems.push({ section, subject, message });
  };
  // A cluster that does not answer is one problem, not one more per part that needs it.
  if (report.kafka.ok) {
    add('kafka', 'cluster', kafkaProblem(report.kafka.data));
    if (report.stages.ok)
      for (const row of report.stages.data) add('stages', `${row.stage} (${row.topic})`, stageProblem(row));
    else add('stages', 'consumer groups', report.stages.error);
    if (report.deadLetters.ok)
      for (const row of report.deadLetters.data)
        add('dead letters', row.topic, deadLetterProblem(row, report.deadLetterWindowMinutes));
    else add('dead letters', 'dead-letter topics', report.deadLetters.error);
    if (report.stateStores.ok)
      for (const row of report.stateStores.data) add('state stores', row.topic, row.error);
    else add('state stores', 'changelogs', report.stateStores.error);
  } else add('kafka', 'cluster', `unreachable: ${report.kafka.error}`);
  if (report.elasticsearch.ok) {
    add('elasticsearch', 'cluster', elasticsearchProblem(report.elasticsearch.data));
    if (report.indices.ok)
      for (const index of report.indices.data) add('indices', index.alias, indexProblem(index));
    else add('indices', 'aliases', report.indices.error);
  } else add('elasticsearch', 'cluster', `unreachable: ${report.elasticsearch.error}`);
  for (const service of report.services) add('services', service.name, serviceProblem(service));
  return problems;
}
