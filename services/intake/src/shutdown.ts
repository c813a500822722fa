import { TriageError } from '@triage/errors';
import type { Logger } from '@triage/logging';
import type { InFlightUploads } from './bundles/upload-watch.ts';

export interface ShutdownOptions {
  /** Stops accepting and resolves once in-flight requests are answered (Fastify's `close`). */
  closeServer: () => Promise<unknown>;
  /** Closes what the requests used (producer, status table, ops server), after the server. */
  closeClients: () => Promise<unknown>;
  inFlight: InFlightUploads;
  /** How long bodies still arriving may take before they are refused. */
  graceMs: number;
  /** After this long the process exits whatever is still running (an accept step past its own timeout). */
  hardStopMs: number;
  logger: Logger;
  exit: (code: number) => void;
}

/**
 * SIGTERM: stop accepting, give uploads still arriving `graceMs`, then answer them 503
 * TRIAGE_SHUTTING_DOWN (their staged bytes are removed as for any refusal) and exit once the
 * rest is done; an accept step already publishing finishes as a whole.
 */
export function shutDown(options: ShutdownOptions): Promise<void> {
  const { inFlight, logger } = options;
  logger.info(
    { uploads: inFlight.size, graceMs: options.graceMs },
    'SIGTERM: no new requests, finishing the ones in flight',
  );
  const grace = setTimeout(() => {
    const aborted = inFlight.abortAll(
      new TriageError(
        'TRIAGE_SHUTTING_DOWN',
        `intake is stopping and the body was not complete within its ${options.graceMs} ms shutdown grace; nothing was kept`,
        { pointer: '/body', details: { graceMs: options.graceMs, retryAfterSeconds: 5 } },
      ),
    );
    if (aborted > 0) logger.warn({ aborted }, 'shutdown grace over: uploads still arriving were refused');
  }, options.graceMs);
  const hardStop = setTimeout(() => {
    logger.error(
      { hardStopMs: options.hardStopMs },
      'shutdown deadline passed: exiting with requests unfinished',
    );
    options.exit(1);
  }, options.hardStopMs);
  hardStop.unref();
  return options
    .closeServer()
    .finally(() => clearTimeout(grace))
    .then(options.closeClients)
    .then(
      () => options.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        options.exit(1);
      },
    )
    .finally(() => clearTimeout(hardStop));
}
