import type { FetchSettings } from './jobs.ts';

/** One record size of the bake-off. */
interface SizePlan {
  readonly label: string;
  readonly recordBytes: number;
  /** Records per produce measurement (scaled by BENCH_SCALE). */
  readonly records: number;
  /** Records per consume measurement: consuming is faster, so it reads more to last a few seconds. */
  readonly consumeRecords: number;
  /** Records per send call. */
  readonly batchRecords: number;
}

export interface BakeOffPlan {
  readonly repetitions: number;
  readonly partitions: number;
  readonly sizes: readonly SizePlan[];
  /** Send calls in flight at once, per producer. */
  readonly inFlight: number;
  readonly fetch: FetchSettings;
  readonly recovery: {
    readonly records: number;
    readonly recordBytes: number;
    readonly batchRecords: number;
    readonly ratePerSecond: number;
    /** The broker is stopped once this share of the records was acknowledged... */
    readonly stopAfterAcked: number;
    /** ...and this share was processed by the consumer group (so it has committed offsets). */
    readonly stopAfterProcessed: number;
    /** How long the broker stays down before it is started again. */
    readonly downMs: number;
    readonly deadlineMs: number;
  };
  readonly seed: number;
}

/**
 * The bake-off's parameters. At scale 1 a produce run moves 100 MB (1 KB records) or 200 MB
 * (20 KB records) and a consume run three times that, a few seconds each on the 2-core machines;
 * BENCH_SCALE=0.1 is a smoke run.
 */
export function bakeOffPlan(scale: number): BakeOffPlan {
  const scaled = (records: number, minimum: number) => Math.max(minimum, Math.round(records * scale));
  return {
    repetitions: 3,
    partitions: 6,
    sizes: [
      {
        label: '1 KB',
        recordBytes: 1024,
        records: scaled(100_000, 1_000),
        consumeRecords: scaled(300_000, 3_000),
        batchRecords: 200,
      },
      {
        label: '20 KB',
        recordBytes: 20 * 1024,
        records: scaled(10_000, 100),
        consumeRecords: scaled(30_000, 300),
        batchRecords: 20,
      },
    ],
    inFlight: 4,
    fetch: { maxBytes: 16 * 1024 * 1024, maxBytesPerPartition: 4 * 1024 * 1024, maxWaitMs: 500 },
    recovery: {
      records: scaled(20_000, 4_000),
      recordBytes: 1024,
      batchRecords: 100,
      ratePerSecond: 1_000,
      stopAfterAcked: 0.3,
      stopAfterProcessed: 0.2,
      downMs: 8_000,
      deadlineMs: 240_000,
    },
    seed: 20_260_101,
  };
}
