// The whole system as separate processes, each its own main.ts (as `triage up` runs them), on the
// fault tier's own cluster and Elasticsearch, under one topic prefix with its own groups, state
// folders and content store: so a test can SIGKILL one process and start it again on the same
// folders, the way an operator's supervisor restarts a crashed service.
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Admin } from '@platformatic/kafka';
import type { GroundTruth } from '@triage/feed';
import { importHashList } from '@triage/hash-lists';
import {
  allTopics,
  baseClientOptions,
  bootstrapTopics,
  deployedTopic,
  type KafkaConnection,
} from '@triage/messaging';
import { createPartnerKey, writePartnersFile } from '@triage/partners';
import { createSearchClient, ensureSearchIndices, indexPrefix, type SearchClient } from '@triage/search';
import { freePort, type ServiceProcess, startServiceProcess } from '@triage/testkit';
import { codec } from '../../support/pipeline.ts';
import { faultBrokers, faultElasticsearchUrl } from './fault-stack.ts';

/** The processes of the system, in start order (the stages behind intake first, as `triage up`). */
const systemProcesses = ['indexer', 'scorer', 'enricher', 'hasher', 'splitter', 'intake'] as const;
export type SystemProcessName = (typeof systemProcesses)[number];

const servicesDir = fileURLToPath(new URL('../../../services/', import.meta.url));

/** One service's main.ts that can be killed and started again with the same environment. */
interface RestartableProcess {
  readonly name: SystemProcessName;
  /** Starts it; resolves once it is ready (its `/readyz` answers 200). */
  start(): Promise<void>;
  /** SIGKILL: no drain, no commit, no leaving its group; resolves once it has exited. */
  kill(): Promise<void>;
  /** SIGTERM (a clean stop); nothing when it is not running. */
  stop(): Promise<void>;
  /** Its output's tail (the last run's). */
  output(): string;
  /** Times it was started. */
  readonly starts: number;
}

export interface FaultSystem {
  readonly connection: KafkaConnection;
  readonly search: SearchClient;
  /** The index prefix (from the topic prefix). */
  readonly indexPrefix: string;
  readonly intakeUrl: string;
  /** API key by partner id. */
  readonly keys: ReadonlyMap<string, string>;
  readonly processes: Readonly<Record<SystemProcessName, RestartableProcess>>;
  /** Stops every process (intake first), deletes the topics and indices and the folder. */
  close(): Promise<void>;
}

export interface FaultSystemOptions {
  /** `fault-a-`: topics, indices and consumer groups are named under it. */
  prefix: string;
  /** This deployment's own folder (content store, state folders, spool, receipts). */
  root: string;
  /** The feed's folder and its truth: partners get keys, its known-hash CSV becomes a list. */
  feedDir: string;
  truth: GroundTruth;
}

/** Creates the topics (replication 3) and indices, imports the demo list and starts every process. */
export async function startFaultSystem(options: FaultSystemOptions): Promise<FaultSystem> {
  const { prefix, root, truth } = options;
  const connection: KafkaConnection = {
    brokers: faultBrokers,
    clientId: `${prefix}test`,
    topicPrefix: prefix,
  };
  await mkdir(root, { recursive: true });
  // Four at a time rather than one by one: each creation waits for three replicas on a loaded machine.
  const quarters = [0, 1, 2, 3].map((part) => allTopics.filter((_, index) => index % 4 === part));
  await Promise.all(quarters.map((topics) => bootstrapTopics({ connection, topics, replicationFactor: 3 })));
  const search = createSearchClient({ url: faultElasticsearchUrl });
  await ensureSearchIndices({ client: search, prefix: indexPrefix(prefix), replicas: 0 });
  await importHashList({
    file: path.join(options.feedDir, 'known-hashes.csv'),
    list: 'feed-demo',
    version: 'faults',
    connection,
    codec,
  });

  const keys = new Map<string, string>();
  const partnersFile = path.join(root, 'partners.json');
  await writePartnersFile(partnersFile, {
    partners: truth.partners.map(({ partnerId }) => {
      const made = createPartnerKey();
      keys.set(partnerId, made.key);
      return {
        partnerId,
        keys: [{ id: 'k1', sha256: made.sha256 }],
        rateLimit: { max: 1_000_000, timeWindow: 60_000 },
      };
    }),
  });
  const contentRoot = path.join(root, 'content');
  const intakePort = await freePort();
  const group = (stage: string) => `${prefix}${stage}`;
  const common = {
    KAFKA_BROKERS: faultBrokers.join(','),
    KAFKA_TOPIC_PREFIX: prefix,
    ELASTICSEARCH_URL: faultElasticsearchUrl,
    CONTENT_STORE_ROOT: contentRoot,
    LOG_LEVEL: 'info',
  };
  const envs: Record<SystemProcessName, (opsPort: number) => Record<string, string>> = {
    intake: () => ({
      INTAKE_PORT: String(intakePort),
      INTAKE_OPS_PORT: '0',
      // The same instance after a restart: its transactional id fences the killed one.
      INTAKE_INSTANCE_ID: `${prefix}intake`,
      INTAKE_PARTNERS_FILE: partnersFile,
      INTAKE_SPOOL_DIR: path.join(root, 'spool'),
      INTAKE_RECLAIM_DIR: path.join(root, 'reclaim'),
      INTAKE_RECEIPTS_DIR: path.join(root, 'receipts'),
      INTAKE_TAKEDOWNS_DIR: path.join(root, 'takedowns'),
      INTAKE_SPLITTER_GROUP_ID: group('splitter'),
      // The splitter lags behind a whole feed pushed at once; back-pressure is not under test.
      INTAKE_MAX_PENDING_BUNDLES: '1000000000',
    }),
    splitter: (port) => ({ SPLITTER_OPS_PORT: String(port), SPLITTER_GROUP_ID: group('splitter') }),
    hasher: (port) => ({
      HASHER_OPS_PORT: String(port),
      HASHER_GROUP_ID: group('hasher'),
      DEDUPE_GROUP_ID: group('dedupe'),
      HASHER_STATE_DIR: path.join(root, 'hasher-state'),
      HASHER_THREADS: '1',
    }),
    enricher: (port) => ({ ENRICHER_OPS_PORT: String(port), ENRICHER_GROUP_ID: group('enricher') }),
    scorer: (port) => ({
      SCORER_OPS_PORT: String(port),
      SCORER_GROUP_ID: group('scorer'),
      SCORER_STATE_DIR: path.join(root, 'scorer-state'),
      SUSPECT_ID_HMAC_DEVELOPMENT_KEY: 'true',
    }),
    indexer: (port) => ({
      INDEXER_OPS_PORT: String(port),
      INDEXER_GROUP_ID: group('indexer'),
      INDEXER_ES_REPLICAS: '0',
    }),
  };
  const intakeUrl = `http://127.0.0.1:${intakePort}`;
  const processes = Object.fromEntries(
    await Promise.all(
      systemProcesses.map(async (name) => {
        const opsPort = await freePort();
        const readyUrl = name === 'intake' ? `${intakeUrl}/readyz` : `http://127.0.0.1:${opsPort}/readyz`;
        const env = { ...common, KAFKA_CLIENT_ID: `${prefix}${name}`, ...envs[name](opsPort) };
        return [name, restartable(name, readyUrl, env)] as const;
      }),
    ),
  ) as Record<SystemProcessName, RestartableProcess>;

  const close = async () => {
    for (const name of [...systemProcesses].reverse()) await processes[name].stop().catch(() => undefined);
    await deletePrefixed(connection, search, prefix).catch(() => undefined);
    await search.close();
    await rm(root, { recursive: true, force: true });
  };
  try {
    // Side by side (their groups start at the beginning of empty topics), intake once they are up.
    await Promise.all(
      systemProcesses.filter((name) => name !== 'intake').map((name) => processes[name].start()),
    );
    await processes.intake.start();
  } catch (error) {
    await close();
    throw error;
  }
  return { connection, search, indexPrefix: indexPrefix(prefix), intakeUrl, keys, processes, close };
}

function restartable(
  name: SystemProcessName,
  readyUrl: string,
  env: Record<string, string>,
): RestartableProcess {
  let current: ServiceProcess | undefined;
  let lastOutput = '';
  let starts = 0;
  return {
    name,
    get starts() {
      return starts;
    },
    async start() {
      if (current) throw new Error(`${name} is running`);
      current = await startServiceProcess({
        name,
        script: path.join(servicesDir, name, 'src', 'main.ts'),
        readyUrl,
        env,
        readyTimeoutMs: 120_000,
      });
      starts++;
    },
    async kill() {
      if (!current) return;
      const service = current;
      current = undefined;
      process.kill(service.pid, 'SIGKILL');
      await service.stop();
      lastOutput = service.output();
    },
    async stop() {
      if (!current) return;
      const service = current;
      current = undefined;
      await service.stop();
      lastOutput = service.output();
    },
    output: () => current?.output() ?? lastOutput,
  };
}

/** The deployment's topics and indices (the cluster is the tier's own, but runs add up on disk). */
async function deletePrefixed(
  connection: KafkaConnection,
  search: SearchClient,
  prefix: string,
): Promise<void> {
  const admin = new Admin(baseClientOptions(connection, 'fault-cleanup'));
  try {
    const topics = (await admin.listTopics({ includeInternals: false })).filter((topic) =>
      topic.startsWith(deployedTopic(connection, '')),
    );
    if (topics.length > 0) await admin.deleteTopics({ topics });
  } finally {
    await admin.close();
  }
  await search.indices.delete({
    index: `${indexPrefix(prefix)}*`,
    ignore_unavailable: true,
    allow_no_indices: true,
  });
  await search.indices.deleteIndexTemplate({ name: `${indexPrefix(prefix)}*` }).catch(() => undefined);
}
