/**
 * Runs one benchmark job in a fresh child process (so its timings and memory are its own, and a
 * hung client cannot hang the bench), and the child's side of the same small protocol.
 */
import { fork } from 'node:child_process';

/** What a worker sends back. */
type ChildMessage<TResult, TProgress> =
  | { readonly type: 'progress'; readonly progress: TProgress }
  | { readonly type: 'result'; readonly result: TResult }
  | { readonly type: 'error'; readonly message: string };

export interface ChildJobOptions<TProgress> {
  /** Names the job in errors, e.g. `kafkajs produce`. */
  readonly label: string;
  /** The worker is killed and the job fails after this long. */
  readonly timeoutMs: number;
  readonly execArgv?: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  readonly onProgress?: (progress: TProgress) => void;
}

/** Parent side: forks `workerPath`, sends it `job`, resolves with its result. */
export function runChildJob<TResult, TProgress = never>(
  workerPath: string,
  job: unknown,
  options: ChildJobOptions<TProgress>,
): Promise<TResult> {
  return new Promise((resolve, reject) => {
    const child = fork(workerPath, [], {
      serialization: 'advanced',
      execArgv: [...(options.execArgv ?? [])],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: options.env ?? process.env,
    });
    let settled = false;
    const finish = (error: Error | undefined, result?: TResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (child.exitCode === null) child.kill('SIGKILL');
      if (error) reject(error);
      else resolve(result as TResult);
    };
    const timer = setTimeout(
      () => finish(new Error(`${options.label} job timed out after ${options.timeoutMs / 1000} s`)),
      options.timeoutMs,
    );
    child.on('message', (message: ChildMessage<TResult, TProgress>) => {
      if (message.type === 'progress') options.onProgress?.(message.progress);
      else if (message.type === 'result') finish(undefined, message.result);
      else finish(new Error(`${options.label} job failed: ${message.message}`));
    });
    child.on('error', (error) => finish(error));
    child.on('exit', (code, signal) =>
      finish(new Error(`${options.label} worker exited (${code ?? signal}) without a result`)),
    );
    child.send(job as object);
  });
}

function send<TResult, TProgress>(message: ChildMessage<TResult, TProgress>): Promise<void> {
  return new Promise((resolve) => process.send!(message, () => resolve()));
}

/** Child side: reports progress to the parent. */
export function sendProgress<TProgress>(progress: TProgress): Promise<void> {
  return send<never, TProgress>({ type: 'progress', progress });
}

/**
 * Child side: runs the first job the parent sends, reports its result or error, then exits
 * (clients may leave timers behind; the job is over, so the process is too).
 */
export function serveChildJob<TJob, TResult>(run: (job: TJob) => Promise<TResult>): void {
  process.once('message', (job: TJob) => {
    run(job)
      .then((result) => send<TResult, never>({ type: 'result', result }))
      .catch((error: unknown) =>
        send<never, never>({
          type: 'error',
          message: error instanceof Error ? (error.stack ?? error.message) : String(error),
        }),
      )
      .finally(() => process.exit(0));
  });
}
