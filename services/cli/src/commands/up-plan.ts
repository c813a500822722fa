import path from 'node:path';
import { TriageError } from '@triage/errors';
import { z } from 'zod';
import type { ChildService } from './service-process.ts';

/**
 * Start order of `triage up`: the stages behind intake first (the hoster monitor beside them), so each topic has a reader before
 * anything is written to it; the API last. `down` and Ctrl-C stop them in reverse: intake stops
 * taking bundles before the stages behind it drain.
 */
export const upServices = [
  // Reads takedowns.v1, which only intake writes.
  'hoster-monitor',
  'indexer',
  'scorer',
  'enricher',
  'hasher',
  'splitter',
  'intake',
  'triage-api',
] as const;

export type UpService = (typeof upServices)[number];

export type PlannedService = ChildService<UpService>;

/** Each service's entry point (under `servicesDir`) and its log file (under `logDir`), in start order. */
export function servicePlan(options: { servicesDir: string; logDir: string }): PlannedService[] {
  return upServices.map((name) => ({
    name,
    script: path.join(options.servicesDir, name, 'src', 'main.ts'),
    log: path.join(options.logDir, `${name}.log`),
  }));
}

/** The services a CLI command left running: what `down` or `replay stop` reads back. */
export const runningServicesSchema = z.array(
  z.object({
    name: z.enum(upServices),
    pid: z.number().int().positive(),
    script: z.string().min(1),
    log: z.string().min(1),
  }),
);

const stateSchema = z.object({
  version: z.literal(1),
  startedAt: z.iso.datetime(),
  demoDir: z.string().min(1),
  /** True only when `up` started Kafka and Elasticsearch itself: `down` then stops them too. */
  stackStartedByUp: z.boolean(),
  services: runningServicesSchema,
});

/** What `up --detach` leaves for `down`: the services it started (start order) and whether it started the stack. */
export type UpState = z.infer<typeof stateSchema>;

export function serializeUpState(state: UpState): string {
  return `${JSON.stringify(stateSchema.parse(state), null, 2)}\n`;
}

export function parseUpState(text: string, file: string): UpState {
  return parseStateFile(stateSchema, text, file, 'a triage up state file');
}

/** A state file the CLI wrote, read back: not JSON or not the schema is `TRIAGE_CONFIG_INVALID` naming the file. */
export function parseStateFile<T>(schema: z.ZodType<T>, text: string, file: string, what: string): T {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new TriageError('TRIAGE_CONFIG_INVALID', `${file} is not JSON`, { cause: error });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new TriageError('TRIAGE_CONFIG_INVALID', `${file} is not ${what}: ${parsed.error.message}`);
  }
  return parsed.data;
}

/** The order `down` and Ctrl-C stop services in: the reverse of the start order. */
export function stopOrder<T extends { name: UpService }>(services: readonly T[]): T[] {
  const rank = (name: UpService) => upServices.indexOf(name);
  return [...services].sort((a, b) => rank(b.name) - rank(a.name));
}

/** One stage's records left to read (as `triage lag` counts them). */
interface StageLag {
  stage: string;
  pending: number;
}

export type Readiness =
  | { state: 'ready' }
  | { state: 'waiting' }
  | { state: 'stuck'; stage: string; pending: number; message: string };

export interface ReadinessInput {
  /** Cases of the demo's reports that the cases alias returns with `hasCase: true`. */
  searchable: number;
  /** The feed's report count. */
  expected: number;
  /** Each stage's lag, in pipeline order. */
  lags: readonly StageLag[];
  elapsedMs: number;
  timeoutMs: number;
  /** Packages intake refused while the feed was pushed: their reports never come. */
  refusedPackages?: number;
  /** How long every stage has had nothing left to read (0 while any has). */
  idleMs?: number;
}

/** Stages idle this long after a push with refusals: the cases missing now will not come. */
const refusedIdleMs = 15_000;

/**
 * Ready once every report of the feed is a searchable case. After a push with refused packages,
 * stuck as soon as every stage has been idle a while (their reports never come). Past the timeout, the stuck stage is
 * the first one in pipeline order with records left; with none left, the records never reached
 * the indexer's output (a refused package, or the index refresh).
 */
export function readiness(input: ReadinessInput): Readiness {
  if (input.searchable >= input.expected) return { state: 'ready' };
  const refused = input.refusedPackages ?? 0;
  if (refused > 0 && (input.idleMs ?? 0) >= refusedIdleMs) {
    return {
      state: 'stuck',
      stage: 'intake',
      pending: 0,
      message:
        `${input.searchable} of ${input.expected} cases searchable: intake refused ${refused} package(s) ` +
        '(printed above) and every stage has been idle for 15 s, so their reports will not come. ' +
        'A stack holding an older demo under the same prefix refuses changed packages ' +
        '(TRIAGE_BUNDLE_REF_REUSED): use another KAFKA_TOPIC_PREFIX, or a fresh stack',
    };
  }
  if (input.elapsedMs < input.timeoutMs) return { state: 'waiting' };
  const behind = input.lags.find((lag) => lag.pending > 0);
  const seconds = Math.round(input.timeoutMs / 1000);
  const found = `${input.searchable} of ${input.expected} cases searchable after ${seconds} s`;
  if (behind) {
    return {
      state: 'stuck',
      stage: behind.stage,
      pending: behind.pending,
      message: `${found}: stage ${behind.stage} is stuck with ${behind.pending} record(s) left (see its log)`,
    };
  }
  return {
    state: 'stuck',
    stage: 'indexer',
    pending: 0,
    message: `${found}: no stage has records left, so the missing reports never reached the cases index (refused packages? see the intake and indexer logs)`,
  };
}
