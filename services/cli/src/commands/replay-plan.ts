import path from 'node:path';
import { TriageError } from '@triage/errors';
import type { PartitionReset, PipelineStage, RebuildLane, ResetTarget, TopicSpec } from '@triage/messaging';
import { z } from 'zod';
import {
  type PlannedService,
  parseStateFile,
  runningServicesSchema,
  type UpService,
  upServices,
} from './up-plan.ts';

const relative = /^(\d+)(m|h|d)$/;
const unitMs = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** `--to-time`: an ISO date-time, or a duration ago (`90m`, `6h`, `2d`). */
export function parseWhen(text: string, now: number): number {
  const match = relative.exec(text.trim());
  if (match) return now - Number(match[1]) * unitMs[match[2] as keyof typeof unitMs];
  const at = Date.parse(text);
  if (Number.isNaN(at)) {
    throw new TriageError(
      'TRIAGE_REPLAY_INVALID',
      `--to-time "${text}": expected an ISO date-time or a duration ago such as 6h or 2d`,
    );
  }
  return at;
}

/** `--to-offsets 0:120,3:77`: partition and offset pairs. */
export function parseOffsets(text: string): Map<number, bigint> {
  const offsets = new Map<number, bigint>();
  for (const pair of text.split(',')) {
    const match = /^\s*(\d+):(\d+)\s*$/.exec(pair);
    if (!match) {
      throw new TriageError(
        'TRIAGE_REPLAY_INVALID',
        `--to-offsets "${text}": expected partition:offset pairs such as 0:120,3:77`,
      );
    }
    offsets.set(Number(match[1]), BigInt(match[2]!));
  }
  return offsets;
}

export interface ResetFlags {
  toEarliest?: boolean;
  toTime?: string;
  toOffsets?: string;
}

/** Exactly one of `--to-earliest`, `--to-time`, `--to-offsets`. */
export function resetTarget(flags: ResetFlags, now: number): ResetTarget {
  const given = [flags.toEarliest === true, flags.toTime !== undefined, flags.toOffsets !== undefined];
  if (given.filter(Boolean).length !== 1) {
    throw new TriageError(
      'TRIAGE_REPLAY_INVALID',
      'say where to reset to: exactly one of --to-earliest, --to-time <when>, --to-offsets <p:o,...>',
    );
  }
  if (flags.toTime !== undefined) return { kind: 'time', at: parseWhen(flags.toTime, now) };
  if (flags.toOffsets !== undefined) return { kind: 'offsets', offsets: parseOffsets(flags.toOffsets) };
  return { kind: 'earliest' };
}

/**
 * What a reset to `target` cannot bring back: a topic kept for a limited time no longer holds
 * records older than its retention, so they are not replayed. Null when nothing is missed.
 */
export function retentionWarning(spec: TopicSpec, target: ResetTarget, now: number): string | null {
  if (spec.retentionMs < 0 || spec.cleanupPolicy === 'compact') return null;
  const oldest = now - spec.retentionMs;
  if (target.kind === 'time' && target.at >= oldest) return null;
  const days = Math.round(spec.retentionMs / 86_400_000);
  return (
    `${spec.name} keeps records for ${days} days: work older than ${new Date(oldest).toISOString()} is not ` +
    'in it any more. Replay older work from intake.bundles.v1 (kept forever): ' +
    '`pnpm triage replay rebuild --from splitter --lane <name>`'
  );
}

/** A reset plan as table rows. */
export function resetRows(groupId: string, plan: readonly PartitionReset[]) {
  return plan.map((entry) => ({
    group: groupId,
    topic: entry.topic,
    partition: entry.partition,
    from: entry.from === null ? '(none)' : entry.from.toString(),
    to: entry.to.toString(),
    replays: Number(entry.end - entry.to),
  }));
}

/** The deployable that runs each stage (the hasher deployable runs the hasher and dedupe groups). */
const deployableOf: Record<PipelineStage, UpService> = {
  splitter: 'splitter',
  hasher: 'hasher',
  dedupe: 'hasher',
  enricher: 'enricher',
  scorer: 'scorer',
  indexer: 'indexer',
  'hoster-monitor': 'hoster-monitor',
};

/** The deployables a lane runs, in start order (downstream first, as `triage up` starts them). */
export function laneDeployables(lane: Pick<RebuildLane, 'stages'>): UpService[] {
  const wanted = new Set([...lane.stages].map((stage) => deployableOf[stage]));
  return upServices.filter((name) => wanted.has(name));
}

/** Each lane deployable's entry point and its log under `logDir`. */
export function lanePlan(
  lane: Pick<RebuildLane, 'stages' | 'name'>,
  options: { servicesDir: string; logDir: string },
): PlannedService[] {
  return laneDeployables(lane).map((name) => ({
    name,
    script: path.join(options.servicesDir, name, 'src', 'main.ts'),
    log: path.join(options.logDir, `${name}.log`),
  }));
}

const laneStateSchema = z.object({
  version: z.literal(1),
  lane: z.string().min(1),
  from: z.string().min(1),
  startedAt: z.iso.datetime(),
  services: runningServicesSchema,
});

/** What `replay rebuild --detach` leaves for `replay stop`: the lane and the services it runs. */
export type LaneState = z.infer<typeof laneStateSchema>;

export function serializeLaneState(state: LaneState): string {
  return `${JSON.stringify(laneStateSchema.parse(state), null, 2)}\n`;
}

export function parseLaneState(text: string, file: string): LaneState {
  return parseStateFile(laneStateSchema, text, file, 'a rebuild lane state file');
}

/**
 * Decides when a lane has caught up: every lane group has nothing left to read for `settleMs`
 * (a stage downstream only sees records once the one before it wrote them, so one quiet poll is
 * not enough).
 */
export class CatchUp {
  readonly #settleMs: number;
  #quietSince: number | undefined;

  constructor(settleMs: number) {
    this.#settleMs = settleMs;
  }

  observe(pending: number, now: number): boolean {
    if (pending > 0) {
      this.#quietSince = undefined;
      return false;
    }
    this.#quietSince ??= now;
    return now - this.#quietSince >= this.#settleMs;
  }
}
