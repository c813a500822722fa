// Open-loop load: every upload starts at its scheduled time whatever the earlier ones did (a slow
// answer does not delay the next send, so it cannot hide), and how late each send started is kept.
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * When each upload is due (ms after the start) for a fixed item rate: an upload is due once the
 * items sent before it reach the rate, so uploads of many files space themselves out. Pure.
 */
export function itemSchedule(options: {
  itemsPerUpload: (index: number) => number;
  itemsPerSecond: number;
  durationMs: number;
}): number[] {
  const due: number[] = [];
  let itemsBefore = 0;
  for (let index = 0; ; index++) {
    const at = (itemsBefore / options.itemsPerSecond) * 1000;
    if (at >= options.durationMs) return due;
    due.push(at);
    itemsBefore += options.itemsPerUpload(index);
  }
}

export interface OpenLoopResult<T> {
  /** Per upload, in schedule order: its outcome (or the error it threw). */
  readonly outcomes: (T | Error)[];
  /** Per upload: ms between its due time and the moment its send started. */
  readonly lateMs: number[];
}

/**
 * Starts `send(index)` at each due time without waiting for the earlier sends; resolves once every
 * send settled. At most `maxInFlight` sends run at once: past that the load generator itself would
 * be the bottleneck (sockets, buffered bodies, its share of the cores), so a send waits for a free
 * slot and its lateness says so. A system that keeps up never reaches the cap.
 */
export async function runOpenLoop<T>(
  due: readonly number[],
  send: (index: number) => Promise<T>,
  maxInFlight: number,
): Promise<OpenLoopResult<T>> {
  const started = performance.now();
  const outcomes: (T | Error)[] = new Array(due.length);
  const lateMs: number[] = new Array(due.length);
  const running = new Set<Promise<void>>();
  for (let index = 0; index < due.length; index++) {
    const wait = due[index]! - (performance.now() - started);
    if (wait > 0) await sleep(wait);
    while (running.size >= maxInFlight) await Promise.race(running);
    // Timers may fire a fraction of a millisecond early: that is on time.
    lateMs[index] = Math.max(0, performance.now() - started - due[index]!);
    const one: Promise<void> = send(index).then(
      (outcome) => {
        outcomes[index] = outcome;
      },
      (error: unknown) => {
        outcomes[index] = error instanceof Error ? error : new Error(String(error));
      },
    );
    running.add(one);
    void one.finally(() => running.delete(one));
  }
  await Promise.all(running);
  return { outcomes, lateMs };
}
