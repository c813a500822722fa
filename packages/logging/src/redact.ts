/**
 * Keys whose values are personal data or secrets, matched case-insensitively at any depth.
 * A log line may name a report or an item by id, never a suspect's identifiers.
 */
export const personalDataKeys = [
  'ip',
  'ipaddress',
  'ips',
  'email',
  'emails',
  'emailaddress',
  'phone',
  'phonenumber',
  'screenname',
  'username',
  'espidentifier',
  'espuserid',
  'deviceid',
  'profileurl',
  'firstname',
  'lastname',
  'name',
  'dateofbirth',
  'address',
  'street',
  'apikey',
  'authorization',
  'x-api-key',
  'cookie',
  'password',
  'token',
  // Encryption keys of the content store (the raw env value or the parsed map).
  'content_store_keys',
] as const;

export const redactedMarker = '[redacted]';
const keySet = new Set<string>(personalDataKeys);
const maxDepth = 8;

/**
 * Returns a copy of `value` with personal-data keys replaced and binary payloads reduced to
 * their length, so neither personal data nor media bytes can reach a log sink.
 */
export function redactPersonalData(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Uint8Array) return `[binary ${value.byteLength} bytes]`;
  if (value instanceof ArrayBuffer) return `[binary ${value.byteLength} bytes]`;
  if (value instanceof Error || value instanceof Date) return value;
  if (depth >= maxDepth) return '[depth limit]';
  if (Array.isArray(value)) return value.map((entry) => redactPersonalData(entry, depth + 1));
  const copy: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(value)) {
    copy[key] = keySet.has(key.toLowerCase()) ? redactedMarker : redactPersonalData(entry, depth + 1);
  }
  return copy;
}
