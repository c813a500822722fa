import path from 'node:path';
import { runChildJob } from '../lib/child-job.ts';
import type { Job, JobResult, RecoveryProgress } from './jobs.ts';

const workerPath = path.join(import.meta.dirname, 'worker.ts');

export interface RunJobOptions {
  /** The worker is killed and the job fails after this long (a hung client must not hang the bench). */
  readonly timeoutMs: number;
  readonly onProgress?: (progress: RecoveryProgress) => void;
}

/** Runs one client job in a fresh child process and returns its result. */
export function runJob<T extends JobResult>(job: Job, options: RunJobOptions): Promise<T> {
  return runChildJob<T, RecoveryProgress>(workerPath, job, {
    label: `${job.client} ${job.kind}`,
    timeoutMs: options.timeoutMs,
    // Warnings (kafkajs's TimeoutNegativeWarning on Node 24) are counted by the worker instead.
    execArgv: ['--no-warnings'],
    env: { ...process.env, KAFKAJS_NO_PARTITIONER_WARNING: '1' },
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
}
