import type { TopicSpec } from '../topics/topic-spec.ts';

/**
 * Topic keys that are identifiers (never personal data), by the catalogue's name for the key,
 * and the log field each goes under. Other keys (a URL, a known hash, an identifier's hash) stay
 * out of logs.
 */
const idKeys: Readonly<Record<string, string>> = {
  bundleId: 'bundleId',
  reportId: 'reportId',
  sha256: 'sha256',
  'chain.chainId': 'chainId',
};

/** A record's key as a log field (`{ reportId }`, `{ bundleId }`...) when its topic keys by an id; `{}` otherwise. */
export function recordIdsForLog(spec: TopicSpec | undefined, key: string | null): Record<string, string> {
  const field = spec === undefined ? undefined : idKeys[spec.key];
  return field === undefined || key === null ? {} : { [field]: key };
}
