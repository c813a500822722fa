import { z } from 'zod';

/** Comma-separated list, trimmed, empty entries dropped. */
export const csv = z.string().transform((value) =>
  value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0),
);

export const port = z.coerce.number().int().min(1).max(65_535);

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
