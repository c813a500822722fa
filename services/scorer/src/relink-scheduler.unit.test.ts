import { TriageError } from '@triage/errors';
import { createLogger } from '@triage/logging';
import type { Outputs } from '@triage/messaging';
import { describe, expect, it } from 'vitest';
import { RelinkScheduler } from './relink-scheduler.ts';

const logger = createLogger({ name: 'relink-scheduler-test', level: 'silent' });

/** Lets every pending promise callback and timer turn run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

/**
 * A scheduler over a fake runExclusive that runs tasks one at a time, as the runner does, and
 * records each run's identifiers. `held` says whether partitions are assigned; `down` fails runs.
 */
function harness() {
  const runs: string[][] = [];
  const world = { held: true, down: false };
  let gate: Promise<void> = Promise.resolve();
  let release: () => void = () => undefined;
  const scheduler = new RelinkScheduler<string>({
    logger,
    settle: () => Promise.resolve(),
    async runExclusive(task: () => Promise<Outputs>) {
      await gate;
      if (world.down) throw new TriageError('TRIAGE_KAFKA_UNAVAILABLE', 'down');
      await task();
    },
    async relink(identifiers) {
      if (!world.held) return null;
      runs.push([...identifiers].sort());
      return [];
    },
  });
  /** Holds the next runs until `open()`, as a long batch holds the runner. */
  const hold = () => {
    gate = new Promise((resolve) => {
      release = resolve;
    });
  };
  return { scheduler, runs, world, hold, open: () => release() };
}

describe('RelinkScheduler', () => {
  it('given identifiers before start, when started, then one run re-links them all', async () => {
    const { scheduler, runs } = harness();
    scheduler.add('email:a');
    scheduler.add('phone:b');
    await settle();
    expect(runs).toEqual([]);
    scheduler.start();
    await settle();
    expect(runs).toEqual([['email:a', 'phone:b']]);
  });

  it('given changes arriving while a run is held, when it ends, then the next run takes them at once, batched', async () => {
    const { scheduler, runs, hold, open } = harness();
    scheduler.start();
    hold();
    scheduler.add('a');
    await settle();
    scheduler.add('b');
    scheduler.add('c');
    await settle();
    expect(runs).toEqual([]);
    open();
    await settle();
    expect(runs).toEqual([['a'], ['b', 'c']]);
    expect(scheduler.pending).toBe(0);
  });

  it('given no partition assigned yet, when a run comes, then its identifiers are kept for the next tick, not retried in a loop', async () => {
    const { scheduler, runs, world } = harness();
    world.held = false;
    scheduler.start();
    scheduler.add('a');
    await settle();
    expect(runs).toEqual([]);
    expect(scheduler.pending).toBe(1);
    world.held = true;
    scheduler.soon();
    await settle();
    expect(runs).toEqual([['a']]);
  });

  it('given a run that fails (Kafka down), when the next tick comes, then the identifiers are re-linked then', async () => {
    const { scheduler, runs, world } = harness();
    world.down = true;
    scheduler.start();
    scheduler.add('a');
    await settle();
    expect(scheduler.pending).toBe(1);
    world.down = false;
    scheduler.soon();
    await settle();
    expect(runs).toEqual([['a']]);
  });

  it('given a stopped scheduler, when identifiers come, then nothing runs and stop waits for the run in flight', async () => {
    const { scheduler, runs, hold, open } = harness();
    scheduler.start();
    hold();
    scheduler.add('a');
    await settle();
    let stopped = false;
    const stopping = scheduler.stop().then(() => {
      stopped = true;
    });
    await settle();
    expect(stopped).toBe(false);
    open();
    await stopping;
    scheduler.add('b');
    await settle();
    expect(runs).toEqual([['a']]);
  });
});
