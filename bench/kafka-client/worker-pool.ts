import { fork } from 'node:child_process';
import path from 'node:path';
import type { Job, JobResult, RecoveryProgress, WorkerMessage } from './jobs.ts';

const workerPath = path.join(import.meta.dirname, 'worker.ts');

export interface RunJobOptions {
  /** The worker is killed and the job fails after this long (a hung client must not hang the bench). */
  readonly timeoutMs: number;
  readonly onProgress?: (progress: RecoveryProgress) => void;
}

/** Runs one job in a fresh child process and returns its result. */
export function runJob<T extends JobResult>(job: Job, options: RunJobOptions): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = fork(workerPath, [], {
      serialization: 'advanced',
      // Warnings (kafkajs's TimeoutNegativeWarning on Node 24) are counted by the worker instead.
      execArgv: ['--no-warnings'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, KAFKAJS_NO_PARTITIONER_WARNING: '1' },
    });
    let settled = false;
    const finish = (error: Error | undefined, result?: JobResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (child.exitCode === null) child.kill('SIGKILL');
      if (error) reject(error);
      else resolve(result as T);
    };
    const timer = setTimeout(
      () => finish(new Error(`${job.client} ${job.kind} job timed out after ${options.timeoutMs / 1000} s`)),
      options.timeoutMs,
    );
    child.on('message', (message: WorkerMessage) => {
      if (message.type === 'progress') options.onProgress?.(message.progress);
      else if (message.type === 'result') finish(undefined, message.result);
      else finish(new Error(`${job.client} ${job.kind} job failed: ${message.message}`));
    });
    child.on('error', (error) => finish(error));
    child.on('exit', (code, signal) =>
      finish(new Error(`${job.client} ${job.kind} worker exited (${code ?? signal}) without a result`)),
    );
    child.send(job);
  });
}
