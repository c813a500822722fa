import { deployedTopic, type KafkaConnection } from '../kafka/connection.ts';
import { type PipelineTopicId, pipelineTopics, stateTopics } from '../topics/pipeline-topics.ts';
import { type PipelineStage, pipelineStages } from '../topics/rebuild-lane.ts';
import { deadLetterTopicName } from '../topics/topic-spec.ts';

/**
 * Least privilege per deployable: each service logs in as its own principal (`User:<service>`)
 * and may read what its stages read and write what they write, nothing else. Derived from the
 * stage table (`pipelineStages`) plus what that table leaves out on purpose (it lists derived
 * data only): the splitter's receipts, the hasher's full reads of the hash sets and media, and
 * the services that are not stages (intake, triage API, hash-check).
 */

type StateTopicId = keyof typeof stateTopics;

interface ServiceAccess {
  /** The stages the service runs; each consumes in a group named after it (`<STAGE>_GROUP_ID`). */
  readonly stages: readonly PipelineStage[];
  /** Topics read beyond the stages' inputs (in full, without a group of their own). */
  readonly reads: readonly PipelineTopicId[];
  /** Topics written beyond the stages' derived outputs. */
  readonly writes: readonly PipelineTopicId[];
  /** Stage groups whose lag it reads (intake's back-pressure gate). */
  readonly describesGroupsOf: readonly PipelineStage[];
  /** Stems of the transactional ids its producers register (`transactionalIdPrefix`). */
  readonly transactions?: readonly string[];
}

/**
 * Where a service's transactional ids start: `<topic prefix><client id>-<stem>-`, then the
 * instance and producer slot. Ids are cluster-wide, so the topic prefix keeps tenants and test
 * runs apart; the ACLs grant the prefix.
 */
export function transactionalIdPrefix(
  connection: Pick<KafkaConnection, 'topicPrefix' | 'clientId'>,
  stem: string,
): string {
  return `${connection.topicPrefix ?? ''}${connection.clientId}-${stem}-`;
}

export const serviceAccess = {
  intake: {
    stages: [],
    // takedowns: read back in full into the store that validates hotlines' events.
    reads: ['bundleStatus', 'takedowns'],
    writes: ['bundles', 'bundleStatus', 'takedowns'],
    describesGroupsOf: ['splitter'],
    // A bundle and its receipt are written in one transaction (ADR 0016), as are one request's takedown events.
    transactions: ['bundles'],
  },
  splitter: { stages: ['splitter'], reads: ['erasures'], writes: ['bundleStatus'], describesGroupsOf: [] },
  // The hasher service runs the hasher and dedupe stages; every instance reads the hash sets and
  // the media table in full.
  hasher: { stages: ['hasher', 'dedupe'], reads: ['hashsets', 'media'], writes: [], describesGroupsOf: [] },
  enricher: { stages: ['enricher'], reads: [], writes: [], describesGroupsOf: [] },
  // Every scorer instance reads the hash sets in full: the confirmed list's changes re-score its cases;
  // the splitter, scorers and indexers read the erasure ledger in full (ADR 0020).
  scorer: { stages: ['scorer'], reads: ['hashsets', 'erasures'], writes: [], describesGroupsOf: [] },
  indexer: { stages: ['indexer'], reads: ['erasures'], writes: [], describesGroupsOf: [] },
  'hoster-monitor': { stages: ['hoster-monitor'], reads: [], writes: [], describesGroupsOf: [] },
  // The API folds the category actions (every instance reads the actions in full) and exports
  // hash lists (reads the hash sets in full).
  'triage-api': {
    stages: [],
    reads: ['triageActions', 'hashsets'],
    writes: ['triageActions', 'audit'],
    describesGroupsOf: [],
  },
  // Hosters' hash checks (ADR 0018): the lists in full, one audit event per batch; nothing else.
  'hash-check': { stages: [], reads: ['hashsets'], writes: ['audit'], describesGroupsOf: [] },
} as const satisfies Record<string, ServiceAccess>;

export type KafkaService = keyof typeof serviceAccess;

export const kafkaServices = Object.keys(serviceAccess) as KafkaService[];

/** One ACL: ALLOW `operation` on the resource to `principal` from any host. */
export interface AclBinding {
  principal: string;
  resourceType: 'TOPIC' | 'GROUP' | 'TRANSACTIONAL_ID';
  patternType: 'LITERAL' | 'PREFIXED';
  resourceName: string;
  operation: 'READ' | 'WRITE' | 'DESCRIBE';
}

export interface ServiceAclOptions {
  /** Topic prefix and rebuild lane the names are deployed under. */
  connection: Pick<KafkaConnection, 'topicPrefix' | 'lane'>;
  /** KAFKA_CLIENT_ID: state readers join throw-away groups named `<client id>-<service>-...`. */
  clientId: string;
  /** Each stage's consumer group when not the stage's name (the services' `<STAGE>_GROUP_ID`). */
  groupIds?: Partial<Record<PipelineStage, string>>;
  /** The principal of each service; default `User:<service>`. */
  principal?: (service: KafkaService) => string;
  /** Only these services; default all. */
  services?: readonly KafkaService[];
}

interface Grants {
  reads: Set<string>;
  writes: Set<string>;
}

function grantsOf(access: ServiceAccess): Grants {
  const reads = new Set<string>(access.reads.map((id) => pipelineTopics[id].name));
  const writes = new Set<string>(access.writes.map((id) => pipelineTopics[id].name));
  for (const stage of access.stages) {
    const spec = pipelineStages[stage];
    for (const id of spec.reads) {
      reads.add(pipelineTopics[id].name);
      // A stage dead-letters what it cannot process to its input's dead-letter topic.
      if (pipelineTopics[id].deadLetter) writes.add(deadLetterTopicName(pipelineTopics[id].name));
    }
    for (const id of spec.writes) writes.add(pipelineTopics[id].name);
    // State changelogs (and tables it writes and reads back): both.
    for (const id of spec.state as readonly StateTopicId[]) {
      reads.add(stateTopics[id].name);
      writes.add(stateTopics[id].name);
    }
  }
  return { reads, writes };
}

/**
 * Every ACL the services need, in service order: READ on the topics read, WRITE on the topics
 * written (both imply DESCRIBE), READ on the stage groups (prefixed, so rebuild lanes' and the
 * indexer's per-index groups match) and on the state readers' throw-away groups, DESCRIBE on
 * the groups whose lag is read, WRITE on the transactional ids it registers. A pure function: `triage kafka acls` prints or applies it.
 */
export function serviceAcls(options: ServiceAclOptions): AclBinding[] {
  const principalOf = options.principal ?? ((service: KafkaService) => `User:${service}`);
  const groupOf = (stage: PipelineStage) => options.groupIds?.[stage] ?? stage;
  const bindings: AclBinding[] = [];
  for (const service of options.services ?? kafkaServices) {
    const access: ServiceAccess = serviceAccess[service];
    const principal = principalOf(service);
    const { reads, writes } = grantsOf(access);
    const topic = (name: string, operation: AclBinding['operation']): AclBinding => ({
      principal,
      resourceType: 'TOPIC',
      patternType: 'LITERAL',
      resourceName: deployedTopic(options.connection, name),
      operation,
    });
    const group = (name: string, operation: AclBinding['operation']): AclBinding => ({
      principal,
      resourceType: 'GROUP',
      patternType: 'PREFIXED',
      resourceName: name,
      operation,
    });
    bindings.push(...[...reads].sort().map((name) => topic(name, 'READ')));
    bindings.push(...[...writes].sort().map((name) => topic(name, 'WRITE')));
    bindings.push(...access.stages.map((stage) => group(groupOf(stage), 'READ')));
    if (reads.size > 0) bindings.push(group(`${options.clientId}-${service}-`, 'READ'));
    bindings.push(...access.describesGroupsOf.map((stage) => group(groupOf(stage), 'DESCRIBE')));
    // WRITE on a transactional id implies DESCRIBE, which registering it needs.
    bindings.push(
      ...(access.transactions ?? []).map(
        (stem): AclBinding => ({
          principal,
          resourceType: 'TRANSACTIONAL_ID',
          patternType: 'PREFIXED',
          resourceName: transactionalIdPrefix(
            { topicPrefix: options.connection.topicPrefix, clientId: options.clientId },
            stem,
          ),
          operation: 'WRITE',
        }),
      ),
    );
  }
  return bindings;
}

/** `User:splitter READ TOPIC items.v1 (LITERAL)`: one line per ACL, as `--print` shows them. */
export function describeAcl(binding: AclBinding): string {
  return `${binding.principal} ${binding.operation} ${binding.resourceType} ${binding.resourceName} (${binding.patternType})`;
}
