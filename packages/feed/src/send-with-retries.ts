import { setTimeout as sleep } from 'node:timers/promises';

/** What a partner's request to intake came to. */
export interface SendOutcome {
  /** HTTP status of the final answer; 0 when the connection kept failing. */
  readonly status: number;
  /** The receipt (2xx) or the RFC 9457 problem. */
  readonly body: Record<string, unknown>;
  /** Requests sent, counting retries after 408/429/503 and broken connections. */
  readonly attempts: number;
}

/**
 * Sends a request as a well-behaved partner does: a 408, 429 or 503 answered by waiting its
 * Retry-After and sending the same again, a broken connection by backing off and resending. Only
 * for requests intake answers idempotently (a repeat gets the original receipt or counts as a
 * duplicate), so a retry never records twice.
 */
export async function sendWithRetries(
  send: () => Promise<Response>,
  maxRetries: number,
): Promise<SendOutcome> {
  for (let attempt = 1; ; attempt++) {
    let response: Response;
    try {
      response = await send();
    } catch (error) {
      if (attempt > maxRetries) return { status: 0, body: connectionProblem(error), attempts: attempt };
      await sleep(Math.min(30, 2 ** attempt) * 1000);
      continue;
    }
    const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    // 408: our upload stalled and intake kept nothing of it.
    const retryable = response.status === 408 || response.status === 429 || response.status === 503;
    if (!retryable || attempt > maxRetries) return { status: response.status, body, attempts: attempt };
    const retryAfterSeconds = Number(response.headers.get('retry-after') ?? '1');
    await sleep(Math.min(60, Math.max(1, Number.isFinite(retryAfterSeconds) ? retryAfterSeconds : 1)) * 1000);
  }
}

function connectionProblem(error: unknown): Record<string, unknown> {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return { code: 'CONNECTION_FAILED', detail: cause?.message ?? String(error), pointer: cause?.code ?? null };
}
