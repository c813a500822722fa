import { TriageError } from '@triage/errors';
import type { z } from 'zod';

export type EnvShape = Record<string, z.ZodType>;
export type Env = Record<string, string | undefined>;

/**
 * Validates `env` against a shape of environment variables and returns a frozen config.
 * Called once at start by each service's main; nothing parses env at import time.
 * `check` runs cross-field rules and returns messages that name the variables involved.
 */
export function loadConfig<S extends EnvShape>(
  shape: S,
  env: Env,
  check?: (config: { [K in keyof S]: z.output<S[K]> }) => string[],
): Readonly<{ [K in keyof S]: z.output<S[K]> }> {
  const problems: string[] = [];
  const config: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(shape)) {
    const raw = env[name];
    const result = schema.safeParse(raw === '' ? undefined : raw);
    if (result.success) config[name] = result.data;
    else problems.push(`${name}: ${result.error.issues.map((issue) => issue.message).join('; ')}`);
  }
  if (problems.length === 0 && check) {
    problems.push(...check(config as { [K in keyof S]: z.output<S[K]> }));
  }
  if (problems.length > 0) {
    throw new TriageError('TRIAGE_CONFIG_INVALID', `invalid configuration: ${problems.join(' | ')}`, {
      details: { variables: problems.map((problem) => problem.split(':')[0]) },
    });
  }
  // Lists (KAFKA_BROKERS...) too: no code may change the configuration it was started with.
  for (const value of Object.values(config)) if (Array.isArray(value)) Object.freeze(value);
  return Object.freeze(config) as Readonly<{ [K in keyof S]: z.output<S[K]> }>;
}
