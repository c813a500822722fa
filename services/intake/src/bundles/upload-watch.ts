import type { IncomingMessage, ServerResponse } from 'node:http';
import { TriageError } from '@triage/errors';

/** How long an upload's body may take, and how slowly it may arrive, before intake gives up on it. */
export interface UploadPace {
  /** Nothing sent for this long: refused (408). */
  readonly idleMs: number;
  /** Less than this many bytes a second over a whole `rateWindowMs`: refused (408). */
  readonly minBytesPerSecond: number;
  readonly rateWindowMs: number;
  /** The body not complete this long after the request came: refused (408), however steady. */
  readonly deadlineMs: number;
}

/** Defaults when a caller (a test app) gives none: the config's defaults. */
export const defaultUploadPace: UploadPace = {
  idleMs: 60_000,
  minBytesPerSecond: 1_024,
  rateWindowMs: 60_000,
  deadlineMs: 2 * 60 * 60_000,
};

/** True when `bytes` received over `windowMs` is under `minBytesPerSecond` (a trickle). */
export function belowMinimumRate(bytes: number, windowMs: number, minBytesPerSecond: number): boolean {
  return bytes * 1_000 < minBytesPerSecond * windowMs;
}

/** The uploads whose bodies are still arriving, so that shutdown can end them after its grace. */
export class InFlightUploads {
  readonly #aborts = new Set<(error: TriageError) => void>();

  get size(): number {
    return this.#aborts.size;
  }

  /** Refuses every body still arriving with `error` (each answers it and closes its connection). */
  abortAll(error: TriageError): number {
    const aborted = this.#aborts.size;
    for (const abort of [...this.#aborts]) abort(error);
    return aborted;
  }

  /** @internal for watchUpload */
  add(abort: (error: TriageError) => void): () => void {
    this.#aborts.add(abort);
    return () => this.#aborts.delete(abort);
  }
}

const stalled = (message: string, details: Record<string, number>) =>
  new TriageError('TRIAGE_REQUEST_STALLED', `${message}; nothing was kept`, { pointer: '/body', details });

/**
 * Rejects once the request body has sent nothing for `idleMs` (socket inactivity), sent less
 * than the minimum rate over a window, or is not complete by the deadline; or when shutdown
 * aborts it. Fastify turns Node's request timeout off, so without this a stalled or trickling
 * partner would hold its connection and staged media for as long as it likes. Time spent after
 * the body is in does not count, nor a window in which intake itself was not reading.
 */
export function watchUpload(
  request: IncomingMessage,
  response: ServerResponse,
  pace: UploadPace,
  uploads: InFlightUploads | undefined,
): { stalled: Promise<never>; stop(): void } {
  let reject: (error: TriageError) => void = () => undefined;
  const refused = new Promise<never>((_, onRefusal) => {
    reject = onRefusal;
  });
  refused.catch(() => undefined);
  const socket = request.socket;
  // Nothing left to wait for, or no socket to watch (`inject` in tests has a stand-in).
  if (request.complete || typeof socket?.setTimeout !== 'function') {
    return { stalled: refused, stop: () => undefined };
  }
  let lastBytes = socket.bytesRead;
  const rateTimer = setInterval(() => {
    const bytes = socket.bytesRead - lastBytes;
    lastBytes = socket.bytesRead;
    // Bytes waiting in the request's buffer: intake is the slow one (staging, parsing), not the partner.
    if (request.complete || request.readableLength > 0) return;
    if (belowMinimumRate(bytes, pace.rateWindowMs, pace.minBytesPerSecond)) {
      reject(
        stalled(
          `the body sent ${bytes} bytes in ${pace.rateWindowMs} ms, under ${pace.minBytesPerSecond} a second`,
          {
            minBytesPerSecond: pace.minBytesPerSecond,
            rateWindowMs: pace.rateWindowMs,
            bytes,
          },
        ),
      );
    }
  }, pace.rateWindowMs);
  const deadlineTimer = setTimeout(() => {
    if (request.complete) return;
    reject(
      stalled(`the body was not complete within ${pace.deadlineMs} ms`, { deadlineMs: pace.deadlineMs }),
    );
  }, pace.deadlineMs);
  const forget = uploads?.add((error) => reject(error)) ?? (() => undefined);
  const stop = () => {
    response.off('timeout', onIdle);
    request.off('end', stop);
    socket.setTimeout(0);
    clearInterval(rateTimer);
    clearTimeout(deadlineTimer);
    forget();
  };
  const onIdle = () => {
    // Every byte is in but not yet read: the wait is ours, not the partner's.
    if (request.complete) return stop();
    reject(stalled(`the body sent nothing for ${pace.idleMs} ms`, { idleMs: pace.idleMs }));
  };
  // Node destroys an idle socket unless the request or response listens for 'timeout'; the
  // response always hears it (the request only while incomplete), so we answer, then close.
  response.on('timeout', onIdle);
  socket.setTimeout(pace.idleMs);
  request.once('end', stop);
  return { stalled: refused, stop };
}
