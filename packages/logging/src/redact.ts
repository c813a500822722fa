/**
 * Keys whose values are personal data or secrets, at any depth. A key matches after it is put in
 * lower case without `_`, `-` and `.` (`ip_address`, `IpAddress` and `ipaddress` are one key).
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
  'xapikey',
  'cookie',
  'password',
  'token',
  // OIDC client secrets, signing and TLS private keys.
  'secret',
  'privatekey',
  // Encryption keys of the content store (the raw env value or the parsed map).
  'contentstorekeys',
  // The scorer's suspect-identifier HMAC keys, as env values.
  'suspectidhmackey',
  'suspectidhmacsecondkey',
] as const;

/**
 * Identifiers redacted also as the last word of a longer key (`suspectIp`, `uploadIpAddress`,
 * `recipient_email`, `accessToken`). Words such as `name` or `address` are not: `eventName` and
 * `fileName` stay readable.
 */
export const personalDataSuffixes = [
  'ip',
  'ips',
  'ipaddress',
  'email',
  'emails',
  'emailaddress',
  'phone',
  'phonenumber',
  'screenname',
  'username',
  'deviceid',
  'espuserid',
  'apikey',
  'password',
  'token',
  'secret',
  'privatekey',
] as const;

export const redactedMarker = '[redacted]';
const keySet = new Set<string>(personalDataKeys);
const suffixSet = new Set<string>(personalDataSuffixes);
const maxDepth = 8;

/** Whether a key names personal data (see `personalDataKeys` and `personalDataSuffixes`). */
export function isPersonalDataKey(key: string): boolean {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[\s_.-]+/)
    .filter((word) => word.length > 0);
  if (keySet.has(words.join(''))) return true;
  const last = words.at(-1) ?? '';
  const lastTwo = words.slice(-2).join('');
  return words.length > 1 && (suffixSet.has(last) || suffixSet.has(lastTwo));
}

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
    copy[key] = isPersonalDataKey(key) ? redactedMarker : redactPersonalData(entry, depth + 1);
  }
  return copy;
}
