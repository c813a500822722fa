/**
 * When a batch may be answered: never before `floorMs` after it arrived. The lookup of a small
 * batch takes microseconds more for a hit than for a miss; holding every answer to the same floor
 * hides that. A batch whose lookup outlasts the floor is answered when done: its time follows its
 * size, and every hash of it was looked up in full (answerCheck), hit or miss.
 */
export function answerDeadline(arrivedAt: number, floorMs: number): number {
  return arrivedAt + floorMs;
}

/** Resolves at `deadline` (epoch ms; at once if it has passed). */
export function waitUntil(deadline: number, now: () => number = Date.now): Promise<void> {
  const delay = deadline - now();
  if (delay <= 0) return Promise.resolve();
  return new Promise((resolve) => setTimeout(resolve, delay));
}
