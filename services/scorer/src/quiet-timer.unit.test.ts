import { TriageError } from '@triage/errors';
import { createLogger } from '@triage/logging';
import type { Outputs } from '@triage/messaging';
import { describe, expect, it } from 'vitest';
import { QuietTimer, quietCheckIntervalMs } from './quiet-timer.ts';

const logger = createLogger({ name: 'quiet-timer-test', level: 'silent' });
const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

function harness() {
  const calls = { checks: 0, ticks: 0 };
  const world = { down: false };
  let release: () => void = () => undefined;
  let gate: Promise<void> = Promise.resolve();
  const timer = new QuietTimer({
    quietMs: 3_600_000,
    logger,
    onTick: () => {
      calls.ticks += 1;
    },
    quietCases: () => {
      calls.checks += 1;
      return [];
    },
    async runExclusive(task: () => Outputs) {
      await gate;
      if (world.down) throw new TriageError('TRIAGE_KAFKA_UNAVAILABLE', 'down');
      task();
    },
  });
  const hold = () => {
    gate = new Promise((resolve) => {
      release = resolve;
    });
  };
  return { timer, calls, world, hold, open: () => release() };
}

describe('QuietTimer', () => {
  it('given quiet times, when the interval is chosen, then a quarter of it, between 0.25 and 30 s', () => {
    expect([100, 60_000, 3_600_000].map(quietCheckIntervalMs)).toEqual([250, 15_000, 30_000]);
  });

  it('given a check still running, when more ticks come, then they do not queue checks (but still poke re-links)', async () => {
    const { timer, calls, hold, open } = harness();
    timer.start();
    hold();
    timer.tick();
    timer.tick();
    timer.tick();
    open();
    await settle();
    expect(calls).toEqual({ checks: 1, ticks: 3 });
    timer.tick();
    await settle();
    expect(calls.checks).toBe(2);
    await timer.stop();
  });

  it('given a failed check, when the next tick comes, then it checks again', async () => {
    const { timer, calls, world } = harness();
    timer.start();
    world.down = true;
    timer.tick();
    await settle();
    world.down = false;
    timer.tick();
    await settle();
    expect(calls.checks).toBe(1);
    await timer.stop();
  });

  it('given a stopped timer, when ticked, then nothing runs', async () => {
    const { timer, calls } = harness();
    timer.start();
    await timer.stop();
    timer.tick();
    await settle();
    expect(calls).toEqual({ checks: 0, ticks: 0 });
  });
});
