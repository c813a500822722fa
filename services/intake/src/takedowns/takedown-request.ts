import { isIP } from 'node:net';
import { type ErrorCode, TriageError } from '@triage/errors';
import type { TakedownEvent, TakedownEventType } from '@triage/schemas';

/** At most this many events per request (docs/hoster-figures.md, "Events"). */
export const maxTakedownEvents = 1_000;
/** Body limit, checked before parsing: 1 000 events of up to 4 KiB each (two 2 KiB URLs fill one). */
export const maxTakedownBodyBytes = 4 * 1024 * 1024;

type KnownTakedownType = Exclude<TakedownEventType, 'unknown'>;

/**
 * One event as the partner sent it, checked field by field and normalised (URL, host, sha256,
 * time): a record but for what intake fills in (partner, receipt time, a follow-up's URL).
 */
export type CheckedTakedown = Omit<TakedownEvent, 'partnerId' | 'receivedAt' | 'type' | 'url' | 'host'> & {
  type: KnownTakedownType;
  url: string | null;
  host: string | null;
};

/** Why one event of a request was refused: its index, the code and a reason without its values. */
export interface TakedownFailure {
  index: number;
  code: ErrorCode;
  /** JSON pointer into the request body, e.g. `/events/3/noticeId`. */
  pointer: string;
  reason: string;
}

type WireField = keyof Omit<CheckedTakedown, 'host' | 'newHost'>;

/** Fields each type must carry; `sha256|itemId` is "one of the two". */
const requiredFields: Record<KnownTakedownType, readonly (WireField | 'sha256|itemId')[]> = {
  report_received: ['url'],
  notice_sent: ['url', 'ip', 'noticeId', 'sha256|itemId'],
  renotice_sent: ['noticeId'],
  removed_confirmed: ['noticeId'],
  content_moved: ['noticeId', 'newUrl', 'newIp'],
  reappeared: ['url', 'ip', 'sha256'],
};

/** Fields a type does not take: a notice id outside a notice case, a new location outside a move. */
const refusedFields: Record<KnownTakedownType, readonly WireField[]> = {
  report_received: ['noticeId', 'newUrl', 'newIp'],
  notice_sent: ['newUrl', 'newIp'],
  renotice_sent: ['newUrl', 'newIp'],
  removed_confirmed: ['newUrl', 'newIp'],
  content_moved: [],
  reappeared: ['noticeId', 'newUrl', 'newIp'],
};

const knownTypes = new Set<string>(Object.keys(requiredFields));
const wireFields = new Set<string>([
  'eventId',
  'type',
  'at',
  'url',
  'ip',
  'sha256',
  'itemId',
  'noticeId',
  'hosterContact',
  'hosterHint',
  'newUrl',
  'newIp',
]);

/** Partner-chosen ids: printable ASCII without spaces. */
const idPattern = /^[\x21-\x7e]{1,128}$/;
const sha256Pattern = /^[0-9a-fA-F]{64}$/;
const isoWithOffset = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const maxUrlLength = 2_048;
const maxTextLength = 256;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses.
const controlCharacters = /[\u0000-\u001f\u007f]/;

class FieldError extends Error {}

/**
 * Checks a request body: `{ events: [...] }` of 1 to 1 000 events, each with a known type, the
 * fields its type requires and well-formed values. Throws one refusal listing every failing
 * event (nothing of the request is recorded); the state rules (notices, order, replays) come later.
 */
export function checkTakedownRequest(body: unknown): CheckedTakedown[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body) || !('events' in body)) {
    throw new TriageError('TRIAGE_TAKEDOWN_INVALID', 'send a JSON object `{ "events": [...] }`', {
      pointer: '/events',
    });
  }
  const extra = Object.keys(body).filter((key) => key !== 'events');
  if (extra.length > 0) {
    throw new TriageError(
      'TRIAGE_TAKEDOWN_INVALID',
      `unknown field ${extra[0]}: the body holds only events`,
      {
        pointer: `/${extra[0]}`,
      },
    );
  }
  const { events } = body as { events: unknown };
  if (!Array.isArray(events) || events.length === 0) {
    throw new TriageError('TRIAGE_TAKEDOWN_INVALID', '`events` must be a list of at least one event', {
      pointer: '/events',
    });
  }
  if (events.length > maxTakedownEvents) {
    throw new TriageError(
      'TRIAGE_TAKEDOWN_TOO_LARGE',
      `${events.length} events: at most ${maxTakedownEvents} per request`,
      { pointer: '/events' },
    );
  }
  const checked: CheckedTakedown[] = [];
  const failures: TakedownFailure[] = [];
  events.forEach((event, index) => {
    const result = checkEvent(event, index);
    if ('failure' in result) failures.push(result.failure);
    else checked.push(result.event);
  });
  if (failures.length > 0) throw takedownRefusal(failures, events.length);
  return checked;
}

function checkEvent(
  event: unknown,
  index: number,
): { event: CheckedTakedown } | { failure: TakedownFailure } {
  const at = (field: string) => `/events/${index}${field ? `/${field}` : ''}`;
  const fail = (field: string, reason: string) => ({
    failure: { index, code: 'TRIAGE_TAKEDOWN_INVALID' as const, pointer: at(field), reason },
  });
  if (typeof event !== 'object' || event === null || Array.isArray(event)) {
    return fail('', 'an event is a JSON object');
  }
  const fields = event as Record<string, unknown>;
  const unknown = Object.keys(fields).find((key) => !wireFields.has(key));
  if (unknown !== undefined) return fail(unknown, `unknown field ${unknown}`);
  const type = fields.type;
  if (typeof type !== 'string' || !knownTypes.has(type)) {
    return fail('type', `unknown type: one of ${[...knownTypes].join(', ')}`);
  }
  const known = type as KnownTakedownType;
  const present = (field: string) => fields[field] !== undefined && fields[field] !== null;
  for (const required of ['eventId', 'at', ...requiredFields[known]]) {
    if (required === 'sha256|itemId') {
      if (!present('sha256') && !present('itemId')) return fail('sha256', `${type} needs sha256 or itemId`);
    } else if (!present(required)) {
      return fail(required, `${type} needs ${required}`);
    }
  }
  const refused = refusedFields[known].find(present);
  if (refused !== undefined) return fail(refused, `${type} takes no ${refused}`);
  let field = '';
  try {
    const read = <T>(name: string, parse: (value: unknown) => T): T | null => {
      field = name;
      return present(name) ? parse(fields[name]) : null;
    };
    const url = read('url', parseUrl);
    const newUrl = read('newUrl', parseUrl);
    return {
      event: {
        eventId: read('eventId', id)!,
        type: known,
        at: read('at', parseTime)!,
        url: url?.href ?? null,
        host: url?.host ?? null,
        ip: read('ip', parseIp),
        sha256: read('sha256', parseSha256),
        itemId: read('itemId', id),
        noticeId: read('noticeId', id),
        hosterContact: read('hosterContact', text),
        hosterHint: read('hosterHint', text),
        newUrl: newUrl?.href ?? null,
        newHost: newUrl?.host ?? null,
        newIp: read('newIp', parseIp),
      },
    };
  } catch (error) {
    if (error instanceof FieldError) return fail(field, `malformed ${field}: ${error.message}`);
    throw error;
  }
}

function id(value: unknown): string {
  if (typeof value !== 'string' || !idPattern.test(value)) {
    throw new FieldError('1 to 128 printable ASCII characters without spaces');
  }
  return value;
}

function text(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > maxTextLength) {
    throw new FieldError(`a string of 1 to ${maxTextLength} characters`);
  }
  if (controlCharacters.test(value)) throw new FieldError('no control characters');
  return value;
}

/** An absolute http(s) URL with a host; kept in its WHATWG form, so one URL has one spelling. */
function parseUrl(value: unknown): { href: string; host: string } {
  if (typeof value !== 'string' || value.length > maxUrlLength) {
    throw new FieldError(`an absolute http(s) URL of at most ${maxUrlLength} characters`);
  }
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new FieldError('not an absolute URL');
  }
  if ((parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || parsed.hostname === '') {
    throw new FieldError('an http or https URL with a host');
  }
  // WHATWG lower-cases the host of http(s) URLs; an IPv6 host keeps its brackets.
  return { href: parsed.href, host: parsed.hostname };
}

function parseIp(value: unknown): string {
  if (typeof value !== 'string' || isIP(value) === 0) throw new FieldError('an IPv4 or IPv6 address');
  return value.toLowerCase();
}

function parseSha256(value: unknown): string {
  if (typeof value !== 'string' || !sha256Pattern.test(value)) throw new FieldError('64 hex digits');
  return value.toLowerCase();
}

function parseTime(value: unknown): number {
  const time = typeof value === 'string' && isoWithOffset.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(time)) throw new FieldError('an ISO 8601 time with an offset, e.g. 2026-03-14T10:00:00Z');
  return time;
}

/** Refusals listed in a problem's detail at most; the count says how many there were. */
const listedFailures = 20;

/**
 * The refusal of a whole request: the first failing event gives the code (so the status) and
 * the pointer; the detail lists each failing event's index, code and reason, never its values.
 */
export function takedownRefusal(failures: readonly TakedownFailure[], eventCount: number): TriageError {
  const first = failures[0]!;
  const listed = failures
    .slice(0, listedFailures)
    .map((failure) => `${failure.pointer} ${failure.code}: ${failure.reason}`);
  const more = failures.length > listedFailures ? `; and ${failures.length - listedFailures} more` : '';
  return new TriageError(
    first.code,
    `${failures.length} of ${eventCount} events refused, nothing recorded: ${listed.join('; ')}${more}`,
    {
      pointer: first.pointer,
      details: { refusedEvents: failures.length, events: eventCount, firstRefusedIndex: first.index },
    },
  );
}
