import { TriageError } from '@triage/errors';

export interface PdqIndexOptions {
  /** Default `maxDistance` of `query` (a match is distance <= this). Meta's PDQ threshold is 31. */
  readonly maxDistance?: number;
  /**
   * Slots the 256 bits are cut into (9..32). With s slots a query at distance d probes each slot at
   * radius floor(d/s) or one less; 11 slots of 23-24 bits at radius 2 suit d = 31.
   */
  readonly slots?: number;
  /** Average entries per run of a slot table: fewer = bigger offset tables, shorter scans. */
  readonly bucketTarget?: number;
  /** Rows added since the last build that are scanned linearly before a query indexes them. */
  readonly tailLimit?: number;
  /** After a build, the two newest segments merge while the older holds <= this many times the newer's rows. */
  readonly mergeFactor?: number;
  /** A query compacts the index (drops removed rows, rebuilds) once removed rows exceed this fraction. */
  readonly compactRatio?: number;
  /** Candidates are deduplicated before verification when the probed runs hold more entries than this. */
  readonly dedupeThreshold?: number;
  /** Rows to allocate up front (the store grows by half when full). */
  readonly initialCapacity?: number;
  /**
   * Reorder rows at each build so near-duplicates sit together in memory: queries near big families
   * read memory in order (10M rows: p99 ~1.05 -> ~0.7 ms, build 1.8 -> 3.0 s).
   */
  readonly clusterRows?: boolean;
  /** false: queries never build, merge or compact; call `optimize()` yourself (unindexed rows are scanned). */
  readonly autoMaintain?: boolean;
}

export type ResolvedPdqIndexOptions = Required<PdqIndexOptions>;

export const pdqIndexDefaults: ResolvedPdqIndexOptions = {
  maxDistance: 31,
  slots: 11,
  bucketTarget: 8,
  tailLimit: 4096,
  mergeFactor: 4,
  compactRatio: 0.25,
  dedupeThreshold: 4096,
  initialCapacity: 1024,
  autoMaintain: true,
  clusterRows: true,
};

function integer(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max)
    throw new TriageError(
      'TRIAGE_CONFIG_INVALID',
      `PdqIndex option ${name} must be an integer in ${min}..${max}, got ${value}`,
    );
  return value;
}

export function resolvePdqIndexOptions(options: PdqIndexOptions = {}): ResolvedPdqIndexOptions {
  const o = { ...pdqIndexDefaults, ...options };
  if (!(o.compactRatio > 0 && o.compactRatio <= 1))
    throw new TriageError(
      'TRIAGE_CONFIG_INVALID',
      `PdqIndex option compactRatio must be in (0, 1], got ${o.compactRatio}`,
    );
  for (const name of ['autoMaintain', 'clusterRows'] as const)
    if (typeof o[name] !== 'boolean')
      throw new TriageError('TRIAGE_CONFIG_INVALID', `PdqIndex option ${name} must be a boolean`);
  return Object.freeze({
    maxDistance: integer('maxDistance', o.maxDistance, 0, 256),
    slots: integer('slots', o.slots, 9, 32),
    bucketTarget: integer('bucketTarget', o.bucketTarget, 1, 1 << 20),
    tailLimit: integer('tailLimit', o.tailLimit, 1, 1 << 24),
    mergeFactor: integer('mergeFactor', o.mergeFactor, 1, 1 << 10),
    compactRatio: o.compactRatio,
    dedupeThreshold: integer('dedupeThreshold', o.dedupeThreshold, 0, 2 ** 31),
    initialCapacity: integer('initialCapacity', o.initialCapacity, 1, maxRows),
    autoMaintain: o.autoMaintain,
    clusterRows: o.clusterRows,
  });
}

/** Rows the store can hold: entries pack a row and up to 4 key bits in 32 bits. */
export const maxRows = 2 ** 28;
