import { TriageError } from '@triage/errors';
import { describe, expect, it } from 'vitest';
import { baseClientOptions, connectionFromConfig, type KafkaEnv } from './connection.ts';
import { type KafkaSecurityEnv, kafkaSecurityPlan, loadKafkaSecurity } from './kafka-security.ts';

const base: KafkaEnv = {
  KAFKA_BROKERS: ['127.0.0.1:9093'],
  KAFKA_CLIENT_ID: 'triage',
  KAFKA_TOPIC_PREFIX: '',
};

function problemVariables(env: KafkaSecurityEnv): string[] {
  try {
    kafkaSecurityPlan(env);
  } catch (error) {
    expect(error).toBeInstanceOf(TriageError);
    expect((error as TriageError).code).toBe('TRIAGE_CONFIG_INVALID');
    return ((error as TriageError).details as { variables: string[] }).variables;
  }
  return [];
}

describe('kafkaSecurityPlan', () => {
  it('given no security variables, then the connection is plaintext with neither TLS nor a login', () => {
    expect(kafkaSecurityPlan({})).toEqual({ protocol: 'PLAINTEXT' });
  });

  it('given SASL_SSL with a CA, a user and a password file, then it plans TLS and a SCRAM-SHA-512 login', () => {
    expect(
      kafkaSecurityPlan({
        KAFKA_SECURITY_PROTOCOL: 'SASL_SSL',
        KAFKA_SSL_CA_FILE: '/run/ca.pem',
        KAFKA_SASL_USERNAME: 'splitter',
        KAFKA_SASL_PASSWORD_FILE: '/run/secrets/kafka',
      }),
    ).toEqual({
      protocol: 'SASL_SSL',
      tls: { caFile: '/run/ca.pem' },
      sasl: { mechanism: 'SCRAM-SHA-512', username: 'splitter', password: { file: '/run/secrets/kafka' } },
    });
  });

  it('given SASL over plaintext, then it is refused unless KAFKA_ALLOW_SASL_PLAINTEXT is set', () => {
    const env: KafkaSecurityEnv = {
      KAFKA_SECURITY_PROTOCOL: 'SASL_PLAINTEXT',
      KAFKA_SASL_USERNAME: 'splitter',
      KAFKA_SASL_PASSWORD: 'p',
    };
    expect(problemVariables(env)).toEqual(['KAFKA_SECURITY_PROTOCOL']);
    expect(kafkaSecurityPlan({ ...env, KAFKA_ALLOW_SASL_PLAINTEXT: true }).tls).toBeUndefined();
  });

  it('given SASL_SSL without a user or with both password sources, then each variable is named', () => {
    expect(problemVariables({ KAFKA_SECURITY_PROTOCOL: 'SASL_SSL' })).toEqual([
      'KAFKA_SASL_USERNAME',
      'KAFKA_SASL_PASSWORD, KAFKA_SASL_PASSWORD_FILE',
    ]);
    expect(
      problemVariables({
        KAFKA_SECURITY_PROTOCOL: 'SASL_SSL',
        KAFKA_SASL_USERNAME: 'u',
        KAFKA_SASL_PASSWORD: 'p',
        KAFKA_SASL_PASSWORD_FILE: '/f',
      }),
    ).toEqual(['KAFKA_SASL_PASSWORD, KAFKA_SASL_PASSWORD_FILE']);
  });

  it('given TLS files or a login with PLAINTEXT, or half of a client certificate, then they are refused, not ignored', () => {
    expect(problemVariables({ KAFKA_SSL_CA_FILE: '/ca.pem', KAFKA_SASL_USERNAME: 'u' })).toEqual([
      'KAFKA_SSL_CA_FILE',
      'KAFKA_SASL_USERNAME',
    ]);
    expect(problemVariables({ KAFKA_SECURITY_PROTOCOL: 'SSL', KAFKA_SSL_CERT_FILE: '/c.pem' })).toEqual([
      'KAFKA_SSL_CERT_FILE, KAFKA_SSL_KEY_FILE',
    ]);
  });
});

describe('loadKafkaSecurity', () => {
  const files = new Map([
    ['/ca.pem', 'CA'],
    ['/cert.pem', 'CERT'],
    ['/key.pem', 'KEY'],
    ['/password', 'first\n'],
  ]);
  const read = (path: string) => {
    const text = files.get(path);
    if (text === undefined) throw new Error('ENOENT');
    return text;
  };

  it('given mutual TLS, then CA, certificate and key are read and the server name is kept', () => {
    const plan = kafkaSecurityPlan({
      KAFKA_SECURITY_PROTOCOL: 'SSL',
      KAFKA_SSL_CA_FILE: '/ca.pem',
      KAFKA_SSL_CERT_FILE: '/cert.pem',
      KAFKA_SSL_KEY_FILE: '/key.pem',
      KAFKA_SSL_SERVERNAME: 'kafka.internal',
    });
    expect(loadKafkaSecurity(plan, read)).toEqual({
      tls: { ca: 'CA', cert: 'CERT', key: 'KEY', servername: 'kafka.internal' },
    });
  });

  it('given a password file, then it is read at every login (a rotated secret is picked up) without its newline', () => {
    const plan = kafkaSecurityPlan({
      KAFKA_SECURITY_PROTOCOL: 'SASL_SSL',
      KAFKA_SASL_USERNAME: 'splitter',
      KAFKA_SASL_PASSWORD_FILE: '/password',
    });
    const { sasl } = loadKafkaSecurity(plan, read);
    expect(sasl?.password()).toBe('first');
    files.set('/password', 'second\n');
    expect(sasl?.password()).toBe('second');
  });

  it('given a file that cannot be read, then start-up fails naming the variable', () => {
    const plan = kafkaSecurityPlan({ KAFKA_SECURITY_PROTOCOL: 'SSL', KAFKA_SSL_CA_FILE: '/missing.pem' });
    expect(() => loadKafkaSecurity(plan, read)).toThrow(/KAFKA_SSL_CA_FILE: cannot read \/missing\.pem/);
  });
});

describe('connectionFromConfig with security', () => {
  it('gives every client TLS and the login, and keeps the password out of a JSON dump of the connection', () => {
    const connection = connectionFromConfig({
      ...base,
      KAFKA_SECURITY_PROTOCOL: 'SASL_SSL',
      KAFKA_SASL_MECHANISM: 'SCRAM-SHA-256',
      KAFKA_SASL_USERNAME: 'hasher',
      KAFKA_SASL_PASSWORD: 'synthetic-secret',
    });
    const options = baseClientOptions(connection, 'x');
    expect(options.tls).toEqual({});
    expect(options.sasl?.mechanism).toBe('SCRAM-SHA-256');
    expect(options.sasl?.username).toBe('hasher');
    expect(options.sasl?.password()).toBe('synthetic-secret');
    expect(JSON.stringify(connection)).not.toContain('synthetic-secret');
  });

  it('given no security variables, then clients get neither TLS nor SASL options', () => {
    const options = baseClientOptions(connectionFromConfig(base), 'x');
    expect('tls' in options).toBe(false);
    expect('sasl' in options).toBe(false);
  });
});
