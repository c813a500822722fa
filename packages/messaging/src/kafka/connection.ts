import { TriageError } from '@triage/errors';
import { laneTopicPrefix, parseRebuildLane, type RebuildLane } from '../topics/rebuild-lane.ts';
import {
  type KafkaSasl,
  type KafkaSecurityEnv,
  type KafkaTls,
  kafkaSecurityPlan,
  loadKafkaSecurity,
} from './kafka-security.ts';

/** What every Kafka client of the project needs to connect. */
export interface KafkaConnection {
  brokers: readonly string[];
  clientId: string;
  /** Prefix of every deployed topic name (tenants, test runs). */
  topicPrefix?: string;
  /** Set when this process runs in a rebuild lane: the topics the lane rebuilds get its names. */
  lane?: RebuildLane;
  /** TLS to the brokers (SSL, SASL_SSL); absent: plaintext. */
  tls?: KafkaTls;
  /** SCRAM login (SASL_SSL); absent: the broker's anonymous principal. */
  sasl?: KafkaSasl;
}

/** The Kafka variables of `commonEnv` (@triage/config), as every service and command loads them. */
export interface KafkaEnv extends KafkaSecurityEnv {
  readonly KAFKA_BROKERS: readonly string[];
  readonly KAFKA_CLIENT_ID: string;
  readonly KAFKA_TOPIC_PREFIX: string;
  /** `<lane>:<first stage>` when the process runs in a rebuild lane; empty or absent: live. */
  readonly REBUILD_LANE?: string;
}

/**
 * The connection a deployable makes from its config; `name` tells its clients apart (`-intake`).
 * Reads the TLS and password files the config names, so a wrong path fails at start.
 */
export function connectionFromConfig(config: KafkaEnv, name?: string): KafkaConnection {
  const lane = parseRebuildLane(config.REBUILD_LANE ?? '');
  const security = loadKafkaSecurity(kafkaSecurityPlan(config));
  return {
    brokers: config.KAFKA_BROKERS,
    clientId: name === undefined ? config.KAFKA_CLIENT_ID : `${config.KAFKA_CLIENT_ID}-${name}`,
    topicPrefix: config.KAFKA_TOPIC_PREFIX,
    ...(lane === undefined ? {} : { lane }),
    ...security,
  };
}

/** Client options shared by producers, consumers and admins. */
export function baseClientOptions(connection: KafkaConnection, clientSuffix: string) {
  return {
    clientId: `${connection.clientId}-${clientSuffix}`,
    bootstrapBrokers: [...connection.brokers],
    // Retries below the runner: short, so a dead broker surfaces quickly and the runner's own
    // backoff (which pauses consumption) takes over instead of a hidden retry storm.
    retries: 5,
    retryDelay: 500,
    timeout: 10_000,
    connectTimeout: 5_000,
    requestTimeout: 15_000,
    ...(connection.tls === undefined ? {} : { tls: { ...connection.tls } }),
    ...(connection.sasl === undefined ? {} : { sasl: { ...connection.sasl } }),
  };
}

/**
 * Client options for probes and status checks: one retry and short timeouts, so a dead broker
 * shows within one probe, not after the client's minutes of retries.
 */
export function probeClientOptions(connection: KafkaConnection, clientSuffix: string, timeoutMs: number) {
  return {
    ...baseClientOptions(connection, clientSuffix),
    retries: 1,
    timeout: timeoutMs,
    connectTimeout: timeoutMs,
    requestTimeout: timeoutMs,
  };
}

/** A catalogue topic's deployed name: the prefix, then the lane's when the lane rebuilds it. */
export function deployedTopic(
  connection: Pick<KafkaConnection, 'topicPrefix' | 'lane'>,
  name: string,
): string {
  const lane = connection.lane?.topics.has(name) ? laneTopicPrefix(connection.lane) : '';
  return `${connection.topicPrefix ?? ''}${lane}${name}`;
}

const retryableKafkaCodes = new Set([
  'PLT_KFK_NETWORK',
  'PLT_KFK_TIMEOUT',
  'PLT_KFK_MULTIPLE',
  'PLT_KFK_RESPONSE',
]);

/**
 * Every error code in a client failure: the client's `PLT_KFK_*` codes and the broker's error
 * names (`apiId`), searched through the nested `errors` and `cause` the client builds.
 */
export function kafkaErrorCodes(error: unknown): Set<string> {
  const codes = new Set<string>();
  const seen = new Set<unknown>();
  const visit = (node: unknown): void => {
    if (node === null || typeof node !== 'object' || seen.has(node)) return;
    seen.add(node);
    const { code, apiId, errors, cause } = node as {
      code?: unknown;
      apiId?: unknown;
      errors?: unknown;
      cause?: unknown;
    };
    if (typeof code === 'string') codes.add(code);
    if (typeof apiId === 'string') codes.add(apiId);
    if (Array.isArray(errors)) for (const child of errors) visit(child);
    visit(cause);
  };
  visit(error);
  return codes;
}

/** A failed login (wrong user or password) or an ACL that does not allow the request. */
function isAuthFailure(codes: ReadonlySet<string>): boolean {
  for (const code of codes) {
    if (code === 'PLT_KFK_AUTHENTICATION' || code === 'SASL_AUTHENTICATION_FAILED') return true;
    if (code.endsWith('_AUTHORIZATION_FAILED')) return true;
  }
  return false;
}

/**
 * Turns a Kafka client failure into our error; network and broker faults are retryable unless
 * the caller, knowing more, says otherwise. A refused login or ACL is TRIAGE_KAFKA_NOT_AUTHORIZED:
 * the principal or its ACLs must change, so it is not retried on its own.
 */
export function kafkaError(error: unknown, action: string, retryableOverride?: boolean): TriageError {
  if (error instanceof TriageError) return error;
  const codes = kafkaErrorCodes(error);
  if (isAuthFailure(codes)) {
    const message = error instanceof Error ? error.message : String(error);
    const refusals = [...codes].filter((code) => !code.startsWith('PLT_KFK_')).join(', ');
    return new TriageError(
      'TRIAGE_KAFKA_NOT_AUTHORIZED',
      `${action}: ${message}${refusals === '' ? '' : ` (${refusals})`}`,
      { cause: error, retryable: retryableOverride ?? false },
    );
  }
  const code = (error as { code?: string } | null)?.code;
  const canRetry = (error as { canRetry?: boolean } | null)?.canRetry;
  const retryable =
    retryableOverride ?? (canRetry === true || (code !== undefined && retryableKafkaCodes.has(code)));
  const message = error instanceof Error ? error.message : String(error);
  return new TriageError('TRIAGE_KAFKA_UNAVAILABLE', `${action}: ${message}`, { cause: error, retryable });
}
