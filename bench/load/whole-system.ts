// The whole system as `triage up` runs it: every service its own main.ts in its own process, in
// up's start order, here under a topic/index prefix, consumer groups and state folders of the run's own.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type IntakeProcess, startIntakeProcess } from '@triage/intake/testing';
import type { KafkaConnection } from '@triage/messaging';
import { freePort, type ServiceProcess, startServiceProcess } from '@triage/testkit';
import { startTriageApiProcess } from '@triage/triage-api/testing';

const servicesDir = fileURLToPath(new URL('../../services/', import.meta.url));

/** The stages `triage up` starts before intake (services/cli up-plan.ts), with their env prefix. */
const stages = [
  { name: 'hoster-monitor', env: 'HOSTER_MONITOR' },
  { name: 'indexer', env: 'INDEXER' },
  { name: 'scorer', env: 'SCORER' },
  { name: 'enricher', env: 'ENRICHER' },
  { name: 'hasher', env: 'HASHER' },
  { name: 'splitter', env: 'SPLITTER' },
] as const;

export interface RunningProcess {
  readonly name: string;
  readonly process: ServiceProcess;
  /** The service's ops server (`/metrics`): a stage's consumer lag, every service's heap. */
  readonly opsUrl?: string;
}

export interface StageProcess extends ServiceProcess {
  readonly opsUrl: string;
}

export interface WholeSystem {
  readonly intake: IntakeProcess;
  /** Every service in start order (intake and the API included). */
  readonly processes: readonly RunningProcess[];
  /** Stops them in reverse start order, as `triage down` does. */
  stop(): Promise<void>;
}

export interface WholeSystemOptions {
  readonly connection: KafkaConnection;
  readonly elasticsearchUrl: string;
  /** The run's folder: content store, state folders, intake's files, the API's keys. */
  readonly root: string;
  /** Consumer groups are not prefixed like topics: each gets this in front. */
  readonly groupPrefix: string;
  readonly partners: readonly string[];
  readonly log: (message: string) => void;
}

/** The run's environment shared by every service (what `triage up` passes to each). */
function commonServiceEnv(options: WholeSystemOptions): Record<string, string> {
  return {
    KAFKA_BROKERS: options.connection.brokers.join(','),
    KAFKA_TOPIC_PREFIX: options.connection.topicPrefix ?? '',
    ELASTICSEARCH_URL: options.elasticsearchUrl,
    CONTENT_STORE_ROOT: path.join(options.root, 'intake', 'content'),
    // The stages log per batch at info; their output comes through pipes into this process.
    LOG_LEVEL: 'warn',
    SUSPECT_ID_HMAC_DEVELOPMENT_KEY: 'true',
  };
}

/** One stage's environment: its ops port, its groups and its state folder under the run's root. */
function stageEnv(
  options: WholeSystemOptions,
  stage: { name: string; env: string },
  opsPort: number,
  groupTag = '',
): Record<string, string> {
  const group = (name: string) => `${options.groupPrefix}${name}${groupTag}`;
  return {
    ...commonServiceEnv(options),
    KAFKA_CLIENT_ID: `load-${stage.name}${groupTag}`,
    [`${stage.env}_OPS_PORT`]: String(opsPort),
    [`${stage.env}_GROUP_ID`]: group(stage.name),
    ...(stage.name === 'hasher'
      ? {
          DEDUPE_GROUP_ID: group('dedupe'),
          HASHER_STATE_DIR: path.join(options.root, `hasher-state${groupTag}`),
        }
      : {}),
    ...(stage.name === 'scorer' ? { SCORER_STATE_DIR: path.join(options.root, 'scorer-state') } : {}),
  };
}

/** Starts one stage's main.ts; resolves once its /readyz answers 200 (groups joined, tables loaded). */
export async function startStage(
  options: WholeSystemOptions,
  name: (typeof stages)[number]['name'],
  groupTag = '',
): Promise<StageProcess> {
  const stage = stages.find((candidate) => candidate.name === name)!;
  const opsPort = await freePort();
  const opsUrl = `http://127.0.0.1:${opsPort}`;
  const process = await startServiceProcess({
    name: `${stage.name}${groupTag}`,
    script: path.join(servicesDir, stage.name, 'src', 'main.ts'),
    readyUrl: `http://127.0.0.1:${opsPort}/readyz`,
    readyTimeoutMs: 180_000,
    env: stageEnv(options, stage, opsPort, groupTag),
  });
  return { ...process, opsUrl };
}

/**
 * Records left to read per consumer group of a stage (its `triage_stage_consumer_lag_records`,
 * summed over partitions), the group's run prefix cut off; empty when /metrics does not answer.
 */
export async function stageLags(opsUrl: string, groupPrefix: string): Promise<Map<string, number>> {
  const lags = new Map<string, number>();
  const text = await fetch(`${opsUrl}/metrics`, { signal: AbortSignal.timeout(10_000) })
    .then((response) => response.text())
    .catch(() => '');
  for (const match of text.matchAll(
    /^triage_stage_consumer_lag_records\{[^}]*group="([^"]+)"[^}]*\} (\S+)$/gm,
  )) {
    const group = match[1]!.startsWith(groupPrefix) ? match[1]!.slice(groupPrefix.length) : match[1]!;
    lags.set(group, (lags.get(group) ?? 0) + Number(match[2]));
  }
  return lags;
}

/** Starts every service in `triage up`'s order; on a failure stops what already runs. */
export async function startWholeSystem(options: WholeSystemOptions): Promise<WholeSystem> {
  const processes: RunningProcess[] = [];
  const stop = async () => {
    for (const { name, process } of [...processes].reverse()) {
      const code = await process.stop(30_000);
      if (code !== 0 && code !== null) options.log(`${name} exited with ${code}`);
    }
  };
  try {
    for (const stage of stages) {
      options.log(`starting ${stage.name}`);
      const process = await startStage(options, stage.name);
      processes.push({ name: stage.name, process, opsUrl: process.opsUrl });
    }
    options.log('starting intake');
    // Ops ports of our choosing: at LOG_LEVEL warn the services do not log the one they took.
    const intakeOpsPort = await freePort();
    const intake = await startIntakeProcess({
      connection: options.connection,
      root: path.join(options.root, 'intake'),
      partners: [...options.partners],
      env: {
        ...commonServiceEnv(options),
        INTAKE_SPLITTER_GROUP_ID: `${options.groupPrefix}splitter`,
        // The deployed backlog bound: a pipeline that falls far behind makes intake answer 503.
        INTAKE_MAX_PENDING_BUNDLES: '1000',
        // The load stands for many partners behind three partner ids: more uploads at once than
        // the default 4 (a 429 beyond it is waited out and counted). 16 keeps the reclaim grace valid.
        INTAKE_MAX_CONCURRENT_UPLOADS_PER_PARTNER: '16',
        INTAKE_OPS_PORT: String(intakeOpsPort),
      },
      readyTimeoutMs: 180_000,
    });
    processes.push({ name: 'intake', process: intake, opsUrl: `http://127.0.0.1:${intakeOpsPort}` });
    options.log('starting triage-api');
    const apiOpsPort = await freePort();
    const api = await startTriageApiProcess({
      connection: options.connection,
      elasticsearchUrl: options.elasticsearchUrl,
      authDir: path.join(options.root, 'auth'),
      env: {
        ...commonServiceEnv(options),
        TRIAGE_API_INSTANCE_ID: `${options.groupPrefix}api`,
        TRIAGE_API_OPS_PORT: String(apiOpsPort),
      },
    });
    processes.push({ name: 'triage-api', process: api, opsUrl: `http://127.0.0.1:${apiOpsPort}` });
    return { intake, processes, stop };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}
