import { TriageError } from '@triage/errors';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { commonEnv, loadConfig, renderEnvExample } from './index.ts';

const shape = {
  ...commonEnv,
  INTAKE_PORT: z.coerce.number().int().min(1).max(65_535).default(8080).describe('Intake HTTP port'),
  MIN_SIZE: z.coerce.number().int().default(1).describe('Minimum size'),
  MAX_SIZE: z.coerce.number().int().default(10).describe('Maximum size'),
};

describe('loadConfig', () => {
  it('given an empty env, applies the defaults and freezes the result', () => {
    const config = loadConfig(shape, {});
    expect(config.KAFKA_BROKERS).toEqual(['127.0.0.1:9092']);
    expect(config.INTAKE_PORT).toBe(8080);
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.KAFKA_BROKERS)).toBe(true);
  });

  it('coerces and splits values', () => {
    const config = loadConfig(shape, {
      KAFKA_BROKERS: '127.0.0.1:9092, 127.0.0.1:9094,',
      INTAKE_PORT: '9000',
    });
    expect(config.KAFKA_BROKERS).toEqual(['127.0.0.1:9092', '127.0.0.1:9094']);
    expect(config.INTAKE_PORT).toBe(9000);
  });

  it('names every bad variable in one error', () => {
    let caught: unknown;
    try {
      loadConfig(shape, { INTAKE_PORT: 'eighty', LOG_LEVEL: 'loud' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(TriageError);
    const error = caught as TriageError;
    expect(error.code).toBe('TRIAGE_CONFIG_INVALID');
    expect(error.message).toContain('INTAKE_PORT');
    expect(error.message).toContain('LOG_LEVEL');
  });

  it('runs cross-field checks after the fields are valid', () => {
    const check = (config: { MIN_SIZE: number; MAX_SIZE: number }) =>
      config.MIN_SIZE > config.MAX_SIZE ? ['MIN_SIZE: must not exceed MAX_SIZE'] : [];
    expect(() => loadConfig(shape, { MIN_SIZE: '20' }, check)).toThrow(/MIN_SIZE: must not exceed MAX_SIZE/);
    expect(loadConfig(shape, { MIN_SIZE: '2' }, check).MIN_SIZE).toBe(2);
  });
});

describe('renderEnvExample', () => {
  it('lists every variable with its description and default', () => {
    const text = renderEnvExample([{ title: 'test', shape }]);
    expect(text).toContain('# Kafka bootstrap brokers');
    expect(text).toContain('KAFKA_BROKERS=127.0.0.1:9092');
    expect(text).toContain('INTAKE_PORT=8080');
    expect(text).toContain('KAFKA_TOPIC_PREFIX=');
  });
});
