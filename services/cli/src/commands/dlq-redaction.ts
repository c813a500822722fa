import { isPersonalDataKey, redactedMarker } from '@triage/logging';

/**
 * Fields whose whole value is about people (suspects, victims, recipients, the reporter):
 * replaced as a whole, arrays by their length, so nothing of them shows.
 */
const peopleKeys = new Set(['personsReported', 'victims', 'intendedRecipients', 'reporter', 'reporterName']);

/**
 * Free text and names a partner or analyst typed, which may hold anything personal, and URLs and
 * file names, which often carry user names (a record's ids, hashes, codes and times stay readable).
 */
const freeTextKeys = new Set([
  'additionalInfo',
  'incidentDateTimeDescription',
  'incidentTypeText',
  'escalateToHighPriority',
  'batchedReason',
  'displayNames',
  'profileUrls',
  'url',
  'urls',
  'fileName',
  'fileNames',
  'originalFileName',
  'locationOfFile',
  'chatRoomName',
  'gameName',
  'newsgroupName',
  'payload',
  'reason',
  'query',
  'note',
  'notes',
  'text',
  'comment',
  'description',
]);

/** Lists of `{ ..., value }` entries whose `value` is whatever the partner wrote (EXIF, unknown elements). */
const valueListKeys = new Set(['details', 'driftNotes']);

const maxDepth = 12;

function hidden(value: unknown): unknown {
  if (value === null || value === undefined) return value;
  if (Array.isArray(value)) return value.length === 0 ? value : `${redactedMarker} (${value.length} entries)`;
  return redactedMarker;
}

/**
 * A decoded record as `triage dlq show` prints it without `--reveal`: people, personal
 * identifiers (the log redaction's keys: IPs, emails, phones, screen names, device ids, ...),
 * free text, URLs and file names replaced; bytes as their length. Pure; the input is not changed.
 */
export function redactRecord(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Uint8Array) return `[binary ${value.byteLength} bytes]`;
  if (depth >= maxDepth) return '[depth limit]';
  if (Array.isArray(value)) return value.map((entry) => redactRecord(entry, depth + 1));
  const copy: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(value)) {
    if (peopleKeys.has(key) || freeTextKeys.has(key) || isPersonalDataKey(key)) copy[key] = hidden(entry);
    else if (valueListKeys.has(key) && Array.isArray(entry))
      copy[key] = entry.map((item) =>
        item !== null && typeof item === 'object'
          ? {
              ...(redactRecord(item, depth + 2) as object),
              value: hidden((item as { value?: unknown }).value),
            }
          : hidden(item),
      );
    else copy[key] = redactRecord(entry, depth + 1);
  }
  return copy;
}
