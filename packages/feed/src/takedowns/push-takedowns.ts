// A hotline's takedown events sent to intake's `POST /v1/takedowns` in order, in batches.
import { sendWithRetries } from '../send-with-retries.ts';
import type { TakedownEventRequest } from './types.ts';

/** Intake records at most this many events per request. */
export const TAKEDOWN_BATCH_LIMIT = 1000;

export interface PushTakedownsOptions {
  readonly intakeUrl: string;
  /** A key of the partner with the `hotline` scope, sent as `Authorization: Bearer`. */
  readonly apiKey: string;
  /** In the order to send (time order per case and per URL). */
  readonly events: readonly TakedownEventRequest[];
  /** Events per request, 1..1000. Default 1000. */
  readonly batchSize?: number;
  /** 408/429/503 answers and broken connections waited out per batch. */
  readonly maxRetries: number;
}

/** Why intake refused a batch: its status and problem. */
export interface TakedownRefusal {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  /** 0-based batch index, and the id of the batch's first event. */
  readonly batch: number;
  readonly firstEventId: string;
}

export interface PushTakedownsOutcome {
  /** Events in batches intake accepted. */
  readonly sent: number;
  /** Of those, recorded now, and replays of events recorded before. */
  readonly recorded: number;
  readonly duplicates: number;
  readonly batches: number;
  readonly retries: number;
  /** The first refusal, after which nothing more is sent (later events may depend on the refused ones). */
  readonly refusal: TakedownRefusal | null;
}

function refusalOf(
  status: number,
  body: Record<string, unknown>,
  batch: number,
  firstEventId: string,
): TakedownRefusal {
  const code = typeof body.code === 'string' ? body.code : `HTTP_${status}`;
  const detail =
    status === 404
      ? `intake has no POST /v1/takedowns (an intake without takedown events?): ${String(body.detail ?? 'not found')}`
      : String(body.detail ?? body.title ?? 'no problem details');
  return { status, code, detail, batch, firstEventId };
}

/**
 * Sends the events in order, `batchSize` per request, and stops at the first refusal. A retried
 * batch is safe: intake answers events it recorded already as duplicates.
 */
export async function pushTakedowns(options: PushTakedownsOptions): Promise<PushTakedownsOutcome> {
  const batchSize = options.batchSize ?? TAKEDOWN_BATCH_LIMIT;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > TAKEDOWN_BATCH_LIMIT) {
    throw new RangeError(`batchSize must be an integer from 1 to ${TAKEDOWN_BATCH_LIMIT}, got ${batchSize}`);
  }
  const url = new URL('/v1/takedowns', options.intakeUrl);
  let sent = 0;
  let recorded = 0;
  let duplicates = 0;
  let retries = 0;
  let batches = 0;
  for (let start = 0; start < options.events.length; start += batchSize) {
    const events = options.events.slice(start, start + batchSize);
    const outcome = await sendWithRetries(
      () =>
        fetch(url, {
          method: 'POST',
          headers: { authorization: `Bearer ${options.apiKey}`, 'content-type': 'application/json' },
          body: JSON.stringify({ events }),
        }),
      options.maxRetries,
    );
    retries += outcome.attempts - 1;
    if (outcome.status < 200 || outcome.status >= 300) {
      const refusal = refusalOf(outcome.status, outcome.body, batches, events[0]!.eventId);
      return { sent, recorded, duplicates, batches, retries, refusal };
    }
    batches += 1;
    sent += events.length;
    recorded += Number(outcome.body.recorded ?? 0);
    duplicates += Number(outcome.body.duplicates ?? 0);
  }
  return { sent, recorded, duplicates, batches, retries, refusal: null };
}
