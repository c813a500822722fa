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
 * Starts `send(index)` for each due time without waiting for the earlier sends; resolves once
 * every send settled. Concurrency is unbounded on purpose: a pipeline that slows down shows as
 * uploads in flight and latency, never as a lower offered rate.
 */
export async function runOpenLoop<T>(
  due: readonly number[],
  send: (index: number) => Promise<T>,
): Promise<OpenLoopResult<T>> {
  const started = performance.now();
  const outcomes: (T | Error)[] = new Array(due.length);
  const lateMs: number[] = new Array(due.length);
  const inFlight: Promise<void>[] = [];
  for (let index = 0; index < due.length; index++) {
    const wait = due[index]! - (performance.now() - started);
    if (wait > 0) await sleep(wait);
    // Timers may fire a fraction of a millisecond early: that is on time.
    lateMs[index] = Math.max(0, performance.now() - started - due[index]!);
    inFlight.push(
      send(index).then(
        (outcome) => {
          outcomes[index] = outcome;
        },
        (error: unknown) => {
          outcomes[index] = error instanceof Error ? error : new Error(String(error));
        },
      ),
    );
  }
  await Promise.all(inFlight);
  return { outcomes, lateMs };
}
