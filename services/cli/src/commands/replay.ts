import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Admin, ListOffsetTimestamps } from '@platformatic/kafka';
import { commonEnv, loadConfig } from '@triage/config';
import { TriageError } from '@triage/errors';
import {
  allTopics,
  applyGroupReset,
  baseClientOptions,
  bootstrapTopics,
  connectionFromConfig,
  deployedTopic,
  groupMembers,
  type KafkaConnection,
  laneGroupId,
  laneTopicPrefix,
  pipelineStages,
  pipelineTopics,
  planGroupReset,
  type RebuildLane,
  rebuildLane,
  topicOffsets,
  topicPartitions,
} from '@triage/messaging';
import { createSearchClient, indexNames, indicesWrittenIn, type SearchClient } from '@triage/search';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import {
  CatchUp,
  type LaneState,
  lanePlan,
  parseLaneState,
  resetRows,
  resetTarget,
  retentionWarning,
  serializeLaneState,
} from './replay-plan.ts';
import { failIfExited, type RunningService, startServices, stopProcess } from './service-process.ts';
import { stageInputs, stageLags } from './stage-groups.ts';

const servicesDir = fileURLToPath(new URL('../../../', import.meta.url));
const laneDir = '.data/rebuild';

interface ResetFlags {
  group?: string;
  toEarliest?: boolean;
  toTime?: string;
  toOffsets?: string;
  dryRun?: boolean;
}

interface RebuildFlags {
  from: string;
  lane: string;
  rules?: string;
  allowPartial?: boolean;
  detach?: boolean;
  dryRun?: boolean;
  timeout: string;
}

/** `triage replay reset|rebuild|stop`: reprocess a stage in place, or rebuild beside the live pipeline. */
export function registerReplayCommands(program: Command): void {
  const replay = program
    .command('replay')
    .description(
      'Reprocess: reset a stopped stage to an earlier point, or rebuild from a stage on in a lane beside the live pipeline',
    );

  replay
    .command('reset <stage>')
    .description(
      "Move a stopped stage's consumer group back (its outputs are idempotent, so records handled again change nothing but what the change was for); refused while the group has members",
    )
    .option('--group <name>', "the indexer's group (cases, items, media, audit); default every one")
    .option('--to-earliest', 'the oldest record each input still holds')
    .option('--to-time <when>', 'ISO date-time, or a duration ago (90m, 6h, 2d)')
    .option('--to-offsets <list>', 'partition:offset pairs, e.g. 0:120,3:77 (one input topic)')
    .option('--dry-run', 'show the offsets it would set and change nothing')
    .action((stage: string, flags: ResetFlags) => resetStage(stage, flags));

  replay
    .command('rebuild')
    .description(
      'Run the pipeline from one stage on in a rebuild lane: fresh groups writing their own topics and index copies, while the live pipeline goes on; switch with `triage index switch --lane`',
    )
    .requiredOption('--from <stage>', `first stage rebuilt (${Object.keys(pipelineStages).join(', ')})`)
    .requiredOption('--lane <name>', 'lane name: lower-case letters, digits, dashes (e.g. rules-2)')
    .option('--rules <file>', "the scoring rules the lane's scorer uses (rescoring after a rules change)")
    .option('--allow-partial', 'rebuild even though the first stage has lost records to retention')
    .option('--detach', 'leave the lane running once caught up (`triage replay stop --lane` stops it)')
    .option('--dry-run', 'say what the lane would create and run, and do nothing')
    .option('--timeout <seconds>', 'give up waiting for the lane to catch up after this long', '1800')
    .action((flags: RebuildFlags) => rebuild(flags));

  replay
    .command('stop')
    .description(
      'Stop the services of a lane that `replay rebuild --detach` left running (each drains first)',
    )
    .requiredOption('--lane <name>', 'lane name')
    .action((flags: { lane: string }) => stopLane(flags.lane));
}

async function resetStage(stage: string, flags: ResetFlags): Promise<void> {
  const config = loadConfig(commonEnv, process.env);
  const connection = connectionFromConfig(config);
  const target = resetTarget(flags, Date.now());
  // `indexer cases`: the stage, then the indexer's group; without --group every group of the stage.
  const inputs = stageInputs(connection).filter((input) => {
    const [name, group] = input.stage.split(' ');
    return name === stage && (flags.group === undefined || group === flags.group);
  });
  if (inputs.length === 0) {
    const stages = [...new Set(stageInputs(connection).map((input) => input.stage.split(' ')[0]))];
    throw new TriageError(
      'TRIAGE_REPLAY_INVALID',
      `no stage "${stage}"${flags.group ? ` with group ${flags.group}` : ''} (stages: ${stages.join(', ')})`,
    );
  }
  const groups = Map.groupBy(inputs, (input) => input.groupId);
  if (flags.toOffsets !== undefined && inputs.length > 1) {
    throw new TriageError(
      'TRIAGE_REPLAY_INVALID',
      `--to-offsets names partitions of one topic; ${stage} reads ${inputs.map((input) => input.name).join(', ')}: use --to-time or --to-earliest`,
    );
  }
  const admin = new Admin(baseClientOptions(connection, 'replay'));
  try {
    for (const [groupId, groupInputs] of groups) {
      const { members } = await groupMembers(admin, groupId);
      if (members > 0) {
        throw new TriageError(
          'TRIAGE_GROUP_ACTIVE',
          `consumer group ${groupId} has ${members} member(s): stop ${stage} (every instance) before resetting it`,
        );
      }
      const plan = await planGroupReset(admin, {
        groupId,
        topics: groupInputs.map((input) => input.topic),
        target,
      });
      console.table(resetRows(groupId, plan));
      for (const input of groupInputs) {
        const spec = allTopics.find((candidate) => candidate.name === input.name);
        const warning = spec === undefined ? null : retentionWarning(spec, target, Date.now());
        if (warning !== null) console.warn(`note: ${warning}`);
      }
      if (flags.dryRun) {
        console.log(`dry run: ${groupId} left as it is`);
        continue;
      }
      await applyGroupReset(admin, groupId, plan);
      const replays = plan.reduce((sum, entry) => sum + Number(entry.end - entry.to), 0);
      console.log(`${groupId}: reset; ${replays} record(s) to handle again when ${stage} starts`);
    }
  } finally {
    await admin.close();
  }
}

async function rebuild(flags: RebuildFlags): Promise<void> {
  const lane = rebuildLane(flags.lane, flags.from);
  const config = loadConfig(commonEnv, { ...process.env, REBUILD_LANE: '' });
  const live = connectionFromConfig(config);
  const connection: KafkaConnection = { ...live, lane };
  const stateFile = laneStateFile(lane.name);
  const rules = flags.rules === undefined ? undefined : path.resolve(flags.rules);
  if (rules !== undefined && !existsSync(rules)) {
    throw new TriageError('TRIAGE_REPLAY_INVALID', `--rules ${rules}: no such file`);
  }
  describeLane(lane, connection, config.KAFKA_TOPIC_PREFIX);
  const admin = new Admin(baseClientOptions(connection, 'replay'));
  const search = createSearchClient({ url: config.ELASTICSEARCH_URL });
  try {
    const lost = await lostToRetention(admin, live, lane);
    if (lost.length > 0 && !flags.allowPartial) {
      throw new TriageError(
        'TRIAGE_REBUILD_PARTIAL',
        `${lost.join(', ')} no longer hold their oldest records (retention), so the lane would miss that work. ` +
          'Rebuild from the splitter (intake.bundles.v1 is kept forever) or pass --allow-partial',
      );
    }
    if (flags.dryRun) {
      console.log('dry run: nothing created or started');
      return;
    }
    if (existsSync(stateFile)) {
      throw new TriageError(
        'TRIAGE_REPLAY_INVALID',
        `lane ${lane.name} is already running (${stateFile}); \`triage replay stop --lane ${lane.name}\` first`,
      );
    }
    const topics = await bootstrapTopics({
      connection,
      topics: allTopics.filter((spec) => lane.topics.has(spec.name)),
      replicationFactor: 1,
    });
    console.log(`lane topics: created ${topics.created.length}, existing ${topics.existing.length}`);
    const logDir = path.join(laneDir, lane.name, 'logs');
    await mkdir(logDir, { recursive: true });
    const plan = lanePlan(lane, { servicesDir, logDir });
    const env = {
      ...process.env,
      REBUILD_LANE: `${lane.name}:${lane.from}`,
      ...(rules === undefined ? {} : { SCORING_RULES_FILE: rules }),
      // The live services hold the default ops ports: the lane's take free ones (in their logs).
      ...Object.fromEntries(plan.map((service) => [opsPortVariable(service.name), '0'])),
    };
    const running = startServices(plan, env);
    const state: LaneState = {
      version: 1,
      lane: lane.name,
      from: lane.from,
      startedAt: new Date().toISOString(),
      services: running.map(({ service, pid }) => ({ ...service, pid })),
    };
    await writeFile(stateFile, serializeLaneState(state));
    const stopOnSignal = () => void stopLaneServices(stateFile, state).then(() => process.exit(130));
    process.once('SIGINT', stopOnSignal);
    process.once('SIGTERM', stopOnSignal);
    try {
      await waitCaughtUp({ admin, connection, running, timeoutMs: Number(flags.timeout) * 1000 });
      await reportIndices(search, config.KAFKA_TOPIC_PREFIX, lane);
    } catch (error) {
      await stopLaneServices(stateFile, state);
      throw error;
    }
    console.log(
      `lane ${lane.name} has caught up and follows the live topics.\n` +
        `  switch the analysts to it   pnpm triage index switch --lane ${lane.name}\n` +
        '  back to the live indices    pnpm triage index switch --live\n' +
        `  stop the lane               pnpm triage replay stop --lane ${lane.name}`,
    );
    if (flags.detach) {
      for (const child of running) child.process.unref();
      process.removeListener('SIGINT', stopOnSignal);
      process.removeListener('SIGTERM', stopOnSignal);
      console.log(`lane services left running (pids in ${stateFile})`);
      return;
    }
    console.log('the lane runs until Ctrl-C, which stops its services in order');
    await new Promise(() => {});
  } finally {
    await search.close();
    await admin.close();
  }
}

/** What the lane reads, creates and runs, before anything happens. */
function describeLane(lane: RebuildLane, connection: KafkaConnection, prefix: string): void {
  const reads = pipelineStages[lane.from].reads.map((id) => pipelineTopics[id].name);
  const groups = stageInputs(connection).map((input) => input.groupId);
  const indices = indicesWrittenIn(lane).map(
    (spec) => `${indexNames(prefix, spec, lane.name).index} (beside ${indexNames(prefix, spec).index})`,
  );
  console.log(
    `lane ${lane.name}: the pipeline from ${lane.from} on, beside the live one\n` +
      `  reads (live)     ${reads.join(', ')}\n` +
      `  stages           ${[...lane.stages].join(', ')}\n` +
      `  writes topics    ${[...lane.topics].map((name) => deployedTopic(connection, name)).join(', ')}\n` +
      `  consumer groups  ${[...new Set(groups)].join(', ')}\n` +
      `  indices          ${indices.join(', ') || '(none)'}\n` +
      `  (names under ${laneTopicPrefix(lane)}; group ids end in ${laneGroupId('', lane)})`,
  );
}

/** The first stage's inputs that have lost records to retention (their first offset is past 0). */
async function lostToRetention(admin: Admin, live: KafkaConnection, lane: RebuildLane): Promise<string[]> {
  const lost: string[] = [];
  for (const id of pipelineStages[lane.from].reads) {
    const topic = deployedTopic(live, pipelineTopics[id].name);
    const partitions = await topicPartitions(admin, topic);
    const earliest = await topicOffsets(admin, topic, partitions, ListOffsetTimestamps.EARLIEST);
    if ([...earliest.values()].some((offset) => offset > 0n)) lost.push(topic);
  }
  return lost;
}

interface CatchUpWait {
  admin: Admin;
  connection: KafkaConnection;
  running: readonly RunningService[];
  timeoutMs: number;
}

/** Polls the lane's groups until none has anything left to read, with a progress bar and ETA. */
async function waitCaughtUp(wait: CatchUpWait): Promise<void> {
  const deadline = Date.now() + wait.timeoutMs;
  const catchUp = new CatchUp(5_000);
  const bar = new cliProgress.SingleBar(
    {
      format: 'rebuilding {bar} {value}/{total} records | ETA {eta_formatted} | {behind}',
      stream: process.stderr,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(1, 0, { behind: '' });
  try {
    for (;;) {
      failIfExited(wait.running);
      const lags = await stageLags(wait.admin, wait.connection);
      const pending = lags.reduce((sum, lag) => sum + lag.pending, 0);
      const retained = lags.reduce((sum, lag) => sum + lag.retained, 0);
      bar.setTotal(Math.max(retained, 1));
      bar.update(retained - pending, {
        behind: lags
          .filter((lag) => lag.pending > 0)
          .map((lag) => `${lag.stage} ${lag.pending}`)
          .join(' '),
      });
      if (catchUp.observe(pending, Date.now())) return;
      if (Date.now() > deadline) {
        throw new TriageError(
          'TRIAGE_DEPENDENCY_TIMEOUT',
          `the lane has not caught up after ${Math.round(wait.timeoutMs / 1000)} s (${pending} records left; see its logs)`,
        );
      }
      await sleep(1000);
    }
  } finally {
    bar.stop();
  }
}

/** Document counts of the lane's indices beside the live ones. */
async function reportIndices(search: SearchClient, prefix: string, lane: RebuildLane): Promise<void> {
  for (const spec of indicesWrittenIn(lane)) {
    const laneIndex = indexNames(prefix, spec, lane.name).index;
    const liveIndex = indexNames(prefix, spec).index;
    await search.indices.refresh({ index: laneIndex });
    const count = async (index: string) =>
      (await search.indices.exists({ index })) ? (await search.count({ index })).count : 0;
    console.log(
      `  ${laneIndex}: ${await count(laneIndex)} documents (live ${liveIndex}: ${await count(liveIndex)})`,
    );
  }
}

/** `<SERVICE>_OPS_PORT`, as each service's config names it. */
function opsPortVariable(service: string): string {
  return `${service.toUpperCase().replaceAll('-', '_')}_OPS_PORT`;
}

function laneStateFile(lane: string): string {
  return path.join(laneDir, `${lane}.json`);
}

async function stopLane(name: string): Promise<void> {
  const stateFile = laneStateFile(name);
  if (!existsSync(stateFile)) {
    console.log(`nothing to stop: no ${stateFile}`);
    return;
  }
  await stopLaneServices(stateFile, parseLaneState(await readFile(stateFile, 'utf8'), stateFile));
}

/** SIGTERM to each service, upstream first, so each drains what the one before it wrote. */
async function stopLaneServices(stateFile: string, state: LaneState): Promise<void> {
  for (const service of [...state.services].reverse()) {
    const how = await stopProcess(service.pid, service.script);
    console.log(`${service.name} (pid ${service.pid}) ${how}`);
  }
  await rm(stateFile, { force: true });
}
