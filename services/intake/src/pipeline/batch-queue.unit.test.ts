import { describe, expect, it } from 'vitest';
import { type BatchOutcome, BatchQueue } from './batch-queue.ts';

/** A flush that records its batches and waits for the test to release each one. */
function heldFlush() {
  const batches: string[][] = [];
  const releases: (() => void)[] = [];
  const flush = async (jobs: readonly string[]): Promise<BatchOutcome<string>[]> => {
    batches.push([...jobs]);
    await new Promise<void>((resolve) => releases.push(resolve));
    return jobs.map((job) =>
      job.startsWith('bad') ? { ok: false, error: new Error(job) } : { ok: true, value: job.toUpperCase() },
    );
  };
  const releaseNext = async () => {
    await new Promise((resolve) => setImmediate(resolve));
    releases.shift()?.();
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { batches, flush, releaseNext };
}

describe('BatchQueue', () => {
  it('writes a lone job at once and batches the jobs that arrive while a batch is written', async () => {
    const { batches, flush, releaseNext } = heldFlush();
    const queue = new BatchQueue<string, string>({ maxJobs: 10 }, flush);
    const first = queue.run('a');
    const later = ['b', 'c', 'd'].map((job) => queue.run(job));
    await releaseNext();
    await releaseNext();
    expect(batches).toEqual([['a'], ['b', 'c', 'd']]);
    expect(await Promise.all([first, ...later])).toEqual(['A', 'B', 'C', 'D']);
  });

  it('fails only the job its outcome refuses, and every job of a batch whose flush throws', async () => {
    const { flush, releaseNext } = heldFlush();
    const queue = new BatchQueue<string, string>({ maxJobs: 10 }, flush);
    const good = queue.run('ok');
    // Expected at once: the refusal settles while the batches are released below.
    const bad = expect(queue.run('bad-one')).rejects.toThrow('bad-one');
    await releaseNext();
    await releaseNext();
    expect(await good).toBe('OK');
    await bad;

    const failing = new BatchQueue<string, string>({ maxJobs: 10 }, async () => {
      throw new Error('kafka down');
    });
    await Promise.all([
      expect(failing.run('x')).rejects.toThrow('kafka down'),
      expect(failing.run('y')).rejects.toThrow('kafka down'),
    ]);
    // The queue goes on: the next job gets a batch of its own.
    await expect(failing.run('z')).rejects.toThrow('kafka down');
  });

  it('keeps a batch within its job count and weight, letting a single heavy job go alone', async () => {
    const { batches, flush, releaseNext } = heldFlush();
    const queue = new BatchQueue<string, string>(
      { maxJobs: 3, maxWeight: 10, weigh: (job) => job.length },
      flush,
    );
    const jobs = ['a', 'bbbb', 'cccc', 'dddd', 'e', 'f', 'g', 'hhhhhhhhhhhh', 'i'];
    const results = jobs.map((job) => queue.run(job));
    for (let round = 0; round < 6; round++) await releaseNext();
    expect(batches).toEqual([['a'], ['bbbb', 'cccc'], ['dddd', 'e', 'f'], ['g'], ['hhhhhhhhhhhh'], ['i']]);
    expect(await Promise.all(results)).toEqual(jobs.map((job) => job.toUpperCase()));
  });
});
