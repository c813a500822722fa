import { z } from 'zod';

/** Comma-separated list, trimmed, empty entries dropped. */
export const csv = z.string().transform((value) =>
  value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0),
);

export const port = z.coerce.number().int().min(1).max(65_535);

/** `true`/`false` (also 1/0, yes/no), for flags set in the environment. */
const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

/**
 * How every Kafka client authenticates and encrypts (packages/messaging `kafkaSecurity` checks
 * the combinations and reads the files). Files, not values, for keys and passwords: a secret
 * mounted as a file stays out of `ps`, crash dumps of the environment and `.env` files.
 */
const kafkaSecurityEnv = {
  KAFKA_SECURITY_PROTOCOL: z
    .enum(['PLAINTEXT', 'SSL', 'SASL_SSL', 'SASL_PLAINTEXT'])
    .default('PLAINTEXT')
    .describe(
      'PLAINTEXT (no TLS, no login: a local broker only), SSL (TLS), SASL_SSL (TLS and a SCRAM login: production), SASL_PLAINTEXT (refused unless KAFKA_ALLOW_SASL_PLAINTEXT=true)',
    ),
  KAFKA_SSL_CA_FILE: z
    .string()
    .min(1)
    .optional()
    .describe("PEM file of the CA(s) that sign the brokers' certificates (default: Node's public CAs)"),
  KAFKA_SSL_CERT_FILE: z
    .string()
    .min(1)
    .optional()
    .describe('PEM client certificate for mutual TLS (with KAFKA_SSL_KEY_FILE)'),
  KAFKA_SSL_KEY_FILE: z.string().min(1).optional().describe('PEM private key of KAFKA_SSL_CERT_FILE'),
  KAFKA_SSL_SERVERNAME: z
    .string()
    .min(1)
    .optional()
    .describe("Name to check the brokers' certificates against instead of the host in KAFKA_BROKERS"),
  KAFKA_SASL_MECHANISM: z
    .enum(['SCRAM-SHA-256', 'SCRAM-SHA-512'])
    .default('SCRAM-SHA-512')
    .describe('SASL mechanism with SASL_SSL'),
  KAFKA_SASL_USERNAME: z
    .string()
    .min(1)
    .optional()
    .describe("SCRAM user (the service's principal, User:<name>), with SASL_SSL"),
  KAFKA_SASL_PASSWORD: z
    .string()
    .min(1)
    .optional()
    .describe('SCRAM password; prefer KAFKA_SASL_PASSWORD_FILE'),
  KAFKA_SASL_PASSWORD_FILE: z
    .string()
    .min(1)
    .optional()
    .describe(
      'File holding the SCRAM password (trailing newline ignored), read at every login so a rotated secret is picked up',
    ),
  KAFKA_ALLOW_SASL_PLAINTEXT: flag
    .default(false)
    .describe('Allow SASL_PLAINTEXT: a login and every record unencrypted on the wire; for a test rig only'),
} as const;

/** Variables every service shares. */
export const commonEnv = {
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info')
    .describe('pino log level'),
  KAFKA_BROKERS: csv
    .default(['127.0.0.1:9092'])
    .describe('Kafka bootstrap brokers, host:port, comma-separated (use 127.0.0.1, not localhost)'),
  KAFKA_CLIENT_ID: z.string().min(1).default('triage').describe('Kafka client id prefix'),
  KAFKA_TOPIC_PREFIX: z
    .string()
    .regex(/^[a-zA-Z0-9._-]*$/, 'letters, digits, dot, dash and underscore only')
    .default('')
    .describe('Prefix for every topic name (lets tests and tenants share a cluster)'),
  ...kafkaSecurityEnv,
  REBUILD_LANE: z
    .string()
    .trim()
    .default('')
    .describe(
      'Empty: the live pipeline. `<lane>:<first stage>` (e.g. rules-2:scorer): run in that rebuild lane, writing the topics, groups and indices it rebuilds under the lane name (`pnpm triage replay rebuild`)',
    ),
  ELASTICSEARCH_URL: z.url().default('http://127.0.0.1:9200').describe('Elasticsearch base URL'),
  OPS_HOST: z
    .string()
    .min(1)
    .default('127.0.0.1')
    .describe(
      'Address every ops port (/healthz, /readyz, /metrics) listens on; 0.0.0.0 for a scraper on another host',
    ),
} as const;
