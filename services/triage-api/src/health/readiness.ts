import type { SearchClient } from '@triage/search';

/** What `/readyz` reports: each dependency without which the API cannot answer. */
export interface Readiness {
  /** The token signing keys are loaded (JWKS fetched, or the development key read). */
  tokenKeys: boolean;
  /** Elasticsearch answers and the cases alias exists (every read needs it). */
  elasticsearch: boolean;
  /** Kafka answers metadata for the audit topic (every read is audited there first). */
  kafka: boolean;
}

export type ReadinessProbe = () => Promise<boolean>;

/** The probe of each dependency `/readyz` checks. */
export type ReadinessProbes = Record<keyof Readiness, ReadinessProbe>;

/**
 * Runs `probe` at most once per `ttlMs`, sharing the answer (and a check in flight) between
 * requests: an orchestrator polling `/readyz` every second must not become load on Kafka or
 * Elasticsearch. A probe that throws counts as not ready.
 */
export function cachedProbe(
  probe: ReadinessProbe,
  ttlMs: number,
  now: () => number = Date.now,
): ReadinessProbe {
  let last: { at: number; ready: boolean } | null = null;
  let inFlight: Promise<boolean> | null = null;
  return async () => {
    if (last !== null && now() - last.at < ttlMs) return last.ready;
    inFlight ??= probe()
      .catch(() => false)
      .then((ready) => {
        last = { at: now(), ready };
        inFlight = null;
        return ready;
      });
    return inFlight;
  };
}

/** Elasticsearch is ready when the cases alias answers within `timeoutMs`. */
export function elasticsearchProbe(
  client: SearchClient,
  casesAlias: string,
  timeoutMs: number,
): ReadinessProbe {
  return async () =>
    client.indices.existsAlias({ name: casesAlias }, { requestTimeout: timeoutMs, maxRetries: 0 });
}

/** Every probe at once; the API is ready when all are. */
export async function checkReadiness(probes: ReadinessProbes): Promise<Readiness & { ready: boolean }> {
  const [tokenKeys, elasticsearch, kafka] = await Promise.all([
    probes.tokenKeys(),
    probes.elasticsearch(),
    probes.kafka(),
  ]);
  return { ready: tokenKeys && elasticsearch && kafka, tokenKeys, elasticsearch, kafka };
}
