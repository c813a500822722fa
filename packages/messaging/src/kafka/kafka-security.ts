import { readFileSync } from 'node:fs';
import { TriageError } from '@triage/errors';

/**
 * TLS and SASL/SCRAM for every Kafka client: the variables (`kafkaSecurityEnv` of @triage/config)
 * are checked as a whole here (a pure decision), then the files they name are read once at start.
 */

type KafkaSecurityProtocol = 'PLAINTEXT' | 'SSL' | 'SASL_SSL' | 'SASL_PLAINTEXT';
type KafkaSaslMechanism = 'SCRAM-SHA-256' | 'SCRAM-SHA-512';

/** The security variables as @triage/config loads them; absent ones mean PLAINTEXT. */
export interface KafkaSecurityEnv {
  readonly KAFKA_SECURITY_PROTOCOL?: KafkaSecurityProtocol;
  readonly KAFKA_SSL_CA_FILE?: string | undefined;
  readonly KAFKA_SSL_CERT_FILE?: string | undefined;
  readonly KAFKA_SSL_KEY_FILE?: string | undefined;
  readonly KAFKA_SSL_SERVERNAME?: string | undefined;
  readonly KAFKA_SASL_MECHANISM?: KafkaSaslMechanism;
  readonly KAFKA_SASL_USERNAME?: string | undefined;
  readonly KAFKA_SASL_PASSWORD?: string | undefined;
  readonly KAFKA_SASL_PASSWORD_FILE?: string | undefined;
  readonly KAFKA_ALLOW_SASL_PLAINTEXT?: boolean;
}

/** What the variables ask for, files still unread. */
export interface KafkaSecurityPlan {
  protocol: KafkaSecurityProtocol;
  tls?: { caFile?: string; certFile?: string; keyFile?: string; servername?: string };
  sasl?: {
    mechanism: KafkaSaslMechanism;
    username: string;
    password: { value: string } | { file: string };
  };
}

/** TLS options handed to node:tls for every broker connection. */
export interface KafkaTls {
  ca?: string;
  cert?: string;
  key?: string;
  servername?: string;
}

/** A SCRAM login; the password is a function so it never lands in a log line or a JSON dump. */
export interface KafkaSasl {
  mechanism: KafkaSaslMechanism;
  username: string;
  password: () => string;
}

/**
 * Checks the combination of security variables and says what to load. Refuses a SASL login over
 * an unencrypted connection unless KAFKA_ALLOW_SASL_PLAINTEXT says so (every record, and the
 * SCRAM exchange an eavesdropper can attack offline, would cross the network in clear).
 */
export function kafkaSecurityPlan(env: KafkaSecurityEnv): KafkaSecurityPlan {
  const protocol = env.KAFKA_SECURITY_PROTOCOL ?? 'PLAINTEXT';
  const tls = protocol === 'SSL' || protocol === 'SASL_SSL';
  const sasl = protocol === 'SASL_SSL' || protocol === 'SASL_PLAINTEXT';
  const problems: string[] = [];
  if (protocol === 'SASL_PLAINTEXT' && env.KAFKA_ALLOW_SASL_PLAINTEXT !== true) {
    problems.push(
      'KAFKA_SECURITY_PROTOCOL: SASL_PLAINTEXT sends the login and every record unencrypted; use SASL_SSL, or set KAFKA_ALLOW_SASL_PLAINTEXT=true for a test rig',
    );
  }
  if (!tls) {
    for (const name of [
      'KAFKA_SSL_CA_FILE',
      'KAFKA_SSL_CERT_FILE',
      'KAFKA_SSL_KEY_FILE',
      'KAFKA_SSL_SERVERNAME',
    ] as const) {
      if (env[name] !== undefined) problems.push(`${name}: needs KAFKA_SECURITY_PROTOCOL SSL or SASL_SSL`);
    }
  }
  if ((env.KAFKA_SSL_CERT_FILE === undefined) !== (env.KAFKA_SSL_KEY_FILE === undefined)) {
    problems.push('KAFKA_SSL_CERT_FILE, KAFKA_SSL_KEY_FILE: set both for mutual TLS, or neither');
  }
  const hasPassword = env.KAFKA_SASL_PASSWORD !== undefined;
  const hasPasswordFile = env.KAFKA_SASL_PASSWORD_FILE !== undefined;
  if (sasl) {
    if (env.KAFKA_SASL_USERNAME === undefined)
      problems.push(`KAFKA_SASL_USERNAME: required with ${protocol}`);
    if (hasPassword === hasPasswordFile) {
      problems.push(`KAFKA_SASL_PASSWORD, KAFKA_SASL_PASSWORD_FILE: set exactly one with ${protocol}`);
    }
  } else {
    for (const name of ['KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD', 'KAFKA_SASL_PASSWORD_FILE'] as const) {
      if (env[name] !== undefined) problems.push(`${name}: needs KAFKA_SECURITY_PROTOCOL SASL_SSL`);
    }
  }
  if (problems.length > 0) {
    throw new TriageError('TRIAGE_CONFIG_INVALID', `invalid configuration: ${problems.join(' | ')}`, {
      details: { variables: problems.map((problem) => problem.split(':')[0]) },
    });
  }
  const plan: KafkaSecurityPlan = { protocol };
  if (tls) {
    plan.tls = {
      ...(env.KAFKA_SSL_CA_FILE === undefined ? {} : { caFile: env.KAFKA_SSL_CA_FILE }),
      ...(env.KAFKA_SSL_CERT_FILE === undefined ? {} : { certFile: env.KAFKA_SSL_CERT_FILE }),
      ...(env.KAFKA_SSL_KEY_FILE === undefined ? {} : { keyFile: env.KAFKA_SSL_KEY_FILE }),
      ...(env.KAFKA_SSL_SERVERNAME === undefined ? {} : { servername: env.KAFKA_SSL_SERVERNAME }),
    };
  }
  if (sasl) {
    plan.sasl = {
      mechanism: env.KAFKA_SASL_MECHANISM ?? 'SCRAM-SHA-512',
      username: env.KAFKA_SASL_USERNAME!,
      password: hasPassword ? { value: env.KAFKA_SASL_PASSWORD! } : { file: env.KAFKA_SASL_PASSWORD_FILE! },
    };
  }
  return plan;
}

type ReadText = (path: string) => string;

const readText: ReadText = (path) => readFileSync(path, 'utf8');

function readNamed(variable: string, path: string, read: ReadText): string {
  try {
    return read(path);
  } catch (error) {
    throw new TriageError(
      'TRIAGE_CONFIG_INVALID',
      `${variable}: cannot read ${path}: ${(error as Error).message}`,
      {
        cause: error,
        details: { variables: [variable] },
      },
    );
  }
}

/**
 * Reads the files a plan names: certificates and key once, the password file once now (so a
 * missing one fails at start) and again at every login (so a rotated secret is picked up).
 */
export function loadKafkaSecurity(
  plan: KafkaSecurityPlan,
  read: ReadText = readText,
): { tls?: KafkaTls; sasl?: KafkaSasl } {
  const loaded: { tls?: KafkaTls; sasl?: KafkaSasl } = {};
  if (plan.tls) {
    const { caFile, certFile, keyFile, servername } = plan.tls;
    loaded.tls = {
      ...(caFile === undefined ? {} : { ca: readNamed('KAFKA_SSL_CA_FILE', caFile, read) }),
      ...(certFile === undefined ? {} : { cert: readNamed('KAFKA_SSL_CERT_FILE', certFile, read) }),
      ...(keyFile === undefined ? {} : { key: readNamed('KAFKA_SSL_KEY_FILE', keyFile, read) }),
      ...(servername === undefined ? {} : { servername }),
    };
  }
  if (plan.sasl) {
    const source = plan.sasl.password;
    let password: () => string;
    if ('value' in source) {
      password = () => source.value;
    } else {
      const fromFile = () => readNamed('KAFKA_SASL_PASSWORD_FILE', source.file, read).replace(/\r?\n$/, '');
      if (fromFile().length === 0) {
        throw new TriageError('TRIAGE_CONFIG_INVALID', `KAFKA_SASL_PASSWORD_FILE: ${source.file} is empty`, {
          details: { variables: ['KAFKA_SASL_PASSWORD_FILE'] },
        });
      }
      password = fromFile;
    }
    loaded.sasl = { mechanism: plan.sasl.mechanism, username: plan.sasl.username, password };
  }
  return loaded;
}
